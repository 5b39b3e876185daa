/**
 * A span is a half-open range of UTF-16 offsets into one source file: `start` inclusive,
 * `end` exclusive. Line and column are derived only for display (see `lineIndex`).
 */
export interface Span {
  start: number;
  end: number;
}

/** A span tied to the file it comes from (`file` as the front end was given it). */
export interface Origin extends Span {
  file: string;
}

/** One-based line and column of an offset. Column counts UTF-16 code units, plus one. */
export interface Position {
  line: number;
  column: number;
}

/** Offsets of line starts, for turning offsets into line/column in O(log n). */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo]! + 1 };
  }

  /** Offset of a one-based line and column (clamped to the text). */
  offset(line: number, column: number): number {
    const l = Math.max(1, Math.min(line, this.starts.length));
    return Math.min(this.starts[l - 1]! + column - 1, this.text.length);
  }

  /** The text of a one-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}

export function spanOf(start: number, end: number): Span {
  return { start, end };
}

/** The smallest span that covers both. */
export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
