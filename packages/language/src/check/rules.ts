import { didYouMean, type Dim, type Expr, type Kpi, type Rule, type Span, type TemplatePart } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { parseFragment } from "../syntax/parse.js";
import { firstOfKind, Reporter, type DatasetSymbol } from "./context.js";
import { checkCondition, checkDim, checkExpr, type ExprEnv } from "./expr.js";
import { BucketNode, DimNode, NamedNode, originOf, RuleRecord, TemplatePartNode } from "./model-nodes.js";

/** Checks a rule and lowers it; returns null when it cannot be used. */
export function checkRule(
  decl: A.RuleDecl,
  file: string,
  r: Reporter,
  datasets: Map<string, DatasetSymbol>,
  kpis: ReadonlyMap<string, Kpi>,
  kpiNames: ReadonlySet<string>,
  kpisWithTarget: ReadonlySet<string>,
): Rule | null {
  r.file = file;
  const before = r.errorCount;
  const name = decl.name.name;
  const clauses = decl.clauses;
  for (const c of clauses) {
    const first = firstOfKind(clauses, c.kind)!;
    if (first !== c) r.report("duplicate-clause", { clause: clauseWord(c) }, c.span, { related: [{ file, span: first.span, message: "first given here" }] });
  }
  const get = <K extends A.RuleClause["kind"]>(kind: K) => firstOfKind(clauses, kind) as Extract<A.RuleClause, { kind: K }> | undefined;
  const when = get("WhenClause");
  if (!when) {
    r.report("missing-clause", { what: `Rule "${name}"`, clause: "when", hint: "Add `when <condition>`, e.g. `when nps < 20 for 2 periods`." }, decl.name.span);
    return null;
  }
  const refs = new Map<string, Span>();
  const env: ExprEnv = { file, r, datasets, kpiNames, scope: null, zone: "UTC", place: `rule "${name}"`, kpiRefs: refs, usesTime: null, kpisWithTarget };
  const cond = checkCondition(when.condition, env, "rule", "A rule condition");
  if (refs.size === 0 && r.errorCount === before) {
    r.report("rule-without-kpi", { rule: name }, when.condition.span);
    return null;
  }
  const subject: string | undefined = refs.keys().next().value;
  const firstKpi = subject ? kpis.get(subject) : undefined;
  let recover: Expr | null = null;
  const rec = get("RecoverClause");
  if (rec) recover = checkCondition(rec.condition, { ...env, subjectKpi: refs.size === 1 ? subject : undefined }, "rule", "A recovery condition").e;

  const severityClause = get("SeverityClause");
  let severity: Rule["severity"] = "warning";
  if (severityClause) {
    const s = severityClause.severity.name;
    if (s === "info" || s === "warning" || s === "critical") severity = s;
    else {
      const hint = didYouMean(s, ["info", "warning", "critical"]);
      r.report("invalid-argument", { text: `"${s}" is not a severity.`, hint: hint ?? "Use info, warning or critical." }, severityClause.severity.span);
    }
  }
  const nd = get("NoDataClause");
  let onNoData: Rule["onNoData"] = "keep";
  if (nd) {
    const p = nd.policy.name;
    if (p === "keep" || p === "resolve" || p === "fire") onNoData = p;
    else r.report("invalid-argument", { text: `"${p}" is not a no-data policy.`, hint: "Use keep, resolve or fire." }, nd.policy.span);
  }
  let by: Dim[] | null = null;
  const byClause = get("ByClause");
  if (byClause) {
    const scope = firstKpi?.from ? datasets.get(firstKpi.from) ?? null : null;
    if (!scope) {
      r.report("invalid-per", { text: "This rule's KPI has no dataset to group by." }, byClause.span);
    } else {
      by = byClause.dims.map((d) => checkDim(d, { ...env, scope, zone: firstKpi!.zone, place: "a grouping" }));
    }
  }
  if (!by && firstKpi?.from) by = implicitGrouping(firstKpi, get("MessageClause")?.text, { ...env, scope: datasets.get(firstKpi.from) ?? null, zone: firstKpi.zone });
  const groupKeys = new Set<string>((by ?? firstKpi?.by ?? []).map((d) => d.name));
  let message: TemplatePart[] | null = null;
  const msg = get("MessageClause");
  if (msg) message = checkTemplate(msg.text, { ...env, groupKeys, subjectKpi: refs.size === 1 ? subject : undefined }, r);
  let periods = 1;
  if (when.periods !== undefined) {
    if (!Number.isInteger(when.periods) || when.periods < 1) r.report("invalid-argument", { text: "`for` needs a whole number of periods, at least 1.", hint: "For example `for 2 periods`." }, when.periodsSpan ?? when.span);
    else periods = when.periods;
  }
  if (r.errorCount !== before) return null;
  return new RuleRecord({
    name,
    label: decl.label?.value ?? null,
    description: get("DescriptionClause")?.text.value ?? null,
    kpis: Array.from(refs.keys()),
    when: cond.e,
    for: periods,
    recover,
    severity,
    onNoData,
    by,
    message,
    origin: originOf(file, decl.name.span),
  });
}

function clauseWord(c: A.RuleClause): string {
  switch (c.kind) {
    case "WhenClause": return "when";
    case "RecoverClause": return "recover when";
    case "SeverityClause": return "severity";
    case "MessageClause": return "message";
    case "NoDataClause": return "on no data";
    case "ByClause": return "by";
    case "DescriptionClause": return "description";
  }
}

/**
 * Splits a message template into text and `{placeholder}` parts; each placeholder is parsed as an
 * expression (a KPI, `change(kpi)`, a group key). `{{` and `}}` are literal braces.
 */
export function checkTemplate(text: A.StringValue, env: ExprEnv, r: Reporter): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const s = text.value;
  // Offsets inside the string literal map back to source when the literal has no escapes.
  const base = text.span.start + 1;
  // Text between placeholders is gathered as slices of `s`: `buf` so far, then `s[from, i)`.
  let buf = "";
  let from = 0;
  let i = 0;
  while (i < s.length) {
    const ch = s.charCodeAt(i);
    if (ch !== 123 /* { */ && ch !== 125 /* } */) { i++; continue; }
    if (s.charCodeAt(i + 1) === ch) {
      // `{{` or `}}`: one literal brace.
      buf += s.slice(from, i + 1);
      i += 2;
      from = i;
      continue;
    }
    if (ch === 125) {
      buf += s.slice(from, i);
      r.report("invalid-template", { text: "A `}` has no matching `{`." }, { start: base + i, end: base + i + 1 });
      i++;
      from = i;
      continue;
    }
    buf += s.slice(from, i);
    from = i;
    const close = s.indexOf("}", i);
    if (close < 0) {
      r.report("invalid-template", { text: "A `{` is never closed." }, { start: base + i, end: base + s.length });
      break;
    }
    if (buf) parts.push(new TemplatePartNode(buf, null, null));
    buf = "";
    const inner = s.slice(i + 1, close);
    const expr = parsePlaceholder(inner, base + i + 1, env, r);
    if (expr) parts.push(new TemplatePartNode(`{${inner}}`, expr, placeholderKpi(expr)));
    i = close + 1;
    from = i;
  }
  buf += s.slice(from, i);
  if (buf) parts.push(new TemplatePartNode(buf, null, null));
  return parts;
}

function parsePlaceholder(src: string, offset: number, env: ExprEnv, r: Reporter): Expr | null {
  const { node, ok } = parseFragment(src, offset, "expression", env.file);
  if (!ok || !node) {
    r.report("invalid-template", { text: `"{${src}}" is not a placeholder.` }, { start: offset - 1, end: offset + src.length + 1 });
    return null;
  }
  return checkExpr(node, env, "rule").e;
}

function placeholderKpi(e: Expr): string | null {
  if (e.op === "kpi") return e.name;
  if ((e.op === "previous" || e.op === "change" || e.op === "pct_change") && e.arg.op === "kpi") return e.arg.name;
  if (e.op === "field") return e.kpi;
  return null;
}

/**
 * A rule without `by` groups like its KPI, plus any column its message names (`{customer.segment}`),
 * and steps through time by the KPI's time bucket, or by month when the KPI has none.
 */
function implicitGrouping(kpi: Kpi, message: A.StringValue | undefined, env: ExprEnv): Dim[] {
  const dims = kpi.by.slice();
  const names = new Set(dims.map((d) => d.name));
  if (message && env.scope) {
    for (const m of message.value.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}/g)) {
      const text = m[1]!.replace(/^group\./, "");
      if (names.has(text) || env.kpiNames.has(text) || text === "target" || text === "n") continue;
      const quiet = new Reporter();
      const offset = message.span.start + 1 + m.index! + 1;
      const { node, ok } = parseFragment(text, offset, "additive", env.file);
      if (!ok || !node) continue;
      const dim = checkDim(node, { ...env, r: quiet });
      if (quiet.errorCount === 0) {
        dims.push(dim);
        names.add(dim.name);
      }
    }
  }
  if (!dims.some((d) => d.expr.op === "bucket") && kpi.timeColumn && env.scope) {
    const o = originOf(env.file, kpi.origin);
    const col = env.scope.columns.get(kpi.timeColumn)!;
    dims.push(new DimNode("month", new BucketNode("bucket", "month", new NamedNode("col", kpi.timeColumn, col.type, o), kpi.zone, "period", o), o));
  }
  return dims;
}
