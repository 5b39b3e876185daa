import { COLUMN_TYPES, isValidTimeZone, suggest, didYouMean, type Column, type ColumnType, type Literal, type Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import type { DatasetSymbol, Reporter } from "./context.js";
import type { Declarations } from "./symbols.js";
import { constantValue } from "./literals.js";
import {
  AllowedRangeNode, AllowedSetNode, ColumnInfoNode, ColumnRecord, DatasetRecord, DatasetSymbolRecord,
  emptyList, originOf, RelationRecord, SourceNode,
} from "./model-nodes.js";

const FORMATS: Record<string, "csv" | "json" | "ndjson" | "parquet"> = {
  csv: "csv", tsv: "csv", json: "json", ndjson: "ndjson", jsonl: "ndjson", parquet: "parquet",
};

/** The relation name a column gets by default: `customer_id -> customers` is `customer`. */
export function defaultRelationName(column: string): string {
  return column.endsWith("_id") && column.length > 3 ? column.slice(0, -3) : column;
}

/**
 * Builds the dataset symbols: columns, keys, constraints, time column, zone, source, relations.
 * Derived columns are added by the expression checker afterwards (they need relations).
 */
export function buildDatasets(decls: Declarations, r: Reporter): Map<string, DatasetSymbol> {
  const out = new Map<string, DatasetSymbol>();
  for (const [name, { decl, file }] of decls.datasets) {
    r.file = file;
    out.set(name, buildDataset(name, decl, file, r));
  }
  for (const sym of out.values()) {
    r.file = sym.file;
    resolveRelations(sym, out, r);
  }
  return out;
}

function buildDataset(name: string, decl: A.DatasetDecl, file: string, r: Reporter): DatasetSymbol {
  const sym: DatasetSymbol = new DatasetSymbolRecord({
    decl,
    file,
    model: new DatasetRecord({
      name,
      label: decl.label?.value ?? null,
      source: null,
      zone: "UTC",
      timeColumn: null,
      keys: emptyList(),
      onBadRows: "fail",
      columns: emptyList(),
      relations: emptyList(),
      origin: originOf(file, decl.name.span),
    }),
    columns: new Map(),
    relations: new Map(),
    incoming: new Map(),
  });
  if (decl.source) {
    const path = decl.source.value;
    let format: "csv" | "json" | "ndjson" | "parquet" | undefined;
    if (decl.sourceFormat) {
      format = FORMATS[decl.sourceFormat.name.toLowerCase()];
      if (!format) r.report("unsupported-format", { path }, decl.sourceFormat.span, { hints: ["Formats: csv, json, ndjson, parquet."] });
    } else {
      const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
      format = FORMATS[ext];
      if (!format) r.report("unsupported-format", { path }, decl.source.span);
    }
    if (format) sym.model.source = new SourceNode(path, format);
  }
  let zoneSeen: Span | undefined;
  let policySeen: Span | undefined;
  const timeColumns: Array<{ name: string; span: Span }> = [];
  for (const m of decl.members) {
    switch (m.kind) {
      case "ZoneClause":
        if (zoneSeen) r.report("duplicate-clause", { clause: "zone" }, m.span);
        zoneSeen = m.span;
        if (!isValidTimeZone(m.zone.value)) r.report("unknown-time-zone", { name: m.zone.value }, m.zone.span);
        else sym.model.zone = m.zone.value;
        break;
      case "BadRowsClause": {
        if (policySeen) r.report("duplicate-clause", { clause: "on bad rows" }, m.span);
        policySeen = m.span;
        const p = m.policy.name;
        if (p === "skip" || p === "fail") sym.model.onBadRows = p;
        else r.report("invalid-argument", { text: `"${p}" is not a load policy.`, hint: "Write `on bad rows skip` or `on bad rows fail`." }, m.policy.span);
        break;
      }
      case "ColumnDecl": {
        const col = buildColumn(m, file, r);
        if (!col) break;
        if (sym.columns.has(col.name)) {
          r.report("duplicate-column", { name: col.name, dataset: name }, m.name.span, {
            related: [{ file, span: sym.columns.get(col.name)!.span, message: `column "${col.name}" is first declared here` }],
          });
          break;
        }
        sym.model.columns.push(col);
        sym.columns.set(col.name, new ColumnInfoNode(col.type, col.perspective, m.name.span, false));
        if (col.key) sym.model.keys.push(col.name);
        if (col.time) timeColumns.push({ name: col.name, span: m.name.span });
        break;
      }
      case "DerivedDecl":
        break;
    }
  }
  if (timeColumns.length > 1) {
    r.report("multiple-time-columns", { dataset: name }, timeColumns[1]!.span, {
      related: [{ file, span: timeColumns[0]!.span, message: "first time column" }],
    });
  }
  if (timeColumns[0]) sym.model.timeColumn = timeColumns[0].name;
  return sym;
}

function buildColumn(m: A.ColumnDecl, file: string, r: Reporter): Column | undefined {
  if (!m.name || !m.type?.name) return undefined;
  const typeName = m.type.name.name;
  if (!(COLUMN_TYPES as readonly string[]).includes(typeName)) {
    r.report("unknown-type", { name: typeName }, m.type.name.span, { hints: hint(typeName, COLUMN_TYPES) });
    return undefined;
  }
  const type = typeName as ColumnType;
  const col: Column = new ColumnRecord({
    name: m.name.name,
    type,
    nullable: m.type.nullable,
    key: false,
    time: false,
    perspective: null,
    unit: null,
    allowed: null,
    derived: null,
    origin: originOf(file, m.name.span),
  });
  let seen = 0;
  for (const mod of m.modifiers) {
    const bit = MODIFIER_BIT[mod.kind];
    if (seen & bit) r.report("duplicate-clause", { clause: modifierWord(mod) }, mod.span);
    seen |= bit;
    switch (mod.kind) {
      case "KeyModifier":
        col.key = true;
        if (m.type.nullable) r.report("invalid-argument", { text: `Key column "${col.name}" cannot be nullable.`, hint: "Remove the `?`: every row needs a key." }, mod.span);
        break;
      case "TimeModifier":
        col.time = true;
        if (type !== "date" && type !== "timestamp") r.report("invalid-time-column", { name: col.name, type }, mod.span);
        break;
      case "UnitModifier":
        col.unit = mod.unit.name;
        break;
      case "PerspectiveModifier": {
        const p = mod.perspective.name;
        if (p === "customer" || p === "company") col.perspective = p;
        else r.report("invalid-argument", { text: `"@${p}" is not a perspective.`, hint: "Write @customer (what the customer perceives or puts in) or @company (what the company spends or offers)." }, mod.span);
        break;
      }
      case "InSetModifier": {
        if (mod.values.length === 0) {
          r.report("empty-list", { text: `Column "${col.name}" allows no value: its \`in ()\` list is empty.`, hint: 'List the values it may take, for example `in ("smb", "enterprise")`, or drop `in`.' }, mod.span);
        }
        const values: Literal[] = [];
        for (const v of mod.values) {
          const lit = constantValue(v, type, `a value of the ${type} column "${col.name}"`, r);
          if (lit !== undefined) values.push(lit);
        }
        col.allowed = new AllowedSetNode("set", values);
        break;
      }
      case "InRangeModifier": {
        if (type === "string" || type === "bool") {
          r.report("constraint-type-mismatch", { text: `A range does not fit the ${type} column "${col.name}".` }, mod.span, { hints: ["Ranges are for numbers, dates, timestamps and durations; use `in (...)` for a set of values."] });
          break;
        }
        const min = mod.min ? constantValue(mod.min, type, `a bound of the ${type} column "${col.name}"`, r) : null;
        const max = mod.max ? constantValue(mod.max, type, `a bound of the ${type} column "${col.name}"`, r) : null;
        if (min === undefined || max === undefined) break;
        if (min !== null && max !== null && min > max) {
          r.report("constraint-type-mismatch", { text: `The range ${String(min)}..${String(max)} is empty.` }, mod.span, { hints: ["Write the lower bound first."] });
        }
        col.allowed = new AllowedRangeNode("range", min, max);
        break;
      }
      case "RelationModifier":
        break;
    }
  }
  return col;
}

/** One bit per kind of modifier, for the duplicate check (`in` ranges and sets are one kind). */
const MODIFIER_BIT: Record<A.ColumnModifier["kind"], number> = {
  KeyModifier: 1,
  TimeModifier: 2,
  InSetModifier: 4,
  InRangeModifier: 4,
  RelationModifier: 8,
  UnitModifier: 16,
  PerspectiveModifier: 32,
};

function modifierWord(mod: A.ColumnModifier): string {
  switch (mod.kind) {
    case "KeyModifier": return "key";
    case "TimeModifier": return "time";
    case "InSetModifier":
    case "InRangeModifier": return "in";
    case "RelationModifier": return "->";
    case "UnitModifier": return "unit";
    case "PerspectiveModifier": return "@";
  }
}

function hint(name: string, candidates: Iterable<string>): string[] {
  const h = didYouMean(name, candidates);
  return h ? [h] : [];
}

function resolveRelations(sym: DatasetSymbol, all: Map<string, DatasetSymbol>, r: Reporter): void {
  for (const m of sym.decl.members) {
    if (m.kind !== "ColumnDecl" || !m.name) continue;
    for (const mod of m.modifiers) {
      if (mod.kind !== "RelationModifier" || !mod.target) continue;
      const target = all.get(mod.target.name);
      if (!target) {
        r.report("unknown-dataset", { name: mod.target.name }, mod.target.span, { hints: hint(mod.target.name, all.keys()) });
        continue;
      }
      const col = sym.columns.get(m.name.name);
      if (!col) continue;
      const relName = mod.alias?.name ?? defaultRelationName(m.name.name);
      if (target.model.keys.length !== 1) {
        r.report("relation-target-without-key", { dataset: target.model.name, name: relName }, mod.target.span);
        continue;
      }
      const key = target.model.keys[0]!;
      const keyType = target.columns.get(key)!.type;
      if (keyType !== col.type) {
        r.report("relation-key-mismatch", { name: relName, from: col.type, to: keyType, key, dataset: target.model.name }, mod.span, {
          related: [{ file: target.file, span: target.columns.get(key)!.span, message: `the key "${key}" is declared here` }],
        });
        continue;
      }
      if (sym.relations.has(relName)) {
        r.report("duplicate-definition", { kind: "Relation", name: relName }, (mod.alias ?? m.name).span, { hints: ["Name one of them with `as`: `-> customers as buyer`."] });
        continue;
      }
      const rel = new RelationRecord({ name: relName, column: m.name.name, dataset: target.model.name, key, origin: originOf(sym.file, mod.span) });
      sym.relations.set(relName, rel);
      sym.model.relations.push(rel);
      const list = target.incoming.get(sym.model.name) ?? emptyList();
      list.push(rel);
      target.incoming.set(sym.model.name, list);
    }
  }
}

export { suggest };
