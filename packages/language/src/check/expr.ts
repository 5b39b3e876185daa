import {
  aOrAn,
  didYouMean, parseTemporalLiteral,
  type Dim, type Expr, type Origin, type Span, type TimeUnit, type ValueType,
} from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import type { DatasetSymbol, Reporter } from "./context.js";
import { checkCall, checkWindow } from "./calls.js";
import { timeUnit } from "./functions.js";
import {
  BetweenNode, BinaryNode, BucketNode, CaseNode, CaseWhen, DimNode, FieldNode, InNode, IsNullNode, LitNode,
  LookupNode, NamedNode, originOf, UnaryNode,
} from "./model-nodes.js";

/** Where an expression stands decides which names it may use. */
export type Mode =
  | "row" // per row of `scope`: columns, lookups, related aggregates
  | "value" // a KPI value: aggregates, KPI references, time comparisons
  | "status" // status conditions: value, target, n, KPIs
  | "rule" // rule conditions and message placeholders: KPIs, target, n, time comparisons
  | "constant"; // target values: numbers and KPI references

export type Level = "const" | "row" | "agg";

export interface Checked {
  e: Expr;
  level: Level;
}

export interface ExprEnv {
  file: string;
  r: Reporter;
  datasets: Map<string, DatasetSymbol>;
  kpiNames: ReadonlySet<string>;
  /** Dataset whose rows are in scope, if any. */
  scope: DatasetSymbol | null;
  zone: string;
  /** Describes the place for messages: "a `where` filter", "a derived column". */
  place: string;
  /** KPIs referenced, with the span of the first reference. */
  kpiRefs: Map<string, Span>;
  /** For status conditions and rules: the KPI whose value/target/n plain names mean. */
  subjectKpi?: string;
  /** KPIs that have a target (for `target` checks). */
  kpisWithTarget?: ReadonlySet<string>;
  /** Set when the expression uses time (buckets, previous/change, windows, retention, period_days). */
  usesTime: { span: Span; what: string } | null;
  /** Group keys usable in message templates. */
  groupKeys?: ReadonlySet<string>;
  /** Inside a related aggregate: the collection's name means "the related row itself". */
  collection?: string;
}

const BOOL: ValueType = "bool";

export function org(env: ExprEnv, span: Span): Origin {
  return originOf(env.file, span);
}

export const isNumeric = (t: ValueType) => t === "int" || t === "number" || t === "null";
export const isTime = (t: ValueType) => t === "date" || t === "timestamp" || t === "null";
/** Whether `t` can be an operand of the arithmetic operator `op` (durations add, subtract, scale and divide). */
const arithmeticOperand = (t: ValueType, op: A.BinaryOp) => isNumeric(t) || (t === "duration" && (op === "+" || op === "-" || op === "/" || op === "*"));

function lit(env: ExprEnv, span: Span, type: ValueType, value: string | number | boolean | null): Expr {
  return new LitNode("lit", type, value, org(env, span));
}

/** An expression that could not be checked; the diagnostic has been reported. */
export function broken(env: ExprEnv, span: Span): Checked {
  return { e: lit(env, span, "null", null), level: "const" };
}

export function maxLevel(a: Level, b: Level): Level {
  if (a === "agg" || b === "agg") return "agg";
  if (a === "row" || b === "row") return "row";
  return "const";
}

/**
 * Checks an expression and lowers it to the model, reporting unknown names, type errors and
 * aggregate misuse. `level` is what the place allows: "row" or "agg".
 */
export function checkExpr(node: A.Expr, env: ExprEnv, mode: Mode): Checked {
  return new ExprChecker(env, mode).check(node, mode === "row" ? "row" : "agg");
}

export class ExprChecker {
  constructor(
    readonly env: ExprEnv,
    readonly mode: Mode,
  ) {}

  /** `want` is "agg" at the top of a KPI value, "row" inside aggregates and row expressions. */
  check(n: A.Expr, want: "row" | "agg"): Checked {
    const env = this.env;
    switch (n.kind) {
      case "NumberLit":
        if (!Number.isFinite(n.value)) {
          env.r.report("invalid-literal", { text: n.text, kind: "number", hint: "Numbers must be finite: at most about 1.8e308." }, n.span);
          return broken(env, n.span);
        }
        return { e: lit(env, n.span, Number.isInteger(n.value) && !/[.eE]/.test(n.text) ? "int" : "number", n.value), level: "const" };
      case "StringLit":
        return { e: lit(env, n.span, "string", n.value), level: "const" };
      case "BoolLit":
        return { e: lit(env, n.span, "bool", n.value), level: "const" };
      case "NullLit":
        return { e: lit(env, n.span, "null", null), level: "const" };
      case "TemporalLit": {
        const t = parseTemporalLiteral(n.text);
        if (!t) {
          env.r.report("invalid-literal", { text: n.text, kind: "date or period", hint: "Dates look like 2025-01-31, months 2025-01, quarters 2025-Q1, ISO weeks 2025-W02." }, n.span);
          return broken(env, n.span);
        }
        return { e: lit(env, n.span, t.kind === "period" ? "period" : t.kind, n.text), level: "const" };
      }
      case "ParenExpr":
        return this.check(n.expr, want);
      case "ErrorExpr":
        return broken(env, n.span);
      case "NameRef":
        return this.name(n, want);
      case "PathExpr":
        return this.path(n, want);
      case "CallExpr":
        return checkCall(this, n, want);
      case "WindowExpr":
        return checkWindow(this, n, want);
      case "UnaryExpr": {
        const a = this.check(n.operand, want);
        if (n.operator === "-") {
          this.expectType(a, isNumeric, "a number", "`-`");
          return { e: new UnaryNode("neg", a.e, a.e.type === "int" ? "int" : "number", org(env, n.span)), level: a.level };
        }
        this.condition(a, n.operand.span, "`not`");
        return { e: new UnaryNode("not", a.e, BOOL, org(env, n.span)), level: a.level };
      }
      case "BinaryExpr":
        return this.binary(n, want);
      case "InExpr": {
        if (n.values.length === 0) {
          env.r.report("empty-list", {
            text: n.negated ? "`not in ()` holds for every row: the list is empty." : "`in ()` holds for no row: the list is empty.",
            hint: 'List the values, for example `channel in ("phone", "chat")`.',
          }, n.span);
        }
        const a = this.check(n.operand, want);
        const values = n.values.map((v) => this.comparable(a, this.check(v, want), v.span, "in"));
        const level = values.reduce((l, v) => maxLevel(l, v.level), a.level);
        return { e: new InNode("in", a.e, values.map((v) => v.e), n.negated, "bool", org(env, n.span)), level };
      }
      case "BetweenExpr": {
        const a = this.check(n.operand, want);
        const lo = this.comparable(a, this.check(n.low, want), n.low.span, "between");
        const hi = this.comparable(a, this.check(n.high, want), n.high.span, "between");
        return {
          e: new BetweenNode("between", a.e, lo.e, hi.e, n.negated, "bool", org(env, n.span)),
          level: maxLevel(a.level, maxLevel(lo.level, hi.level)),
        };
      }
      case "IsNullExpr": {
        const a = this.check(n.operand, want);
        return { e: new IsNullNode("is_null", a.e, n.negated, "bool", org(env, n.span)), level: a.level };
      }
      case "CaseExpr": {
        let level: Level = "const";
        let type: ValueType = "null";
        const whens = n.whens.map((w) => {
          const c = this.check(w.when, want);
          this.condition(c, w.when.span, "`case when`");
          const t = this.check(w.then, want);
          type = this.unify(type, t, w.then.span);
          level = maxLevel(level, maxLevel(c.level, t.level));
          return new CaseWhen(c.e, t.e);
        });
        let otherwise: Expr | null = null;
        if (n.else) {
          const e = this.check(n.else, want);
          type = this.unify(type, e, n.else.span);
          level = maxLevel(level, e.level);
          otherwise = e.e;
        }
        return { e: new CaseNode("case", whens, otherwise, type, org(env, n.span)), level };
      }
    }
  }

  // ------------------------------------------------------------------ names

  private name(n: A.NameRef, want: "row" | "agg"): Checked {
    const env = this.env;
    const scope = env.scope;
    if (scope && this.mode !== "status" && this.mode !== "rule" && this.mode !== "constant") {
      const col = scope.columns.get(n.name);
      if (col) {
        if (env.kpiNames.has(n.name) && this.mode === "value") {
          env.r.report("shadowed-kpi", { name: n.name, dataset: scope.model.name }, n.span);
        }
        if (want === "agg") {
          env.r.report("row-level-outside-aggregate", { name: n.name }, n.span);
          return broken(env, n.span);
        }
        return { e: new NamedNode("col", n.name, col.type, org(env, n.span)), level: "row" };
      }
      if (env.collection === n.name) {
        env.r.report("invalid-argument", { text: `"${n.name}" is a set of related rows, not a value.`, hint: `Aggregate it: count(${n.name}), exists(${n.name}), or read a column: ${n.name}.<column>.` }, n.span);
        return broken(env, n.span);
      }
    }
    if (this.mode === "status" && (n.name === "value" || n.name === "target" || n.name === "n")) {
      return this.field(n.name, env.subjectKpi!, n.span);
    }
    if (this.mode === "rule" && (n.name === "target" || n.name === "n")) {
      const kpis = [...env.kpiRefs.keys()];
      if (env.subjectKpi) return this.field(n.name, env.subjectKpi, n.span);
      if (kpis.length === 1) return this.field(n.name, kpis[0]!, n.span);
      if (kpis.length > 1) {
        env.r.report("ambiguous-target", { name: n.name, kpis: kpis.join(", "), first: kpis[0]! }, n.span);
        return broken(env, n.span);
      }
    }
    if (this.mode === "rule" && env.groupKeys?.has(n.name)) {
      return { e: new NamedNode("group_key", n.name, "string", org(env, n.span)), level: "const" };
    }
    if (env.kpiNames.has(n.name) && this.mode !== "row") {
      if (want === "row") {
        env.r.report("kpi-in-aggregate", { name: n.name, outer: this.outerName ?? "an aggregate" }, n.span);
        return broken(env, n.span);
      }
      if (!env.kpiRefs.has(n.name)) env.kpiRefs.set(n.name, n.span);
      return { e: new NamedNode("kpi", n.name, "number", org(env, n.span)), level: "agg" };
    }
    const unit = timeUnit(n.name);
    if (unit && n.name === unit && scope && this.mode === "row") return this.bucketOfTimeColumn(unit, n.span);
    if (scope && this.mode === "row" && scope.relations.has(n.name)) {
      env.r.report("invalid-argument", { text: `"${n.name}" is a relation, not a value.`, hint: `Read one of its columns, e.g. ${n.name}.<column>.` }, n.span);
      return broken(env, n.span);
    }
    if (scope && scope.incoming.has(n.name)) {
      env.r.report("invalid-argument", { text: `"${n.name}" is a set of related rows, not a value.`, hint: `Aggregate it: count(${n.name}), exists(${n.name} where ...), sum(${n.name}.<column>).` }, n.span);
      return broken(env, n.span);
    }
    this.unknownName(n.name, n.span);
    return broken(env, n.span);
  }

  private unknownName(name: string, span: Span): void {
    const env = this.env;
    const scope = env.scope;
    const candidates: string[] = [];
    if (scope && (this.mode === "row" || this.mode === "value")) candidates.push(...scope.columns.keys());
    if (this.mode !== "row") candidates.push(...env.kpiNames);
    if (this.mode === "status") candidates.push("value", "target", "n");
    const hint = didYouMean(name, candidates);
    const opts = { hints: hint ? [hint] : [], data: { name, suggestions: hint ? candidates.filter((c) => hint.includes(`"${c}"`)) : [] } };
    if (scope && (this.mode === "row" || this.mode === "value")) {
      // A dataset cut short by a syntax error may have lost this column: that error was reported.
      if (scope.decl.recovered) return env.r.fail();
      if (env.kpiNames.size > 0 && this.mode === "value") env.r.report("unknown-name", { name, dataset: scope.model.name }, span, opts);
      else env.r.report("unknown-column", { name, dataset: scope.model.name }, span, opts);
    } else {
      env.r.report("unknown-kpi", { name }, span, opts);
    }
  }

  field(field: "value" | "target" | "n", kpi: string, span: Span): Checked {
    const env = this.env;
    if (field === "target" && env.kpisWithTarget && !env.kpisWithTarget.has(kpi)) {
      env.r.report("target-without-target", { where: this.mode === "status" ? "This status condition" : "This rule", kpi }, span);
    }
    if (!env.kpiRefs.has(kpi) && this.mode === "rule") env.kpiRefs.set(kpi, span);
    return { e: new FieldNode("field", field, kpi, "number", org(env, span)), level: "agg" };
  }

  private bucketOfTimeColumn(unit: TimeUnit, span: Span): Checked {
    const env = this.env;
    const scope = env.scope!;
    env.usesTime ??= { span, what: `The bucket "${unit}"` };
    const tc = scope.model.timeColumn;
    if (!tc) {
      env.r.report("no-time-column", { what: `The time bucket "${unit}"`, dataset: scope.model.name, example: firstTimeColumn(scope) ?? "created_at" }, span);
      return broken(env, span);
    }
    const arg: Expr = new NamedNode("col", tc, scope.columns.get(tc)!.type, org(env, span));
    return { e: new BucketNode("bucket", unit, arg, env.zone, "period", org(env, span)), level: "row" };
  }

  // ------------------------------------------------------------------ paths

  private path(n: A.PathExpr, want: "row" | "agg"): Checked {
    const env = this.env;
    const chain: A.Name[] = [];
    let base: A.Expr = n;
    while (base.kind === "PathExpr") {
      chain.unshift(base.member);
      base = base.base;
    }
    if (base.kind !== "NameRef") {
      env.r.report("invalid-argument", { text: "Only relations and related datasets can be followed with `.`.", hint: "Write relation.column, e.g. customer.segment." }, n.span);
      return broken(env, n.span);
    }
    if (this.mode === "rule" && base.name === "group") {
      const key = chain.map((c) => c.name).join(".");
      return { e: new NamedNode("group_key", key, "string", org(env, n.span)), level: "const" };
    }
    if (this.mode === "rule" && env.groupKeys?.has([base.name, ...chain.map((c) => c.name)].join("."))) {
      return { e: new NamedNode("group_key", [base.name, ...chain.map((c) => c.name)].join("."), "string", org(env, n.span)), level: "const" };
    }
    const scope = env.scope;
    if (!scope || this.mode === "status" || this.mode === "rule" || this.mode === "constant") {
      env.r.report("invalid-argument", { text: `"${base.name}.${chain.map((c) => c.name).join(".")}" reads a column, which is not available here.`, hint: "Conditions here are about KPI values; group keys are written {group.name} in messages." }, n.span);
      return broken(env, n.span);
    }
    if (env.collection === base.name && chain.length === 1) {
      return this.name({ kind: "NameRef", name: chain[0]!.name, span: chain[0]!.span }, want);
    }
    if (want === "agg") {
      if (scope.relations.has(base.name)) {
        env.r.report("row-level-outside-aggregate", { name: `${base.name}.${chain[0]?.name ?? ""}` }, n.span);
        return broken(env, n.span);
      }
    }
    if (scope.incoming.has(base.name)) {
      env.r.report("invalid-argument", { text: `"${base.name}" holds many rows per ${scope.model.name} row; aggregate them.`, hint: `For example sum(${base.name}.${chain[0]?.name ?? "x"}) or count(${base.name}).` }, n.span);
      return broken(env, n.span);
    }
    return this.lookup(scope, base, chain, n.span);
  }

  private lookup(scope: DatasetSymbol, base: A.NameRef, chain: A.Name[], span: Span): Checked {
    const env = this.env;
    const rel = scope.relations.get(base.name);
    if (!rel) {
      const candidates = [...scope.relations.keys()];
      const hint = didYouMean(base.name, candidates);
      env.r.report("unknown-relation", { name: base.name, dataset: scope.model.name }, base.span, {
        hints: hint ? [hint] : candidates.length ? [] : [`Declare one with \`-> dataset\` on a column of "${scope.model.name}".`],
      });
      return broken(env, span);
    }
    const target = env.datasets.get(rel.dataset)!;
    const [first, ...rest] = chain;
    if (!first) return broken(env, span);
    let inner: Checked;
    if (rest.length > 0) {
      inner = this.lookup(target, { kind: "NameRef", name: first.name, span: first.span }, rest, span);
    } else {
      const col = target.columns.get(first.name);
      if (!col) {
        const hint = didYouMean(first.name, target.columns.keys());
        if (target.decl.recovered) env.r.fail();
        else env.r.report("unknown-column", { name: first.name, dataset: target.model.name }, first.span, { hints: hint ? [hint] : [] });
        return broken(env, span);
      }
      inner = { e: new NamedNode("col", first.name, col.type, org(env, first.span)), level: "row" };
    }
    return { e: new LookupNode("lookup", rel.name, rel.dataset, inner.e, inner.e.type, org(env, span)), level: "row" };
  }

  // ------------------------------------------------------------------ calls (calls.ts)

  /** The aggregate this expression is the argument of, for messages about nesting. */
  outerName: string | undefined;

  /** A grouping dimension: a column, a related column or a time bucket. */
  dim(d: A.Expr): Dim {
    const env = this.env;
    const c = new ExprChecker(env, "row").check(d, "row");
    // A literal groups nothing (`by 1`); other constants come from names already reported.
    const literal = d.kind === "NumberLit" || d.kind === "StringLit" || d.kind === "BoolLit" || d.kind === "NullLit" || d.kind === "TemporalLit";
    if (literal || (c.level === "const" && c.e.op !== "lit")) {
      env.r.report("invalid-per", { text: "A grouping needs a column, a related column or a time bucket." }, d.span);
    }
    if (c.e.op === "agg") {
      env.r.report("invalid-per", { text: "An aggregate cannot be a grouping." }, d.span);
    }
    return new DimNode(dimName(d), c.e, org(env, d.span));
  }



  // ------------------------------------------------------------------ operators and types

  private binary(n: A.BinaryExpr, want: "row" | "agg"): Checked {
    const env = this.env;
    const l = this.check(n.left, want);
    const r = this.check(n.right, want);
    const level = maxLevel(l.level, r.level);
    const op = n.operator;
    const o = org(env, n.span);
    if (op === "and" || op === "or") {
      this.condition(l, n.left.span, `\`${op}\``);
      this.condition(r, n.right.span, `\`${op}\``);
      return { e: new BinaryNode("binary", op, l.e, r.e, "bool", o), level };
    }
    if (op === "+" || op === "-" || op === "*" || op === "/" || op === "%") {
      const leftOk = arithmeticOperand(l.e.type, op);
      if (!leftOk || !arithmeticOperand(r.e.type, op)) {
        const bad = !leftOk ? l : r;
        env.r.report("type-mismatch", { text: `\`${op}\` needs numbers, but this is ${aOrAn(bad.e.type)}.` }, !leftOk ? n.left.span : n.right.span, {
          hints: bad.e.type === "timestamp" || bad.e.type === "date" ? ["Use hours_between(start, end) or days_between(start, end) for time differences."] : [],
        });
        return { e: lit(env, n.span, "null", null), level };
      }
      const type: ValueType =
        l.e.type === "duration" && r.e.type === "duration" && op !== "/" ? "duration" : op !== "/" && l.e.type === "int" && r.e.type === "int" ? "int" : "number";
      return { e: new BinaryNode("binary", op, l.e, r.e, type, o), level };
    }
    const rr = this.comparable(l, r, n.right.span, op);
    return { e: new BinaryNode("binary", op, l.e, rr.e, "bool", o), level };
  }

  /** Checks that `b` can be compared with `a`, coercing literals (a date string, a year) where clear. */
  private comparable(a: Checked, b: Checked, span: Span, op: string): Checked {
    const env = this.env;
    const ta = a.e.type;
    const tb = b.e.type;
    if (ta === "null" || tb === "null" || ta === tb) {
      if (ta === "period" && tb === "period") this.samePeriodUnit(a.e, b.e, span);
      return b;
    }
    if (isNumeric(ta) && isNumeric(tb)) return b;
    if (isTime(ta) && isTime(tb)) return b;
    if (isTime(ta) && tb === "string" && b.e.op === "lit" && typeof b.e.value === "string") {
      const t = parseTemporalLiteral(b.e.value);
      if (t && t.kind !== "period") return { e: new LitNode("lit", t.kind, b.e.value, b.e.origin), level: b.level };
    }
    if (ta === "period" && b.e.op === "lit" && (tb === "int" || tb === "string")) {
      const text = String(b.e.value);
      if (/^\d{4}$/.test(text) || parseTemporalLiteral(text)?.kind === "period" || parseTemporalLiteral(text)?.kind === "date") {
        return { e: new LitNode("lit", "period", text, b.e.origin), level: b.level };
      }
    }
    if ((ta === "period" && tb === "date") || (ta === "date" && tb === "period")) return b;
    const aIsKpi = a.e.op === "kpi" || b.e.op === "kpi";
    env.r.report(
      "type-mismatch",
      { text: aIsKpi && (ta === "string" || tb === "string") ? `A KPI is a number and cannot be compared with a string (\`${op}\`).` : `Cannot compare ${aOrAn(ta)} with ${aOrAn(tb)} (\`${op}\`).` },
      span,
      { hints: ta === "string" || tb === "string" ? ['Strings compare with strings: quote the value, e.g. "phone".'] : [] },
    );
    return b;
  }

  private samePeriodUnit(a: Expr, b: Expr, span: Span): void {
    const unitOf = (e: Expr) => (e.op === "bucket" ? e.unit : e.op === "lit" && typeof e.value === "string" ? parseTemporalLiteral(e.value)?.kind === "period" ? (parseTemporalLiteral(e.value) as { unit: string }).unit : null : null);
    const ua = unitOf(a);
    const ub = unitOf(b);
    if (ua && ub && ua !== ub) this.env.r.report("type-mismatch", { text: `Cannot compare ${aOrAn(ua)} with ${aOrAn(ub)}.` }, span);
  }

  unify(t: ValueType, c: Checked, span: Span): ValueType {
    const u = c.e.type;
    if (t === "null") return u;
    if (u === "null" || u === t) return t;
    if (isNumeric(t) && isNumeric(u)) return "number";
    if (isTime(t) && isTime(u)) return "timestamp";
    this.env.r.report("type-mismatch", { text: `This is ${aOrAn(u)}, but the other branches give ${aOrAn(t)}.` }, span);
    return t;
  }

  expectType(c: Checked, ok: (t: ValueType) => boolean, what: string, where: string, span?: Span): void {
    if (!ok(c.e.type)) {
      this.env.r.report("type-mismatch", { text: `${where} needs ${what}, but this is ${aOrAn(c.e.type)}.` }, span ?? spanOf(c.e));
    }
  }

  condition(c: Checked, span: Span, where: string): void {
    if (c.e.type !== "bool" && c.e.type !== "null") {
      this.env.r.report("condition-not-boolean", { where: where[0]!.toUpperCase() + where.slice(1), type: c.e.type }, span);
    }
  }
}

function spanOf(e: Expr): Span {
  return { start: e.origin.start, end: e.origin.end };
}

function firstTimeColumn(ds: DatasetSymbol): string | undefined {
  for (const [name, c] of ds.columns) if (c.type === "date" || c.type === "timestamp") return name;
  return undefined;
}

/** The name a dimension has in results: as written (`segment`, `customer.segment`, `month`, `month(sent_at)`). */
export function dimName(d: A.Expr): string {
  switch (d.kind) {
    case "NameRef":
      return d.name;
    case "PathExpr":
      return `${dimName(d.base)}.${d.member.name}`;
    case "CallExpr":
      return `${d.callee.name}(${d.args.map(dimName).join(", ")})`;
    case "ParenExpr":
      return dimName(d.expr);
    default:
      return "?";
  }
}

/** Checks a grouping dimension in a row scope. */
export function checkDim(d: A.Expr, env: ExprEnv): Dim {
  return new ExprChecker(env, "row").dim(d);
}

/** Checks a condition (must be boolean) at `mode`. */
export function checkCondition(node: A.Expr, env: ExprEnv, mode: Mode, where: string): Checked {
  const ch = new ExprChecker(env, mode);
  const c = ch.check(node, mode === "row" ? "row" : "agg");
  ch.condition(c, node.span, where);
  return c;
}
