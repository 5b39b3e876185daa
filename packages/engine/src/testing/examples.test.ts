/**
 * The example suites' own tests: every `examples/**\/*.test.kpi` must pass, and flipping any
 * single expected value in them must make its test fail with a message that names the test, the
 * KPI (or rule), the group, the expected and the actual value (the bar of issue 4).
 *
 * Mutations change the compiled model, not the text, so each file is parsed once: a test with one
 * mutated expectation is run alone with just that expectation (its other expectations pass, as the
 * first test here shows, so the test fails exactly when the mutated one does).
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { compileProject } from "@yardstick/language";
import { BUILTIN_STATUSES, type Expectation, type Model, type Test } from "@yardstick/model";
import { parsePeriod, periodLabel } from "../time/period.js";
import { runTests } from "./runner.js";
import { groupText, numberText } from "./compare.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
const EXAMPLES = join(ROOT, "examples");

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith(".test.kpi")) out.push(p);
  }
  return out;
}

function compileFile(file: string): { model: Model; sources: Map<string, string> } {
  const sources = new Map<string, string>();
  const r = compileProject([file], {
    readFile: (p) => {
      try {
        const t = readFileSync(p, "utf8");
        sources.set(p, t);
        return t;
      } catch {
        return undefined;
      }
    },
  });
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}: ${d.code}: ${d.message}`)).toEqual([]);
  return { model: r.model, sources };
}

const files = testFiles(EXAMPLES);
const compiled = new Map(files.map((f) => [f, compileFile(f)]));
const testsOf = (file: string) => compiled.get(file)!.model.tests.filter((t) => t.origin.file === file);

/** A number that no tolerance of the examples accepts in place of `v`. */
const flipNumber = (v: number) => v + Math.max(1, Math.abs(v) * 0.1);

function shiftPeriod(label: string): string {
  const p = parsePeriod(label);
  return p ? periodLabel(p.unit, p.index + 1) : `${label}x`;
}

interface Mutation {
  what: string;
  expectation: Expectation;
  /** What the failure must say: the KPI or rule, the group, the expected text. */
  kpi: string | null;
  rule: string | null;
  group: Record<string, string> | null;
  expected: string | null;
}

/** Every single-value flip of one expectation. */
function mutations(e: Expectation, model: Model): Mutation[] {
  const out: Mutation[] = [];
  if (e.kind === "value") {
    if (!e.groups) {
      const v = e.expected === null ? 0 : flipNumber(e.expected);
      out.push({ what: `${numberText(e.expected)} → ${numberText(v)}`, expectation: { ...e, expected: v }, kpi: e.kpi, rule: null, group: null, expected: numberText(v) });
    } else {
      e.groups.forEach((g, i) => {
        const v = g.value === null ? 0 : flipNumber(g.value);
        const groups = e.groups!.map((x, j) => (j === i ? { ...x, value: v } : x));
        out.push({ what: `${groupText(g.group)}: ${numberText(g.value)} → ${numberText(v)}`, expectation: { ...e, groups }, kpi: e.kpi, rule: null, group: g.group, expected: numberText(v) });
      });
    }
  } else if (e.kind === "status") {
    const labels = [...BUILTIN_STATUSES, ...(model.kpis.find((k) => k.name === e.kpi)?.status.map((s) => s.label) ?? [])];
    const other = (l: string) => labels.find((x) => x !== l)!;
    if (!e.groups) {
      const v = other(e.expected!);
      out.push({ what: `${e.expected} → ${v}`, expectation: { ...e, expected: v }, kpi: e.kpi, rule: null, group: null, expected: v });
    } else {
      e.groups.forEach((g, i) => {
        const v = other(g.value);
        const groups = e.groups!.map((x, j) => (j === i ? { ...x, value: v } : x));
        out.push({ what: `${groupText(g.group)}: ${g.value} → ${v}`, expectation: { ...e, groups }, kpi: e.kpi, rule: null, group: g.group, expected: v });
      });
    }
  } else {
    out.push({ what: e.negated ? "no alert → alert" : "alert → no alert", expectation: { ...e, negated: !e.negated }, kpi: null, rule: e.rule, group: null, expected: null });
    if (e.from) out.push({ what: `from ${e.from} → ${shiftPeriod(e.from)}`, expectation: { ...e, from: shiftPeriod(e.from) }, kpi: null, rule: e.rule, group: null, expected: null });
    if (e.to) out.push({ what: `to ${e.to} → ${shiftPeriod(e.to)}`, expectation: { ...e, to: shiftPeriod(e.to) }, kpi: null, rule: e.rule, group: null, expected: null });
    if (!e.negated && e.from && !e.firing && e.to) out.push({ what: "resolved → still firing", expectation: { ...e, firing: true, to: null }, kpi: null, rule: e.rule, group: null, expected: null });
  }
  return out;
}

describe("example tests", () => {
  it("there are example test files", () => {
    expect(files.map((f) => relative(EXAMPLES, f))).toEqual(expect.arrayContaining([
      "airline/airline.test.kpi", "customer-centric-it/customer-centric-it.test.kpi", "kpi-vectors/vectors.test.kpi",
    ]));
  });

  for (const file of files) {
    const name = relative(EXAMPLES, file);
    it(`${name}: every test passes`, () => {
      const { model, sources } = compiled.get(file)!;
      const tests = testsOf(file);
      expect(tests.length).toBeGreaterThan(0);
      const report = runTests({ ...model, tests }, { sources });
      const failures = report.tests.flatMap((t) => [
        ...t.failures.map((f) => `${f.message} (${f.expectation})`),
        ...t.diagnostics.filter((d) => d.severity === "error").map((d) => `Test "${t.name}": ${d.code}: ${d.message}`),
      ]);
      expect(failures).toEqual([]);
      expect(report.failed).toBe(0);
    });

    it(`${name}: flipping any single expected value makes its test fail, naming test, KPI, group, expected and actual`, () => {
      const { model } = compiled.get(file)!;
      const survivors: string[] = [];
      let count = 0;
      for (const test of testsOf(file)) {
        for (const e of test.expectations) {
          for (const m of mutations(e, model)) {
            count++;
            const mutated: Test = { ...test, expectations: [m.expectation] };
            const r = runTests({ ...model, tests: [mutated] }).tests[0]!;
            const where = `${test.name} / ${m.kpi ?? m.rule}: ${m.what}`;
            if (r.passed) {
              survivors.push(where);
              continue;
            }
            const f = r.failures[0]!;
            expect(f.message, where).toContain(`Test "${test.name}"`);
            if (m.kpi) expect(f.message, where).toContain(`KPI "${m.kpi}"`);
            if (m.rule) expect(f.message, where).toContain(`rule "${m.rule}"`);
            if (m.group) {
              // The failing group is the mutated one, with its expected value; the diff lists it.
              expect(f.group, where).not.toBeNull();
              expect(groupText(f.group as Record<string, string>), where).toBe(groupText(m.group));
            }
            if (m.expected) expect(f.expected.split(" ±")[0], where).toBe(m.expected);
            expect(f.message, where).toContain(`expected ${f.expected}, actual ${f.actual}`);
            expect(f.actual, where).not.toBe("");
          }
        }
      }
      expect(survivors).toEqual([]);
      expect(count).toBeGreaterThan(10);
    });
  }
});
