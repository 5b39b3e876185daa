import type { AggExpr } from "@yardstick/model";
import { exprKey } from "../plan/expr-key.js";
import { aggregateValues } from "./aggregate-values.js";
import { INT, PLAIN } from "./display.js";
import { filterNode, groupRows, partNodes, relatedIn, relatedNode, result, aggDisp } from "./facts.js";
import { groupLabels, groupText, keyOf, type Group } from "./frame.js";
import { evalGroup } from "./group-eval.js";
import { gv, node, NO_ROWS, type GV, type Scope } from "./nodes.js";
import { printExpr } from "./print-expr.js";
import { toNumV } from "./rows.js";
import { retention, windowed } from "./time-aggregates.js";
import type { ExplainNode } from "./types.js";

/** How many inner groups of a `per` aggregate are listed. */
const INNER_SHOWN = 5;

/** An aggregate over the rows of the group: its value, and where it came from. */
export function aggregateNode(e: AggExpr, s: Scope, g: Group): GV {
  const f = s.frame;
  if (!f.ctx || !f.ds) return gv("aggregate", e, s, NaN, e.type, null, aggDisp(e, s), NO_ROWS);
  if (e.fn === "retention") return retention(e, s, g);
  if (e.window) return windowed(e, s, g);
  if (e.per && e.per.length > 0 && e.arg) return perNode(e, s, g);
  const ds = f.ds;
  const filter = e.filter ? ds.compile(e.filter, f.zone) : null;
  const kept = filter ? g.rows.filter((r) => toNumV(filter.at(r)) === 1) : g.rows;
  const val = e.arg ? ds.compile(e.arg, f.zone) : null;
  const res = aggregateValues(e.fn, e.p, val?.kind ?? null, kept.map((r) => (val ? val.at(r) : null)));
  const children: ExplainNode[] = [];
  if (s.detail) {
    children.push(...groupRows(f, g, s));
    if (e.filter) children.push(filterNode(e.filter, "aggregate where", g.rows, kept, s, ds));
    for (const rel of relatedIn(e.arg)) children.push(relatedNode(rel, kept, s, ds));
    children.push(...partNodes(e, res, s));
  }
  return result(e, s, res, val?.vtype ?? "number", children);
}

/** `outer(inner per dims)`: the inner expression per inner group, then the outer aggregate over those values. */
function perNode(e: AggExpr, s: Scope, g: Group): GV {
  const f = s.frame;
  const subKey = f.ctx!.subs.get(exprKey(e));
  if (!subKey) return gv("aggregate", e, s, NaN, e.type, null, aggDisp(e, s), NO_ROWS);
  const sub = s.env.subFrame(subKey);
  const D = f.ctx!.dims.length;
  const parent = keyOf(g.ctxTuple);
  const inner = sub.groups.filter((sg) => keyOf(sg.ctxTuple.slice(0, D)) === parent);
  const scope: Scope = { env: s.env, frame: sub, inst: null, detail: false };
  const vals = inner.map((sg) => evalGroup(e.arg!, scope, sg));
  const kind = vals.length ? vals[0]!.kind : e.arg!.type === "string" ? "str" : "num";
  const res = aggregateValues(e.fn, e.p, kind, vals.map((x) => x.v));
  const children: ExplainNode[] = [];
  if (s.detail) {
    const ds = f.ds!;
    children.push(...groupRows(f, g, s));
    if (e.filter) {
      const fn = ds.compile(e.filter, f.zone);
      children.push(filterNode(e.filter, "aggregate where", g.rows, g.rows.filter((r) => toNumV(fn.at(r)) === 1), s, ds, fn));
    }
    const per = e.per!.map((d) => d.name).join(", ");
    const innerText = printExpr(e.arg!, null);
    const list = node("part", `inner groups (per ${per})`, inner.length, "int", null, INT, { detail: `${innerText} computed for each` });
    inner.slice(0, INNER_SHOWN).forEach((sg, i) => {
      const labels = groupLabels(sub, sg);
      const own = Object.fromEntries(Object.entries(labels).slice(D));
      list.children.push({ ...vals[i]!.node, kind: "inner", text: groupText(own), role: innerText, children: [] });
    });
    if (inner.length > INNER_SHOWN) list.children.push(node("info", `… and ${inner.length - INNER_SHOWN} more`, null, "string", null, PLAIN, { display: "" }));
    children.push(list);
    children.push(...partNodes(e, res, s, innerText));
  }
  return result(e, s, res, e.arg!.type, children);
}
