import { describe, expect, it } from 'vitest';
import { splitTableRow } from './table-row.js';

const cells = (image: string) => splitTableRow(image, 0).cells.map((c) => [c.text, c.quoted]);

describe('pipe-table rows', () => {
  it('split on pipes, trimmed; an empty cell is empty text, not quoted', () => {
    expect(cells('| a | b c |  |')).toEqual([['a', false], ['b c', false], ['', false]]);
  });

  it('quoted cells are strings: a pipe inside quotes does not split, "" is the empty string', () => {
    expect(cells('| "a | b" | "" | "say \\"hi\\"" |')).toEqual([['a | b', true], ['', true], ['say "hi"', true]]);
  });

  it('a trailing comment after the last pipe is not a cell', () => {
    expect(cells('| a | b |   // note')).toEqual([['a', false], ['b', false]]);
  });

  it('a row without a closing pipe still gives its last cell', () => {
    expect(cells('| a | b')).toEqual([['a', false], ['b', false]]);
  });

  it('cell spans are offsets into the file', () => {
    const row = splitTableRow('|  ab | "c" |', 100);
    expect(row.cells.map((c) => c.span)).toEqual([{ start: 103, end: 105 }, { start: 108, end: 111 }]);
    expect(row.span).toEqual({ start: 100, end: 113 });
  });
});
