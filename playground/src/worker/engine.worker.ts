/// <reference lib="webworker" />
/**
 * The engine worker: checks the spec, loads the data it needs, evaluates every KPI, runs the rules
 * and the tests, and answers explain requests. It keeps loaded tables between runs (a table is
 * read again only when its dataset's declaration or its file changes), so an edit to a KPI on a
 * 1M-row dataset costs an evaluation, not a load. A newer run cancels an older one at the next
 * phase boundary (after the loads, before evaluation, rules, tests and charts); a load under way
 * is finished, since the newer run reads the same table unless the dataset's declaration changed.
 */
import { diagnostic, uniqueDiagnostics, type Dataset, type Diagnostic, type Kpi, type Model } from "@yardstick/model";
import { compile, compileQuery, resolvePath, type CompileResult } from "@yardstick/language";
import {
  checkRelations, CsvLoader, evaluatePlan, evaluateRules, explain, formatValue, JsonLoader, loadParquet, plan, runTests,
  statusTone, type EvalRequest, type LoadResult, type ResultRow, type Table, type Tables,
} from "@yardstick/engine";
import type { SpecFile } from "../editor/types";
import type { AlertView, DataFile, DatasetView, FromWorker, KpiInfo, ResultView, RunOptions, SeriesView, TestView, ToWorker } from "./protocol";
import { previewRows, sampleValues } from "./table-text";
import { cellText } from "../ui/text";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker) => scope.postMessage(m);

/** Data files by path, with their bytes once read. */
const files = new Map<string, DataFile & { data?: Promise<Uint8Array>; version: number }>();
/** Dataset name → data file path, overriding the spec's `from`. */
const bindings = new Map<string, string>();
/** Dataset name → the last load of it, keyed by its declaration and file. */
const loads = new Map<string, { key: string; result: LoadResult; ms: number; source: string }>();
let fileVersion = 0;

/** The id of the newest run asked for; an older run stops at its next check. */
let latest = 0;
let queue: Promise<void> = Promise.resolve();
/** What explain reads: the last successful run's model, tables and request. */
let last: { model: Model; tables: Tables; request: EvalRequest } | null = null;

class Cancelled extends Error {}

/** Lets pending messages in (a newer run, new data), then throws if this run is no longer the newest. */
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
function pause(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}
async function checkpoint(id: number): Promise<void> {
  await pause();
  if (id !== latest) throw new Cancelled();
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  switch (m.type) {
    case "files":
      for (const f of m.files) files.set(f.path, { ...f, data: f.bytes ? Promise.resolve(new Uint8Array(f.bytes)) : undefined, version: ++fileVersion });
      break;
    case "bind":
      for (const [ds, path] of Object.entries(m.bindings)) {
        if (path === null) bindings.delete(ds);
        else bindings.set(ds, path);
      }
      break;
    case "run":
      latest = m.id;
      queue = queue.then(() => run(m.id, m.files, m.options)).catch((err: unknown) => {
        if (err instanceof Cancelled) post({ type: "cancelled", id: m.id });
        else post({ type: "error", id: m.id, message: err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err) });
      });
      break;
    case "explain":
      queue = queue.then(() => {
        if (!last) return post({ type: "error", id: m.id, message: "Nothing has been evaluated yet." });
        const tree = explain(last.model, last.tables, { kpi: m.kpi, group: m.group, request: last.request, rows: 5 });
        post({ type: "explained", id: m.id, tree });
      });
      break;
  }
};

async function run(id: number, specFiles: SpecFile[], options: RunOptions): Promise<void> {
  const t0 = performance.now();
  if (id !== latest) throw new Cancelled();
  // Data beside the specs (an example's data/ folder) is requested now, while the spec compiles.
  const dirs = new Set(specFiles.map((f) => f.path.slice(0, f.path.lastIndexOf("/") + 1)));
  for (const [path, file] of files) if (file.url && [...dirs].some((d) => path.startsWith(d))) bytesOf(file).catch(() => undefined);
  const compiled = compile(specFiles);
  const timings: Record<string, number> = { check: performance.now() - t0 };
  const sources = new Map(specFiles.map((f) => [f.path, f.text]));
  const model = compiled.model;
  const kpis = model.kpis.map(kpiInfo);
  const specErrors = compiled.diagnostics.some((d) => d.severity === "error");
  if (specErrors) {
    post({ type: "result", id, ok: false, complete: true, kpis, results: [], series: [], alerts: [], tests: [], datasets: [], specDiagnostics: compiled.diagnostics, diagnostics: [], model: null, timings });
    return;
  }

  // The query: regrouping and filter typed in the toolbar.
  const diagnostics: Diagnostic[] = [];
  const specDiagnostics = compiled.diagnostics;
  const request: EvalRequest = {};
  if (options.asOf) request.asOf = options.asOf;
  if (options.by?.trim() || options.where?.trim()) {
    const q = compileQuery(compiled.program, model.kpis.map((k) => k.name), { by: options.by, where: options.where }, "<query>");
    diagnostics.push(...q.diagnostics);
    if (q.diagnostics.some((d) => d.severity === "error")) {
      post({ type: "result", id, ok: false, complete: true, kpis, results: [], series: [], alerts: [], tests: [], datasets: [], specDiagnostics, diagnostics, model, timings });
      return;
    }
    Object.assign(request, q.query);
  }

  // Data: every dataset with a file, loaded once per declaration and file.
  const t1 = performance.now();
  const tables: Tables = new Map();
  const datasets: DatasetView[] = [];
  // Every file the spec reads is requested at once; the loads then run one after the other.
  for (const ds of model.datasets) {
    const path = pathOf(ds);
    const file = path === null ? undefined : files.get(path);
    if (file?.url) bytesOf(file).catch(() => undefined);
  }
  for (const ds of model.datasets) {
    const view = await loadDataset(id, ds, diagnostics);
    datasets.push(view.view);
    if (view.table) tables.set(ds.name, view.table);
  }
  const related = checkRelations(model, tables);
  diagnostics.push(...related.diagnostics);
  timings.load = performance.now() - t1;
  await checkpoint(id);

  const t2 = performance.now();
  const evaluated = evaluatePlan(plan(model, request), related.tables);
  diagnostics.push(...evaluated.diagnostics);
  timings.evaluate = performance.now() - t2;
  last = { model, tables: related.tables, request };
  await checkpoint(id);

  const kpiByName = new Map(model.kpis.map((k) => [k.name, k]));
  const results = evaluated.results.map((r) => resultView(r, kpiByName.get(r.kpi)));
  // The values first; alerts, tests and charts follow in a second message.
  const first = { type: "result", id, ok: true, kpis, results, datasets, specDiagnostics, model } as const;
  post({ ...first, complete: false, alerts: [], series: [], tests: [], diagnostics: uniqueDiagnostics(diagnostics), timings });
  await checkpoint(id);

  const t3 = performance.now();
  const rules = evaluateRules(model, related.tables, { ...(request.where ? { where: request.where } : {}), ...(request.asOf ? { asOf: request.asOf } : {}) });
  diagnostics.push(...rules.diagnostics);
  const alerts: AlertView[] = rules.alerts.map((a) => ({
    rule: a.rule, label: model.rules.find((r) => r.name === a.rule)?.label ?? null, group: a.group, from: a.from, to: a.to, severity: a.severity, message: a.message,
  }));
  timings.rules = performance.now() - t3;
  await checkpoint(id);

  const t4 = performance.now();
  const report = runTests(model, { sources });
  const tests: TestView[] = report.tests.map((t) => ({
    name: t.name, file: t.file, line: t.line, passed: t.passed, expectations: t.expectations, start: t.origin.start, end: t.origin.end,
    failures: t.failures.map((f) => ({ message: f.message, expectation: f.expectation, expected: f.expected, actual: f.actual, line: f.line, file: f.file, start: f.origin.start, end: f.origin.end })),
  }));
  timings.tests = performance.now() - t4;
  await checkpoint(id);

  const t5 = performance.now();
  const series = seriesOf(compiled, related.tables, request, evaluated.results, alerts);
  timings.charts = performance.now() - t5;
  post({ ...first, complete: true, alerts, series, tests, diagnostics: uniqueDiagnostics(diagnostics), timings });
}

function kpiInfo(k: Kpi): KpiInfo {
  return {
    name: k.name, label: k.label, description: k.description, unit: k.unit, direction: k.direction,
    orientation: k.ratio?.orientation ?? null,
    file: k.origin.file, start: k.origin.start, end: k.origin.end,
  };
}

function resultView(r: ResultRow, kpi: Kpi | undefined): ResultView {
  const spec = { format: kpi?.format ?? null, unit: kpi?.unit ?? null };
  return { ...r, display: r.value === null ? "—" : formatValue(r.value, spec), targetDisplay: r.target === null ? "" : formatValue(r.target, spec), tone: statusTone(r.status, kpi) };
}

// ---------------------------------------------------------------------------------------------
// Data

/** The file a dataset reads: a bound upload, else its `from` resolved against its spec file. */
function pathOf(ds: Dataset): string | null {
  return bindings.get(ds.name) ?? (ds.source ? resolvePath(ds.origin.file, ds.source.path) : null);
}

/** A dataset's declaration without positions: an edit elsewhere in the file keeps its table. */
function declarationKey(ds: Dataset): string {
  return JSON.stringify(ds, (k, v) => (k === "origin" ? undefined : v));
}

/** A file's bytes, fetched once (concurrent callers share the request; a failed fetch is tried again next time). */
function bytesOf(f: DataFile & { data?: Promise<Uint8Array> }): Promise<Uint8Array> {
  if (f.data) return f.data;
  const url = f.url;
  if (!url) return Promise.reject(new Error(`No data for ${f.name}.`));
  f.data = fetch(url).then(async (response) => {
    if (!response.ok) throw new Error(`Cannot fetch ${f.name}: HTTP ${response.status}.`);
    return new Uint8Array(await response.arrayBuffer());
  });
  f.data.catch(() => (f.data = undefined));
  return f.data;
}

const CHUNK = 4 << 20;

async function loadDataset(id: number, ds: Dataset, diagnostics: Diagnostic[]): Promise<{ table: Table | null; view: DatasetView }> {
  const columns = ds.columns.filter((c) => !c.derived).map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, perspective: c.perspective }));
  const empty = (source: string | null): DatasetView => ({ name: ds.name, label: ds.label, source, uploaded: bindings.has(ds.name), rows: 0, skipped: 0, columns, preview: [], samples: {}, loadMs: 0 });
  const path = pathOf(ds);
  if (path === null) return { table: null, view: empty(null) };
  const file = files.get(path);
  const where = { file: ds.origin.file, span: { start: ds.origin.start, end: ds.origin.end }, data: { dataset: ds.name, path } };
  if (!file) {
    const d = diagnostic("file-not-found", { path: ds.source?.path ?? path, dataset: ds.name }, where);
    d.hints = ["The playground has the example data and the files you bring: drop a CSV, JSON or Parquet file on the Data tab to bind it to this dataset."];
    diagnostics.push(d);
    return { table: null, view: empty(null) };
  }
  const key = `${declarationKey(ds)}\u0000${path}\u0000${file.version}`;
  let entry = loads.get(ds.name);
  if (!entry || entry.key !== key) {
    post({ type: "progress", id, phase: "load", detail: file.name });
    const t = performance.now();
    let result: LoadResult;
    try {
      result = await readData(ds, file);
    } catch (err) {
      const d = diagnostic("file-not-found", { path: file.name, dataset: ds.name }, where);
      d.hints = [err instanceof Error ? err.message : String(err)];
      diagnostics.push(d);
      return { table: null, view: empty(null) };
    }
    entry = { key, result, ms: performance.now() - t, source: file.name };
    loads.set(ds.name, entry);
  }
  diagnostics.push(...entry.result.diagnostics);
  const table = entry.result.table;
  const view: DatasetView = {
    ...empty(entry.source),
    rows: table?.rowCount ?? 0,
    skipped: entry.result.rowsSkipped,
    preview: table ? previewRows(table, columns.map((c) => c.name), 20) : [],
    samples: table ? sampleValues(table, 6) : {},
    loadMs: entry.ms,
  };
  return { table, view };
}

/**
 * Reads one data file into a table. Text formats are pushed through the streaming loaders chunk
 * by chunk (a file the user brought is streamed from disk, never held whole); between chunks the
 * worker lets messages in, but finishes the load: a newer run wants the same table.
 */
async function readData(ds: Dataset, file: DataFile & { data?: Promise<Uint8Array> }): Promise<LoadResult> {
  if (file.format === "parquet") {
    const bytes = file.blob && !file.data ? new Uint8Array(await file.blob.arrayBuffer()) : await bytesOf(file);
    return loadParquet(ds, bytes, { file: file.name });
  }
  const size = file.blob?.size ?? (await bytesOf(file)).byteLength;
  const opts = { file: file.name, sizeHint: size };
  const loader = file.format === "csv"
    ? new CsvLoader(ds, { ...opts, delimiter: file.name.toLowerCase().endsWith(".tsv") ? "\t" : "," })
    : new JsonLoader(ds, { ...opts, format: file.format });
  let done = 0;
  const progress = async (n: number) => {
    done += n;
    if (size <= CHUNK) return;
    post({ type: "progress", id: latest, phase: "load", detail: `${file.name}: ${Math.round((100 * done) / size)}%` });
    await pause();
  };
  if (file.blob) {
    const reader = file.blob.stream().getReader();
    let pending = 0;
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      loader.push(value);
      // Streams give small chunks (64 kB); report and yield about every CHUNK bytes.
      pending += value.byteLength;
      if (pending >= CHUNK) {
        await progress(pending);
        pending = 0;
      }
    }
  } else {
    const bytes = await bytesOf(file);
    for (let at = 0; at < bytes.byteLength; at += CHUNK) {
      const chunk = bytes.subarray(at, Math.min(at + CHUNK, bytes.byteLength));
      loader.push(chunk);
      await progress(chunk.byteLength);
    }
  }
  return loader.finish();
}

// ---------------------------------------------------------------------------------------------
// Charts: every KPI over time

const MAX_LINES = 6;

/**
 * One series per KPI over its time bucket. A KPI grouped by a time bucket is charted as computed;
 * one without is computed again by month (plus its other dimensions), when its dataset has a time
 * column. Lines are the combinations of the other dimensions, the ones with most rows first.
 */
function seriesOf(compiled: CompileResult, tables: Tables, request: EvalRequest, rows: ResultRow[], alerts: AlertView[]): SeriesView[] {
  const model = compiled.model;
  const out: SeriesView[] = [];
  const byKpi = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const list = byKpi.get(r.kpi);
    if (list) list.push(r);
    else byKpi.set(r.kpi, [r]);
  }
  // KPIs without a time bucket, regrouped by their own dimensions plus month, one plan per grouping.
  const regroup = new Map<string, string[]>();
  const dims = request.by ?? null;
  for (const k of model.kpis) {
    const own = dims ?? k.by;
    if (own.some((d) => d.expr.op === "bucket") || !k.timeColumn) continue;
    const text = [...own.map((d) => d.name), "month"].join(", ");
    regroup.set(text, [...(regroup.get(text) ?? []), k.name]);
  }
  const monthly = new Map<string, { rows: ResultRow[]; bucket: string }>();
  for (const [by, names] of regroup) {
    const q = compileQuery(compiled.program, names, { by }, "<chart>");
    if (q.diagnostics.some((d) => d.severity === "error") || !q.query.by) continue;
    const r = evaluatePlan(plan(model, { ...request, kpis: names, by: q.query.by }), tables);
    for (const name of names) monthly.set(name, { rows: r.results.filter((x) => x.kpi === name), bucket: "month" });
  }
  for (const k of model.kpis) {
    const format = { unit: k.unit, percent: k.format?.kind === "percent", decimals: k.format?.decimals ?? null };
    const own = request.by ?? k.by;
    const bucketDim = own.find((d) => d.expr.op === "bucket");
    const source = bucketDim ? { rows: byKpi.get(k.name) ?? [], bucket: bucketDim.name } : monthly.get(k.name);
    if (!source) {
      out.push({ kpi: k.name, bucket: "", periods: [], lines: [], target: [], episodes: [], format, note: k.timeColumn ? "No values to chart." : "Its dataset has no time column." });
      continue;
    }
    out.push(chartOf(k, source.rows, source.bucket, alerts, format, model));
  }
  return out;
}

function chartOf(k: Kpi, rows: ResultRow[], bucket: string, alerts: AlertView[], format: SeriesView["format"], model: Model): SeriesView {
  const periodSet = new Set<string>();
  const lines = new Map<string, { n: number; byPeriod: Map<string, ResultRow> }>();
  for (const r of rows) {
    const period = String(r.group[bucket] ?? "");
    periodSet.add(period);
    const rest = Object.entries(r.group).filter(([name]) => name !== bucket).map(([name, v]) => `${name}=${cellText(v)}`).join(", ");
    let line = lines.get(rest);
    if (!line) lines.set(rest, (line = { n: 0, byPeriod: new Map() }));
    line.n += r.n;
    line.byPeriod.set(period, r);
  }
  const periods = [...periodSet].sort();
  const ranked = [...lines.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, MAX_LINES);
  const first = ranked[0]?.[1];
  const rulesOfKpi = new Set(model.rules.filter((r) => r.kpis.includes(k.name)).map((r) => r.name));
  return {
    kpi: k.name,
    bucket,
    periods,
    lines: ranked.map(([label, l]) => ({ label: label || k.label || k.name, values: periods.map((p) => l.byPeriod.get(p)?.value ?? null) })),
    target: periods.map((p) => first?.byPeriod.get(p)?.target ?? null),
    episodes: alerts.filter((a) => rulesOfKpi.has(a.rule)).map((a) => ({
      rule: a.rule, from: a.from, to: a.to, severity: a.severity,
      group: Object.entries(a.group).map(([n, v]) => `${n}=${cellText(v)}`).join(", "),
    })),
    format,
    ...(periods.length === 0 ? { note: "No values to chart." } : {}),
  };
}

// No warm-up compile here: on a cold load the first run is already waiting when this module has
// loaded, so a warm-up would only delay it (measured: about 160 ms in Chromium).
post({ type: "ready" });
