/**
 * The playground's editor: monaco with the `kpi` language, backed by @yardstick/language-service.
 * This is the only module that imports monaco; the app loads it with `import()` after the first
 * paint and talks to it through `EditorHost` (./types.ts).
 *
 * - Highlighting: a TokensProvider over the language's own lexer (./highlight.ts).
 * - One model per spec file; the single editor swaps models and keeps each file's view state.
 * - Diagnostics of the whole project (imports resolve across files) after each edit, debounced
 *   by DIAGNOSE_DELAY_MS, as markers of owner `kpi` on every model.
 * - Completion, hover (with sample values of columns), quick fixes and formatting from the
 *   language service; Ctrl/Cmd+Enter runs, Ctrl/Cmd+S shares.
 *
 * Test hook: while an editor is mounted, `window.__yardstickEditor` (`EditorTestHook` below) lets
 * end-to-end tests drive it without typing into monaco's input:
 *   setValue(text, path?)   replaces a file's text (default: the active file) as an edit does
 *                           (undoable; diagnostics and onChange follow after the debounce);
 *   getValue(path?)         a file's text;
 *   files() / active()      all files; the active path;
 *   setActive(path)         shows another file, as `EditorHost.setActive` (a tab click) does;
 *   flush()                 runs the pending diagnostics now instead of after the debounce;
 *   markers(path?)          the markers of owner `kpi` (all files, or one): 1-based positions,
 *                           severity as text, code, message;
 *   diagnostics()           the language service's diagnostics last reported;
 *   tokens(lineNumber)      the highlighting scopes of a line of the active file, as monaco has them;
 *   setCursor(offset) / cursor()   the active file's cursor as a UTF-16 offset;
 *   lastCheck               { ms, diagnoseMs, at }: how long the last diagnose + markers took
 *                           (and the diagnose alone), and when it ended (performance.now());
 *                           null before the first;
 *   editor                  the monaco editor instance.
 */
import * as monaco from "monaco-editor/editor";
import "monaco-editor/features/register.all";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import { codeActions, complete, diagnose, formatDocument, hover, type Document, type KpiValues, type LsDiagnostic } from "@yardstick/language-service";
import { tokens as T } from "@yardstick/language";
import { highlightLine, lastTokenKind } from "./highlight.js";
import {
  COMPLETION_KIND,
  MARKER_OWNER,
  SEVERITY_OF_MARKER,
  diagnosticsTouching,
  hoveredColumn,
  minimalEdit,
  samplesMarkdown,
  showOnSpace,
  sortText,
  toMarker,
  type Pos,
} from "./convert.js";
import { DARK_THEME, LIGHT_THEME, THEMES } from "./themes.js";
import type { ColumnSamples, EditorHost, EditorOptions, MountEditor, SpecFile } from "./types.js";

export const LANGUAGE_ID = "kpi";

/** Least time between two checks of the project while typing (a check of 500 lines takes about 10 ms). */
export const DIAGNOSE_DELAY_MS = 50;

// Monaco runs its editor worker (diff, word-based helpers) through this; without it the built
// site logs "Failed to load worker script".
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

// ------------------------------------------------------------------------------ the language

/** Lines are independent (see ./highlight.ts), so one state serves every line. */
const LINE_STATE: monaco.languages.IState = {
  clone: () => LINE_STATE,
  equals: (other) => other === LINE_STATE,
};

const tokensProvider: monaco.languages.TokensProvider = {
  getInitialState: () => LINE_STATE,
  tokenize(line) {
    let tokens: monaco.languages.IToken[];
    try {
      tokens = highlightLine(line).map((t) => ({ startIndex: t.start, scopes: t.scope }));
    } catch {
      tokens = [{ startIndex: 0, scopes: "" }];
    }
    return { tokens, endState: LINE_STATE };
  },
};

const identifierSource = (t: { PATTERN?: unknown }) => (t.PATTERN instanceof RegExp ? t.PATTERN.source : "[A-Za-z_][A-Za-z0-9_]*");

const languageConfiguration: monaco.languages.LanguageConfiguration = {
  comments: { lineComment: "//" },
  brackets: [
    ["{", "}"],
    ["(", ")"],
  ],
  autoClosingPairs: [
    { open: "{", close: "}" },
    { open: "(", close: ")" },
    { open: '"', close: '"', notIn: ["string", "comment"] },
    { open: "`", close: "`", notIn: ["string", "comment"] },
  ],
  surroundingPairs: [
    { open: "{", close: "}" },
    { open: "(", close: ")" },
    { open: '"', close: '"' },
    { open: "`", close: "`" },
  ],
  // A word is a name as the lexer reads it: `plain_name` or `` `quoted name` ``.
  wordPattern: new RegExp(`${identifierSource(T.QuotedIdentifier)}|${identifierSource(T.Identifier)}`),
  indentationRules: {
    increaseIndentPattern: /^.*(\{|\()\s*(\/\/.*)?$/,
    decreaseIndentPattern: /^\s*[}\)]/,
  },
};

let languageUsers = 0;
let languageRegistrations: monaco.IDisposable[] = [];

/**
 * Registers the `kpi` language, its tokens, configuration and themes while at least one editor is
 * mounted (the returned disposable releases this editor's claim); the providers are per editor.
 */
function registerLanguage(): monaco.IDisposable {
  if (languageUsers++ === 0) {
    if (!monaco.languages.getLanguages().some((l) => l.id === LANGUAGE_ID)) {
      monaco.languages.register({ id: LANGUAGE_ID, extensions: [".kpi"], aliases: ["Yardstick KPI", "kpi"] });
    }
    monaco.editor.defineTheme(LIGHT_THEME, THEMES[LIGHT_THEME]);
    monaco.editor.defineTheme(DARK_THEME, THEMES[DARK_THEME]);
    languageRegistrations = [monaco.languages.setTokensProvider(LANGUAGE_ID, tokensProvider), monaco.languages.setLanguageConfiguration(LANGUAGE_ID, languageConfiguration)];
  }
  let released = false;
  return {
    dispose() {
      if (released) return;
      released = true;
      if (--languageUsers === 0) for (const d of languageRegistrations.splice(0)) d.dispose();
    },
  };
}

// ------------------------------------------------------------------------------ the test hook

export interface HookMarker {
  path: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

export interface EditorTestHook {
  setValue(text: string, path?: string): void;
  getValue(path?: string): string;
  files(): SpecFile[];
  active(): string;
  setActive(path: string): void;
  flush(): void;
  markers(path?: string): HookMarker[];
  diagnostics(): LsDiagnostic[];
  tokens(lineNumber: number): Array<{ offset: number; text: string; scope: string }>;
  setCursor(offset: number): void;
  cursor(): number;
  lastCheck: { ms: number; diagnoseMs: number; at: number } | null;
  editor: monaco.editor.IStandaloneCodeEditor;
}

/** Where the hook lives (typed here rather than on `Window`, so tests may declare their own view of it). */
const hookHost = window as unknown as { __yardstickEditor?: EditorTestHook };

// ------------------------------------------------------------------------------ the editor

interface FileState {
  path: string;
  model: monaco.editor.ITextModel;
  viewState: monaco.editor.ICodeEditorViewState | null;
  listener: monaco.IDisposable;
}

const uriOf = (path: string) => monaco.Uri.from({ scheme: "file", path: path.startsWith("/") ? path : `/${path}` });

/** Every mounted editor, so a hot update of this module disposes them (and their providers). */
const mounted = new Set<EditorHost>();

export const mountEditor: MountEditor = (options: EditorOptions): EditorHost => {
  const disposables: monaco.IDisposable[] = [registerLanguage()];
  const files = new Map<string, FileState>();
  let activePath = "";
  let kpiValues: KpiValues = {};
  let columnSamples: ColumnSamples = {};
  let diagnostics: LsDiagnostic[] = [];
  /** Model versions the diagnostics were computed from, to tell when they are stale. */
  let diagnosedVersions = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last check started (performance.now()). */
  let lastRunAt = -Infinity;
  let pendingChange: string | undefined;
  let disposed = false;
  let lastCheck: EditorTestHook["lastCheck"] = null;

  const editor = monaco.editor.create(options.container, {
    model: null,
    theme: options.dark ? DARK_THEME : LIGHT_THEME,
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    lineHeight: 21,
    tabSize: 2,
    insertSpaces: true,
    detectIndentation: false,
    scrollBeyondLastLine: false,
    renderWhitespace: "selection",
    wordBasedSuggestions: "off",
    acceptSuggestionOnEnter: "smart",
    fixedOverflowWidgets: true,
    // The textarea input is the tried path for tests and assistive tech; EditContext is newer.
    editContext: false,
    lightbulb: { enabled: monaco.editor.ShowLightbulbIconMode.OnCode },
    "semanticHighlighting.enabled": false,
  });
  disposables.push(editor);

  // ---------------------------------------------------------------- files

  const docs = (): Document[] => [...files.values()].map((f) => ({ path: f.path, text: f.model.getValue() }));
  const fileOf = (model: monaco.editor.ITextModel | null) => [...files.values()].find((f) => f.model === model);
  const pathOf = (model: monaco.editor.ITextModel) => fileOf(model)?.path;
  const others = (path: string) => docs().filter((d) => d.path !== path);
  const versions = () => [...files.values()].map((f) => `${f.path}@${f.model.getVersionId()}`).join("|");
  const positionAt = (path: string, offset: number): Pos | undefined => {
    const f = files.get(path);
    return f ? f.model.getPositionAt(offset) : undefined;
  };
  const rangeOf = (model: monaco.editor.ITextModel, start: number, end: number): monaco.Range => {
    const s = model.getPositionAt(start);
    const e = model.getPositionAt(end);
    return new monaco.Range(s.lineNumber, s.column, e.lineNumber, e.column);
  };

  function createFiles(list: SpecFile[]): void {
    for (const f of list) {
      const uri = uriOf(f.path);
      monaco.editor.getModel(uri)?.dispose();
      const model = monaco.editor.createModel(f.text, LANGUAGE_ID, uri);
      model.updateOptions({ tabSize: 2, insertSpaces: true });
      const listener = model.onDidChangeContent(() => schedule(f.path));
      files.set(f.path, { path: f.path, model, viewState: null, listener });
    }
  }

  function disposeFiles(): void {
    monaco.editor.removeAllMarkers(MARKER_OWNER);
    editor.setModel(null);
    for (const f of files.values()) {
      f.listener.dispose();
      f.model.dispose();
    }
    files.clear();
    activePath = "";
  }

  function show(path: string): boolean {
    const next = files.get(path) ?? files.values().next().value;
    if (!next) return false;
    const current = files.get(activePath);
    if (current === next && editor.getModel() === next.model) return true;
    if (current && editor.getModel() === current.model) current.viewState = editor.saveViewState();
    editor.setModel(next.model);
    if (next.viewState) editor.restoreViewState(next.viewState);
    activePath = next.path;
    return true;
  }

  // ---------------------------------------------------------------- diagnostics

  /**
   * At most one check per DIAGNOSE_DELAY_MS, the first at once: an edit after a pause shows its
   * diagnostics in the next task; while typing, a check runs every DIAGNOSE_DELAY_MS and sees every
   * edit since the last one.
   */
  function schedule(path: string): void {
    pendingChange = path;
    if (timer !== undefined) return;
    timer = setTimeout(runDiagnostics, Math.max(0, lastRunAt + DIAGNOSE_DELAY_MS - performance.now()));
  }

  /** Diagnostics of the current texts, recomputed when a model changed since the last run. */
  function currentDiagnostics(): LsDiagnostic[] {
    if (diagnosedVersions !== versions()) runDiagnostics();
    return diagnostics;
  }

  function runDiagnostics(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (disposed) return;
    const started = performance.now();
    lastRunAt = started;
    // The active file first: the language service keys its analysis cache on the documents in
    // order, and completion, hover and code actions ask with the open file first.
    const all = docs();
    const i = all.findIndex((d) => d.path === activePath);
    if (i > 0) all.unshift(...all.splice(i, 1));
    try {
      diagnostics = diagnose(all);
    } catch (e) {
      // The service does not throw on user input; if it ever does, keep the editor usable.
      console.warn("diagnose failed", e);
      diagnostics = [];
    }
    diagnosedVersions = versions();
    const diagnosed = performance.now();
    const byPath = new Map<string, monaco.editor.IMarkerData[]>();
    for (const d of diagnostics) {
      const m = toMarker(d, positionAt);
      if (!m) continue;
      const { related, ...rest } = m;
      const marker: monaco.editor.IMarkerData = {
        ...rest,
        severity: rest.severity as monaco.MarkerSeverity,
        relatedInformation: related.map((r) => ({
          resource: uriOf(r.path),
          message: r.message,
          startLineNumber: r.start.lineNumber,
          startColumn: r.start.column,
          endLineNumber: r.end.lineNumber,
          endColumn: r.end.column,
        })),
      };
      const list = byPath.get(d.path) ?? [];
      list.push(marker);
      byPath.set(d.path, list);
    }
    for (const f of files.values()) monaco.editor.setModelMarkers(f.model, MARKER_OWNER, byPath.get(f.path) ?? []);
    const now = performance.now();
    lastCheck = { ms: now - started, diagnoseMs: diagnosed - started, at: now };
    const changed = pendingChange;
    pendingChange = undefined;
    options.onDiagnostics(diagnostics);
    if (changed !== undefined) options.onChange(getFiles(), changed);
  }

  function getFiles(): SpecFile[] {
    return docs();
  }

  // ---------------------------------------------------------------- providers

  disposables.push(
    monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
      triggerCharacters: [".", " ", ":"],
      provideCompletionItems(model, position, context) {
        const path = pathOf(model);
        if (path === undefined) return { suggestions: [] };
        if (context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter && context.triggerCharacter === " ") {
          const before = model.getValueInRange(new monaco.Range(position.lineNumber, 1, position.lineNumber, position.column));
          if (!showOnSpace(lastTokenKind(before))) return { suggestions: [] };
        }
        const items = complete({ path, text: model.getValue() }, model.getOffsetAt(position), others(path));
        const suggestions = items.map((it, i): monaco.languages.CompletionItem => ({
          label: { label: it.label, description: it.detail || undefined },
          kind: monaco.languages.CompletionItemKind[COMPLETION_KIND[it.kind] as keyof typeof monaco.languages.CompletionItemKind],
          detail: it.detail,
          documentation: it.documentation ? { value: it.documentation } : undefined,
          insertText: it.insertText,
          insertTextRules: it.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
          range: rangeOf(model, it.replaceStart, it.replaceEnd),
          sortText: sortText(i),
          filterText: it.label,
        }));
        return { suggestions };
      },
    }),

    monaco.languages.registerHoverProvider(LANGUAGE_ID, {
      provideHover(model, position) {
        const path = pathOf(model);
        if (path === undefined) return null;
        const h = hover({ path, text: model.getValue() }, model.getOffsetAt(position), others(path), kpiValues);
        if (!h) return null;
        const contents: monaco.IMarkdownString[] = [{ value: h.markdown }];
        const col = hoveredColumn(h.markdown);
        const samples = col && samplesMarkdown(columnSamples, col.dataset, col.column);
        if (samples) contents.push({ value: samples });
        return { range: rangeOf(model, h.start, h.end), contents };
      },
    }),

    monaco.languages.registerCodeActionProvider(
      LANGUAGE_ID,
      {
        provideCodeActions(model, range, context) {
          const path = pathOf(model);
          if (path === undefined) return { actions: [], dispose() {} };
          const start = model.getOffsetAt(range.getStartPosition());
          const end = model.getOffsetAt(range.getEndPosition());
          const touching = diagnosticsTouching(currentDiagnostics(), path, start, end);
          const doc = { path, text: model.getValue() };
          const found = codeActions(doc, start, end, touching, others(path));
          const didYouMean = found.filter((a) => a.title.startsWith("Did you mean"));
          const actions = found.map((a): monaco.languages.CodeAction => {
            const markers = context.markers.filter((m) => m.source === "yardstick" && (a.fixes === undefined || m.code === a.fixes || (typeof m.code === "object" && m.code.value === a.fixes)));
            return {
              title: a.title,
              kind: "quickfix",
              diagnostics: markers,
              isPreferred: didYouMean.length === 1 && didYouMean[0] === a,
              edit: {
                edits: a.edits.map((e) => ({
                  resource: model.uri,
                  versionId: model.getVersionId(),
                  textEdit: { range: rangeOf(model, e.start, e.end), text: e.newText },
                })),
              },
            };
          });
          return { actions, dispose() {} };
        },
      },
      { providedCodeActionKinds: ["quickfix"] },
    ),

    monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
      displayName: "Yardstick",
      provideDocumentFormattingEdits(model) {
        const path = pathOf(model);
        if (path === undefined) return [];
        const text = model.getValue();
        const formatted = formatDocument({ path, text });
        const edit = formatted && minimalEdit(text, formatted.text);
        return edit ? [{ range: rangeOf(model, edit.start, edit.end), text: edit.newText }] : [];
      },
    }),

    // Related locations in another file (in the problem hover) open that file here.
    monaco.editor.registerEditorOpener({
      openCodeEditor(source, resource, selectionOrPosition) {
        if (source !== editor) return false;
        const target = [...files.values()].find((f) => f.model.uri.toString() === resource.toString());
        if (!target) return false;
        const changed = target.path !== activePath;
        show(target.path);
        if (selectionOrPosition) {
          if (monaco.Range.isIRange(selectionOrPosition)) {
            editor.setSelection(selectionOrPosition);
            editor.revealRangeInCenterIfOutsideViewport(selectionOrPosition);
          } else {
            editor.setPosition(selectionOrPosition);
            editor.revealPositionInCenterIfOutsideViewport(selectionOrPosition);
          }
        }
        if (changed) options.onActiveChange(target.path);
        return true;
      },
    }),

    editor.addAction({
      id: "yardstick.run",
      label: "Run the specs",
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      contextMenuGroupId: "navigation",
      contextMenuOrder: 1,
      run: () => options.onRun(),
    }),
    editor.addAction({
      id: "yardstick.share",
      label: "Copy a share link",
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
      run: () => options.onShare(),
    }),
  );

  // ---------------------------------------------------------------- host

  function reveal(path: string, start: number, end: number): void {
    if (!files.has(path)) return;
    const changed = path !== activePath;
    show(path);
    const model = editor.getModel();
    if (!model) return;
    const range = rangeOf(model, start, end);
    editor.setSelection(range);
    editor.revealRangeInCenterIfOutsideViewport(range, monaco.editor.ScrollType.Smooth);
    editor.focus();
    if (changed) options.onActiveChange(activePath);
  }

  const host: EditorHost = {
    setFiles(list, active) {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pendingChange = undefined;
      disposeFiles();
      createFiles(list);
      show(active);
      runDiagnostics();
    },
    getFiles,
    // A tab click lands here: the app learns of the switch through onActiveChange.
    setActive(path) {
      const changed = files.has(path) && path !== activePath;
      show(path);
      if (changed) options.onActiveChange(activePath);
    },
    setTheme(dark) {
      monaco.editor.setTheme(dark ? DARK_THEME : LIGHT_THEME);
    },
    setKpiValues(values) {
      kpiValues = values;
    },
    setColumnSamples(samples) {
      columnSamples = samples;
    },
    reveal,
    format() {
      void editor.getAction("editor.action.formatDocument")?.run();
    },
    focus() {
      editor.focus();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      disposeFiles();
      for (const d of disposables.splice(0).reverse()) d.dispose();
      if (hookHost.__yardstickEditor === hook) delete hookHost.__yardstickEditor;
      mounted.delete(host);
    },
  };

  const hook: EditorTestHook = {
    setValue(text, path) {
      const f = files.get(path ?? activePath);
      if (!f) throw new Error(`No file ${path ?? activePath}`);
      // An edit (not model.setValue), so it is undoable and behaves as typing does.
      f.model.pushEditOperations([], [{ range: f.model.getFullModelRange(), text }], () => null);
    },
    getValue: (path) => files.get(path ?? activePath)?.model.getValue() ?? "",
    files: getFiles,
    active: () => activePath,
    setActive: (path) => host.setActive(path),
    flush() {
      if (timer !== undefined || diagnosedVersions !== versions()) runDiagnostics();
    },
    markers(path) {
      const list = path === undefined ? monaco.editor.getModelMarkers({ owner: MARKER_OWNER }) : files.has(path) ? monaco.editor.getModelMarkers({ owner: MARKER_OWNER, resource: files.get(path)!.model.uri }) : [];
      return list.map((m) => ({
        path: [...files.values()].find((f) => f.model.uri.toString() === m.resource.toString())?.path ?? m.resource.path,
        startLineNumber: m.startLineNumber,
        startColumn: m.startColumn,
        endLineNumber: m.endLineNumber,
        endColumn: m.endColumn,
        severity: SEVERITY_OF_MARKER[m.severity] ?? String(m.severity),
        code: typeof m.code === "object" ? m.code.value : (m.code ?? ""),
        message: m.message,
      }));
    },
    diagnostics: () => diagnostics,
    tokens(lineNumber) {
      const model = editor.getModel();
      if (!model || lineNumber < 1 || lineNumber > model.getLineCount()) return [];
      const line = model.getLineContent(lineNumber);
      const toks = monaco.editor.tokenize(line, LANGUAGE_ID)[0] ?? [];
      return toks.map((t, i) => ({ offset: t.offset, text: line.slice(t.offset, toks[i + 1]?.offset ?? line.length), scope: t.type }));
    },
    setCursor(offset) {
      const model = editor.getModel();
      if (!model) return;
      const pos = model.getPositionAt(offset);
      editor.setPosition(pos);
      editor.revealPositionInCenterIfOutsideViewport(pos);
      editor.focus();
    },
    cursor() {
      const model = editor.getModel();
      const pos = editor.getPosition();
      return model && pos ? model.getOffsetAt(pos) : 0;
    },
    get lastCheck() {
      return lastCheck;
    },
    editor,
  };

  createFiles(options.files);
  show(options.active);
  hookHost.__yardstickEditor = hook;
  mounted.add(host);
  // The first diagnostics once the app holds the host (it may render them at once).
  timer = setTimeout(runDiagnostics, 0);
  return host;
};

import.meta.hot?.dispose(() => {
  for (const host of [...mounted]) host.dispose();
});
