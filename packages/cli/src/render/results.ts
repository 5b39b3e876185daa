import type { Kpi, Model } from "@yardstick/model";
import { formatValue, statusTone, type ResultRow } from "@yardstick/engine";
import type { Colors } from "./color.js";

/** Colour of a status: green when on target, red when off, yellow in between, dim without data. */
export function statusColor(status: string | null, kpi: Kpi | undefined, c: Colors): (s: string) => string {
  return { good: c.green, bad: c.red, warn: c.yellow, neutral: c.dim }[statusTone(status, kpi)];
}

function groupText(g: ResultRow["group"]): string {
  const parts = Object.entries(g).map(([k, v]) => `${k}=${v === null ? "∅" : String(v)}`);
  return parts.join(", ");
}

interface Cell { text: string; color?: (s: string) => string; right?: boolean }

function table(header: string[], rows: Cell[][], c: Colors): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!.text].length)));
  const line = (cells: Cell[]) =>
    cells
      .map((cell, i) => {
        const pad = widths[i]! - [...cell.text].length;
        const padded = cell.right ? " ".repeat(pad) + cell.text : cell.text + " ".repeat(pad);
        return cell.color ? cell.color(padded) : padded;
      })
      .join("  ")
      .trimEnd();
  const out = [c.bold(line(header.map((h) => ({ text: h })))), c.dim(widths.map((w) => "─".repeat(w)).join("  "))];
  for (const r of rows) out.push(line(r));
  return out.join("\n");
}

/** The human table: one row per KPI and group, values formatted, statuses coloured. */
export function renderTable(model: Model, rows: ResultRow[], c: Colors): string {
  const kpis = new Map(model.kpis.map((k) => [k.name, k]));
  const body: Cell[][] = rows.map((r) => {
    const kpi = kpis.get(r.kpi);
    const spec = { format: kpi?.format ?? null, unit: kpi?.unit ?? null };
    const target = kpi && r.target !== null ? `${targetComparator(kpi)} ${formatValue(r.target, spec)}` : "";
    return [
      { text: r.kpi },
      { text: groupText(r.group) },
      { text: formatValue(r.value, spec), right: true },
      { text: String(r.n), right: true },
      { text: target },
      { text: r.status ?? "", color: statusColor(r.status, kpi, c) },
      { text: r.value === null ? r.reason ?? "" : "", color: c.dim },
    ];
  });
  return table(["KPI", "group", "value", "n", "target", "status", "note"], body, c);
}

function targetComparator(kpi: Kpi): string {
  return kpi.target[kpi.target.length - 1]?.comparator ?? (kpi.direction === "lower" ? "<=" : ">=");
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV: one column per dimension (union over all rows), then value, n, status, target, numerator, denominator, reason. */
export function renderCsv(rows: ResultRow[]): string {
  const dims: string[] = [];
  for (const r of rows) for (const k of Object.keys(r.group)) if (!dims.includes(k)) dims.push(k);
  const header = ["kpi", ...dims, "value", "n", "status", "target", "numerator", "denominator", "reason"];
  const lines = [header.map(csvCell).join(",")];
  for (const r of rows) {
    lines.push([r.kpi, ...dims.map((d) => r.group[d] ?? null), r.value, r.n, r.status, r.target, r.numerator ?? null, r.denominator ?? null, r.reason ?? null].map(csvCell).join(","));
  }
  return lines.join("\n") + "\n";
}

/** A Markdown table, ready for a pull request or an issue. */
export function renderMarkdown(model: Model, rows: ResultRow[]): string {
  const kpis = new Map(model.kpis.map((k) => [k.name, k]));
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const lines = ["| KPI | group | value | n | target | status |", "| --- | --- | ---: | ---: | --- | --- |"];
  for (const r of rows) {
    const kpi = kpis.get(r.kpi);
    const spec = { format: kpi?.format ?? null, unit: kpi?.unit ?? null };
    const target = kpi && r.target !== null ? `${targetComparator(kpi)} ${formatValue(r.target, spec)}` : "";
    const value = r.value === null ? `— (${r.reason ?? "no value"})` : formatValue(r.value, spec);
    lines.push(`| ${esc(r.kpi)} | ${esc(groupText(r.group))} | ${esc(value)} | ${r.n} | ${esc(target)} | ${r.status ?? ""} |`);
  }
  return lines.join("\n") + "\n";
}
