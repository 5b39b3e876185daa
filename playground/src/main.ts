/**
 * The playground page. It paints the layout, starts the engine worker on the chosen project and
 * shows results before the editor arrives: monaco is loaded with `import()` after the first paint
 * and takes the place of the read-only view of the spec.
 */
import "./styles.css";
import type { Diagnostic } from "@yardstick/model";
import type { LsDiagnostic, KpiValues } from "@yardstick/language-service";
import type { EditorHost, SpecFile } from "./editor/types";
import type { DataFile, ResultView, RunOptions } from "./worker/protocol";
import { EngineClient, type RunResult } from "./app/engine-client";
import { BLANK, EXAMPLES, exampleData, exampleFiles, formatOf } from "./app/examples";
import { decodeHash, encodeState, restore, save, type SavedState, type Upload } from "./app/share";
import { h, replace } from "./ui/dom";
import { renderResults } from "./ui/results";
import { renderAlerts, renderData, renderExplain, renderModel, renderProblems, renderTests, type Place } from "./ui/panels";

const DEFAULT_EXAMPLE = "customer-centric-it";
const RUN_DELAY = 200;
const SAVE_DELAY = 600;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// ---------------------------------------------------------------------------------------------
// State

let state: SavedState = { example: null, files: [], active: "", options: {}, uploads: [] };
/** The example's own texts, to tell an untouched example (short link) from an edited one. */
let pristineTexts = new Map<string, string>();
let last: RunResult | null = null;
let lastGood: RunResult | null = null;
let editor: EditorHost | null = null;
let editorDiagnostics: LsDiagnostic[] | null = null;
let explainTree: unknown = null;
let tab = "results";
let runTimer = 0;
let saveTimer = 0;
let runStarted = 0;
let editorRequested = false;
/** Set by start(): loads the editor once the first results are on screen. */
let loadEditorSoon: (() => void) | null = null;

/** For end-to-end tests and the curious: what the page last computed. */
const hook = {
  runs: 0,
  editorReady: false,
  get result() {
    return last;
  },
  get state() {
    return state;
  },
};
(window as unknown as { __yardstick: typeof hook }).__yardstick = hook;

const engine = new EngineClient({
  onResult(r) {
    last = r;
    if (r.ok) lastGood = r;
    hook.runs++;
    const ms = performance.now() - runStarted;
    const t = r.timings;
    setStatus(
      r.ok
        ? `${r.results.length} values · ${r.alerts.length} alert${r.alerts.length === 1 ? "" : "s"} · ${r.complete ? `tests ${r.tests.filter((x) => x.passed).length}/${r.tests.length}` : "running the tests…"} · ${Math.round(ms)} ms (check ${Math.round(t.check ?? 0)}, load ${Math.round(t.load ?? 0)}, evaluate ${Math.round(t.evaluate ?? 0)})`
        : "The spec has errors: see Problems.",
      r.ok ? "" : "bad",
    );
    editor?.setKpiValues(kpiValues(r.results));
    editor?.setColumnSamples(Object.fromEntries(r.datasets.map((d) => [d.name, d.samples])));
    render();
    if (loadEditorSoon) {
      loadEditorSoon();
      loadEditorSoon = null;
    }
  },
  onProgress(phase, detail) {
    setStatus(`${phase === "load" ? "Loading" : phase} ${detail ?? ""}…`, "busy");
  },
  onError(message) {
    setStatus(`The engine failed: ${message.split("\n")[0]}`, "bad");
    console.warn(message);
  },
});

function setStatus(text: string, tone = ""): void {
  const el = $("status");
  el.textContent = text;
  el.className = tone;
}

// ---------------------------------------------------------------------------------------------
// Running

function run(): void {
  window.clearTimeout(runTimer);
  runStarted = performance.now();
  engine.run(state.files, state.options);
}

function scheduleRun(): void {
  window.clearTimeout(runTimer);
  runTimer = window.setTimeout(run, RUN_DELAY);
}

function scheduleSave(): void {
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    save(state);
    const { hash } = encodeState(state, isPristine());
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }, SAVE_DELAY);
}

function isPristine(): boolean {
  return state.files.length === pristineTexts.size && state.files.every((f) => pristineTexts.get(f.path) === f.text);
}

/** The KPI values hover shows: the last group of each KPI (its latest period when grouped by time). */
function kpiValues(results: ResultView[]): KpiValues {
  const out: Record<string, { value: number | null; status: string | null; period: string | null }> = {};
  for (const r of results) {
    const period = Object.values(r.group).map((v) => String(v)).join(", ");
    out[r.kpi] = { value: r.value, status: r.status, period: period || null };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function texts(): Map<string, string> {
  return new Map(state.files.map((f) => [f.path, f.text]));
}

function problems(): Diagnostic[] {
  const spec: Diagnostic[] = editorDiagnostics
    ? editorDiagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, hints: d.hints, file: d.path, span: { start: d.start, end: d.end } }) as Diagnostic)
    : (last?.specDiagnostics ?? []);
  return [...spec, ...(last?.diagnostics ?? [])];
}

function reveal(p: Place): void {
  if (editor) editor.reveal(p.path, p.start, p.end);
  else {
    state.active = p.path;
    renderFiles();
    renderFallback();
  }
  document.body.classList.remove("show-output");
}

function render(): void {
  const r = last;
  const good = lastGood;
  const counts = problems();
  const errors = counts.filter((d) => d.severity === "error").length;
  badge("problems", counts.length ? String(counts.length) : "", errors ? "bad" : counts.length ? "warn" : "");
  badge("alerts", good?.alerts.length ? String(good.alerts.length) : "", good?.alerts.length ? "warn" : "");
  const failedTests = good?.tests.filter((t) => !t.passed).length ?? 0;
  if (good?.complete) badge("tests", good.tests.length ? (failedTests ? `${failedTests} ✗` : "✓") : "", failedTests ? "bad" : "good");
  const out = $("out");
  out.classList.toggle("stale", !!r && !r.ok);
  const panel = $(`panel-${tab}`);
  for (const p of out.querySelectorAll<HTMLElement>(".panel")) p.hidden = p !== panel;
  switch (tab) {
    case "results":
      if (good) {
        renderResults($("results-body"), good.results, good.kpis, explainValue, (k) => reveal({ path: k.file, start: k.start, end: k.end }));
        if (performance.getEntriesByName("yardstick:first-results").length === 0) performance.mark("yardstick:first-results");
      }
      else replace($("results-body"), h("p", { class: "empty" }, r ? "Fix the spec's errors to see results." : "Computing…"));
      break;
    case "charts":
      if (good && !good.complete) replace(panel, h("p", { class: "empty" }, "Drawing the charts…"));
      else if (good) void import("./ui/charts").then((m) => m.renderCharts(panel, good.series, good.kpis, isDark()));
      break;
    case "alerts":
      if (good) renderAlerts(panel, good.alerts, ((good.model as { rules?: unknown[] } | null)?.rules ?? []).length);
      break;
    case "tests":
      if (good && !good.complete) replace(panel, h("p", { class: "empty" }, "Running the tests…"));
      else if (good) renderTests(panel, good.tests, reveal);
      break;
    case "explain":
      renderExplain(panel, explainTree);
      break;
    case "problems":
      renderProblems(panel, counts, texts(), reveal);
      break;
    case "data":
      if (good) renderData(panel, good.datasets, good.diagnostics, { bind: bindData, unbind: unbindData });
      break;
    case "model":
      renderModel(panel, r?.ok ? r.model : null);
      break;
  }
}

function badge(name: string, text: string, tone: string): void {
  const b = document.querySelector<HTMLElement>(`[data-tab="${name}"] .badge`);
  if (!b) return;
  b.textContent = text;
  b.className = `badge ${tone}`;
}

function selectTab(name: string): void {
  tab = name;
  for (const b of document.querySelectorAll<HTMLElement>("#out-tabs [data-tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  render();
}

async function explainValue(r: ResultView): Promise<void> {
  const group = Object.fromEntries(Object.entries(r.group).map(([k, v]) => [k, String(v)]));
  explainTree = await engine.explain(r.kpi, group);
  selectTab("explain");
}

function renderFiles(): void {
  replace(
    $("files"),
    state.files.map((f) =>
      h("button", { role: "tab", "aria-selected": String(f.path === state.active), title: f.path, onclick: () => (editor ? editor.setActive(f.path) : activate(f.path)) }, f.path.slice(f.path.lastIndexOf("/") + 1)),
    ),
  );
}

function activate(path: string): void {
  state.active = path;
  renderFiles();
  renderFallback();
}

/** The read-only view of the spec shown until the editor has loaded. */
function renderFallback(): void {
  const pre = document.getElementById("fallback");
  if (pre) pre.textContent = state.files.find((f) => f.path === state.active)?.text ?? "";
}

// ---------------------------------------------------------------------------------------------
// Projects: examples, links, autosave, files

async function openExample(id: string): Promise<void> {
  const ex = id === "blank" ? BLANK : await exampleFiles(id);
  if (ex.files.length === 0) {
    setStatus(`There is no example "${id}".`, "bad");
    return openExample(DEFAULT_EXAMPLE);
  }
  for (const u of state.uploads) engine.bind({ [u.dataset]: null });
  state = { example: id, files: ex.files.map((f) => ({ ...f })), active: ex.active, options: {}, uploads: [] };
  pristineTexts = new Map(ex.files.map((f) => [f.path, f.text]));
  loaded();
}

function openState(s: SavedState): void {
  for (const u of state.uploads) engine.bind({ [u.dataset]: null });
  state = { ...s, files: s.files.map((f) => ({ ...f })) };
  pristineTexts = new Map();
  for (const u of state.uploads) {
    if (u.text === undefined && !u.bytes) continue;
    const path = uploadPath(u);
    engine.addFiles([{ path, name: u.name, format: u.format, bytes: u.bytes ?? (new TextEncoder().encode(u.text!).buffer as ArrayBuffer) }]);
    engine.bind({ [u.dataset]: path });
  }
  loaded();
}

/** After a project was opened: files, editor, toolbar, a first run. */
function loaded(): void {
  if (!state.files.some((f) => f.path === state.active)) state.active = state.files[0]?.path ?? "";
  ($("gallery") as HTMLSelectElement).value = state.example && isPristine() ? state.example : "";
  ($("q-by") as HTMLInputElement).value = state.options.by ?? "";
  ($("q-where") as HTMLInputElement).value = state.options.where ?? "";
  ($("q-asof") as HTMLInputElement).value = state.options.asOf ?? "";
  explainTree = null;
  renderFiles();
  renderFallback();
  editor?.setFiles(state.files, state.active);
  run();
  scheduleSave();
}

const uploadPath = (u: Pick<Upload, "dataset" | "name">) => `upload:${u.dataset}/${u.name}`;

async function bindData(dataset: string, file: File | { name: string; text: string }): Promise<void> {
  const format = formatOf(file.name) ?? "csv";
  // A picked or dropped file goes to the worker as a handle, which streams it: the page never
  // reads it. Text data up to 5 MB is also kept as text, for links and the autosave.
  const size = file instanceof File ? file.size : file.text.length;
  const text = format === "parquet" ? undefined : file instanceof File ? (size <= 5_000_000 ? await file.text() : undefined) : file.text;
  const upload: Upload = { dataset, name: file.name, format, text };
  state.uploads = [...state.uploads.filter((u) => u.dataset !== dataset), upload];
  const path = uploadPath(upload);
  if (file instanceof File) engine.addFiles([{ path, name: file.name, format, blob: file }]);
  else engine.addFiles([{ path, name: file.name, format, bytes: new TextEncoder().encode(file.text).buffer as ArrayBuffer }], true);
  engine.bind({ [dataset]: path });
  setStatus(`Bound ${file.name} (${size < 1e6 ? `${Math.max(1, Math.round(size / 1e3))} kB` : `${(size / 1e6).toFixed(1)} MB`}) to ${dataset}.`);
  run();
  scheduleSave();
}

function unbindData(dataset: string): void {
  state.uploads = state.uploads.filter((u) => u.dataset !== dataset);
  engine.bind({ [dataset]: null });
  run();
  scheduleSave();
}

/** Files from the Upload button or a drop on the page: specs join the project, data binds by name. */
async function openFiles(list: FileList | File[]): Promise<void> {
  const dir = state.active.includes("/") ? state.active.slice(0, state.active.lastIndexOf("/")) : "";
  let added = false;
  for (const f of Array.from(list)) {
    if (f.name.endsWith(".kpi") || f.name.endsWith(".kpi.yaml") || f.name.endsWith(".kpi.yml")) {
      const path = `${dir}/${f.name}`;
      const text = await f.text();
      state.files = [...state.files.filter((x) => x.path !== path), { path, text }];
      state.active = path;
      added = true;
    } else if (formatOf(f.name)) {
      const stem = f.name.replace(/\.[^.]+$/, "").toLowerCase();
      const datasets = lastGood?.datasets ?? [];
      const match = datasets.find((d) => d.name.toLowerCase() === stem || d.name.toLowerCase() === stem.replace(/-/g, "_") || (d.source ?? "").toLowerCase().endsWith(`/${f.name.toLowerCase()}`));
      if (match) await bindData(match.name, f);
      else {
        setStatus(`No dataset is called "${stem}": pick the dataset for ${f.name} on the Data tab.`, "bad");
        selectTab("data");
      }
    } else setStatus(`${f.name} is neither a spec (.kpi) nor data (.csv, .json, .ndjson, .parquet).`, "bad");
  }
  if (added) {
    renderFiles();
    renderFallback();
    editor?.setFiles(state.files, state.active);
    run();
    scheduleSave();
  }
}

function download(): void {
  const f = state.files.find((x) => x.path === state.active);
  if (!f) return;
  const a = h("a", { href: URL.createObjectURL(new Blob([f.text], { type: "text/plain" })), download: f.path.slice(f.path.lastIndexOf("/") + 1) });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function share(): Promise<void> {
  const { hash, dataLeftOut } = encodeState(state, isPristine());
  history.replaceState(null, "", hash);
  const url = location.href;
  const note = dataLeftOut.length ? ` without ${dataLeftOut.join(", ")} (too large for a link, or binary): the recipient binds their own copy` : "";
  try {
    await navigator.clipboard.writeText(url);
    setStatus(`Link copied${note}.`);
  } catch {
    window.prompt(`Copy this link${note}:`, url);
  }
}

// ---------------------------------------------------------------------------------------------
// Theme

function isDark(): boolean {
  return document.documentElement.dataset.theme === "dark";
}

function applyTheme(choice: string | null): void {
  const dark = choice ? choice === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  editor?.setTheme(dark);
  if (tab === "charts") render();
}

// ---------------------------------------------------------------------------------------------
// Start

function wire(): void {
  const gallery = $("gallery") as HTMLSelectElement;
  replace(gallery, h("option", { value: "" }, "Examples…"), EXAMPLES.map((e) => h("option", { value: e.id, title: e.summary }, e.title)), h("option", { value: "blank" }, "Blank template"));
  gallery.addEventListener("change", () => gallery.value && void openExample(gallery.value));
  $("run").addEventListener("click", run);
  $("format").addEventListener("click", () => editor?.format());
  $("share").addEventListener("click", () => void share());
  $("download").addEventListener("click", download);
  const upload = $("upload") as HTMLInputElement;
  upload.addEventListener("change", () => {
    if (upload.files) void openFiles(upload.files);
    upload.value = "";
  });
  $("upload-button").addEventListener("click", () => upload.click());
  $("theme").addEventListener("click", () => {
    const next = isDark() ? "light" : "dark";
    localStorage.setItem("yardstick.theme", next);
    applyTheme(next);
  });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => applyTheme(localStorage.getItem("yardstick.theme")));
  $("view-toggle").addEventListener("click", () => document.body.classList.toggle("show-output"));
  for (const b of document.querySelectorAll<HTMLElement>("#out-tabs [data-tab]")) b.addEventListener("click", () => selectTab(b.dataset.tab!));
  const query = () => {
    const opts: RunOptions = {};
    const by = ($("q-by") as HTMLInputElement).value.trim();
    const where = ($("q-where") as HTMLInputElement).value.trim();
    const asOf = ($("q-asof") as HTMLInputElement).value.trim();
    if (by) opts.by = by;
    if (where) opts.where = where;
    if (asOf) opts.asOf = asOf;
    state.options = opts;
    scheduleRun();
    scheduleSave();
  };
  for (const id of ["q-by", "q-where", "q-asof"]) $(id).addEventListener("input", query);
  document.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    if (e.key === "Enter") {
      e.preventDefault();
      run();
    } else if (e.key === "s" || e.key === "S") {
      e.preventDefault();
      void share();
    }
  });
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", (e) => {
    if (e.defaultPrevented) return;
    e.preventDefault();
    if (e.dataTransfer?.files.length) void openFiles(e.dataTransfer.files);
  });
  window.addEventListener("hashchange", () => void openFromHash(false));
}

/** Opens what the URL's hash says; returns false when it says nothing. */
async function openFromHash(initial: boolean): Promise<boolean> {
  const decoded = decodeHash(location.hash);
  if (!decoded) return false;
  if (decoded.kind === "example") {
    if (!initial && state.example === decoded.id && isPristine()) return true;
    await openExample(decoded.id);
  } else if (decoded.kind === "state") {
    if (!initial && encodeState(state, isPristine()).hash === location.hash) return true;
    openState(decoded.state);
  } else {
    setStatus(decoded.reason, "bad");
    return false;
  }
  return true;
}

async function loadEditor(): Promise<void> {
  const { mountEditor } = await import("./editor/monaco-adapter");
  const container = $("editor");
  replace(container);
  editor = mountEditor({
    container,
    files: state.files,
    active: state.active,
    dark: isDark(),
    onChange(files: SpecFile[]) {
      state.files = files;
      if (state.example && !isPristine()) ($("gallery") as HTMLSelectElement).value = "";
      scheduleRun();
      scheduleSave();
    },
    onDiagnostics(ds) {
      editorDiagnostics = ds;
      if (tab === "problems") render();
      else {
        const errors = ds.filter((d) => d.severity === "error").length;
        const all = ds.length + (last?.diagnostics.length ?? 0);
        badge("problems", all ? String(all) : "", errors ? "bad" : all ? "warn" : "");
      }
    },
    onActiveChange(path) {
      state.active = path;
      renderFiles();
      scheduleSave();
    },
    onRun: run,
    onShare: () => void share(),
  });
  if (last) {
    editor.setKpiValues(kpiValues(last.results));
    editor.setColumnSamples(Object.fromEntries((lastGood?.datasets ?? []).map((d) => [d.name, d.samples])));
  }
  hook.editorReady = true;
  document.body.classList.add("editor-ready");
}

async function start(): Promise<void> {
  applyTheme(localStorage.getItem("yardstick.theme"));
  wire();
  engine.addFiles([...exampleData(), BLANK.data as DataFile]);
  if (!(await openFromHash(true))) {
    const saved = restore();
    if (saved) openState(saved);
    else await openExample(DEFAULT_EXAMPLE);
  }
  // The editor after the first results (or after 3 s at the latest): parsing monaco's 4 MB would
  // otherwise compete with the engine worker for the CPU during the cold load.
  const editorLoad = () => {
    if (editorRequested) return;
    editorRequested = true;
    void loadEditor().catch((err: unknown) => setStatus(`The editor failed to load: ${String(err)}`, "bad"));
  };
  loadEditorSoon = () => requestAnimationFrame(() => setTimeout(editorLoad, 0));
  setTimeout(editorLoad, 3000);
}

void start();
