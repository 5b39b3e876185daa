import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import type { Diagnostic, Kpi, Model } from "@yardstick/model";
import { compileProject, diffModels, kpiDatasets, type CompileResult, type ModelDiff } from "@yardstick/language";
import { evaluate, type ResultRow } from "@yardstick/engine";
import { loadModelData } from "@yardstick/engine/node";
import { colorsFor } from "../render/color.js";
import { diagnosticJson, renderDiagnostic } from "../render/diagnostics.js";
import { renderDiffMarkdown, renderDiffText } from "../render/diff.js";
import { displayPath, projectsFrom, UsageError } from "../files.js";
import { dataBindings } from "./eval.js";

export interface DiffFlags {
  data: string[];
  format: "text" | "json" | "markdown";
  /** false: compare definitions only, evaluate nothing. */
  values: boolean;
  asOf?: string;
}

/** How one group of a KPI moved from the old spec to the new one. */
export interface GroupDelta {
  group: ResultRow["group"];
  old: number | null;
  new: number | null;
  /** new − old, when both are numbers. */
  delta: number | null;
  oldStatus: string | null;
  newStatus: string | null;
  oldN: number | null;
  newN: number | null;
  /**
   * improved / worsened: the status moved up or down the KPI's status order, or (same status) the
   * value moved in or against the KPI's direction. added / removed: the group exists on one side only.
   * changed: moved in a way that has no direction (to or from no value, insufficient data).
   */
  change: "improved" | "worsened" | "unchanged" | "changed" | "added" | "removed";
}

export interface KpiValues {
  /** The KPI's new name. */
  kpi: string;
  oldName: string;
  /** Why it is evaluated: its definition changed, it was renamed, or it reads a change. */
  reason: "changed" | "renamed" | "affected";
  /** null when the values could not be computed (see `skipped`). */
  groups: GroupDelta[] | null;
  skipped?: string;
}

export interface DiffReport {
  old: string;
  new: string;
  diff: ModelDiff;
  /** null when values were not computed (`--no-values`, or nothing to evaluate). */
  values: KpiValues[] | null;
  notes: string[];
  /** For rendering: the KPIs of each side by name. */
  oldKpis: Map<string, Kpi>;
  newKpis: Map<string, Kpi>;
}

interface Side {
  arg: string;
  label: string;
  entries: string[];
  /** The text read from stdin, standing in for the file at `path`. */
  stdin?: { path: string; text: string };
}

const toPosix = (p: string) => (sep === "/" ? p : p.split(sep).join("/"));
const fromPosix = (p: string) => (sep === "/" ? p : p.split("/").join(sep));

/** Reads all of stdin (fd 0). */
export function readStdin(): string {
  return readFileSync(0, "utf8");
}

/**
 * `yardstick diff <old> <new>`: the semantic diff of two versions of a spec, and with data, how each
 * changed KPI's values move. Exit 0 whatever changed; 1 when either version has errors (or its data
 * does); usage and I/O errors throw UsageError (exit 2).
 */
export async function runDiff(
  oldArg: string,
  newArg: string,
  flags: DiffFlags,
  out: NodeJS.WriteStream,
  err: NodeJS.WriteStream,
  stdin: () => string = readStdin,
): Promise<number> {
  const [oldSide, newSide] = sides(oldArg, newArg, stdin);
  const oldSources = new Map<string, string>(), newSources = new Map<string, string>();
  const oldC = compileSide(oldSide, oldSources), newC = compileSide(newSide, newSources);
  const ce = colorsFor(err);
  const shown = (s: Side) => (p: string) => (s.stdin && p === s.stdin.path ? `<stdin as ${displayPath(p)}>` : displayPath(p));
  const oldErrors = oldC.diagnostics.filter((d) => d.severity === "error");
  const newErrors = newC.diagnostics.filter((d) => d.severity === "error");
  if (oldErrors.length || newErrors.length) {
    if (flags.format === "json") {
      out.write(JSON.stringify({ old: oldSide.label, new: newSide.label, diagnostics: { old: oldErrors.map((d) => diagnosticJson(d, oldSources)), new: newErrors.map((d) => diagnosticJson(d, newSources)) } }, null, 2) + "\n");
    } else {
      for (const [side, errors, sources] of [[oldSide, oldErrors, oldSources], [newSide, newErrors, newSources]] as const) {
        if (!errors.length) continue;
        err.write(ce.bold(`${side === oldSide ? "old" : "new"} (${side.label}): ${errors.length} error${errors.length === 1 ? "" : "s"}`) + "\n");
        for (const d of errors) err.write(renderDiagnostic(d, sources, ce, shown(side)) + "\n\n");
      }
      err.write(ce.red("yardstick diff compares two versions that check clean; fix the errors above first.") + "\n");
    }
    return 1;
  }

  const diff = diffModels(oldC.model, newC.model);
  const report: DiffReport = {
    old: oldSide.label,
    new: newSide.label,
    diff,
    values: null,
    notes: [],
    oldKpis: new Map(oldC.model.kpis.map((k) => [k.name, k])),
    newKpis: new Map(newC.model.kpis.map((k) => [k.name, k])),
  };
  let dataErrors = 0;
  const dataDiagnostics: Array<Record<string, unknown>> = [];
  if (flags.values) {
    const r = await valueDiff(oldC.model, newC.model, diff, flags, report.notes);
    report.values = r.values;
    // Both sides usually read the same files: show each data problem once.
    const seen = new Set<string>();
    for (const { d, side } of r.diagnostics) {
      const key = `${d.code}|${d.message}|${d.file ?? ""}|${d.line ?? ""}|${d.column ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (d.severity === "error") dataErrors++;
      const s = side === "old" ? oldSide : newSide, sources = side === "old" ? oldSources : newSources;
      if (flags.format === "json") dataDiagnostics.push({ side, ...diagnosticJson(d, sources) });
      else err.write(renderDiagnostic(d, sources, ce, shown(s)) + "\n\n");
    }
  } else if (flags.data.length) {
    throw new UsageError("--data and --no-values do not go together.");
  }

  switch (flags.format) {
    case "json":
      out.write(JSON.stringify({ old: report.old, new: report.new, diff: report.diff, values: report.values, notes: report.notes, diagnostics: dataDiagnostics }, null, 2) + "\n");
      break;
    case "markdown":
      out.write(renderDiffMarkdown(report));
      break;
    default:
      out.write(renderDiffText(report, colorsFor(out)));
  }
  return dataErrors > 0 ? 1 : 0;
}

// ------------------------------------------------------------------------------------ sides

function sides(oldArg: string, newArg: string, stdin: () => string): [Side, Side] {
  if (oldArg === "-" && newArg === "-") throw new UsageError("Only one side can be `-` (stdin).");
  if (oldArg === "-" || newArg === "-") {
    const fileArg = oldArg === "-" ? newArg : oldArg;
    const file = resolve(fileArg);
    if (!existsSync(file)) throw new UsageError(`No such file or folder: ${fileArg}`);
    if (statSync(file).isDirectory()) {
      throw new UsageError(`With \`-\`, the other side must be the .kpi file the piped text is a version of, e.g. git show HEAD:${fileArg}/kpis.kpi | yardstick diff - ${fileArg}/kpis.kpi`);
    }
    const path = projectsFrom([fileArg])[0]!.entries.map(toPosix)[0]!; // a spec file, or a UsageError
    const text = stdin();
    // The piped version stands in for the file it is a version of: its imports and data paths
    // resolve from that file's directory.
    const piped: Side = { arg: "-", label: `- (stdin, as ${fileArg})`, entries: [path], stdin: { path, text } };
    const onDisk: Side = { arg: fileArg, label: fileArg, entries: [path] };
    return oldArg === "-" ? [piped, onDisk] : [onDisk, piped];
  }
  return [diskSide(oldArg), diskSide(newArg)];
}

function diskSide(arg: string): Side {
  const projects = projectsFrom([arg]);
  if (projects.length !== 1) {
    throw new UsageError(`diff compares one spec file or one folder of specs on each side; ${arg} holds ${projects.length} projects (${projects.map((p) => p.label).join(", ")}).`);
  }
  return { arg, label: arg, entries: projects[0]!.entries.map(toPosix) };
}

function compileSide(side: Side, sources: Map<string, string>): CompileResult {
  return compileProject(side.entries, {
    readFile(path) {
      if (side.stdin && path === side.stdin.path) {
        sources.set(path, side.stdin.text);
        return side.stdin.text;
      }
      try {
        const text = readFileSync(fromPosix(path), "utf8");
        sources.set(path, text);
        return text;
      } catch {
        return undefined;
      }
    },
  });
}

// ----------------------------------------------------------------------------------- values

interface Target { oldName: string; newName: string; reason: KpiValues["reason"] }

/** KPIs whose values may have moved: changed, renamed, or reading a change. */
function targetsOf(diff: ModelDiff): Target[] {
  const back = new Map(Object.entries(diff.renames.kpis).map(([o, n]) => [n, o]));
  const out: Target[] = [];
  for (const k of diff.kpis) {
    if (k.change === "changed" || k.change === "renamed") out.push({ oldName: k.oldName ?? k.name, newName: k.name, reason: k.change });
  }
  for (const a of diff.affected) {
    if (a.kind !== "kpi" || out.some((t) => t.newName === a.name)) continue;
    out.push({ oldName: back.get(a.name) ?? a.name, newName: a.name, reason: "affected" });
  }
  return out;
}

/** The datasets a KPI needs (its own, and those of the KPIs it reads), and the relation targets to check them against. */
function neededDatasets(model: Model, kpi: string): { required: Set<string>; related: Set<string> } {
  const kpis = new Map(model.kpis.map((k) => [k.name, k]));
  const required = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const k = kpis.get(name);
    if (!k) return;
    for (const d of kpiDatasets(k)) required.add(d);
    for (const d of k.dependsOn) visit(d);
  };
  visit(kpi);
  const datasets = new Map(model.datasets.map((d) => [d.name, d]));
  const related = new Set(required);
  const stack = [...required];
  while (stack.length) {
    for (const r of datasets.get(stack.pop()!)?.relations ?? []) {
      if (!related.has(r.dataset)) {
        related.add(r.dataset);
        stack.push(r.dataset);
      }
    }
  }
  return { required, related };
}

type SideName = "old" | "new";

async function valueDiff(
  oldModel: Model,
  newModel: Model,
  diff: ModelDiff,
  flags: DiffFlags,
  notes: string[],
): Promise<{ values: KpiValues[] | null; diagnostics: Array<{ d: Diagnostic; side: SideName }> }> {
  const bindings = dataBindings(flags.data);
  const dsRenames = new Map(Object.entries(diff.renames.datasets));
  const dsBack = new Map([...dsRenames].map(([o, n]) => [n, o]));
  for (const [name, path] of bindings) {
    if (!oldModel.datasets.some((d) => d.name === name) && !newModel.datasets.some((d) => d.name === name)) {
      throw new UsageError(`--data ${name}=${path}: neither version has a dataset "${name}". Datasets: ${newModel.datasets.map((d) => d.name).join(", ")}.`);
    }
    if (!existsSync(path) || statSync(path).isDirectory()) throw new UsageError(`--data ${name}=${path}: no such file.`);
  }
  const targets = targetsOf(diff);
  if (targets.length === 0) return { values: null, diagnostics: [] };

  // Both versions read the same data, so the deltas come from the definitions alone: --data,
  // else the new spec's source (resolved from the file that declares it), else the old spec's own.
  const sourceOf = (model: Model, name: string): string | null => {
    const ds = model.datasets.find((d) => d.name === name);
    return ds?.source ? resolve(dirname(fromPosix(ds.origin.file)), ds.source.path) : null;
  };
  const pathFor = (side: SideName, name: string): string | null => {
    const newName = side === "old" ? dsRenames.get(name) ?? name : name;
    const oldName = side === "new" ? dsBack.get(name) ?? name : name;
    return bindings.get(name) ?? bindings.get(newName) ?? bindings.get(oldName) ?? sourceOf(newModel, newName) ?? (side === "old" ? sourceOf(oldModel, name) : null);
  };

  const diagnostics: Array<{ d: Diagnostic; side: SideName }> = [];
  const evaluateSide = async (side: SideName, model: Model, names: string[]) => {
    const needs = new Map(names.map((n) => [n, neededDatasets(model, n)]));
    const overrides = new Map<string, string>();
    const missing = new Map<string, string>();
    const load = new Set<string>();
    for (const { related } of needs.values()) {
      for (const ds of related) {
        const path = pathFor(side, ds);
        if (path === null) missing.set(ds, `dataset ${ds} has no data (give --data ${ds}=PATH)`);
        else if (!existsSync(path)) missing.set(ds, `${displayPath(path)} not found (give --data ${ds}=PATH)`);
        else {
          overrides.set(ds, path);
          load.add(ds);
        }
      }
    }
    const loaded = await loadModelData(model, { overrides, only: load, progress: true });
    for (const d of loaded.diagnostics) diagnostics.push({ d, side });
    const rows = new Map<string, ResultRow[]>();
    const skipped = new Map<string, string>();
    const run: string[] = [];
    for (const [name, { required }] of needs) {
      const gone = [...required].filter((ds) => missing.has(ds) || !loaded.tables.has(ds));
      if (gone.length) skipped.set(name, gone.map((ds) => missing.get(ds) ?? `dataset ${ds} did not load (see the data errors)`).join("; "));
      else run.push(name);
    }
    if (run.length) {
      const result = evaluate(model, loaded.tables, { kpis: run, ...(flags.asOf ? { asOf: flags.asOf } : {}) });
      for (const d of result.diagnostics) if (d.severity === "error") diagnostics.push({ d, side });
      for (const r of result.results) rows.set(r.kpi, [...(rows.get(r.kpi) ?? []), r]);
    }
    return { rows, skipped };
  };

  const oldRun = await evaluateSide("old", oldModel, targets.map((t) => t.oldName));
  const newRun = await evaluateSide("new", newModel, targets.map((t) => t.newName));
  const oldKpis = new Map(oldModel.kpis.map((k) => [k.name, k]));
  const newKpis = new Map(newModel.kpis.map((k) => [k.name, k]));
  const values: KpiValues[] = targets.map((t) => {
    const skipped = oldRun.skipped.get(t.oldName) ?? newRun.skipped.get(t.newName);
    const base: KpiValues = { kpi: t.newName, oldName: t.oldName, reason: t.reason, groups: null };
    if (skipped) return { ...base, skipped };
    return { ...base, groups: compareRows(oldRun.rows.get(t.oldName) ?? [], newRun.rows.get(t.newName) ?? [], oldKpis.get(t.oldName)!, newKpis.get(t.newName)!) };
  });
  const paths = [...new Set(targets.flatMap((t) => [...neededDatasets(newModel, t.newName).related]).map((ds) => pathFor("new", ds)).filter((p): p is string => p !== null && existsSync(p)))];
  if (paths.length) notes.push(`Both versions evaluated on the same data: ${paths.map(displayPath).join(", ")}.`);
  return { values, diagnostics };
}

const groupKey = (g: ResultRow["group"]) => JSON.stringify(Object.entries(g));

/** The rank of a status, 0 = best, 1 = worst; null when it has no place in an order. */
function statusRank(kpi: Kpi, status: string | null): number | null {
  if (status === null || status === "insufficient_data") return null;
  if (kpi.status.length > 1) {
    const i = kpi.status.findIndex((s) => s.label === status);
    return i < 0 ? null : i / (kpi.status.length - 1);
  }
  return status === "on_target" ? 0 : status === "off_target" ? 1 : null;
}

const same = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

export function compareRows(oldRows: ResultRow[], newRows: ResultRow[], oldKpi: Kpi, newKpi: Kpi): GroupDelta[] {
  const olds = new Map(oldRows.map((r) => [groupKey(r.group), r]));
  const out: GroupDelta[] = [];
  const seen = new Set<string>();
  for (const n of newRows) {
    const key = groupKey(n.group);
    const o = olds.get(key);
    seen.add(key);
    if (!o) {
      out.push({ group: n.group, old: null, new: n.value, delta: null, oldStatus: null, newStatus: n.status, oldN: null, newN: n.n, change: "added" });
      continue;
    }
    const delta = o.value !== null && n.value !== null ? n.value - o.value : null;
    out.push({ group: n.group, old: o.value, new: n.value, delta, oldStatus: o.status, newStatus: n.status, oldN: o.n, newN: n.n, change: movement(o, n, oldKpi, newKpi) });
  }
  for (const o of oldRows) {
    if (seen.has(groupKey(o.group))) continue;
    out.push({ group: o.group, old: o.value, new: null, delta: null, oldStatus: o.status, newStatus: null, oldN: o.n, newN: null, change: "removed" });
  }
  return out;
}

function movement(o: ResultRow, n: ResultRow, oldKpi: Kpi, newKpi: Kpi): GroupDelta["change"] {
  const ro = statusRank(oldKpi, o.status), rn = statusRank(newKpi, n.status);
  if (o.status !== n.status && ro !== null && rn !== null && ro !== rn) return rn < ro ? "improved" : "worsened";
  if (o.value === null || n.value === null) return o.value === n.value && o.status === n.status ? "unchanged" : "changed";
  if (same(o.value, n.value)) return o.status === n.status ? "unchanged" : "changed";
  const up = n.value > o.value;
  return up === (newKpi.direction === "higher") ? "improved" : "worsened";
}
