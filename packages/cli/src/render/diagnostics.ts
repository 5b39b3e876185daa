import { LineIndex, type Diagnostic } from "@yardstick/model";
import type { Colors } from "./color.js";

/** Source texts by file, for code frames and line/column. */
export type Sources = ReadonlyMap<string, string>;

const indexCache = new WeakMap<object, Map<string, LineIndex>>();

function indexFor(sources: Sources, file: string): LineIndex | undefined {
  let m = indexCache.get(sources);
  if (!m) indexCache.set(sources, (m = new Map()));
  let ix = m.get(file);
  if (!ix) {
    const text = sources.get(file);
    if (text === undefined) return undefined;
    ix = new LineIndex(text);
    m.set(file, ix);
  }
  return ix;
}

export interface Located {
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** Line and column (one-based) of a diagnostic's start and end. */
export function locate(d: { file?: string; span?: { start: number; end: number }; line?: number; column?: number }, sources: Sources): Located {
  if (d.line !== undefined) return { line: d.line, column: d.column ?? 1 };
  if (!d.file || !d.span) return {};
  const ix = indexFor(sources, d.file);
  if (!ix) return {};
  const s = ix.position(d.span.start);
  const e = ix.position(d.span.end);
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

/** `path:line:col: error[code]: message`, a code frame with the span underlined, hints, related places. */
export function renderDiagnostic(d: Diagnostic, sources: Sources, c: Colors, cwdRelative: (p: string) => string): string {
  const loc = locate(d, sources);
  const where = d.file ? `${cwdRelative(d.file)}${loc.line ? `:${loc.line}:${loc.column}` : ""}: ` : "";
  const sev = d.severity === "error" ? c.red(c.bold("error")) : d.severity === "warning" ? c.yellow(c.bold("warning")) : c.blue(c.bold("info"));
  const out = [`${c.bold(where)}${sev}${c.dim(`[${d.code}]`)}: ${d.message}`];
  if (d.file && d.span && loc.line) {
    const ix = indexFor(sources, d.file);
    if (ix) out.push(...frame(ix, loc, d.severity === "error" ? c.red : c.yellow, c));
  }
  for (const h of d.hints) out.push(`  ${c.cyan("hint")}: ${h}`);
  for (const r of d.related) {
    const rl = locate({ file: r.file ?? d.file, span: r.span }, sources);
    const rf = r.file ?? d.file;
    out.push(`  ${c.dim("note")}: ${r.message}${rf ? ` (${cwdRelative(rf)}${rl.line ? `:${rl.line}:${rl.column}` : ""})` : ""}`);
  }
  return out.join("\n");
}

function frame(ix: LineIndex, loc: Located, mark: (s: string) => string, c: Colors): string[] {
  const line = loc.line!;
  const width = String(line + 1).length;
  const gutter = (n: number | "") => c.dim(`${String(n).padStart(width)} | `);
  const lines: string[] = [];
  if (line > 1) lines.push(gutter(line - 1) + ix.lineText(line - 1));
  const text = ix.lineText(line);
  lines.push(gutter(line) + text);
  const startCol = loc.column!;
  const endCol = loc.endLine === line ? Math.max(loc.endColumn!, startCol + 1) : text.length + 1;
  const prefix = text.slice(0, startCol - 1).replace(/[^\t]/g, " ");
  lines.push(gutter("") + prefix + mark("^".repeat(Math.max(1, endCol - startCol))));
  return lines;
}

/** The JSON form: every field of the diagnostic plus line/column of start and end. */
export function diagnosticJson(d: Diagnostic, sources: Sources): Record<string, unknown> {
  const loc = locate(d, sources);
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file ?? null,
    start: d.span?.start ?? null,
    end: d.span?.end ?? null,
    line: loc.line ?? null,
    column: loc.column ?? null,
    endLine: loc.endLine ?? null,
    endColumn: loc.endColumn ?? null,
    hints: d.hints,
    related: d.related.map((r) => {
      const rl = locate({ file: r.file ?? d.file, span: r.span }, sources);
      return { message: r.message, file: r.file ?? d.file ?? null, start: r.span?.start ?? null, end: r.span?.end ?? null, line: rl.line ?? null, column: rl.column ?? null };
    }),
    ...(d.data ? { data: d.data } : {}),
  };
}

export function summary(diags: readonly Diagnostic[]): string {
  const e = diags.filter((d) => d.severity === "error").length;
  const w = diags.filter((d) => d.severity === "warning").length;
  return `${e} error${e === 1 ? "" : "s"}, ${w} warning${w === 1 ? "" : "s"}`;
}
