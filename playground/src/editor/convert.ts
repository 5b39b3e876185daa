/**
 * Pure conversions between the language service's vocabulary (UTF-16 offsets, `LsDiagnostic`,
 * `CompletionItem`, hover markdown) and the shapes the monaco adapter hands to monaco. Positions
 * are computed by the caller (`model.getPositionAt`), so nothing here imports monaco and the
 * module runs in Node for the unit tests.
 */
import type { CompletionKind, LsDiagnostic, Severity, TextEdit } from "@yardstick/language-service";
import type { ColumnSamples } from "./types.js";

/** A 1-based position, as monaco's `IPosition`. */
export interface Pos {
  lineNumber: number;
  column: number;
}

/** monaco's `MarkerSeverity` values (a stable public enum: Hint 1, Info 2, Warning 4, Error 8). */
export const MARKER_SEVERITY: Readonly<Record<Severity, number>> = { error: 8, warning: 4, info: 2 };

export const SEVERITY_OF_MARKER: Readonly<Record<number, Severity>> = { 8: "error", 4: "warning", 2: "info", 1: "info" };

/** The owner of the editor's markers. */
export const MARKER_OWNER = "kpi";

export interface RelatedData {
  path: string;
  message: string;
  start: Pos;
  end: Pos;
}

/** A marker as monaco's `IMarkerData`, with related locations still named by path. */
export interface MarkerData {
  severity: number;
  code: string;
  source: string;
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  related: RelatedData[];
}

/** The marker's message: `code: message`, then the hints, one a line. */
export function markerMessage(d: Pick<LsDiagnostic, "code" | "message" | "hints">): string {
  return [`${d.code}: ${d.message}`, ...d.hints].join("\n");
}

/**
 * A diagnostic as a marker. `positionAt(path, offset)` maps an offset of a file to a position
 * (undefined when the file is not open: such related locations are left out).
 */
export function toMarker(d: LsDiagnostic, positionAt: (path: string, offset: number) => Pos | undefined): MarkerData | undefined {
  const start = positionAt(d.path, d.start);
  const end = positionAt(d.path, Math.max(d.end, d.start));
  if (!start || !end) return undefined;
  const related: RelatedData[] = [];
  for (const r of d.related) {
    const rs = positionAt(r.path, r.start);
    const re = positionAt(r.path, Math.max(r.end, r.start));
    if (rs && re) related.push({ path: r.path, message: r.message, start: rs, end: re });
  }
  return {
    severity: MARKER_SEVERITY[d.severity] ?? MARKER_SEVERITY.error,
    code: d.code,
    source: "yardstick",
    message: markerMessage(d),
    startLineNumber: start.lineNumber,
    startColumn: start.column,
    endLineNumber: end.lineNumber,
    endColumn: end.column,
    related,
  };
}

/** Diagnostics of `path` that touch `start..end` (touching at an end counts, as in `codeActions`). */
export function diagnosticsTouching(diagnostics: readonly LsDiagnostic[], path: string, start: number, end: number): LsDiagnostic[] {
  return diagnostics.filter((d) => d.path === path && d.end >= start && d.start <= end);
}

/** monaco `CompletionItemKind` member names for the language service's completion kinds. */
export const COMPLETION_KIND: Readonly<Record<CompletionKind, string>> = {
  keyword: "Keyword",
  function: "Function",
  dataset: "Class",
  column: "Field",
  kpi: "Variable",
  rule: "Event",
  status: "EnumMember",
  unit: "Unit",
  type: "TypeParameter",
  snippet: "Snippet",
};

/** `sortText` that keeps the language service's order among equally good matches. */
export function sortText(index: number): string {
  return index.toString().padStart(5, "0");
}

/**
 * The dataset and column a hover describes, read from the language service's column hover
 * (`**name**: \`type\` column of \`dataset\``); null for any other hover. The service has already
 * resolved the name (the KPI's dataset, a relation path such as `flight.route`, a `let`), so this
 * needs no lookup of its own. test/playground/editor-convert.test.ts checks the format.
 */
export function hoveredColumn(markdown: string): { dataset: string; column: string } | null {
  const m = /^\*\*(.*?)\*\*: `[^`\n]*` column of `([^`\n]+)`/.exec(markdown);
  return m ? { column: m[1]!, dataset: m[2]! } : null;
}

/** How many sample values a hover shows. */
export const SAMPLE_LIMIT = 8;

/** The sample values of a column as a hover paragraph, or null when none are loaded. */
export function samplesMarkdown(samples: ColumnSamples, dataset: string, column: string): string | null {
  const values = samples[dataset]?.[column];
  if (!values || values.length === 0) return null;
  const shown = values.slice(0, SAMPLE_LIMIT).map((v) => (v === "" ? "(empty)" : inlineCode(v.length > 40 ? v.slice(0, 40) + "…" : v)));
  return `Sample values: ${shown.join(", ")}${values.length > SAMPLE_LIMIT ? ", …" : ""}`;
}

/** Markdown inline code that holds any text (backticks included). */
export function inlineCode(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * The smallest single edit that turns `before` into `after` (common prefix and suffix left
 * alone), so formatting keeps the cursor and makes a small undo step. Null when equal.
 */
export function minimalEdit(before: string, after: string): TextEdit | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  // Do not split a surrogate pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endB < before.length && isLowSurrogate(before.charCodeAt(endB))) {
    endB++;
    endA++;
  }
  return { start, end: endB, newText: after.slice(start, endA) };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Whether a completion popped up by typing a space should be shown. After a keyword, `->`, `:` or
 * an operator the next word is what the service suggests (`from ` → datasets, `format ` →
 * formats); after an operand (a name, a number, a string, `)`) it would offer operators on every
 * space of an expression, where Enter would then accept one. Ctrl+Space still shows them.
 * `lastToken` is the kind of the last token before the space (see `lastTokenKind`).
 */
export function showOnSpace(lastToken: "keyword" | "operator" | "operand" | "none"): boolean {
  return lastToken === "keyword" || lastToken === "operator";
}
