/**
 * The YAML surface against every example suite: each `.kpi` file converted to `.kpi.yaml` (imports
 * pointing at the YAML twins) compiles to the same model, evaluates to the same results on the
 * example data and passes the same tests; converting back gives the `fmt` text of the original.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject, format, kpiToYaml, yamlToKpi, type CompileResult } from "@yardstick/language";
import { evaluate, runTests } from "@yardstick/engine";
import { loadModelData } from "@yardstick/engine/node";

const root = join(import.meta.dirname, "..", "..", "examples");
const suites = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory());

const ORIGIN_KEYS = ["origin", "rowOrigins", "files"];

/**
 * A model or result without where it came from (file names and offsets differ between the twins);
 * `also` lists more such keys (a test report quotes source lines).
 */
function withoutOrigins(v: unknown, also: string[] = []): unknown {
  if (Array.isArray(v)) return v.map((x) => withoutOrigins(x, also));
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (ORIGIN_KEYS.includes(k) || also.includes(k)) continue;
    out[k] = withoutOrigins(x, also);
  }
  return out;
}

const twin = (p: string) => (p.endsWith(".kpi") ? `${p}.yaml` : p);

describe.each(suites)("example suite %s as YAML", (suite) => {
  const dir = join(root, suite);
  const files = readdirSync(dir).filter((f) => f.endsWith(".kpi")).map((f) => join(dir, f));
  const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
  const yaml = new Map<string, string>();
  for (const f of files) {
    const r = kpiToYaml(texts.get(f)!, { file: f, importPath: twin });
    yaml.set(twin(f), r.text);
  }
  const compileKpi = () => compileProject(files, { readFile: (p) => texts.get(p) });
  const compileYaml = () => compileProject(files.map(twin), { readFile: (p) => yaml.get(p) });

  it("every file converts", () => {
    for (const f of files) expect(kpiToYaml(texts.get(f)!, { file: f, importPath: twin }).diagnostics).toEqual([]);
  });

  it("the YAML twin checks clean and gives an identical model", () => {
    const a = compileKpi();
    const b = compileYaml();
    expect(b.diagnostics.map((d) => `${d.file}: ${d.code} ${d.message}`)).toEqual([]);
    expect(a.diagnostics).toEqual([]);
    expect(b.model.kpis.length).toBeGreaterThan(0);
    expect(withoutOrigins(b.model)).toEqual(withoutOrigins(a.model));
  });

  it("the YAML twin evaluates to identical results and test reports", async () => {
    const results = async (r: CompileResult) => {
      const { tables, diagnostics } = await loadModelData(r.model, { progress: false });
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const ev = evaluate(r.model, tables);
      return {
        results: withoutOrigins(ev.results),
        diagnostics: withoutOrigins(ev.diagnostics, ["file", "span"]),
        tests: withoutOrigins(runTests(r.model), ["file", "line", "text", "span"]),
      };
    };
    const a = await results(compileKpi());
    const b = await results(compileYaml());
    expect((a.results as unknown[]).length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it.each(files.map((f) => [f.slice(root.length + 1), f]))("%s: .kpi → YAML → .kpi is its fmt text", (_name, f) => {
    const text = texts.get(f)!;
    const y = kpiToYaml(text, { file: f });
    expect(y.diagnostics).toEqual([]);
    const back = yamlToKpi(y.text, { file: twin(f) });
    expect(back.diagnostics).toEqual([]);
    expect(back.text).toBe(format(text, { file: f }).text);
    // And YAML → .kpi → YAML is stable.
    expect(kpiToYaml(back.text, { file: f }).text).toBe(y.text);
  });
});
