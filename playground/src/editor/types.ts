/**
 * What the app knows of the editor. The app never imports monaco: `monaco-adapter.ts` is the only
 * file that does, and it is loaded with `import()` after the first paint (see `main.ts`).
 */
import type { KpiValues, LsDiagnostic } from "@yardstick/language-service";

/** One spec file of the project being edited. Paths are `/`-separated and absolute (`/airline/kpis.kpi`). */
export interface SpecFile {
  path: string;
  text: string;
}

/** Sample values of the loaded data, for hover: dataset name → column name → a few distinct values as text. */
export type ColumnSamples = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface EditorOptions {
  container: HTMLElement;
  files: SpecFile[];
  /** The path of the file shown first. */
  active: string;
  dark: boolean;
  /** Any edit, after the editor's own short debounce (the app debounces evaluation further). */
  onChange(files: SpecFile[], changed: string): void;
  /** Diagnostics of the whole project, recomputed after each edit (the editor also shows them as markers). */
  onDiagnostics(diagnostics: LsDiagnostic[]): void;
  /** The user switched files (tab or "go to" from another file). */
  onActiveChange(path: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  /** Ctrl/Cmd+S. */
  onShare(): void;
}

export interface EditorHost {
  /** Replaces the project (an example was picked, a link opened, a file uploaded). */
  setFiles(files: SpecFile[], active: string): void;
  getFiles(): SpecFile[];
  setActive(path: string): void;
  setTheme(dark: boolean): void;
  /** Current KPI values, for hover. */
  setKpiValues(values: KpiValues): void;
  /** Sample values of loaded columns, for hover. */
  setColumnSamples(samples: ColumnSamples): void;
  /** Opens `path`, selects `start..end` (UTF-16 offsets) and focuses the editor. */
  reveal(path: string, start: number, end: number): void;
  /** Formats the active file (no change when it has syntax errors). */
  format(): void;
  focus(): void;
  dispose(): void;
}

export type MountEditor = (options: EditorOptions) => EditorHost;
