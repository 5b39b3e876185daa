/**
 * Editor features for `.kpi` as plain functions over `@yardstick/language`: diagnostics,
 * completions, hover, formatting and code actions. Offsets in, offsets out (UTF-16, end
 * exclusive); nothing here knows about monaco or LSP.
 */
export type { Document, LsDiagnostic, RelatedLocation, Severity, CompletionItem, CompletionKind, Hover, KpiValue, KpiValues, TextEdit, CodeAction } from "./types.js";
export { diagnose } from "./diagnose.js";
export { complete } from "./complete.js";
export { hover, formatValue } from "./hover.js";
export { formatDocument } from "./format-document.js";
export { codeActions, suggestionsOf } from "./code-actions.js";
export { analyze, type Analysis, type AnalyzeOptions } from "./analysis.js";
