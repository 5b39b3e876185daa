import type { Span } from '@yardstick/model';

/**
 * Source text with expected locations marked inline, Langium style:
 *   `<|text|>` marks a range (the text stays, the markers go),
 *   `<|>` marks a point (an empty range).
 * Ranges are numbered in the order their opening marker appears; they may nest.
 * Offsets are UTF-16 offsets into the text without markers.
 */
export interface Marked {
  text: string;
  ranges: Span[];
}

export function marked(source: string): Marked {
  let text = '';
  const ranges: Span[] = [];
  const open: number[] = [];
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('<|>', i)) {
      ranges.push({ start: text.length, end: text.length });
      i += 3;
    } else if (source.startsWith('<|', i)) {
      open.push(ranges.length);
      ranges.push({ start: text.length, end: -1 });
      i += 2;
    } else if (source.startsWith('|>', i) && open.length > 0) {
      ranges[open.pop()!]!.end = text.length;
      i += 2;
    } else {
      text += source[i];
      i++;
    }
  }
  if (open.length) throw new Error(`marked(): ${open.length} range(s) opened with <| are never closed`);
  return { text, ranges };
}
