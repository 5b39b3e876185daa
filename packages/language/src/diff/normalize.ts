import type { Dataset, Dim, Expectation, Expr, Fixture, Kpi, Model, Rule, Test } from "@yardstick/model";

/**
 * Canonical forms of model nodes for comparison: no origins, no inferred expression types, names
 * of renamed datasets, KPIs and rules mapped to their new names, order removed where it carries no
 * meaning (tags, columns, allowed sets, fixture rows and columns, expectations). Two nodes mean the
 * same when their canonical JSON texts are equal.
 */

export interface Renames {
  datasets: Map<string, string>;
  kpis: Map<string, string>;
  rules: Map<string, string>;
}

export interface NormContext {
  renames: Renames;
  /** A KPI's own name: references to it become `$self`, so a renamed KPI compares equal. */
  self: string | null;
  /** The time column buckets default to: `month` of it prints the same whatever it is called. */
  timeColumn: string | null;
}

const mapName = (m: Map<string, string>, n: string) => m.get(n) ?? n;

/** JSON with object keys sorted: the same text for the same value, whatever the key order. */
export function stable(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(",")}}`;
}

export function normExpr(e: Expr | null | undefined, c: NormContext): unknown {
  if (!e) return null;
  const x = (a: Expr | null | undefined) => normExpr(a, c);
  const kpi = (n: string) => (n === c.self ? "$self" : mapName(c.renames.kpis, n));
  switch (e.op) {
    case "lit":
      // int and number literals of the same value mean the same; strings and dates do not.
      return { op: "lit", t: e.type === "int" || e.type === "number" ? "num" : e.type, v: e.value };
    case "col":
      return { op: "col", name: e.name };
    case "lookup":
      return { op: "lookup", relation: e.relation, dataset: mapName(c.renames.datasets, e.dataset), arg: x(e.arg) };
    case "call":
      return { op: "call", fn: e.fn, args: e.args.map(x) };
    case "neg":
    case "not":
      return { op: e.op, arg: x(e.arg) };
    case "binary":
      return { op: "binary", operator: e.operator, left: x(e.left), right: x(e.right) };
    case "in":
      return { op: "in", arg: x(e.arg), values: e.values.map(x), negated: e.negated };
    case "between":
      return { op: "between", arg: x(e.arg), low: x(e.low), high: x(e.high), negated: e.negated };
    case "is_null":
      return { op: "is_null", arg: x(e.arg), negated: e.negated };
    case "case":
      return { op: "case", whens: e.whens.map((w) => ({ when: x(w.when), then: x(w.then) })), else: x(e.else) };
    case "bucket": {
      // The zone is compared on the KPI (or inherited from the dataset); the default time column
      // is compared on the dataset.
      const arg = e.arg.op === "col" && e.arg.name === c.timeColumn ? { op: "col", name: "$time" } : x(e.arg);
      return { op: "bucket", unit: e.unit, arg };
    }
    case "agg":
      return {
        op: "agg",
        fn: e.fn,
        arg: x(e.arg),
        p: e.p,
        filter: e.filter ? x(e.filter) : undefined,
        per: e.per ? e.per.map((d) => normDim(d, c)) : undefined,
        source: e.source ? { ...e.source, dataset: mapName(c.renames.datasets, e.source.dataset) } : undefined,
        window: e.window,
      };
    case "kpi":
      return { op: "kpi", name: kpi(e.name) };
    case "previous":
    case "change":
    case "pct_change":
      return { op: e.op, arg: x(e.arg), period: e.period };
    case "field":
      return { op: "field", field: e.field, kpi: kpi(e.kpi) };
    case "group_key":
      return { op: "group_key", name: e.name };
  }
}

export function normDim(d: Dim, c: NormContext): unknown {
  return { name: d.name, expr: normExpr(d.expr, c) };
}

export const normDims = (ds: readonly Dim[] | null, c: NormContext): unknown => (ds ? ds.map((d) => normDim(d, c)) : null);

/** The canonical form of each comparable field of a KPI, by field name. */
export function kpiFields(k: Kpi, model: Model, renames: Renames): Record<string, unknown> {
  const ds = k.from ? model.datasets.find((d) => d.name === k.from) : undefined;
  const c: NormContext = { renames, self: k.name, timeColumn: k.timeColumn };
  return {
    label: k.label,
    description: k.description,
    owner: k.owner,
    tags: [...k.tags].sort(),
    from: k.from === null ? null : mapName(renames.datasets, k.from),
    where: normExpr(k.where, c),
    value: normExpr(k.value, c),
    by: normDims(k.by, c),
    unit: k.unit,
    format: k.format,
    direction: k.direction,
    minSamples: k.minSamples,
    // A zone inherited from the dataset changes with the dataset (reported there).
    zone: ds && ds.zone === k.zone ? "$dataset" : k.zone,
    target: k.target.map((a) => ({ when: normExpr(a.when, c), comparator: a.comparator, value: normExpr(a.value, c) })),
    status: k.status.map((a) => ({ label: a.label, when: normExpr(a.when, c) })),
  };
}

/** Fields that change how a KPI is shown or documented, not what it computes. */
export const KPI_COSMETIC = new Set(["label", "description", "owner", "tags", "unit", "format"]);
/** Fields a rename may also touch and still count as a rename (label and documentation). */
export const KPI_META = new Set(["label", "description", "owner", "tags"]);

export function datasetFields(d: Dataset, renames: Renames): Record<string, unknown> {
  const c: NormContext = { renames, self: null, timeColumn: d.timeColumn };
  const columns: Record<string, unknown> = {};
  for (const col of d.columns) columns[col.name] = columnFields(col, c);
  const relations: Record<string, unknown> = {};
  for (const r of d.relations) relations[r.name] = { column: r.column, dataset: mapName(renames.datasets, r.dataset), key: r.key };
  return {
    label: d.label,
    source: d.source,
    zone: d.zone,
    timeColumn: d.timeColumn,
    onBadRows: d.onBadRows,
    columns,
    relations,
  };
}

export function columnFields(col: Dataset["columns"][number], c: NormContext): Record<string, unknown> {
  const allowed = col.allowed === null ? null
    : col.allowed.kind === "set" ? { kind: "set", values: [...col.allowed.values].map((v) => stable(v)).sort() }
    : col.allowed;
  return {
    type: col.type,
    nullable: col.nullable,
    key: col.key,
    time: col.time,
    perspective: col.perspective,
    unit: col.unit,
    allowed,
    derived: normExpr(col.derived, { ...c, timeColumn: null }),
  };
}

export const DATASET_COSMETIC = new Set(["label"]);
export const COLUMN_COSMETIC = new Set(["unit", "perspective"]);

export function ruleFields(r: Rule, model: Model, renames: Renames): Record<string, unknown> {
  const first = model.kpis.find((k) => k.name === r.kpis[0]);
  const c: NormContext = { renames, self: null, timeColumn: first?.timeColumn ?? null };
  return {
    label: r.label,
    description: r.description,
    kpis: r.kpis.map((k) => mapName(renames.kpis, k)),
    when: normExpr(r.when, c),
    for: r.for,
    recover: normExpr(r.recover, c),
    severity: r.severity,
    onNoData: r.onNoData,
    by: normDims(r.by, c),
    // A placeholder's text is its source (`{fcr}`): its expression carries the meaning.
    message: r.message ? r.message.map((p) => (p.expr ? { expr: normExpr(p.expr, c), kpi: p.kpi === null ? null : mapName(renames.kpis, p.kpi) } : { text: p.text })) : null,
  };
}

export const RULE_META = new Set(["label", "description"]);

/** A fixture as a set of records: column order and row order carry no meaning. */
export function normFixture(f: Fixture, renames: Renames): { dataset: string; columns: string[]; rows: string[] } {
  const order = f.columns.map((c, i) => [c, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const rows = f.rows.map((r) => stable(order.map(([, i]) => r[i] ?? null))).sort();
  return { dataset: mapName(renames.datasets, f.dataset), columns: order.map(([c]) => c), rows };
}

export function normExpectation(x: Expectation, model: Model, renames: Renames): string {
  if (x.kind === "alert") return stable({ ...x, origin: undefined, rule: mapName(renames.rules, x.rule) });
  const k = model.kpis.find((m) => m.name === x.kpi);
  const c: NormContext = { renames, self: null, timeColumn: k?.timeColumn ?? null };
  const groups = x.groups
    ? x.groups.map((g) => stable({ group: g.group, value: g.value, tolerance: "tolerance" in g ? g.tolerance : undefined })).sort()
    : null;
  return stable({
    kind: x.kind,
    kpi: mapName(renames.kpis, x.kpi),
    by: normDims(x.by, c),
    where: normExpr(x.where, c),
    expected: x.expected,
    groups,
    tolerance: x.kind === "value" ? x.tolerance : undefined,
  });
}

export function testFields(t: Test, model: Model, renames: Renames): Record<string, unknown> {
  const fixtures: Record<string, unknown> = {};
  for (const f of t.fixtures) {
    const n = normFixture(f, renames);
    fixtures[n.dataset] = n;
  }
  return {
    asOf: t.asOf,
    fixtures,
    expectations: t.expectations.map((x) => normExpectation(x, model, renames)).sort(),
  };
}
