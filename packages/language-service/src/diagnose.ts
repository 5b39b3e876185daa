import type { Diagnostic } from "@yardstick/model";
import { analyze, type AnalyzeOptions } from "./analysis.js";
import type { Document, LsDiagnostic } from "./types.js";

/**
 * Every diagnostic of a project (the documents and the imports among them), with the same codes,
 * messages and hints as `yardstick check`. A diagnostic without a span (an entry file that cannot
 * be read) is placed at the start of its file, or of the first document.
 */
export function diagnose(docs: readonly Document[], options: AnalyzeOptions = {}): LsDiagnostic[] {
  if (docs.length === 0) return [];
  const { result } = analyze(docs, options);
  return result.diagnostics.map((d) => toLs(d, docs[0]!.path));
}

export function toLs(d: Diagnostic, fallbackPath: string): LsDiagnostic {
  const out: LsDiagnostic = {
    path: d.file ?? fallbackPath,
    start: d.span?.start ?? 0,
    end: d.span?.end ?? 0,
    severity: d.severity,
    code: d.code,
    message: d.message,
    hints: [...d.hints],
    related: d.related.map((r) => ({
      path: r.file ?? d.file ?? fallbackPath,
      start: r.span?.start ?? 0,
      end: r.span?.end ?? 0,
      message: r.message,
    })),
  };
  if (d.data) out.data = { ...d.data };
  return out;
}
