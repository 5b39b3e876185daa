import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { format } from "@yardstick/language";
import type { Diagnostic } from "@yardstick/model";
import { colorsFor } from "../render/color.js";
import { renderDiagnostic } from "../render/diagnostics.js";
import { displayPath, UsageError } from "../files.js";

export interface FmtFlags {
  /** Write nothing; list the files that are not formatted and exit 1 if there are any. */
  check: boolean;
  /** Target line width (default 100). */
  lineWidth?: number;
}

/** Anything with `write`: process.stdout, or a buffer in tests. */
export interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
}

/**
 * `yardstick fmt [--check] <paths>`: formats `.kpi` files in place (a file is written only when
 * its text changes); folders are searched recursively for `*.kpi` (node_modules and dot-folders
 * skipped). With `check`, nothing is written and the unformatted files are listed.
 *
 * Exit code: 0 when every file is (or now is) formatted; 1 when `check` finds unformatted files
 * or a file has syntax errors (it is left unchanged and its errors are shown); 2 when a file
 * cannot be read or written. Throws UsageError for a missing path or a named non-`.kpi` file.
 */
export function runFmt(paths: string[], flags: FmtFlags, out: Out, err: Out): number {
  const files = specFiles(paths);
  const c = colorsFor(err);
  let unformatted = 0;
  let rewritten = 0;
  let broken = 0;
  let ioErrors = 0;
  for (const file of files) {
    const shown = displayPath(file);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      err.write(`yardstick: cannot read ${shown}: ${(e as Error).message}\n`);
      ioErrors++;
      continue;
    }
    const r = format(text, { file, ...(flags.lineWidth !== undefined ? { lineWidth: flags.lineWidth } : {}) });
    if (r.diagnostics.length > 0) {
      broken++;
      const sources = new Map([[file, text]]);
      for (const d of r.diagnostics as Diagnostic[]) err.write(renderDiagnostic(d, sources, c, displayPath) + "\n\n");
      continue;
    }
    if (!r.changed) continue;
    unformatted++;
    if (flags.check) {
      out.write(`${shown}\n`);
      continue;
    }
    try {
      writeFileSync(file, r.text, "utf8");
      rewritten++;
      out.write(`formatted ${shown}\n`);
    } catch (e) {
      err.write(`yardstick: cannot write ${shown}: ${(e as Error).message}\n`);
      ioErrors++;
    }
  }

  const n = files.length;
  const filesWord = (k: number) => `${k} file${k === 1 ? "" : "s"}`;
  const parts: string[] = [];
  if (flags.check) {
    parts.push(unformatted === 0 ? `Checked ${filesWord(n)}: all formatted` : `Checked ${filesWord(n)}: ${unformatted} not formatted (run \`yardstick fmt\` on them)`);
  } else {
    parts.push(rewritten === 0 && ioErrors === 0 ? `Formatted ${filesWord(n)}: nothing to change` : `Formatted ${filesWord(n)}: ${rewritten} rewritten`);
  }
  if (broken > 0) parts.push(`${broken} with syntax errors left unchanged`);
  if (ioErrors > 0) parts.push(`${ioErrors} could not be read or written`);
  const findings = broken > 0 || ioErrors > 0 || (flags.check && unformatted > 0);
  const summary = parts.join("; ") + ".";
  (findings ? err : out).write((findings ? c.red(summary) : c.green(summary)) + "\n");
  if (ioErrors > 0) return 2;
  return findings ? 1 : 0;
}

/** The `.kpi` files named by the paths, folders searched recursively; sorted, without duplicates. */
export function specFiles(paths: string[]): string[] {
  if (paths.length === 0) throw new UsageError("Give at least one .kpi file or folder.");
  const found = new Set<string>();
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith(".") && e.name !== "node_modules") walk(p);
      } else if (e.isFile() && e.name.endsWith(".kpi")) found.add(p);
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new UsageError(`No such file or folder: ${p}`);
    if (statSync(abs).isDirectory()) walk(abs);
    else if (abs.endsWith(".kpi")) found.add(abs);
    else throw new UsageError(`${p} is not a .kpi file.`);
  }
  return [...found].sort();
}
