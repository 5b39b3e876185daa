import {
  BUILTIN_STATUSES, didYouMean, parseTemporalLiteral,
  type Dim, type Expectation, type Fixture, type GroupValue, type Kpi, type Origin, type Rule, type Span, type Test, type Tolerance,
} from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import type { DatasetSymbol, Reporter } from "./context.js";
import { checkCondition, checkDim, type ExprEnv } from "./expr.js";
import {
  BucketNode, DimNode, emptyList, exactList, ExpectationRecord, FixtureRecord, GroupValueRecord, LitNode, originOf, TestRecord,
  ToleranceRecord,
} from "./model-nodes.js";

const DEFAULT_TOLERANCE: Tolerance = new ToleranceRecord({ kind: "relative", amount: 1e-9 });


export interface TestContext {
  datasets: Map<string, DatasetSymbol>;
  kpis: ReadonlyMap<string, Kpi>;
  kpiNames: ReadonlySet<string>;
  ruleNames: ReadonlySet<string>;
  rules: ReadonlyMap<string, Rule>;
}

/** Checks a test block and lowers it; returns null when it has errors. */
export function checkTest(decl: A.TestDecl, file: string, r: Reporter, ctx: TestContext): Test | null {
  r.file = file;
  const before = r.errorCount;
  const test: Test = new TestRecord({ name: decl.name.value, asOf: null, fixtures: emptyList(), expectations: emptyList(), origin: originOf(file, decl.name.span) });
  const given = new Map<string, Span>();
  for (const c of decl.clauses) {
    switch (c.kind) {
      case "AsOfClause": {
        const t = c.at.kind === "TemporalLit" ? parseTemporalLiteral(c.at.text) : null;
        if (!t || t.kind === "period") r.report("invalid-literal", { text: keyText(c.at), kind: "date or timestamp", hint: "Write `as of 2025-03-01` or `as of 2025-03-01T12:00:00Z`." }, c.at.span);
        else test.asOf = t.text;
        break;
      }
      case "GivenClause": {
        if (!c.dataset) break; // a syntax error left the dataset name out: already reported
        if (given.has(c.dataset.name)) {
          r.report("duplicate-clause", { clause: `given ${c.dataset.name}` }, c.dataset.span, { related: [{ file, span: given.get(c.dataset.name)!, message: "first given here" }], hints: ["Put all rows of a dataset in one table."] });
          break;
        }
        given.set(c.dataset.name, c.dataset.span);
        const f = checkFixture(c, file, r, ctx.datasets);
        if (f) test.fixtures.push(f);
        break;
      }
      default: {
        const e = checkExpectation(c, file, r, ctx);
        if (e) test.expectations.push(e);
      }
    }
  }
  if (!decl.clauses.some((c) => c.kind !== "GivenClause" && c.kind !== "AsOfClause")) {
    r.report("test-expects-nothing", { name: test.name }, decl.name.span);
  }
  return r.errorCount === before ? test : null;
}

const CELL_CHECKS: Record<string, { re: RegExp; hint: string }> = {
  int: { re: /^[+-]?\d+$/, hint: "Write a whole number, e.g. 42." },
  number: { re: /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, hint: "Write a number, e.g. 3.5." },
  bool: { re: /^(true|false|yes|no|t|f|y|n|1|0)$/i, hint: "Write true or false." },
  date: { re: /^\d{4}-\d{2}-\d{2}$/, hint: "Write a date as YYYY-MM-DD." },
  timestamp: { re: /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, hint: "Write an ISO timestamp, e.g. 2025-01-05T10:00:00Z (a date alone means midnight)." },
};

function checkFixture(c: A.GivenClause, file: string, r: Reporter, datasets: Map<string, DatasetSymbol>): Fixture | null {
  const ds = datasets.get(c.dataset.name);
  if (!ds) {
    const hint = didYouMean(c.dataset.name, datasets.keys());
    r.report("unknown-dataset", { name: c.dataset.name }, c.dataset.span, { hints: hint ? [hint] : [] });
    return null;
  }
  if (!c.header) {
    r.report("bad-table-row", { text: `\`given ${c.dataset.name}\` has no table.`, hint: "Add a header row with column names, then one row per record: | customer_id | score |" }, c.span);
    return null;
  }
  const columns: string[] = [];
  const types: string[] = [];
  for (const cell of c.header.cells) {
    const col = ds.columns.get(cell.text);
    if (!col) {
      const hint = didYouMean(cell.text, ds.columns.keys());
      r.report("fixture-unknown-column", { dataset: ds.model.name, name: cell.text }, cell.span, { hints: hint ? [hint] : [] });
      return null;
    }
    if (col.derived) {
      r.report("fixture-derived-column", { dataset: ds.model.name, name: cell.text }, cell.span);
      return null;
    }
    const first = columns.indexOf(cell.text);
    if (first >= 0) {
      r.report("duplicate-column", { name: cell.text, dataset: ds.model.name }, cell.span, {
        related: [{ file, span: c.header.cells[first]!.span, message: `column "${cell.text}" is first given here` }],
      });
    }
    columns.push(cell.text);
    types.push(col.type);
  }
  const rows: Array<Array<string | null>> = [];
  const rowOrigins: Origin[] = [];
  for (const row of c.rows) {
    if (row.cells.length !== columns.length) {
      r.report("fixture-row-width", { actual: row.cells.length, expected: columns.length }, row.span);
      continue;
    }
    rows.push(
      row.cells.map((cell, i) => {
        if (cell.text === "" && !cell.quoted) return null;
        const check = CELL_CHECKS[types[i]!];
        if (check && !cell.quoted && !check.re.test(cell.text)) {
          r.report("invalid-fixture-value", { text: cell.text, type: types[i]!, column: columns[i]!, hint: check.hint }, cell.span);
        }
        return cell.text;
      }),
    );
    rowOrigins.push(originOf(file, row.span));
  }
  return new FixtureRecord({ dataset: ds.model.name, columns: exactList(columns), rows: exactList(rows), rowOrigins: exactList(rowOrigins), origin: originOf(file, c.span) });
}

function checkExpectation(c: A.ExpectClause, file: string, r: Reporter, ctx: TestContext): Expectation | null {
  const o = originOf(file, c.span);
  // After a syntax error the KPI or rule name may be missing: already reported.
  if (c.kind === "ExpectAlert" ? !c.rule : !c.kpi) return null;
  if (c.kind === "ExpectAlert") {
    if (!ctx.ruleNames.has(c.rule.name)) {
      const hint = didYouMean(c.rule.name, ctx.ruleNames);
      r.report("unknown-rule", { name: c.rule.name }, c.rule.span, { hints: hint ? [hint] : [] });
      return null;
    }
    const period = (e: A.Expr | undefined): string | null => {
      if (!e) return null;
      if (e.kind === "TemporalLit" && parseTemporalLiteral(e.text)) return e.text;
      if (e.kind === "NumberLit" && /^\d{4}$/.test(e.text)) return e.text;
      r.report("invalid-literal", { text: keyText(e), kind: "period", hint: "Write a period such as 2025-03, 2025-Q1, 2025-W02 or 2025-03-14." }, e.span);
      return null;
    };
    return new ExpectationRecord({ kind: "alert", rule: c.rule.name, negated: c.negated, firing: c.firing, from: period(c.from), to: period(c.to), origin: o });
  }
  const kpi = ctx.kpis.get(c.kpi.name);
  if (!kpi) {
    if (!ctx.kpiNames.has(c.kpi.name)) {
      const hint = didYouMean(c.kpi.name, ctx.kpiNames);
      r.report("unknown-kpi", { name: c.kpi.name }, c.kpi.span, { hints: hint ? [hint] : [] });
    }
    return null;
  }
  const scope = kpi.from ? ctx.datasets.get(kpi.from) ?? null : null;
  const env: ExprEnv = { file, r, datasets: ctx.datasets, kpiNames: ctx.kpiNames, scope, zone: kpi.zone, place: "an expectation", kpiRefs: new Map(), usesTime: null };
  const by: Dim[] = [];
  for (const d of c.by) {
    if (!scope) {
      const unit = d.kind === "NameRef" && ["day", "week", "month", "quarter", "year"].includes(d.name) ? d.name : null;
      if (!unit) {
        r.report("invalid-per", { text: `KPI "${kpi.name}" has no dataset; group it by time buckets only.` }, d.span);
        return null;
      }
      const so = originOf(file, d.span);
      by.push(new DimNode(unit, new BucketNode("bucket", unit as "day", new LitNode("lit", "timestamp", null, so), kpi.zone, "period", so), so));
    } else {
      by.push(checkDim(d, { ...env, place: "a grouping" }));
    }
  }
  let where = null;
  if (c.where) {
    if (!scope) {
      r.report("invalid-argument", { text: `KPI "${kpi.name}" has no dataset to filter.`, hint: "Filter the KPIs it is built from." }, c.where.span);
      return null;
    }
    where = checkCondition(c.where, { ...env, place: "a `where` filter" }, "row", "An expectation filter").e;
  }
  const isStatus = c.kind === "ExpectStatus";
  const labels = new Set<string>([...BUILTIN_STATUSES, ...kpi.status.map((s) => s.label)]);
  /** Numbers too large for a double (1e999) would make the model invalid: they are errors. */
  const finite = (value: number, text: string, span: Span): number | undefined => {
    if (Number.isFinite(value)) return value;
    r.report("invalid-literal", { text, kind: "number", hint: "Numbers must be finite: at most about 1.8e308." }, span);
    return undefined;
  };
  const scalar = (e: A.Expr): number | string | null | undefined => {
    if (isStatus) {
      if (e.kind === "NameRef") {
        if (!labels.has(e.name)) {
          const hint = didYouMean(e.name, labels);
          r.report("unknown-status", { kpi: kpi.name, name: e.name }, e.span, { hints: hint ? [hint] : [`Statuses of "${kpi.name}": ${[...labels].join(", ")}.`] });
          return undefined;
        }
        return e.name;
      }
      r.report("type-mismatch", { text: "A status expectation needs a status label, e.g. on_target." }, e.span);
      return undefined;
    }
    if (e.kind === "NumberLit") return finite(e.value, e.text, e.span);
    if (e.kind === "UnaryExpr" && e.operator === "-" && e.operand.kind === "NumberLit") {
      const v = finite(e.operand.value, e.operand.text, e.operand.span);
      return v === undefined ? undefined : -v;
    }
    if (e.kind === "NullLit") return null;
    r.report("type-mismatch", { text: `KPI "${kpi.name}" is a number; expect a number here.` }, e.span, { hints: e.kind === "StringLit" ? ["To check a status, write `expect status of " + kpi.name + " = label`."] : [] });
    return undefined;
  };
  const tolerance = (t: A.Tolerance | undefined): Tolerance => {
    if (!t) return DEFAULT_TOLERANCE;
    if (!Number.isFinite(t.amount)) {
      r.report("invalid-literal", { text: String(t.amount), kind: "tolerance", hint: "Write a finite tolerance, e.g. ± 0.01 or ± 1%." }, t.span);
      return DEFAULT_TOLERANCE;
    }
    return new ToleranceRecord({ kind: t.relative ? "relative" : "absolute", amount: t.relative ? t.amount / 100 : t.amount });
  };
  const exp = c.expected;
  let expected: number | string | null = null;
  let groups: Array<GroupValue<number | string | null>> | null = null;
  let tol = DEFAULT_TOLERANCE;
  if (exp.kind === "ScalarExpected") {
    const v = scalar(exp.value);
    if (v === undefined) return null;
    expected = v;
    tol = tolerance(exp.tolerance);
    if (by.length > 0) {
      r.report("invalid-argument", { text: "With `by`, list the expected value of each group.", hint: "Write `= { 2025-01: 25, 2025-02: 30 }`." }, exp.span);
      return null;
    }
  } else if (exp.kind === "MapExpected") {
    if (by.length === 0) {
      r.report("invalid-argument", { text: "A map of groups needs `by`.", hint: `Write \`expect ${kpi.name} by month = { ... }\`.` }, exp.span);
      return null;
    }
    if (exp.entries.length === 0) {
      r.report("empty-group-map", {}, exp.span);
      return null;
    }
    groups = emptyList();
    for (const entry of exp.entries) {
      if (entry.keys.length !== by.length) {
        r.report("invalid-argument", { text: `This key has ${entry.keys.length} part${entry.keys.length === 1 ? "" : "s"}, but the grouping has ${by.length}.`, hint: by.length > 1 ? `Write (${by.map((d) => d.name).join(", ")}): value.` : "Write one key per entry." }, entry.span);
        return null;
      }
      const group: Record<string, string> = {};
      entry.keys.forEach((k, i) => { group[by[i]!.name] = keyText(k); });
      const v = scalar(entry.value);
      if (v === undefined) return null;
      if (entry.tolerance && isStatus) r.report("invalid-argument", { text: "Statuses have no tolerance.", hint: "Remove the ± part." }, entry.tolerance.span);
      const gv: GroupValue<number | string | null> = new GroupValueRecord({ group, value: v, origin: originOf(file, entry.span) });
      if (entry.tolerance && !isStatus) gv.tolerance = tolerance(entry.tolerance);
      groups.push(gv);
    }
  } else if (isStatus) {
    r.report("invalid-argument", { text: "A status is never null; a KPI without a value has the status insufficient_data.", hint: `Write \`expect status of ${kpi.name} = insufficient_data\`.` }, exp.span);
    return null;
  }
  if (isStatus) {
    return new ExpectationRecord({ kind: "status", kpi: kpi.name, by: exactList(by), where, expected: expected as string | null, groups: groups as Array<GroupValue<string>> | null, origin: o });
  }
  return new ExpectationRecord({ kind: "value", kpi: kpi.name, by: exactList(by), where, expected: expected as number | null, groups: groups as Array<GroupValue<number | null>> | null, tolerance: tol, origin: o });
}

/** A group key as it prints in results: strings unquoted, periods and numbers as written. */
function keyText(k: A.Expr): string {
  switch (k.kind) {
    case "StringLit": return k.value;
    case "NumberLit": return k.text;
    case "TemporalLit": return k.text;
    case "BoolLit": return String(k.value);
    case "NullLit": return "null";
    case "NameRef": return k.name;
    case "UnaryExpr": return `-${keyText(k.operand)}`;
    default: return "?";
  }
}
