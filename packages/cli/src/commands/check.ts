import type { Diagnostic } from "@yardstick/model";
import { colorsFor } from "../render/color.js";
import { diagnosticJson, renderDiagnostic, summary } from "../render/diagnostics.js";
import { compileFromDisk, displayPath, projectsFrom } from "../files.js";

export interface CheckFlags {
  format: "text" | "json";
  lintPerspective?: boolean;
}

/** `yardstick check`: 0 when clean, 1 when any error is found. */
export function runCheck(paths: string[], flags: CheckFlags, out: NodeJS.WriteStream, err: NodeJS.WriteStream): number {
  const projects = projectsFrom(paths);
  const sources = new Map<string, string>();
  const all: Diagnostic[] = [];
  const seen = new Set<string>();
  let kpis = 0;
  let files = 0;
  for (const p of projects) {
    const r = compileFromDisk(p, sources, { lint: { perspective: flags.lintPerspective ?? false } });
    kpis += r.model.kpis.length;
    files += r.files.length;
    for (const d of r.diagnostics) {
      const key = `${d.file}:${d.span?.start}:${d.span?.end}:${d.code}:${d.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        all.push(d);
      }
    }
  }
  const errors = all.filter((d) => d.severity === "error").length;
  if (flags.format === "json") {
    out.write(JSON.stringify({ diagnostics: all.map((d) => diagnosticJson(d, sources)), errors, files }, null, 2) + "\n");
  } else {
    const c = colorsFor(err);
    for (const d of all) err.write(renderDiagnostic(d, sources, c, displayPath) + "\n\n");
    const line = `Checked ${files} file${files === 1 ? "" : "s"}, ${kpis} KPI${kpis === 1 ? "" : "s"}: ${summary(all)}.`;
    (errors ? err : out).write((errors ? c.red(line) : c.green(line)) + "\n");
  }
  return errors > 0 ? 1 : 0;
}
