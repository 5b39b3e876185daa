/**
 * The language service's vocabulary. Every position is a UTF-16 offset into one document's text,
 * and every range is half-open (`start` inclusive, `end` exclusive), as in `@yardstick/model`'s
 * spans. Editors map offsets to their own line/column positions.
 */

/** One source file as the editor holds it. `path` is `/`-separated, as `import` paths resolve. */
export interface Document {
  path: string;
  text: string;
}

export type Severity = "error" | "warning" | "info";

export interface RelatedLocation {
  path: string;
  start: number;
  end: number;
  message: string;
}

/** A diagnostic tied to a document by path, with the compiler's code, message and hints. */
export interface LsDiagnostic {
  path: string;
  start: number;
  end: number;
  severity: Severity;
  code: string;
  message: string;
  hints: string[];
  related: RelatedLocation[];
  /** Machine-readable facts from the compiler, e.g. `suggestions` for unknown names. */
  data?: Record<string, unknown>;
}

export type CompletionKind = "keyword" | "function" | "dataset" | "column" | "kpi" | "rule" | "status" | "unit" | "type" | "snippet";

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line shown beside the label: a type, a signature, a dataset's label. */
  detail: string;
  /** Markdown. */
  documentation: string;
  /** The text to insert; with `snippet` set, in the TextMate/monaco snippet syntax (`$1`). */
  insertText: string;
  snippet?: boolean;
  /** The range the insertion replaces: the word around the cursor (empty when there is none). */
  replaceStart: number;
  replaceEnd: number;
}

export interface Hover {
  start: number;
  end: number;
  markdown: string;
}

/** What the engine last computed for a KPI, for hover; `period` names the group shown. */
export interface KpiValue {
  value: number | null;
  status?: string | null;
  period?: string | null;
}

/** KPI name → its current value. */
export type KpiValues = Readonly<Record<string, KpiValue>>;

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface CodeAction {
  title: string;
  /** Edits to the document the action was asked for, in any order, never overlapping. */
  edits: TextEdit[];
  /** The diagnostic code the action fixes, when it fixes one. */
  fixes?: string;
}
