import type { Kpi } from "@yardstick/model";
import type { ExplainNode, ExplainTree, ExplainValue, RowSample } from "@yardstick/engine";
import type { Colors } from "./color.js";
import { statusColor } from "./results.js";

/** Widest left column before values stop lining up (long expressions push their value out). */
const MAX_LEFT = 96;

interface Line {
  prefix: string;
  text: string;
  note: string;
  value: string;
  chosen: boolean;
  muted: boolean;
  strong: boolean;
  status?: string;
}

function groupText(g: Record<string, ExplainValue>): string {
  const parts = Object.entries(g).map(([k, v]) => `${k}=${v === null ? "∅" : String(v)}`);
  return parts.length ? parts.join(", ") : "all rows";
}

/** The words after a node's text: its detail, why it is null, whether it applied. */
function noteOf(n: ExplainNode): string {
  const parts: string[] = [];
  if (n.role === "KPI where" || n.role === "query where" || n.role === "time bounds" || n.role === "aggregate where" || n.role === "related where") parts.push(n.role);
  if (n.detail) parts.push(n.detail);
  if (n.reason) parts.push(`null: ${n.reason}`);
  return parts.length ? `(${parts.join("; ")})` : "";
}

/** Roles that read well in front of the text ("numerator: rows where recommend >= 9"). */
function rolePrefix(n: ExplainNode): string {
  if (!n.role) return "";
  if (["numerator", "denominator", "target value"].includes(n.role) || n.role.startsWith("this period") || n.role.startsWith("previous period")) return `${n.role}: `;
  return "";
}

/** Flattens a node and its children into tree lines (├─ └─). Referenced KPIs continue with their own formula. */
function walk(n: ExplainNode, prefix: string, childPrefix: string, out: Line[], samples: Array<{ title: string; sample: RowSample }>): void {
  // Constants are in their parent's text already.
  const kids = n.children.filter((k) => k.kind !== "literal");
  if (n.kind === "kpi" && n.explain?.formula) kids.push({ ...n.explain.formula, role: `formula of ${n.explain.kpi}` });
  if (n.kind === "kpi" && n.explain?.sample) samples.push({ title: `${n.explain.kpi} ${groupText(n.explain.group)}`, sample: n.explain.sample });
  if (n.sample) samples.push({ title: `in the window of ${n.text}`, sample: n.sample });
  const text = n.role?.startsWith("formula of ") ? `${n.text}  [${n.role}]` : `${rolePrefix(n)}${n.text}`;
  out.push({
    prefix, text, note: noteOf(n), value: n.display, chosen: n.chosen === true,
    muted: n.detail === "not reached", strong: false,
  });
  kids.forEach((k, i) => {
    const last = i === kids.length - 1;
    walk(k, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "), out, samples);
  });
}

function layout(lines: Line[], c: Colors): string[] {
  const width = (l: Line) => [...`${l.prefix}${l.text}${l.note ? `  ${l.note}` : ""}${l.chosen ? "  ← applies" : ""}`].length;
  const left = Math.min(MAX_LEFT, Math.max(0, ...lines.map(width)));
  const right = Math.max(0, ...lines.map((l) => [...l.value].length));
  return lines.map((l) => {
    const note = l.note ? `  ${c.dim(l.note)}` : "";
    const chosen = l.chosen ? `  ${c.green("← applies")}` : "";
    let body = `${c.dim(l.prefix)}${l.strong ? c.bold(l.text) : l.muted ? c.dim(l.text) : l.text}${note}${chosen}`;
    const pad = Math.max(2, left - width(l) + 2);
    const valueText = " ".repeat(right - [...l.value].length) + l.value;
    const value = l.status !== undefined ? l.status : l.value === "—" ? c.dim(valueText) : l.strong ? c.bold(valueText) : valueText;
    body += " ".repeat(pad) + value;
    return body.trimEnd();
  });
}

function renderSample(title: string, s: RowSample, c: Colors, pathText: (p: string) => string): string[] {
  const file = s.file ? ` from ${pathText(s.file)}` : "";
  const which = s.rows.length < s.total ? `first ${s.rows.length} of ${s.total}` : `all ${s.total}`;
  const head = `${c.bold(`rows${title ? ` ${title}` : ""}`)} ${c.dim(`(${which}, ${s.dataset}${file})`)}`;
  if (s.rows.length === 0) return [head];
  const cell = (v: ExplainValue) => (v === null ? "∅" : typeof v === "number" && !Number.isInteger(v) ? String(Number(v.toPrecision(12))) : String(v));
  const header = [s.unit, ...s.columns];
  const body = s.rows.map((r) => [r.line === null ? "" : String(r.line), ...r.values.map(cell)]);
  const widths = header.map((h, i) => Math.max([...h].length, ...body.map((r) => [...r[i]!].length)));
  const line = (cells: string[]) => "  " + cells.map((x, i) => (i === 0 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join("  ").trimEnd();
  return [head, c.dim(line(header)), ...body.map(line)];
}

/**
 * The explanation as text: a header with the value, n, target and status; the formula as an
 * indented tree with each value right-aligned in the KPI's format; the target and status
 * decisions; and the sample rows.
 */
export function renderExplain(tree: ExplainTree, kpi: Kpi | undefined, c: Colors, paths: (p: string) => string = (p) => p, groupsShown = 10): string {
  const out: string[] = [];
  const title = `${c.bold(tree.kpi)}${tree.label ? ` ${JSON.stringify(tree.label)}` : ""}`;
  out.push(`${title} · ${groupText(tree.group)}`);
  const status = tree.status?.value;
  const facts = [`value ${c.bold(tree.display)}${tree.reason ? c.dim(` (${tree.reason})`) : ""}`, `n ${tree.n}`];
  if (tree.target && tree.target.value !== null) {
    const arm = tree.target.children.findIndex((a) => a.chosen);
    const cmp = kpi?.target[arm]?.comparator;
    facts.push(`target ${cmp ? `${cmp} ` : ""}${tree.target.display}`);
  }
  if (typeof status === "string") facts.push(`status ${statusColor(status, kpi, c)(status)}`);
  out.push(facts.join(" · "));
  for (const note of tree.notes) out.push(c.yellow(note));
  if (tree.groups && tree.groups.length > 1 && tree.notes.some((n) => n.includes("explaining the first"))) {
    out.push(c.dim(`groups: ${tree.groups.slice(0, groupsShown).map(groupText).join(" | ")}${tree.groups.length > groupsShown ? ` | … ${tree.groups.length - groupsShown} more` : ""}`));
  }
  const samples: Array<{ title: string; sample: RowSample }> = [];
  if (tree.formula) {
    const lines: Line[] = [];
    walk(tree.formula, "", "", lines, samples);
    lines[0]!.strong = true;
    const sections: Array<{ name: string; lines: Line[] }> = [{ name: "formula", lines }];
    if (tree.target) {
      const t: Line[] = [];
      walk(tree.target, "", "", t, samples);
      sections.push({ name: "target", lines: t });
    }
    if (tree.status) {
      const s: Line[] = [];
      walk(tree.status, "", "", s, samples);
      if (typeof status === "string") s[0]!.status = statusColor(status, kpi, c)(status);
      sections.push({ name: "status", lines: s });
    }
    // One layout for all sections, so that every value lines up.
    const all = layout(sections.flatMap((x) => x.lines), c);
    let at = 0;
    for (const sec of sections) {
      out.push("");
      if (sec.name === "formula") out.push(c.bold("formula"));
      out.push(...all.slice(at, at + sec.lines.length));
      at += sec.lines.length;
    }
  }
  if (tree.sample) out.push("", ...renderSample("", tree.sample, c, paths));
  for (const s of samples) out.push("", ...renderSample(s.title, s.sample, c, paths));
  return out.join("\n");
}
