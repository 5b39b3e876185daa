import type { Kpi } from "@yardstick/model";
import type { EntityChange, FieldChange, ModelDiff } from "@yardstick/language";
import { formatValue } from "@yardstick/engine";
import type { DiffReport, GroupDelta, KpiValues } from "../commands/diff.js";
import type { Colors } from "./color.js";

/** Rendering of `yardstick diff`: a terminal text and a Markdown block for pull requests. */

const SECTIONS: Array<[keyof Pick<ModelDiff, "datasets" | "kpis" | "rules" | "tests">, string]> = [
  ["kpis", "KPIs"],
  ["datasets", "Datasets"],
  ["rules", "Rules"],
  ["tests", "Tests"],
];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const KIND_WORD: Record<EntityChange["kind"], [string, string]> = {
  dataset: ["dataset", "datasets"],
  kpi: ["KPI", "KPIs"],
  rule: ["rule", "rules"],
  test: ["test", "tests"],
};

const entityName = (c: EntityChange, name = c.name) => (c.kind === "test" ? `"${name}"` : name);

/** One line per kind of change: `1 KPI changed, 1 KPI renamed, 1 test changed`. */
export function diffSummary(diff: ModelDiff): string {
  if (diff.identical) return "No change in meaning.";
  const parts: string[] = [];
  for (const [key] of SECTIONS) {
    const list = diff[key];
    for (const change of ["changed", "renamed", "added", "removed"] as const) {
      const n = list.filter((c) => c.change === change).length;
      if (n) {
        const [one, many] = KIND_WORD[list[0]!.kind];
        parts.push(`${plural(n, one, many)} ${change}`);
      }
    }
  }
  return `${parts.join(", ")}.`;
}

const fieldValue = (v: string | null) => (v === null ? "(none)" : `\`${v}\``);

function fieldLine(f: FieldChange): string {
  const note = f.note ? ` (${f.note})` : "";
  if (f.old === null) return `${f.field}: added ${fieldValue(f.new)}${note}`;
  if (f.new === null) return `${f.field}: removed ${fieldValue(f.old)}${note}`;
  return `${f.field}: ${fieldValue(f.old)} → ${fieldValue(f.new)}${note}`;
}

// ----------------------------------------------------------------------------------- values

function spec(k: Kpi | undefined) {
  return { format: k?.format ?? null, unit: k?.unit ?? null };
}

/** A signed difference in the KPI's format; percentages as percentage points. */
export function deltaText(d: number | null, k: Kpi | undefined): string {
  if (d === null) return "";
  if (d === 0) return "0";
  const s = spec(k);
  let text = formatValue(Math.abs(d), s);
  if (s.format?.kind === "percent") text = text.replace(/%$/, " pp");
  return `${d > 0 ? "+" : "-"}${text}`;
}

function statusMove(g: GroupDelta): string {
  if (g.oldStatus === g.newStatus) return g.newStatus ?? "";
  return `${g.oldStatus ?? "—"} → ${g.newStatus ?? "—"}`;
}

const changeWord = (g: GroupDelta) => (g.change === "added" ? "new group" : g.change === "removed" ? "group gone" : g.change);

/** `45 of 48 groups moved: 20 improved, 25 worsened` */
function valuesHeadline(v: KpiValues): string {
  if (!v.groups) return `not computed: ${v.skipped ?? "no data"}`;
  const total = v.groups.length;
  if (total === 0) return "no values on either side";
  const moved = v.groups.filter((g) => g.change !== "unchanged");
  if (moved.length === 0) return `values unchanged in ${total === 1 ? "the only group" : `all ${total} groups`}`;
  const counts: string[] = [];
  for (const c of ["improved", "worsened", "changed", "added", "removed"] as const) {
    const n = moved.filter((g) => g.change === c).length;
    if (n) counts.push(`${n} ${c === "added" ? "new" : c === "removed" ? "gone" : c}`);
  }
  return `${moved.length} of ${plural(total, "group")} moved: ${counts.join(", ")}`;
}

function kpiTitle(v: KpiValues, r: DiffReport, c: Colors): string {
  const label = r.newKpis.get(v.kpi)?.label;
  const name = v.oldName !== v.kpi ? `${v.oldName} → ${v.kpi}` : v.kpi;
  return `${c.bold(name)}${label ? c.dim(`  ${label}`) : ""}`;
}

interface ValueTable { header: string[]; rows: Array<{ cells: string[]; change: GroupDelta["change"] }>; right: boolean[] }

/** The groups that moved, one row each: dimensions, old, new, delta, n, status, change. */
function valueTable(v: KpiValues, r: DiffReport): ValueTable {
  const dims: string[] = [];
  const moved = (v.groups ?? []).filter((g) => g.change !== "unchanged");
  for (const g of moved) for (const k of Object.keys(g.group)) if (!dims.includes(k)) dims.push(k);
  const oldK = r.oldKpis.get(v.oldName), newK = r.newKpis.get(v.kpi);
  const n = (g: GroupDelta) => (g.oldN === g.newN ? String(g.newN ?? "") : `${g.oldN ?? "—"} → ${g.newN ?? "—"}`);
  const header = [...(dims.length ? dims : ["group"]), "old", "new", "delta", "n", "status", "change"];
  const rows = moved.map((g) => ({
    cells: [
      ...(dims.length ? dims.map((d) => (g.group[d] === undefined ? "" : g.group[d] === null ? "∅" : String(g.group[d]))) : ["(all rows)"]),
      g.change === "added" ? "—" : formatValue(g.old, spec(oldK)),
      g.change === "removed" ? "—" : formatValue(g.new, spec(newK)),
      deltaText(g.delta, newK),
      n(g),
      statusMove(g),
      changeWord(g),
    ],
    change: g.change,
  }));
  const right = header.map((h, i) => i >= Math.max(dims.length, 1) && i < Math.max(dims.length, 1) + 4 && h !== "status");
  return { header, rows, right };
}

// ------------------------------------------------------------------------------------- text

export function renderDiffText(r: DiffReport, c: Colors): string {
  const out: string[] = [`${c.bold("yardstick diff")} ${r.old} → ${r.new}`, ""];
  const d = r.diff;
  if (d.identical) {
    out.push(c.green("No change in meaning: formatting, comments and order only (or nothing at all)."));
    return out.join("\n") + "\n";
  }
  for (const [key, title] of SECTIONS) {
    const list = d[key];
    if (!list.length) continue;
    out.push(c.bold(title));
    for (const e of list) {
      const label = e.label ? c.dim(`  ${e.label}`) : "";
      switch (e.change) {
        case "added":
          out.push(`  ${c.green("+")} ${entityName(e)}${label}  ${c.green("added")}`);
          if (e.summary) out.push(c.dim(`      ${e.summary}`));
          break;
        case "removed":
          out.push(`  ${c.red("-")} ${entityName(e)}${label}  ${c.red("removed")}`);
          if (e.summary) out.push(c.dim(`      ${e.summary}`));
          break;
        case "renamed":
          out.push(`  ${c.cyan("→")} ${entityName(e, e.oldName)} → ${entityName(e)}${label}  ${c.cyan("renamed")}`);
          break;
        default:
          out.push(`  ${c.yellow("~")} ${entityName(e)}${label}  ${c.yellow("changed")}`);
      }
      for (const f of e.changes) out.push(`      ${fieldLine(f)}`);
    }
    out.push("");
  }
  if (d.affected.length) {
    out.push(c.bold("Affected") + c.dim("  (definition unchanged, reads a change)"));
    for (const a of d.affected) out.push(`  ${a.kind === "kpi" ? "KPI" : "rule"} ${a.name}: ${a.because.join("; ")}`);
    out.push("");
  }
  if (r.values && r.values.length) {
    out.push(c.bold("Values") + c.dim("  (old → new, per group; unchanged groups left out)"));
    for (const v of r.values) {
      out.push(`  ${kpiTitle(v, r, c)}: ${valuesHeadline(v)}`);
      const t = valueTable(v, r);
      if (t.rows.length) out.push(...textTable(t, c).map((l) => `    ${l}`));
    }
    out.push("");
  }
  for (const n of r.notes) out.push(c.dim(n));
  out.push(diffSummary(d));
  return out.join("\n") + "\n";
}

function textTable(t: ValueTable, c: Colors): string[] {
  const widths = t.header.map((h, i) => Math.max([...h].length, ...t.rows.map((r) => [...r.cells[i]!].length)));
  const line = (cells: string[]) => cells.map((s, i) => (t.right[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!))).join("  ").trimEnd();
  const colour = (ch: GroupDelta["change"]) => (ch === "improved" ? c.green : ch === "worsened" ? c.red : ch === "changed" ? c.yellow : c.dim);
  const out = [c.dim(line(t.header))];
  for (const r of t.rows) {
    const text = line(r.cells);
    const last = r.cells[r.cells.length - 1]!;
    // Colour the change word only, so the table stays aligned.
    out.push(text.endsWith(last) ? text.slice(0, text.length - last.length) + colour(r.change)(last) : text);
  }
  return out;
}

// --------------------------------------------------------------------------------- markdown

/** Inline code that survives backticks and pipes inside it (for table cells, pipes are escaped). */
function code(s: string): string {
  const ticks = s.includes("`") ? "``" : "`";
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

const mdEscape = (s: string) => s.replace(/([\\*_[\]<>|])/g, "\\$1");
const cell = (s: string) => s.replace(/\|/g, "\\|");
const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function mdField(f: FieldChange): string {
  const v = (x: string | null) => (x === null ? "(none)" : code(x));
  const note = f.note ? ` (${mdEscape(f.note)})` : "";
  if (f.old === null) return `${mdEscape(f.field)}: added ${v(f.new)}${note}`;
  if (f.new === null) return `${mdEscape(f.field)}: removed ${v(f.old)}${note}`;
  return `${mdEscape(f.field)}: ${v(f.old)} → ${v(f.new)}${note}`;
}

/** A Markdown block for a pull request; starts with a marker comment so a bot can update its own comment. */
export function renderDiffMarkdown(r: DiffReport): string {
  const d = r.diff;
  const out: string[] = ["<!-- yardstick-diff -->", "### KPI spec changes", ""];
  if (d.identical) {
    out.push("No change in meaning (formatting, comments or order only).", "");
    return out.join("\n");
  }
  out.push(`**${mdEscape(diffSummary(d))}**`, "");
  for (const [key, title] of SECTIONS) {
    const list = d[key];
    if (!list.length) continue;
    out.push(`#### ${title}`, "");
    for (const e of list) {
      const label = e.label ? ` ${mdEscape(e.label)}` : "";
      const name = e.kind === "test" ? mdEscape(entityName(e)) : code(e.name);
      switch (e.change) {
        case "added":
          out.push(`- **added** ${name}${label}${e.summary ? `: ${code(e.summary)}` : ""}`);
          break;
        case "removed":
          out.push(`- **removed** ${name}${label}${e.summary ? `: ${code(e.summary)}` : ""}`);
          break;
        case "renamed":
          out.push(`- **renamed** ${e.kind === "test" ? mdEscape(entityName(e, e.oldName)) : code(e.oldName!)} → ${name}${label}`);
          break;
        default:
          out.push(`- **changed** ${name}${label}`);
      }
      for (const f of e.changes) out.push(`  - ${mdField(f)}`);
    }
    out.push("");
  }
  if (d.affected.length) {
    out.push("#### Affected", "", "Definitions that did not change but read a change:", "");
    for (const a of d.affected) out.push(`- ${a.kind === "kpi" ? "KPI" : "rule"} ${code(a.name)}: ${mdEscape(a.because.join("; "))}`);
    out.push("");
  }
  if (r.values && r.values.length) {
    out.push("#### Values", "");
    for (const v of r.values) {
      const t = valueTable(v, r);
      const head = `${code(v.oldName !== v.kpi ? `${v.oldName} → ${v.kpi}` : v.kpi)}${r.newKpis.get(v.kpi)?.label ? ` ${mdEscape(r.newKpis.get(v.kpi)!.label!)}` : ""}: ${mdEscape(valuesHeadline(v))}`;
      if (!t.rows.length) {
        out.push(`- ${head}`, "");
        continue;
      }
      const table = [
        `| ${t.header.map(cell).join(" | ")} |`,
        `| ${t.header.map((_, i) => (t.right[i] ? "---:" : "---")).join(" | ")} |`,
        ...t.rows.map((row) => `| ${row.cells.map(cell).join(" | ")} |`),
      ];
      // Long tables fold away so the comment stays readable (a summary line is HTML, not Markdown).
      if (t.rows.length > 12) {
        const label = r.newKpis.get(v.kpi)?.label;
        const summary = `<code>${html(v.oldName !== v.kpi ? `${v.oldName} → ${v.kpi}` : v.kpi)}</code>${label ? ` ${html(label)}` : ""}: ${html(valuesHeadline(v))}`;
        out.push(`<details><summary>${summary}</summary>`, "", ...table, "", "</details>", "");
      }
      else out.push(head, "", ...table, "");
    }
  }
  for (const n of r.notes) out.push(`<sub>${mdEscape(n)}</sub>`, "");
  return out.join("\n");
}
