/**
 * The formatter over every real spec in the repository: examples/** and test/cases/** (globbed at
 * test time, so new cases are covered as they are added). For each file at widths 100, 60 and 40:
 * a file with syntax errors comes back unchanged with its diagnostics; any other file formats
 * without diagnostics, formatting twice equals formatting once, and the result parses to the same
 * tree (ignoring positions) with the same comments in the same order.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "../syntax/parse.js";
import { format, formatProblems } from "./format.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

function kpiFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return; // the folder may not exist (yet)
    }
    for (const n of names.sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (!n.startsWith(".") && n !== "node_modules") walk(p);
      } else if (n.endsWith(".kpi")) out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, dir));
  return out;
}

const FILES = [...kpiFiles("examples"), ...kpiFiles("test/cases")];

describe("format over the repository's specs", () => {
  it("finds specs to format", () => {
    expect(kpiFiles("examples").length).toBeGreaterThan(0);
  });

  for (const file of FILES) {
    it(file, () => {
      const text = readFileSync(join(ROOT, file), "utf8");
      for (const lineWidth of [100, 60, 40]) {
        expect(formatProblems(text, { file, lineWidth }), `width ${lineWidth}`).toEqual([]);
      }
      const parsed = parse(text, file);
      const r = format(text, { file });
      if (parsed.diagnostics.some((d) => d.severity === "error")) {
        expect(r.text).toBe(text);
        expect(r.diagnostics).toEqual(parsed.diagnostics);
      } else {
        // Short lines never break: every line of the output that is longer than the width was
        // already that long in one piece (a long string, a table row, a comment).
        for (const line of r.text.split("\n")) {
          if (line.length <= 100) continue;
          expect(/"|\||\/\//.test(line), `line over 100 characters: ${line}`).toBe(true);
        }
      }
    });
  }
});
