import { expect } from 'vitest';
import { compile, type CheckOptions, type CompileResult } from '@yardstick/language';
import type { Diagnostic, Span } from '@yardstick/model';
import { marked } from './markers.js';

export interface Checked extends CompileResult {
  /** Source text without markers (of the entry file). */
  text: string;
  /** Marked ranges of the entry file, in order. */
  ranges: Span[];
  /** Marked ranges of every file, by path. */
  rangesByFile: Record<string, Span[]>;
}

/**
 * Compiles source text with `<|...|>` markers (see markers.ts). One string is the file
 * `main.kpi`; an object gives several files, the first being the entry.
 */
export function checkMarked(source: string | Record<string, string>, options: CheckOptions = {}): Checked {
  const files = typeof source === 'string' ? { 'main.kpi': source } : source;
  const sources: Array<{ path: string; text: string }> = [];
  const rangesByFile: Record<string, Span[]> = {};
  for (const [path, src] of Object.entries(files)) {
    const m = marked(src);
    sources.push({ path, text: m.text });
    rangesByFile[path] = m.ranges;
  }
  const result = compile(sources, options);
  return { ...result, text: sources[0]!.text, ranges: rangesByFile[sources[0]!.path]!, rangesByFile };
}

export interface Expected {
  code: string;
  /** Index of the marked range the diagnostic's span must equal (default 0). */
  range?: number;
  /** File of that range, for multi-file sources (default: the entry). */
  file?: string;
  message: string;
  severity?: 'error' | 'warning' | 'info';
  /** The hints, exactly, when given. */
  hints?: string[];
  /** The related places, exactly, when given: marked range (in `file` or the entry) and message. */
  related?: Array<{ range: number; file?: string; message: string }>;
}

function entryFile(r: Checked): string {
  return Object.keys(r.rangesByFile)[0]!;
}

/** Asserts that `d` is the expected diagnostic, span included. */
export function expectDiagnostic(r: Checked, d: Diagnostic | undefined, e: Expected): void {
  expect(d, `a ${e.code} diagnostic`).toBeDefined();
  const file = e.file ?? entryFile(r);
  const span = r.rangesByFile[file]![e.range ?? 0];
  expect(span, `marked range ${e.range ?? 0} in ${file}`).toBeDefined();
  expect({ code: d!.code, message: d!.message, file: d!.file, span: d!.span }).toEqual({ code: e.code, message: e.message, file, span });
  if (e.severity) expect(d!.severity).toBe(e.severity);
  if (e.hints) expect(d!.hints).toEqual(e.hints);
  if (e.related) {
    expect(
      d!.related.map((x) => ({ file: x.file, span: x.span, message: x.message })),
    ).toEqual(e.related.map((x) => ({ file: x.file ?? file, span: r.rangesByFile[x.file ?? file]![x.range], message: x.message })));
  }
}

/** Compiles `source` and asserts that it yields exactly one diagnostic, the expected one. */
export function expectOne(source: string | Record<string, string>, e: Expected, options: CheckOptions = {}): Checked {
  const r = checkMarked(source, options);
  expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`), 'exactly one diagnostic').toHaveLength(1);
  expectDiagnostic(r, r.diagnostics[0], e);
  return r;
}

/** Compiles `source` and asserts that it yields exactly these diagnostics, in source order. */
export function expectAll(source: string | Record<string, string>, es: Expected[], options: CheckOptions = {}): Checked {
  const r = checkMarked(source, options);
  expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(es.map((e) => `${e.code}: ${e.message}`));
  es.forEach((e, i) => expectDiagnostic(r, r.diagnostics[i], e));
  return r;
}

/** Compiles `source` and asserts that it has no diagnostics at all. */
export function expectClean(source: string | Record<string, string>, options: CheckOptions = {}): Checked {
  const r = checkMarked(source, options);
  expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  return r;
}
