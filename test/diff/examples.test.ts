/**
 * The semantic diff on the example suites: a spec against itself, against its reformatted text and
 * against a copy with every comment removed is no change; one edit is exactly one change.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileProject, diffModels, format } from "@yardstick/language";
import type { Model } from "@yardstick/model";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const projects = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

/** Compiles a folder of specs; `transform` rewrites each file's text first. */
function load(name: string, transform: (text: string, file: string) => string = (t) => t): Model {
  const dir = join(EXAMPLES, name);
  const entries = readdirSync(dir).filter((f) => f.endsWith(".kpi")).sort().map((f) => join(dir, f));
  const r = compileProject(entries, {
    readFile: (p) => {
      try {
        return transform(readFileSync(p, "utf8"), p);
      } catch {
        return undefined;
      }
    },
  });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.file}: ${d.message}`).join("\n"));
  return r.model;
}

/** Drops `//` comments outside strings (the examples have no `//` inside strings). */
const stripComments = (text: string) => text.split("\n").map((l) => l.replace(/\s*\/\/.*$/, "")).join("\n");

describe.each(projects)("examples/%s", (name) => {
  const base = load(name);

  it("is no change against itself", () => {
    const d = diffModels(base, load(name));
    expect(d.identical).toBe(true);
    expect(d.affected).toEqual([]);
  });

  it("is no change against its text reformatted at another line width", () => {
    const narrow = load(name, (t) => format(t, { lineWidth: 40 }).text);
    expect(diffModels(base, narrow).identical).toBe(true);
  });

  it("is no change with every comment removed and the declarations in reverse order", () => {
    const reversed = { ...base, kpis: [...base.kpis].reverse(), datasets: [...base.datasets].reverse(), rules: [...base.rules].reverse(), tests: [...base.tests].reverse() };
    expect(diffModels(reversed, load(name, stripComments)).identical).toBe(true);
  });

  it("sees a changed target of the first KPI with a target, and nothing else", () => {
    const kpi = base.kpis.find((k) => k.target.length === 1 && k.target[0]!.when === null && k.target[0]!.value.op === "lit");
    if (!kpi) return;
    const lit = kpi.target[0]!.value as { value: number };
    const bumped: Model = structuredClone(base);
    const k = bumped.kpis.find((x) => x.name === kpi.name)!;
    (k.target[0]!.value as { value: number }).value = lit.value + 1;
    const d = diffModels(base, bumped);
    expect(d.kpis).toEqual([{
      kind: "kpi", change: "changed", name: kpi.name, label: kpi.label,
      changes: [{ field: "target", old: `${kpi.target[0]!.comparator} ${lit.value}`, new: `${kpi.target[0]!.comparator} ${lit.value + 1}` }],
      affectsValues: true,
    }]);
    expect([d.datasets, d.rules, d.tests]).toEqual([[], [], []]);
  });
});
