import type { Diagnostic } from "@yardstick/model";
import { runTests, type GroupDiff, type TestFailure, type TestResult } from "@yardstick/engine";
import { colorsFor, type Colors } from "../render/color.js";
import { diagnosticJson, renderDiagnostic } from "../render/diagnostics.js";
import { compileFromDisk, displayPath, projectsFrom } from "../files.js";

export interface TestFlags {
  format: "text" | "json";
  /** Only tests whose name contains this text. */
  filter?: string;
}

const labelOf = (g: Record<string, unknown>) => Object.values(g).map((v) => (v === null ? "∅" : String(v))).join(", ") || "(all rows)";

/** The groups of a map expectation side by side; failing lines marked. */
function renderDiff(diff: GroupDiff[], c: Colors, indent: string): string[] {
  const dims = Object.keys(diff[0]?.group ?? {});
  const header = [dims.join(", ") || "group", "expected", "actual", ""];
  const rows = diff.map((d) => [labelOf(d.group), d.expected ?? "—", d.actual ?? "—", d.status === "ok" ? "" : d.status]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]) => cells.map((s, i) => s + " ".repeat(widths[i]! - [...s].length)).join("  ").trimEnd();
  const out = [indent + "  " + c.dim(line(header))];
  diff.forEach((d, i) => {
    const mark = d.status === "ok" ? c.green("✓") : c.red("✗");
    const text = line(rows[i]!);
    out.push(`${indent}${mark} ${d.status === "ok" ? c.dim(text) : text}`);
  });
  return out;
}

function renderFailure(f: TestFailure, c: Colors): string[] {
  const where = `${displayPath(f.file)}${f.line ? `:${f.line}` : ""}`;
  const out = [`    ${c.dim(where)}  ${c.bold(f.expectation)}`];
  const subject = f.kpi ? `KPI ${f.kpi}` : f.rule ? `rule ${f.rule}` : f.kind === "fixture" ? "fixture" : "";
  const group = f.kind === "value" || f.kind === "status" ? `, group ${f.group ? labelGroup(f.group) : "(all rows)"}` : "";
  if (subject) out.push(`      ${subject}${group}`);
  out.push(`      expected: ${c.green(f.expected)}`);
  out.push(`      actual:   ${c.red(f.actual)}`);
  if (f.diff && f.diff.length > 0) out.push(...renderDiff(f.diff, c, "        "));
  return out;
}

function labelGroup(g: Record<string, unknown>): string {
  const parts = Object.entries(g).map(([k, v]) => `${k}=${v === null ? "∅" : String(v)}`);
  return parts.length ? parts.join(", ") : "(all rows)";
}

function renderTest(t: TestResult, c: Colors): string[] {
  if (t.passed) return [`  ${c.green("✓")} ${t.name}`];
  const out = [`  ${c.red("✗")} ${c.bold(t.name)}`];
  for (const f of t.failures) out.push(...renderFailure(f, c));
  const errors = t.diagnostics.filter((d) => d.severity === "error" && !t.failures.some((f) => f.actual.includes(d.message)));
  for (const d of errors) out.push(`    ${c.red("error")}${c.dim(`[${d.code}]`)}: ${d.message}`);
  return out;
}

/**
 * `yardstick test`: runs the `test` blocks of every project (a folder's `.kpi` files compiled
 * together, or a file with its imports). Exit 1 on any failing test or spec error.
 */
export function runTestCommand(paths: string[], flags: TestFlags, out: NodeJS.WriteStream, err: NodeJS.WriteStream): number {
  const projects = projectsFrom(paths);
  const sources = new Map<string, string>();
  const c = colorsFor(out);
  const ce = colorsFor(err);
  let passed = 0, failed = 0, specErrors = 0;
  const json: Array<{ project: string; tests: TestResult[]; diagnostics: Diagnostic[] }> = [];
  for (const p of projects) {
    const compiled = compileFromDisk(p, sources);
    const errors = compiled.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      specErrors += errors.length;
      if (flags.format === "text") {
        out.write(`${c.bold(p.label)}\n  ${c.red("✗")} the spec has ${errors.length} error${errors.length === 1 ? "" : "s"}; its tests did not run\n`);
        for (const d of compiled.diagnostics) err.write(renderDiagnostic(d, sources, ce, displayPath) + "\n\n");
      }
      json.push({ project: p.label, tests: [], diagnostics: compiled.diagnostics });
      continue;
    }
    const names = flags.filter ? compiled.model.tests.filter((t) => t.name.includes(flags.filter!)).map((t) => t.name) : undefined;
    const report = runTests(compiled.model, { sources, ...(names ? { only: names } : {}) });
    passed += report.passed;
    failed += report.failed;
    json.push({ project: p.label, tests: report.tests, diagnostics: compiled.diagnostics });
    if (flags.format === "text" && report.tests.length > 0) {
      const lines = [c.bold(p.label)];
      for (const t of report.tests) lines.push(...renderTest(t, c));
      out.write(lines.join("\n") + "\n");
    }
  }
  if (flags.format === "json") {
    const shown = json.map((j) => ({
      project: j.project,
      tests: j.tests.map(({ diagnostics, ...t }) => ({ ...t, diagnostics: diagnostics.map((d) => diagnosticJson(d, sources)) })),
      diagnostics: j.diagnostics.map((d) => diagnosticJson(d, sources)),
    }));
    out.write(JSON.stringify({ projects: shown, passed, failed, specErrors }, null, 2) + "\n");
  } else {
    if (specErrors > 0) out.write(c.red(`${specErrors} spec error${specErrors === 1 ? "" : "s"}`) + "\n");
    const closing = `${passed} passed, ${failed} failed`;
    out.write("\n" + (failed > 0 || specErrors > 0 ? c.red(closing) : c.green(closing)) + "\n");
  }
  return failed > 0 || specErrors > 0 ? 1 : 0;
}
