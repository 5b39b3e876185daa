import type { AggExpr, Expr } from "@yardstick/model";
import { MS_PER_DAY, formatDays } from "../time/civil.js";
import { periodRange, shiftInstant } from "../time/period.js";
import { aggregateValues } from "./aggregate-values.js";
import { INT, PERCENT, PLAIN, localLabel } from "./display.js";
import { filterNode, filterRole, groupRows, partNodes, relatedIn, relatedNode, result, aggDisp } from "./facts.js";
import { groupLabels, groupText, keyOf, previousGroup, rowTuples, type ExFrame, type Group, type Raw } from "./frame.js";
import { gv, node, NO_ROWS, type GV, type Scope } from "./nodes.js";
import { printExpr } from "./print-expr.js";
import { toNumV, type V } from "./rows.js";
import { rowSample } from "./sample.js";
import type { ExplainNode } from "./types.js";

/** `agg(x) over last N units`: the rows of the window ending with the group's period. */
export function windowed(e: AggExpr, s: Scope, g: Group): GV {
  const f = s.frame, cp = f.ctx!, ds = f.ds!;
  const time = cp.time;
  if (!time) return gv("aggregate", e, s, NaN, e.type, null, aggDisp(e, s), NO_ROWS);
  const w = e.window!;
  let td = -1;
  cp.dims.forEach((d, i) => { if (d.expr.op === "bucket") td = i; });
  let end = s.env.asOfMs;
  let z = time.type === "date" ? "UTC" : cp.zone;
  if (td >= 0) {
    const bk = cp.dims[td]!.expr as Extract<Expr, { op: "bucket" }>;
    z = time.type === "date" ? "UTC" : bk.zone;
    const p = g.ctxTuple[td];
    end = typeof p === "number" ? periodRange(bk.unit, p, time.type, bk.zone)[1] : NaN;
  }
  const from = shiftInstant(end, w.unit, -w.count, z);
  const t = ds.compile({ op: "col", name: time.column, type: time.type, origin: e.origin }, cp.zone);
  const base = (tuple: Raw[]) => keyOf(tuple.filter((_, i) => i !== td));
  const want = base(g.ctxTuple);
  const tuples = rowTuples(f);
  const inBase = (r: number) => base(tuples[r]!) === want;
  const inTime = (r: number) => { const x = toNumV(t.at(r)); return x === x && x >= from && x < end; };
  const candidates: number[] = [];
  for (let r = 0; r < ds.rowCount; r++) if (inTime(r) && inBase(r)) candidates.push(r);
  const selected = new Set(f.sel);
  const rows = candidates.filter((r) => selected.has(r));
  rows.sort((a, b) => toNumV(t.at(a)) - toNumV(t.at(b)) || a - b);
  const filter = e.filter ? ds.compile(e.filter, f.zone) : null;
  const kept = filter ? rows.filter((r) => toNumV(filter.at(r)) === 1) : rows;
  const val = e.arg ? ds.compile(e.arg, f.zone) : null;
  const res = aggregateValues(e.fn, e.p, val?.kind ?? null, kept.map((r) => (val ? val.at(r) : null)));
  const children: ExplainNode[] = [];
  const extra: Partial<ExplainNode> = {};
  if (s.detail) {
    const label = (ms: number) => (time.type === "date" ? formatDays(Math.floor(ms / MS_PER_DAY)) : localLabel(ms, z));
    const span = `${w.count} ${w.unit}${w.count === 1 ? "" : "s"}`;
    const zone = time.type === "date" ? "" : ` (${z})`;
    children.push(node("window", "window start (included)", label(from), "string", null, PLAIN, { display: label(from), detail: `${span} before the end${zone}` }));
    children.push(node("window", "window end (excluded)", label(end), "string", null, PLAIN, {
      display: label(end), detail: td >= 0 ? `the end of the group's period${zone}` : `the as-of instant${zone}`,
    }));
    const others = groupText(Object.fromEntries(Object.entries(groupLabels(f, g)).filter(([k]) => !isTimeName(f, k, td))));
    children.push(node("rows", `rows of ${ds.decl.name} in the window${others === "all rows" ? "" : ` with ${others}`}`, candidates.length, "int", null, INT));
    let before = candidates;
    cp.filters.forEach((x, i) => {
      const fn = f.filters[i]!;
      const k = before.filter((r) => toNumV(fn.at(r)) === 1);
      children.push(filterNode(x, filterRole(x, s), before, k, s, ds, fn));
      before = k;
    });
    if (e.filter) children.push(filterNode(e.filter, "aggregate where", rows, kept, s, ds));
    for (const rel of relatedIn(e.arg)) children.push(relatedNode(rel, kept, s, ds));
    children.push(...partNodes(e, res, s));
    const sample = s.inst ? rowSample(s.inst.kpi, f, kept, s.env.sampleRows) : null;
    if (sample) extra.sample = sample;
  }
  return result(e, s, res, val?.vtype ?? "number", children, extra);
}

function isTimeName(f: ExFrame, name: string, td: number): boolean {
  if (td < 0) return false;
  const j = f.names.indexOf(name);
  let pos = -1, count = -1;
  f.bound.forEach((b, i) => { if (b) { count++; if (count === td) pos = i; } });
  return j === pos;
}

/** retention(x): of the entities active in the previous period, the share active again in this one. */
export function retention(e: AggExpr, s: Scope, g: Group): GV {
  const f = s.frame, ds = f.ds!;
  const disp = PERCENT;
  const sh = previousGroup(f, g, null);
  if (!sh) return gv("aggregate", e, s, NaN, "number", null, disp, "retention() needs a time bucket in the grouping");
  const filter = e.filter ? ds.compile(e.filter, f.zone) : null;
  const val = e.arg ? ds.compile(e.arg, f.zone) : null;
  const active = (grp: Group): Set<V> => {
    const out = new Set<V>();
    for (const r of grp.rows) {
      if (filter && toNumV(filter.at(r)) !== 1) continue;
      const v = val ? val.at(r) : null;
      if (v !== null && v === v) out.add(v);
    }
    return out;
  };
  const now = active(g);
  const before = sh.group ? active(sh.group) : null;
  let v = NaN, reason: string | null = null, both = 0;
  if (!before) reason = `no previous period (${sh.label}) to retain from`;
  else {
    for (const x of before) if (now.has(x)) both++;
    if (before.size === 0) reason = "division by zero";
    else v = both / before.size;
  }
  const children: ExplainNode[] = [];
  if (s.detail) {
    children.push(...groupRows(f, g, s));
    if (e.filter) children.push(filterNode(e.filter, "aggregate where", g.rows, filter ? g.rows.filter((r) => toNumV(filter.at(r)) === 1) : g.rows, s, ds));
    const what = e.arg ? printExpr(e.arg) : "entities";
    if (before) {
      children.push(node("part", `retained: active in both ${sh.label} and ${sh.current}`, both, "int", null, INT, { role: "numerator" }));
      children.push(node("part", `${what} active in the previous period (${sh.label})`, before.size, "int", null, INT, { role: "denominator" }));
    } else {
      children.push(node("info", `no rows in the previous period (${sh.label})`, null, "string", null, PLAIN, { display: "" }));
    }
    children.push(node("part", `${what} active in this period (${sh.current})`, now.size, "int", null, INT));
  }
  return gv("aggregate", e, s, v, "number", null, disp, reason, children, { detail: `${sh.current} compared with ${sh.label}` });
}
