import { diagnostic, type Diagnostic, type Dim, type Expr, type Kpi, type Model, type Rule, type TimeUnit } from "@yardstick/model";
import type { Table } from "../table/table.js";
import { plan, type EvalRequest } from "../plan/plan.js";
import { evaluatePlan, compareRaw, type ResultRow } from "../eval/evaluate.js";
import { exprKey } from "../plan/expr-key.js";
import { parsePeriod, periodLabel, shiftPeriod, localDays } from "../time/period.js";
import { formatDays } from "../time/civil.js";
import { evalRuleExpr, kpisOf, type RuleValue, type SeriesAccess } from "./conditions.js";
import { renderMessage } from "./message.js";
import { runStateMachine, type PeriodInput } from "./state.js";

/** A group value as results show it (see ResultRow.group). */
export type GroupValueLabel = string | number | boolean | null;

/**
 * One alert episode: a run of periods during which a rule was firing for one group. This JSON
 * shape is a stable contract (CLI, playground, tests).
 */
export interface AlertEpisode {
  rule: string;
  /** The rule's grouping without its time bucket: dimension name as written → value. */
  group: Record<string, GroupValueLabel>;
  /** The period the alert started firing: the one in which `when` had held `for` consecutive periods. */
  from: string;
  /** The last period it was firing; null while it is still firing at the end of the data. */
  to: string | null;
  severity: Rule["severity"];
  /** The rule's message rendered with the values of the `from` period (the rule's label or name without one). */
  message: string;
  /** The first period of the run of consecutive periods that made it fire (equals `from` with `for 1 period`). */
  pendingFrom: string;
}

/** What to run: rules (default all) over data filtered and bounded like an evaluation. */
export interface RulesRequest {
  rules?: string[];
  where?: Expr;
  /** Inclusive lower bound on each KPI's time column. */
  from?: string;
  /** Exclusive upper bound on each KPI's time column. */
  to?: string;
  /** "Now" for now(), today() and windows; rules without a time bucket are checked once, at this date. */
  asOf?: string;
}

export interface RulesResult {
  alerts: AlertEpisode[];
  diagnostics: Diagnostic[];
}

/**
 * Runs rules over the history of every group: a backtest. Each rule's KPIs are evaluated on the
 * rule's grouping (its `by`, which the checker completes with the KPI's grouping and a time bucket),
 * then each group walks the calendar periods from its first period with data to the last period
 * with data of any group, one bucket at a time, so a missing period is a period without data. See
 * state.ts for the state machine.
 */
export function evaluateRules(model: Model, tables: Map<string, Table>, request: RulesRequest = {}): RulesResult {
  const kpis = new Map(model.kpis.map((k) => [k.name, k]));
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const addDiagnostic = (d: Diagnostic) => {
    const key = `${d.code}|${d.message}|${d.file ?? ""}|${d.span?.start ?? ""}|${d.line ?? ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push(d);
  };
  const names = new Set(model.rules.map((r) => r.name));
  for (const n of request.rules ?? []) if (!names.has(n)) addDiagnostic(diagnostic("unknown-rule", { name: n }));
  const selected = request.rules ? model.rules.filter((r) => request.rules!.includes(r.name)) : model.rules;
  const alerts: AlertEpisode[] = [];
  const evaluations = new Map<string, Evaluated>();
  // Rules in model order; within a rule, episodes come out sorted by group, then by `from`.
  for (const rule of selected) alerts.push(...runRule(rule, model, kpis, tables, request, evaluations, addDiagnostic));
  return { alerts, diagnostics };
}

interface Evaluated {
  rows: Map<string, ResultRow[]>;
  /** Per KPI: which dimensions of the request it is grouped by. */
  bound: Map<string, boolean[]>;
  asOfMs: number;
}

/** The grouping a rule runs on: its own, else its KPI's plus a month bucket when it has none. */
export function ruleGrouping(rule: Rule, kpis: ReadonlyMap<string, Kpi>): Dim[] {
  if (rule.by) return rule.by;
  const first = kpis.get(rule.kpis[0] ?? "");
  const dims = [...(first?.by ?? [])];
  if (first && !dims.some((d) => d.expr.op === "bucket") && first.from === null) {
    // A KPI built from KPIs: each KPI it reads buckets its own time column (as in expectations).
    const o = first.origin;
    dims.push({ name: "month", expr: { op: "bucket", unit: "month", arg: { op: "lit", type: "timestamp", value: null, origin: o }, zone: first.zone, type: "period", origin: o }, origin: o });
  }
  return dims;
}

function runRule(
  rule: Rule,
  model: Model,
  kpis: ReadonlyMap<string, Kpi>,
  tables: Map<string, Table>,
  request: RulesRequest,
  cache: Map<string, Evaluated>,
  report: (d: Diagnostic) => void,
): AlertEpisode[] {
  const at = { file: rule.origin.file, span: { start: rule.origin.start, end: rule.origin.end } };
  const condKpis = new Set(rule.kpis);
  kpisOf(rule.when, condKpis);
  if (rule.recover) kpisOf(rule.recover, condKpis);
  const allKpis = new Set(condKpis);
  for (const p of rule.message ?? []) if (p.expr) kpisOf(p.expr, allKpis);
  for (const k of allKpis) {
    if (!kpis.has(k)) {
      report(diagnostic("unknown-kpi", { name: k }, at));
      return [];
    }
  }
  const dims = ruleGrouping(rule, kpis);
  const kpiList = model.kpis.map((k) => k.name).filter((n) => allKpis.has(n));
  const ev = evaluateOnce(model, tables, request, dims, kpiList, cache, report);
  let timeIdx = dims.findIndex((d) => d.expr.op === "bucket");
  // Without a KPI of the condition grouped by the bucket there is no time axis: one check, "as of".
  if (timeIdx >= 0 && ![...condKpis].some((k) => ev.bound.get(k)?.[timeIdx] === true)) timeIdx = -1;
  const tdim = timeIdx >= 0 ? dims[timeIdx]!.expr : null;
  const unit: TimeUnit | null = tdim && tdim.op === "bucket" ? tdim.unit : null;

  // Index every KPI's rows by (bound group dims, period).
  const groupDims = dims.map((_, j) => j).filter((j) => dims[j]!.expr.op !== "bucket" || (j !== timeIdx && timeIdx >= 0));
  const periodOf = (row: ResultRow): number | null => {
    if (timeIdx < 0) return 0;
    const label = row.group[dims[timeIdx]!.name];
    if (label === null || label === undefined) return null;
    const p = parsePeriod(String(label));
    return p ? p.index : null;
  };
  const keyOf = (values: GroupValueLabel[], mask: boolean[]) => JSON.stringify(groupDims.map((j, i) => (mask[j] ? values[i] ?? null : "*")));
  const index = new Map<string, { mask: boolean[]; timed: boolean; rows: Map<string, ResultRow> }>();
  interface Group { values: GroupValueLabel[]; first: number }
  const groups = new Map<string, Group>();
  let last = -Infinity;
  let undated = 0;
  // The groups come from the condition's KPIs grouped by every dimension (else from the first).
  const maskOf = (name: string) => ev.bound.get(name) ?? dims.map(() => false);
  const fullKpis = kpiList.filter((k) => condKpis.has(k) && groupDims.every((j) => maskOf(k)[j]));
  const groupSources = new Set(fullKpis.length > 0 ? fullKpis : kpiList.filter((k) => condKpis.has(k)).slice(0, 1));
  for (const name of kpiList) {
    const mask = maskOf(name);
    const timed = timeIdx >= 0 && mask[timeIdx] === true;
    const byKey = new Map<string, ResultRow>();
    const full = groupSources.has(name);
    for (const row of ev.rows.get(name) ?? []) {
      const p = timed ? periodOf(row) : 0;
      if (p === null) { undated++; continue; }
      const values = groupDims.map((j) => row.group[dims[j]!.name] ?? null);
      byKey.set(`${keyOf(values, mask)}|${timed ? p : "*"}`, row);
      if (timed) last = Math.max(last, p);
      if (full) {
        const gk = keyOf(values, mask);
        const g = groups.get(gk);
        if (!g) groups.set(gk, { values, first: timed ? p : 0 });
        else if (timed && p < g.first) g.first = p;
      }
    }
    index.set(name, { mask, timed, rows: byKey });
  }
  if (undated > 0) {
    report(diagnostic("no-data", { text: `Rule "${rule.name}": ${undated} value${undated === 1 ? "" : "s"} without a ${dims[timeIdx]!.name} (rows with an empty time column) left out of the rule's periods.` }, at));
  }
  if (timeIdx < 0) last = 0;

  const rowAt = (kpi: string, values: GroupValueLabel[], p: number): ResultRow | undefined => {
    const ix = index.get(kpi);
    if (!ix) return undefined;
    return ix.rows.get(`${keyOf(values, ix.mask)}|${ix.timed ? p : "*"}`);
  };
  const label = (p: number) => (unit ? periodLabel(unit, p) : formatDays(localDays(ev.asOfMs, "UTC")));
  const groupNames = groupDims.map((j) => dims[j]!.name);

  const episodes: AlertEpisode[] = [];
  const sortedGroups = [...groups.values()].sort((a, b) => {
    for (let i = 0; i < a.values.length; i++) {
      const c = compareRaw(a.values[i] ?? null, b.values[i] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  });
  for (const g of sortedGroups) {
    const access: SeriesAccess = {
      value: (k, p) => rowAt(k, g.values, p)?.value ?? null,
      field: (k, f, p) => {
        const r = rowAt(k, g.values, p);
        if (f === "n") return r ? r.n : 0;
        return (f === "value" ? r?.value : r?.target) ?? null;
      },
      groupKey: (name, p): RuleValue => {
        const n = name.startsWith("group.") ? name.slice(6) : name;
        if (timeIdx >= 0 && dims[timeIdx]!.name === n) return label(p);
        let i = groupNames.indexOf(n);
        if (i < 0) i = groupNames.findIndex((d) => d.endsWith(`.${n}`));
        return i >= 0 ? g.values[i] ?? null : null;
      },
      shift: (p, step) => (unit ? shiftPeriod(unit, p, step) : null),
    };
    const start = g.first;
    const periods: PeriodInput[] = [];
    const idx: number[] = [];
    for (let p = start; p <= last; p++) {
      idx.push(p);
      const period = p;
      periods.push({
        noData: [...condKpis].some((k) => access.value(k, period) === null),
        holds: () => evalRuleExpr(rule.when, period, access) === true,
        recovers: rule.recover ? () => evalRuleExpr(rule.recover!, period, access) === true : null,
      });
    }
    for (const span of runStateMachine(periods, rule)) {
      const from = idx[span.from]!;
      const group: Record<string, GroupValueLabel> = {};
      groupNames.forEach((n, i) => { group[n] = g.values[i] ?? null; });
      episodes.push({
        rule: rule.name,
        group,
        from: label(from),
        to: span.to === null ? null : label(idx[span.to]!),
        severity: rule.severity,
        message: rule.message ? renderMessage(rule.message, from, access, kpis) : rule.label ?? rule.name,
        pendingFrom: label(idx[span.pendingFrom]!),
      });
    }
  }
  return episodes;
}

function evaluateOnce(
  model: Model,
  tables: Map<string, Table>,
  request: RulesRequest,
  dims: Dim[],
  kpiList: string[],
  cache: Map<string, Evaluated>,
  report: (d: Diagnostic) => void,
): Evaluated {
  const key = `${kpiList.join(",")}|${exprKey(dims.map((d) => [d.name, d.expr]))}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const req: EvalRequest = { kpis: kpiList, by: dims };
  if (request.where) req.where = request.where;
  if (request.from !== undefined) req.from = request.from;
  if (request.to !== undefined) req.to = request.to;
  if (request.asOf !== undefined) req.asOf = request.asOf;
  const p = plan(model, req);
  const result = evaluatePlan(p, tables);
  for (const d of result.diagnostics) report(d);
  const rows = new Map<string, ResultRow[]>();
  for (const r of result.results) {
    let list = rows.get(r.kpi);
    if (!list) rows.set(r.kpi, (list = []));
    list.push(r);
  }
  const bound = new Map<string, boolean[]>();
  for (const k of p.outputs) {
    const ip = p.instances.get(k)!;
    bound.set(ip.kpi.name, ip.bound.map((b) => b !== null));
  }
  const ev: Evaluated = { rows, bound, asOfMs: p.asOfMs };
  cache.set(key, ev);
  return ev;
}
