import type { Diagnostic, Model } from "@yardstick/model";
import { compileQuery } from "@yardstick/language";
import { explain, type EvalRequest } from "@yardstick/engine";
import { loadModelData } from "@yardstick/engine/node";
import { colorsFor } from "../render/color.js";
import { diagnosticJson, renderDiagnostic } from "../render/diagnostics.js";
import { renderExplain } from "../render/explain.js";
import { compileFromDisk, displayPath, projectsFrom, UsageError } from "../files.js";
import { dataBindings } from "./eval.js";

export interface ExplainFlags {
  kpi: string;
  group?: string;
  rows: string;
  by?: string;
  where?: string;
  from?: string;
  to?: string;
  asOf?: string;
  data: string[];
  format: "text" | "json";
}

/** Parses `--group "customer.segment=smb, month=2025-07"` into dimension → label. */
export function parseGroup(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",")) {
    if (!part.trim()) continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw new UsageError(`--group takes dimension=label pairs separated by commas, not "${part.trim()}".`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
  }
  return out;
}

/** True when `key` names one of the dimensions (as written, or by its last part: `segment` for `customer.segment`). */
function namesDim(key: string, dims: string[]): boolean {
  return dims.includes(key) || dims.filter((d) => d.slice(d.lastIndexOf(".") + 1) === key).length === 1;
}

/**
 * `yardstick explain`: check, load data, explain one KPI value for one group, print the tree.
 * Exit 0 when explained, 1 when the spec or data has errors or there is nothing to explain, 2 for
 * usage errors (unknown KPI, a group that matches nothing).
 */
export async function runExplain(paths: string[], flags: ExplainFlags, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<number> {
  const projects = projectsFrom(paths);
  if (projects.length !== 1) throw new UsageError(`explain takes one spec file or one folder of specs; ${paths.join(" ")} holds ${projects.length} projects.`);
  const rows = Number(flags.rows);
  if (!Number.isInteger(rows) || rows < 0) throw new UsageError(`--rows takes a whole number, not "${flags.rows}".`);
  const sources = new Map<string, string>();
  const compiled = compileFromDisk(projects[0]!, sources);
  const c = colorsFor(err);
  const report = (ds: Diagnostic[]) => {
    for (const d of ds) err.write(renderDiagnostic(d, sources, c, displayPath) + "\n\n");
  };
  if (compiled.diagnostics.some((d) => d.severity === "error")) {
    if (flags.format === "json") out.write(JSON.stringify({ error: "The spec has errors.", diagnostics: compiled.diagnostics.map((d) => diagnosticJson(d, sources)) }, null, 2) + "\n");
    else report(compiled.diagnostics);
    return 1;
  }
  const model: Model = compiled.model;
  const kpi = model.kpis.find((k) => k.name === flags.kpi);
  if (!kpi) throw new UsageError(`Unknown KPI "${flags.kpi}". KPIs: ${model.kpis.map((k) => k.name).join(", ")}.`);
  const group = flags.group !== undefined ? parseGroup(flags.group) : undefined;
  // A group on dimensions the KPI is not grouped by regroups it: `--group "channel=phone"` on a KPI by month.
  let by = flags.by;
  const notes: string[] = [];
  if (by === undefined && group && Object.keys(group).some((k) => !namesDim(k, kpi.by.map((d) => d.name)))) {
    by = Object.keys(group).join(", ");
    notes.push(`Regrouped by ${by} (the dimensions of --group).`);
  }
  const q = compileQuery(compiled.program, [kpi.name], { by, where: flags.where }, "<query>");
  if (q.diagnostics.some((d) => d.severity === "error")) {
    for (const d of q.diagnostics) err.write(`yardstick: ${d.message}${d.hints.length ? ` (${d.hints.join(" ")})` : ""}\n`);
    return 2;
  }
  const loaded = await loadModelData(model, { overrides: dataBindings(flags.data), progress: true });
  const request: EvalRequest = { ...q.query };
  // `--by ""`: the overall value of a grouped KPI.
  if (by !== undefined && by.trim() === "") request.by = [];
  if (flags.from) request.from = flags.from;
  if (flags.to) request.to = flags.to;
  if (flags.asOf) request.asOf = flags.asOf;
  const tree = explain(model, loaded.tables, { kpi: kpi.name, ...(group ? { group } : {}), request, rows });
  tree.notes.unshift(...notes);
  const diagnostics = [...compiled.diagnostics, ...loaded.diagnostics, ...tree.diagnostics];
  const dataErrors = loaded.diagnostics.some((d) => d.severity === "error");
  if (flags.format === "json") {
    out.write(JSON.stringify({ ...tree, diagnostics: diagnostics.map((d) => diagnosticJson(d, sources)) }, null, 2) + "\n");
  } else {
    report(diagnostics.filter((d) => d.severity !== "info"));
    if (tree.error) {
      err.write(`yardstick: ${tree.error}\n`);
      if (tree.groups && tree.groups.length > 0) {
        const shown = tree.groups.slice(0, 20).map((g) => Object.entries(g).map(([k, v]) => `${k}=${v === null ? "∅" : String(v)}`).join(",") || "(all rows)");
        err.write(`The groups of "${kpi.name}" are:\n${shown.map((s) => `  --group "${s}"`).join("\n")}${tree.groups.length > 20 ? `\n  … ${tree.groups.length - 20} more` : ""}\n`);
      }
    } else {
      out.write(renderExplain(tree, kpi, colorsFor(out), displayPath) + "\n");
    }
  }
  if (tree.error) return tree.groups && tree.groups.length > 0 ? 2 : 1;
  return dataErrors ? 1 : 0;
}
