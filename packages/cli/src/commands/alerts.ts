import type { Diagnostic, Model } from "@yardstick/model";
import { evaluateRules, parseDateDays, parsePeriod, periodStartDays, type AlertEpisode, type RulesRequest } from "@yardstick/engine";
import { loadModelData } from "@yardstick/engine/node";
import { colorsFor, type Colors } from "../render/color.js";
import { diagnosticJson, renderDiagnostic } from "../render/diagnostics.js";
import { compileFromDisk, displayPath, projectsFrom, UsageError } from "../files.js";
import { dataBindings } from "./eval.js";

export interface AlertsFlags {
  since?: string;
  rule: string[];
  asOf?: string;
  data: string[];
  format: "table" | "json";
}

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

function severityColor(s: AlertEpisode["severity"], c: Colors): (t: string) => string {
  return s === "critical" ? c.red : s === "warning" ? c.yellow : c.blue;
}

function groupText(g: AlertEpisode["group"]): string {
  const parts = Object.entries(g).map(([k, v]) => `${k}=${v === null ? "∅" : String(v)}`);
  return parts.length ? parts.join(", ") : "(all)";
}

/** The alert episodes as a table: rule, group, from, to ("firing" while still firing), severity, message. */
export function renderAlertsTable(alerts: readonly AlertEpisode[], c: Colors): string {
  if (alerts.length === 0) return c.dim("No alert episodes.");
  const header = ["rule", "group", "from", "to", "severity", "message"];
  const rows = alerts.map((a) => [a.rule, groupText(a.group), a.from, a.to ?? "firing", a.severity, a.message]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const pad = (s: string, i: number) => s + " ".repeat(widths[i]! - [...s].length);
  const lines = [c.bold(header.map(pad).join("  ").trimEnd()), c.dim(widths.map((w) => "─".repeat(w)).join("  "))];
  alerts.forEach((a, k) => {
    const r = rows[k]!;
    const cells = r.map((s, i) => {
      const t = pad(s, i);
      if (i === 3 && a.to === null) return c.bold(severityColor(a.severity, c)(t));
      if (i === 4) return severityColor(a.severity, c)(t);
      return t;
    });
    lines.push(cells.join("  ").trimEnd());
  });
  return lines.join("\n");
}

/** Epoch day at which a period label ends (exclusive), for --since. */
function periodEndDays(label: string | null): number {
  if (label === null) return Infinity;
  const p = parsePeriod(label);
  return p ? periodStartDays(p.unit, p.index + 1) : Infinity;
}

function periodStart(label: string): number {
  const p = parsePeriod(label);
  return p ? periodStartDays(p.unit, p.index) : 0;
}

/**
 * Newest first: episodes by the start of their `from` period, latest first; then still-firing
 * before resolved, more severe first, then by rule and group.
 */
export function newestFirst(alerts: readonly AlertEpisode[]): AlertEpisode[] {
  return [...alerts].sort((a, b) =>
    periodStart(b.from) - periodStart(a.from) ||
    (a.to === null ? 0 : 1) - (b.to === null ? 0 : 1) ||
    periodEndDays(b.to) - periodEndDays(a.to) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.rule.localeCompare(b.rule) ||
    groupText(a.group).localeCompare(groupText(b.group)),
  );
}

/** Parses --since: a date (2025-03-01) or a period (2025-03, 2025-Q1, 2025-W10, 2025) → epoch day. */
export function sinceDays(text: string): number {
  const d = parseDateDays(text);
  if (d !== null) return d;
  const p = parsePeriod(text.trim());
  if (p) return periodStartDays(p.unit, p.index);
  throw new UsageError(`--since takes a date such as 2025-03-01 or a period such as 2025-03, not "${text}".`);
}

/** Episodes active on or after a day: still firing, or whose last firing period ends after it. */
export function activeSince(alerts: readonly AlertEpisode[], day: number): AlertEpisode[] {
  return alerts.filter((a) => periodEndDays(a.to) > day);
}

/** `yardstick alerts`: runs every rule over the data and lists the episodes, newest first. */
export async function runAlerts(paths: string[], flags: AlertsFlags, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<number> {
  const projects = projectsFrom(paths);
  if (projects.length !== 1) throw new UsageError(`alerts takes one spec file or one folder of specs; ${paths.join(" ")} holds ${projects.length} projects.`);
  const since = flags.since !== undefined ? sinceDays(flags.since) : null;
  const sources = new Map<string, string>();
  const compiled = compileFromDisk(projects[0]!, sources);
  const c = colorsFor(err);
  const report = (ds: Diagnostic[]) => {
    for (const d of ds) err.write(renderDiagnostic(d, sources, c, displayPath) + "\n\n");
  };
  if (compiled.diagnostics.some((d) => d.severity === "error")) {
    if (flags.format === "json") out.write(JSON.stringify({ alerts: [], diagnostics: compiled.diagnostics.map((d) => diagnosticJson(d, sources)) }, null, 2) + "\n");
    else report(compiled.diagnostics);
    return 1;
  }
  const model: Model = compiled.model;
  const unknown = flags.rule.filter((r) => !model.rules.some((m) => m.name === r));
  if (unknown.length) throw new UsageError(`Unknown rule ${unknown.map((r) => `"${r}"`).join(", ")}. Rules: ${model.rules.map((r) => r.name).join(", ") || "none"}.`);
  const loaded = await loadModelData(model, { overrides: dataBindings(flags.data), progress: true });
  const request: RulesRequest = {};
  if (flags.rule.length) request.rules = flags.rule;
  if (flags.asOf) request.asOf = flags.asOf;
  const result = evaluateRules(model, loaded.tables, request);
  let alerts = newestFirst(result.alerts);
  if (since !== null) alerts = activeSince(alerts, since);
  const diagnostics = [...compiled.diagnostics, ...loaded.diagnostics, ...result.diagnostics];
  if (flags.format === "json") {
    out.write(JSON.stringify({ alerts, diagnostics: diagnostics.map((d) => diagnosticJson(d, sources)) }, null, 2) + "\n");
  } else {
    report(diagnostics);
    out.write(renderAlertsTable(alerts, colorsFor(out)) + "\n");
  }
  return loaded.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
