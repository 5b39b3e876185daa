import type { Column, Dataset, Literal } from "@yardstick/model";

const o = { file: "spec.kpi", start: 0, end: 0 };

/** A column declaration for tests: `col("nps", "int", { nullable: true })`. */
export function col(name: string, type: Column["type"], extra: Partial<Column> = {}): Column {
  return { name, type, nullable: false, key: false, time: false, perspective: null, unit: null, allowed: null, derived: null, origin: o, ...extra };
}

export function set(...values: Literal[]): Column["allowed"] {
  return { kind: "set", values };
}

export function range(min: Literal, max: Literal): Column["allowed"] {
  return { kind: "range", min, max };
}

/** A dataset declaration for tests. */
export function dataset(name: string, columns: Column[], extra: Partial<Dataset> = {}): Dataset {
  return {
    name, label: null, source: null, zone: "UTC", timeColumn: null,
    keys: columns.filter((c) => c.key).map((c) => c.name), onBadRows: "fail", columns, relations: [], origin: o, ...extra,
  };
}
