import { didYouMean, type AggExpr, type AggregateFn, type Expr, type Relation, type Span, type TimeUnit, type ValueType } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import type { DatasetSymbol } from "./context.js";
import {
  broken, dimName, ExprChecker, isNumeric, isTime, maxLevel, org, type Checked, type ExprEnv, type Level,
} from "./expr.js";
import { FUNCTIONS, timeUnit, type FunctionInfo } from "./functions.js";
import { AggNode, BucketNode, CallNode, RelatedAggNode, RelatedSourceNode, TimeCompareNode, WindowNode } from "./model-nodes.js";

/**
 * Function calls in expressions, for the expression checker (expr.ts): the function and its
 * arguments, aggregates (filters, `per` nesting, aggregates over related rows), time buckets,
 * `previous`/`change`/`pct_change`, `target(kpi)`/`n(kpi)`, and windows (`over last 30 days`).
 * Each takes the checker whose place (`mode`, `env`) the call stands in.
 */

export function checkCall(ch: ExprChecker, n: A.CallExpr, want: "row" | "agg"): Checked {
  const env = ch.env;
  const name = n.callee.name;
  const info = FUNCTIONS.get(name);
  if (!info) {
    const hint = didYouMean(name, FUNCTIONS.keys());
    if (env.kpiNames.has(name)) {
      env.r.report("invalid-argument", { text: `"${name}" is a KPI, not a function.`, hint: `Use it without parentheses: ${name}.` }, n.callee.span);
    } else {
      env.r.report("unknown-function", { name }, n.callee.span, { hints: hint ? [hint] : [] });
    }
    return broken(env, n.span);
  }
  // `per` may be empty after a syntax error in its list (already reported).
  if ((n.where || n.per?.length) && info.kind !== "aggregate") {
    env.r.report("invalid-argument", { text: `Only aggregates take \`${n.where ? "where" : "per"}\`; "${name}" is not one.`, hint: "Filter inside an aggregate: sum(x where ...)." }, (n.where ?? n.per![0]!).span);
  }
  if (!arity(ch, info, n)) return broken(env, n.span);
  switch (info.kind) {
    case "aggregate":
      return aggregate(ch, n, info, want);
    case "bucket": {
      const a = ch.check(n.args[0]!, want === "agg" && ch.mode === "value" ? "row" : want);
      if (want === "agg" && ch.mode === "value" && a.level === "row") {
        env.r.report("row-level-outside-aggregate", { name: `${name}(...)` }, n.span);
        return broken(env, n.span);
      }
      ch.expectType(a, isTime, "a date or timestamp", `"${name}"`, n.args[0]!.span);
      env.usesTime ??= { span: n.span, what: `"${name}"` };
      return { e: new BucketNode("bucket", name as TimeUnit, a.e, env.zone, "period", org(env, n.span)), level: a.level };
    }
    case "time-compare":
      return timeCompare(ch, n, info, want);
    case "kpi-field": {
      if (ch.mode !== "status" && ch.mode !== "rule") {
        env.r.report("invalid-argument", { text: `"${name}(...)" is only available in status and rule conditions.`, hint: "Refer to the KPI by name in values." }, n.span);
        return broken(env, n.span);
      }
      const arg = n.args[0]!;
      if (arg.kind !== "NameRef" || !env.kpiNames.has(arg.name)) {
        const hint = arg.kind === "NameRef" ? didYouMean(arg.name, env.kpiNames) : undefined;
        env.r.report("unknown-kpi", { name: arg.kind === "NameRef" ? arg.name : "?" }, arg.span, { hints: hint ? [hint] : [] });
        return broken(env, n.span);
      }
      if (!env.kpiRefs.has(arg.name)) env.kpiRefs.set(arg.name, arg.span);
      return ch.field(name as "target" | "n", arg.name, n.span);
    }
    case "scalar":
      return scalar(ch, n, info, want);
  }
}

function arity(ch: ExprChecker, info: FunctionInfo, n: A.CallExpr): boolean {
  const max = info.variadic ? Infinity : info.params.length;
  const got = n.args.length;
  if (got < info.required || got > max) {
    const expected =
      info.required === max ? `${max} argument${max === 1 ? "" : "s"}` : max === Infinity ? `at least ${info.required} argument${info.required === 1 ? "" : "s"}` : `${info.required} to ${max} arguments`;
    ch.env.r.report("wrong-argument-count", { name: info.name, expected, actual: got, signature: info.signature }, n.span);
    return false;
  }
  return true;
}

function scalar(ch: ExprChecker, n: A.CallExpr, info: FunctionInfo, want: "row" | "agg"): Checked {
  const env = ch.env;
  let level: Level = "const";
  const args: Expr[] = [];
  let firstType: ValueType = "null";
  n.args.forEach((a, i) => {
    const kind = info.params[Math.min(i, info.params.length - 1)]!;
    const c = ch.check(a, want);
    level = maxLevel(level, c.level);
    argKind(ch, c, kind, info, a.span);
    if ((info.name === "coalesce" || info.name === "greatest" || info.name === "least") && i > 0) firstType = ch.unify(firstType, c, a.span);
    else if (i === 0 || (info.name === "if" && i === 1)) firstType = c.e.type;
    if (info.name === "if" && i === 2) firstType = ch.unify(firstType, c, a.span);
    args.push(c.e);
  });
  if (info.name === "period_days") env.usesTime ??= { span: n.span, what: "period_days()" };
  let type: ValueType = info.returns === "arg" ? firstType : info.returns;
  if (info.name === "abs" && type === "null") type = "number";
  const e: Expr = new CallNode("call", info.name, args.slice(), type, org(env, n.span));
  return { e, level: info.name === "period_days" ? maxLevel(level, "agg") : level };
}

function argKind(ch: ExprChecker, c: Checked, kind: string, info: FunctionInfo, span: Span): void {
  const t = c.e.type;
  const fn = `"${info.name}"`;
  switch (kind) {
    case "number":
      ch.expectType(c, (x) => isNumeric(x) || x === "duration", "a number", fn, span);
      break;
    case "constant-number":
      if (c.level !== "const") ch.env.r.report("invalid-argument", { text: `This argument of ${fn} must be a constant number.`, hint: `Write ${info.signature}.` }, span);
      else ch.expectType(c, isNumeric, "a number", fn, span);
      break;
    case "string":
      ch.expectType(c, (x) => x === "string" || x === "null", "a string", fn, span);
      break;
    case "time":
      ch.expectType(c, isTime, "a date or timestamp", fn, span);
      break;
    case "bool":
      ch.condition(c, span, fn);
      break;
    default:
      void t;
  }
}

function aggregate(ch: ExprChecker, n: A.CallExpr, info: FunctionInfo, want: "row" | "agg"): Checked {
  const env = ch.env;
  const fn = info.name as AggregateFn;
  const scope = env.scope;
  if (ch.mode === "status" || ch.mode === "rule" || ch.mode === "constant") {
    env.r.report("aggregate-in-row-expression", { name: fn, where: ch.mode === "constant" ? "a target" : "a condition on KPI values" }, n.callee.span, { hints: ["Define a KPI for it and refer to the KPI by name."] });
    return broken(env, n.span);
  }
  if (!scope) {
    // `place` reads `KPI "name"` here; the message quotes the bare name.
    env.r.report("missing-from", { kpi: /^KPI "(.*)"$/.exec(env.place)?.[1] ?? env.place }, n.span);
    return broken(env, n.span);
  }
  const related = relatedCollection(ch, n, scope);
  if (related === null) return broken(env, n.span);
  if (related) {
    // An aggregate over related rows is one value per row of the scope: at the top of a KPI
    // value it still needs an aggregate around it (`avg(sum(orders.amount))`).
    if (want === "agg" && ch.mode === "value") {
      env.r.report("row-level-outside-aggregate", { name: dimName(n) }, n.span);
      return broken(env, n.span);
    }
    return relatedAggregate(ch, n, info, scope, related);
  }
  if (want === "row") {
    if (ch.outerName) {
      env.r.report("nested-aggregate-without-per", { inner: fn, outer: ch.outerName }, n.callee.span);
    } else {
      env.r.report(ch.env.place.includes("where") ? "aggregate-in-where" : "aggregate-in-row-expression", { name: fn, where: env.place }, n.callee.span);
    }
    return broken(env, n.span);
  }
  const saved = ch.outerName;
  ch.outerName = fn;
  try {
    const agg: AggExpr = new AggNode("agg", fn, null, "number", org(env, n.span));
    if (n.per && n.per.length > 0) {
      agg.per = n.per.map((d) => ch.dim(d));
      if (fn === "count" || fn === "count_distinct" || fn === "share" || fn === "exists" || fn === "retention") {
        env.r.report("invalid-per", { text: `"${fn}" cannot aggregate per group; use avg, sum, min, max, median, percentile or stddev over the inner values.` }, n.per[0]!.span);
      }
      if (n.args.length === 0) {
        env.r.report("invalid-per", { text: "`per` needs an inner aggregate to compute per group, e.g. avg(count() per customer_id)." }, n.span);
        return broken(env, n.span);
      }
      const inner = ch.check(n.args[0]!, "agg");
      agg.arg = inner.e;
      argKind(ch, inner, info.params[0]!, info, n.args[0]!.span);
    } else if (n.args.length > 0) {
      const a = ch.check(n.args[0]!, "row");
      agg.arg = a.e;
      argKind(ch, a, info.params[0]!, info, n.args[0]!.span);
    }
    if (fn === "percentile") {
      const p = ch.check(n.args[1]!, "row");
      const errorsBefore = env.r.errorCount;
      argKind(ch, p, "constant-number", info, n.args[1]!.span);
      const pv = p.e.op === "lit" && typeof p.e.value === "number" ? p.e.value : p.e.op === "neg" && p.e.arg.op === "lit" ? -Number(p.e.arg.value) : NaN;
      if (env.r.errorCount !== errorsBefore) {
        // Not a constant number: reported once, above.
      } else if (!(pv >= 0 && pv <= 1)) {
        env.r.report("invalid-argument", { text: "The percentile must be between 0 and 1.", hint: "For the 90th percentile write percentile(x, 0.9)." }, n.args[1]!.span);
      } else agg.p = pv;
    }
    if (n.where) {
      const f = ch.check(n.where, "row");
      ch.condition(f, n.where.span, `the filter of "${fn}"`);
      agg.filter = f.e;
    }
    agg.type = aggType(fn, agg.arg);
    if (fn === "retention") env.usesTime ??= { span: n.span, what: "retention()" };
    if (fn === "count" && agg.arg && agg.arg.op === "lit") agg.arg = null;
    return { e: agg, level: "agg" };
  } finally {
    ch.outerName = saved;
  }
}

function aggType(fn: AggregateFn, arg: Expr | null): ValueType {
  switch (fn) {
    case "count":
    case "count_distinct":
      return "int";
    case "exists":
      return "bool";
    case "sum":
      return arg?.type === "int" ? "int" : arg?.type === "duration" ? "duration" : "number";
    case "min":
    case "max":
      return arg?.type ?? "number";
    default:
      return "number";
  }
}

/** The dataset a related-row aggregate reads (undefined: not related; null: error reported). */
function relatedCollection(ch: ExprChecker, n: A.CallExpr, scope: DatasetSymbol): { name: string; rel: Relation } | undefined | null {
  const env = ch.env;
  const first = n.args[0];
  if (!first) return undefined;
  let base: A.Expr = first;
  while (base.kind === "PathExpr") base = base.base;
  if (base.kind !== "NameRef" || scope.columns.has(base.name) || env.collection === base.name) return undefined;
  const rels = scope.incoming.get(base.name);
  if (!rels) return undefined;
  if (rels.length > 1) {
    env.r.report("ambiguous-relation", { dataset: base.name, target: scope.model.name, name: base.name, hint: `It has ${rels.map((r) => r.name).join(" and ")}; aggregate from "${base.name}" instead.` }, base.span);
    return null;
  }
  return { name: base.name, rel: rels[0]! };
}

function relatedAggregate(ch: ExprChecker, n: A.CallExpr, info: FunctionInfo, scope: DatasetSymbol, related: { name: string; rel: Relation }): Checked {
  const env = ch.env;
  const fn = info.name as AggregateFn;
  if (fn === "retention") {
    env.r.report("invalid-argument", { text: "`retention` works on the rows of the KPI's own dataset, not on related rows.", hint: `Write a KPI \`from ${related.name}\` with \`value retention(...)\` grouped by a time bucket.` }, n.span);
    return broken(env, n.span);
  }
  const target = env.datasets.get(related.name)!;
  const innerEnv: ExprEnv = { ...env, scope: target, collection: related.name, place: `an aggregate over "${related.name}"` };
  const inner = new ExprChecker(innerEnv, "row");
  inner.outerName = fn;
  const source = new RelatedSourceNode(related.name, related.rel.name, related.rel.column, related.rel.key);
  const agg: AggExpr = new RelatedAggNode("agg", fn, null, source, "number", org(env, n.span));
  const first = n.args[0]!;
  if (!(first.kind === "NameRef" && first.name === related.name)) {
    const a = inner.check(first, "row");
    argKind(inner, a, info.params[0]!, info, first.span);
    agg.arg = a.e;
  } else if (fn !== "count" && fn !== "exists") {
    env.r.report("invalid-argument", { text: `"${fn}" needs a column of "${related.name}", not its rows.`, hint: `Write ${fn}(${related.name}.<column>).` }, first.span);
    return broken(env, n.span);
  }
  if (n.per?.length) env.r.report("invalid-per", { text: "`per` is not available in aggregates over related rows." }, n.per[0]!.span);
  if (fn === "percentile" && n.args[1]) {
    const p = inner.check(n.args[1], "row");
    if (p.e.op === "lit" && typeof p.e.value === "number" && p.e.value >= 0 && p.e.value <= 1) agg.p = p.e.value;
    else env.r.report("invalid-argument", { text: "The percentile must be a constant between 0 and 1.", hint: "For the 90th percentile write percentile(x, 0.9)." }, n.args[1].span);
  }
  if (n.where) {
    const f = inner.check(n.where, "row");
    inner.condition(f, n.where.span, `the filter of "${fn}"`);
    agg.filter = f.e;
  }
  agg.type = aggType(fn, agg.arg);
  env.usesTime ??= innerEnv.usesTime;
  return { e: agg, level: "row" };
}

function timeCompare(ch: ExprChecker, n: A.CallExpr, info: FunctionInfo, want: "row" | "agg"): Checked {
  const env = ch.env;
  if (ch.mode === "row" || want === "row") {
    env.r.report("invalid-argument", { text: `"${info.name}" compares a KPI over time; it cannot be used row by row.`, hint: `Use it at the top level of a value or in a rule: ${info.signature}.` }, n.span);
    return broken(env, n.span);
  }
  const a = ch.check(n.args[0]!, "agg");
  if (a.level === "row") return broken(env, n.span);
  let period: TimeUnit | null = null;
  const unitArg = n.args[1];
  if (unitArg) {
    const u = unitArg.kind === "NameRef" ? timeUnit(unitArg.name) : undefined;
    if (!u) {
      env.r.report("unknown-time-unit", { name: unitArg.kind === "NameRef" ? unitArg.name : "?" }, unitArg.span);
      return broken(env, n.span);
    }
    period = u;
  }
  env.usesTime ??= { span: n.span, what: `"${info.name}"` };
  return { e: new TimeCompareNode(info.name as "previous" | "change" | "pct_change", a.e, period, "number", org(env, n.span)), level: "agg" };
}

export function checkWindow(ch: ExprChecker, n: A.WindowExpr, want: "row" | "agg"): Checked {
  const env = ch.env;
  const unit = timeUnit(n.unit.name);
  if (!unit) {
    env.r.report("unknown-time-unit", { name: n.unit.name }, n.unit.span);
    return broken(env, n.span);
  }
  if (!(n.count > 0 && Number.isInteger(n.count))) {
    env.r.report("invalid-argument", { text: "A window needs a whole number of periods.", hint: "For example `over last 30 days`." }, n.span);
    return broken(env, n.span);
  }
  const inner = ch.check(n.expr, want);
  if (inner.e.op !== "agg" || inner.e.source) {
    if (inner.e.op !== "lit") env.r.report("invalid-argument", { text: "`over last …` applies to an aggregate, e.g. count_distinct(customer_id) over last 30 days.", hint: "Put the window right after an aggregate call." }, n.span);
    return broken(env, n.span);
  }
  if (!env.scope?.model.timeColumn) {
    env.r.report("no-time-column", { what: "A window", dataset: env.scope?.model.name ?? "?", example: "created_at" }, n.span);
    return broken(env, n.span);
  }
  env.usesTime ??= { span: n.span, what: "A window" };
  inner.e.window = new WindowNode(n.count, unit);
  inner.e.origin = org(env, n.span);
  return inner;
}
