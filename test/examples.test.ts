import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject, format } from "@yardstick/language";

const root = join(import.meta.dirname, "..", "examples");
const suites = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory());

function specs(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".kpi")).map((f) => join(dir, f));
}

describe.each(suites)("example suite %s", (suite) => {
  const files = specs(join(root, suite));

  it("checks clean: no errors, no warnings, every KPI in the model", () => {
    const r = compileProject(files, { readFile: (p) => readFileSync(p, "utf8") }, { validate: true });
    expect(r.diagnostics.map((d) => `${d.file}: ${d.code} ${d.message}`)).toEqual([]);
    const declared = files.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/^kpi\s+([A-Za-z_][A-Za-z0-9_]*)/gm)].map((m) => m[1]));
    expect(r.model.kpis.map((k) => k.name).sort()).toEqual([...new Set(declared)].sort());
  });

  it.each(files.map((f) => [f.slice(root.length + 1), f]))("%s is in the canonical layout (yardstick fmt --check)", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const r = format(text, { file });
    expect(r.diagnostics).toEqual([]);
    expect(r.changed).toBe(false);
  });
});
