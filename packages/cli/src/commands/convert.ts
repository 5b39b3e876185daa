import { readFileSync, writeFileSync } from "node:fs";
import { isYamlSpec, kpiToYaml, yamlToKpi } from "@yardstick/language";
import { colorsFor } from "../render/color.js";
import { renderDiagnostic } from "../render/diagnostics.js";
import { displayPath, UsageError } from "../files.js";

export interface ConvertFlags {
  /** The surface to write; default: the other one. */
  to?: "yaml" | "kpi";
  /** Where to write; default standard output. */
  output?: string;
  /** `.kpi` line width for `--to kpi` (default 100, as fmt). */
  lineWidth?: number;
  /** Point `.kpi` imports at their `.kpi.yaml` twins (or back). */
  rewriteImports?: boolean;
}

/** Anything with `write`: process.stdout, or a buffer in tests. */
export interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
}

/**
 * `yardstick convert <file> [--to yaml|kpi] [-o out]`: turns a `.kpi` file into `.kpi.yaml` or
 * back, comments kept; `--to kpi` writes the canonical `fmt` layout. A file with errors is not
 * converted: its diagnostics are shown and the exit code is 1. Exit code 2 for usage and I/O
 * errors (a file that cannot be read or written).
 */
export function runConvert(file: string, flags: ConvertFlags, out: Out, err: Out): number {
  const from = isYamlSpec(file) ? "yaml" : file.endsWith(".kpi") ? "kpi" : undefined;
  if (!from) throw new UsageError(`${file} is neither a .kpi nor a .kpi.yaml file.`);
  const to = flags.to ?? (from === "kpi" ? "yaml" : "kpi");
  if (to === from) throw new UsageError(`${file} is already a ${from === "kpi" ? ".kpi" : ".kpi.yaml"} file: use --to ${from === "kpi" ? "yaml" : "kpi"}.`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    err.write(`yardstick: cannot read ${displayPath(file)}: ${(e as Error).message}\n`);
    return 2;
  }
  const importPath = flags.rewriteImports
    ? (p: string) => (to === "yaml" ? p.replace(/\.kpi$/, ".kpi.yaml") : p.replace(/\.kpi\.ya?ml$/, ".kpi"))
    : undefined;
  const options = { file, ...(importPath ? { importPath } : {}), ...(flags.lineWidth !== undefined ? { lineWidth: flags.lineWidth } : {}) };
  const r = to === "yaml" ? kpiToYaml(text, options) : yamlToKpi(text, options);
  if (r.diagnostics.length > 0) {
    const c = colorsFor(err);
    const sources = new Map([[file, text]]);
    for (const d of r.diagnostics) err.write(renderDiagnostic(d, sources, c, displayPath) + "\n\n");
    err.write(c.red(`${displayPath(file)} was not converted: fix the problems above first.`) + "\n");
    return 1;
  }
  if (flags.output === undefined || flags.output === "-") {
    out.write(r.text);
    return 0;
  }
  try {
    writeFileSync(flags.output, r.text, "utf8");
  } catch (e) {
    err.write(`yardstick: cannot write ${displayPath(flags.output)}: ${(e as Error).message}\n`);
    return 2;
  }
  err.write(`converted ${displayPath(file)} to ${displayPath(flags.output)}\n`);
  return 0;
}
