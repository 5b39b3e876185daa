import type { Kpi, Model } from "@yardstick/model";
import type { Table } from "../table/table.js";
import { plan, type InstancePlan, type Plan } from "../plan/plan.js";
import { evaluatePlan, type ResultRow } from "../eval/evaluate.js";
import { showNumber } from "./display.js";
import { contextFrame, groupLabels, groupText, keyOf, type ExFrame, type Group } from "./frame.js";
import { evalGroup } from "./group-eval.js";
import { kpiDisp, type Env, type InstHost, type Scope } from "./nodes.js";
import { Data } from "./rows.js";
import { rowSample } from "./sample.js";
import { comparisonNode, statusOf, targetOf, type TargetResult } from "./status.js";
import type { ExplainOptions, ExplainTree, ExplainValue } from "./types.js";

const DEFAULT_ROWS = 5;

/**
 * Explains one KPI value: the formula as a tree with every intermediate value for one group, the
 * target and status decisions, and a sample of the rows that contributed. The value is recomputed
 * by interpreting the model's expressions over the rows of that group (slower than `evaluate`, but
 * every step can be shown) and checked against `evaluate`'s result for the same group, which is
 * returned in `evaluated`.
 *
 * The group is chosen by `options.group` (dimension name → label, matched against the groups
 * `evaluate` reports); without it, an ungrouped KPI is explained overall and a grouped one on its
 * first group. Never throws on user errors: `error` says what went wrong and `groups` the choices.
 */
export function explain(model: Model, tables: Map<string, Table>, options: ExplainOptions): ExplainTree {
  const kpi = model.kpis.find((k) => k.name === options.kpi);
  if (!kpi) return failure(options.kpi, null, `Unknown KPI "${options.kpi}". KPIs: ${model.kpis.map((k) => k.name).join(", ")}.`, [], []);
  const p = plan(model, { ...options.request, kpis: [kpi.name] });
  const evaluated = evaluatePlan(p, tables);
  const rows = evaluated.results.filter((r) => r.kpi === kpi.name);
  const groups = rows.map((r) => r.group as Record<string, ExplainValue>);
  const diagnostics = evaluated.diagnostics;
  const key = p.outputs[0];
  const ip = key ? p.instances.get(key) : undefined;
  if (!ip) return failure(kpi.name, kpi.label, `KPI "${kpi.name}" cannot be computed.`, groups, diagnostics);
  if (ip.skipped) return failure(kpi.name, kpi.label, `KPI "${kpi.name}" was skipped: ${ip.skipped}.`, groups, diagnostics);
  const names = ip.dims.map((d) => d.name);

  const notes: string[] = [];
  let row: ResultRow | undefined;
  if (options.group && Object.keys(options.group).length > 0) {
    const match = matchGroups(names, rows, options.group);
    if (typeof match === "string") return failure(kpi.name, kpi.label, match, groups, diagnostics);
    row = match[0];
    if (match.length > 1) notes.push(`${match.length} groups match ${groupText(options.group)}; explaining the first.`);
  } else {
    row = rows[0];
    if (rows.length > 1) notes.push(`"${kpi.name}" has ${rows.length} groups (by ${names.join(", ")}); explaining the first. Choose one by its dimensions, for example ${groupText(row!.group as Record<string, ExplainValue>)}.`);
  }
  if (!row) return failure(kpi.name, kpi.label, `KPI "${kpi.name}" has no groups: there are no rows to explain.`, groups, diagnostics);

  const ex = new Explainer(model, tables, p, options.rows ?? DEFAULT_ROWS);
  const inst = ex.inst(ip.key);
  const wanted = keyOf(Object.values(row.group));
  const g = inst.frame.groups.find((x) => keyOf(Object.values(groupLabels(inst.frame, x))) === wanted);
  if (!g) return failure(kpi.name, kpi.label, `internal: explain found no group ${groupText(row.group as Record<string, ExplainValue>)} of KPI "${kpi.name}".`, groups, diagnostics);
  const tree = inst.tree(g);
  tree.evaluated = row;
  tree.groups = groups;
  tree.notes = [...notes, ...tree.notes];
  tree.diagnostics = diagnostics;
  const same = row.value === tree.value || (row.value !== null && tree.value !== null && Math.abs(row.value - tree.value) <= 1e-9 * Math.abs(row.value));
  if (!same || row.status !== (tree.status?.value ?? null)) {
    tree.notes.push(`explain recomputed ${tree.display} (status ${String(tree.status?.value ?? "none")}), but evaluate gives ${showNumber(row.value, kpiDisp(kpi))} (status ${row.status ?? "none"}): please report this as a bug.`);
  }
  return tree;
}

function failure(kpi: string, label: string | null, error: string, groups: Array<Record<string, ExplainValue>>, diagnostics: ExplainTree["diagnostics"]): ExplainTree {
  return {
    kpi, label, group: {}, value: null, display: "—", n: 0, formula: null, target: null, status: null, sample: null,
    evaluated: null, groups, notes: [], error, diagnostics,
  };
}

/** Result rows whose group matches `want` (names as written, or their last part: `segment`). */
function matchGroups(names: string[], rows: ResultRow[], want: Record<string, string>): ResultRow[] | string {
  const keys: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(want)) {
    let name = names.includes(k) ? k : undefined;
    if (!name) {
      const tail = names.filter((n) => n.slice(n.lastIndexOf(".") + 1) === k);
      if (tail.length === 1) name = tail[0];
    }
    if (!name) return `Unknown dimension "${k}": the groups are ${names.length ? `by ${names.join(", ")}` : "not grouped (explain without a group)"}.`;
    keys.push([name, v]);
  }
  const same = (label: unknown, text: string) => (label === null ? text === "" || text === "null" || text === "∅" : String(label) === text);
  const hits = rows.filter((r) => keys.every(([k, v]) => same(r.group[k], v)));
  if (hits.length === 0) return `No group matches ${keys.map(([k, v]) => `${k}=${v}`).join(", ")}.`;
  return hits;
}

/** The KPI instances of a plan, each explained on demand. */
class Explainer implements Env {
  readonly data: Data;
  readonly asOfMs: number;
  readonly kpis: Map<string, Kpi>;
  private readonly insts = new Map<string, Inst>();
  private readonly subs = new Map<string, ExFrame>();

  constructor(model: Model, tables: Map<string, Table>, readonly plan: Plan, readonly sampleRows: number) {
    this.asOfMs = plan.asOfMs;
    this.data = new Data(model, tables, plan.asOfMs);
    this.kpis = new Map(model.kpis.map((k) => [k.name, k]));
  }

  inst(key: string): Inst {
    let i = this.insts.get(key);
    if (!i) {
      i = new Inst(this, this.plan.instances.get(key)!);
      this.insts.set(key, i);
    }
    return i;
  }

  subFrame(key: string): ExFrame {
    let f = this.subs.get(key);
    if (!f) {
      const cp = this.plan.contexts.get(key)!;
      f = contextFrame(cp, this.data.dataset(cp.dataset), cp.dims.map((d) => d.name), cp.dims);
      this.subs.set(key, f);
    }
    return f;
  }
}

/** One KPI on one grouping: its groups, and its value, target and explanation per group. */
class Inst implements InstHost {
  readonly kpi: Kpi;
  readonly frame: ExFrame;
  private readonly values = new Map<string, { v: number; reason: string | null }>();
  private readonly targets = new Map<string, TargetResult>();
  private readonly maps = new Map<Inst, Map<string, Group>>();

  constructor(private readonly ex: Explainer, readonly ip: InstancePlan) {
    this.kpi = ip.kpi;
    this.frame = this.buildFrame();
  }

  private scope(detail: boolean): Scope {
    return { env: this.ex, frame: this.frame, inst: this, detail };
  }

  private buildFrame(): ExFrame {
    const ip = this.ip;
    const names = ip.dims.map((d) => d.name);
    if (ip.context) {
      const cp = this.ex.plan.contexts.get(ip.context)!;
      return contextFrame(cp, ip.skipped ? null : this.ex.data.dataset(cp.dataset), names, ip.bound);
    }
    // Built from other KPIs: the union of their groups (those bound to the most dimensions).
    const J = names.length;
    const f: ExFrame = {
      zone: this.kpi.zone, ctx: null, ds: null, names, bound: ip.bound, hasMeta: new Array(J).fill(false), units: new Array(J).fill(null),
      vtypes: new Array(J).fill("string"), groups: [], index: new Map(), sel: [], filters: [], dimFns: [], rowTuples: null, rowKeys: null,
    };
    const refs = [...ip.refs.values()].map((k) => this.ex.inst(k));
    if (ip.skipped) return f;
    if (refs.length === 0) {
      if (J === 0) {
        const g: Group = { key: keyOf([]), tuple: [], ctxTuple: [], rows: [], n: 0 };
        f.groups.push(g);
        f.index.set(g.key, g);
      }
      return f;
    }
    const bound = (r: Inst) => r.frame.hasMeta.filter(Boolean).length;
    const best = Math.max(...refs.map(bound));
    const chosen = refs.filter((r) => bound(r) === best);
    for (let j = 0; j < J; j++) {
      const r = chosen.find((c) => c.frame.hasMeta[j]);
      if (r) { f.hasMeta[j] = true; f.units[j] = r.frame.units[j]!; f.vtypes[j] = r.frame.vtypes[j]!; }
    }
    for (const r of chosen) {
      for (const rg of r.frame.groups) {
        const tuple = [...rg.tuple];
        const key = keyOf(tuple);
        if (f.index.has(key)) continue;
        const g: Group = { key, tuple, ctxTuple: [], rows: [], n: Infinity };
        f.index.set(key, g);
        f.groups.push(g);
      }
    }
    for (const g of f.groups) for (const r of refs) g.n = Math.min(g.n, this.mapped(r, g, f)?.n ?? 0);
    return f;
  }

  ref(name: string): Inst | null {
    const k = this.ip.refs.get(name);
    return k ? this.ex.inst(k) : null;
  }

  mapped(ref: InstHost, g: Group, to: ExFrame = this.frame): Group | null {
    const r = ref as Inst;
    const P: number[] = [];
    r.frame.hasMeta.forEach((m, j) => { if (m && j < to.names.length) P.push(j); });
    let index = this.maps.get(r);
    if (!index) {
      index = new Map();
      for (const rg of r.frame.groups) index.set(keyOf(P.map((j) => rg.tuple[j] ?? null)), rg);
      this.maps.set(r, index);
    }
    return index.get(keyOf(P.map((j) => g.tuple[j] ?? null))) ?? null;
  }

  /** The KPI's value for the group, finished as the evaluator finishes it (no rows, not a number, not finite). */
  value(g: Group): { v: number; reason: string | null } {
    let r = this.values.get(g.key);
    if (!r) {
      r = finish(this.kpi, g, evalGroup(this.kpi.value, this.scope(false), g));
      this.values.set(g.key, r);
    }
    return r;
  }

  private targetResult(g: Group, detail: boolean): TargetResult {
    if (detail) return targetOf(this.scope(true), g);
    let t = this.targets.get(g.key);
    if (!t) {
      t = targetOf(this.scope(false), g);
      this.targets.set(g.key, t);
    }
    return t;
  }

  target(g: Group): { t: number; reason: string | null } {
    const t = this.targetResult(g, false);
    return { t: t.t, reason: t.t === t.t ? null : "no target" };
  }

  tree(g: Group): ExplainTree {
    const s = this.scope(true);
    const formula = evalGroup(this.kpi.value, s, g);
    const { v, reason } = this.value(g);
    const disp = kpiDisp(this.kpi);
    formula.node.display = showNumber(v === v ? v : null, disp);
    formula.node.value = v === v ? v : null;
    if (v !== v) formula.node.reason = reason ?? "no value";
    else delete formula.node.reason;
    formula.node.role = "value";
    const target = this.kpi.target.length > 0 ? this.targetResult(g, true) : { t: NaN, cmp: null, node: null };
    if (target.node) {
      const cmp = comparisonNode(s, v, target);
      if (cmp) target.node.children.push(cmp);
    }
    const hasStatus = this.kpi.target.length > 0 || this.kpi.status.length > 0 || this.kpi.minSamples !== null || v !== v;
    const status = hasStatus ? statusOf(s, g, v, reason, target).node : null;
    const out: ExplainTree = {
      kpi: this.kpi.name,
      label: this.kpi.label,
      group: groupLabels(this.frame, g),
      value: v === v ? v : null,
      display: formula.node.display,
      n: g.n,
      formula: formula.node,
      target: target.node,
      status,
      sample: this.kpi.from !== null ? rowSample(this.kpi, this.frame, g.rows, this.ex.sampleRows) : null,
      evaluated: null,
      notes: [],
      diagnostics: [],
    };
    if (v !== v) out.reason = reason ?? "no value";
    return out;
  }
}

function finish(kpi: Kpi, g: Group, r: { v: unknown; reason: string | null }): { v: number; reason: string | null } {
  if (kpi.from !== null && g.n === 0) return { v: NaN, reason: "no rows" };
  if (typeof r.v !== "number") return { v: NaN, reason: r.v === null ? r.reason ?? "no value" : "the value is not a number" };
  if (r.v !== r.v) return { v: NaN, reason: r.reason ?? "no value" };
  if (!Number.isFinite(r.v)) return { v: NaN, reason: "not a finite number" };
  return { v: r.v, reason: null };
}
