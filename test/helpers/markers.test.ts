import { describe, expect, it } from 'vitest';
import { marked } from './markers.js';

describe('marked()', () => {
  it('strips range markers and returns their offsets in order of opening', () => {
    const m = marked('value <|avg(<|x|>)|> + <|>1');
    expect(m.text).toBe('value avg(x) + 1');
    expect(m.ranges).toEqual([
      { start: 6, end: 12 },
      { start: 10, end: 11 },
      { start: 15, end: 15 },
    ]);
    expect(m.text.slice(m.ranges[0]!.start, m.ranges[0]!.end)).toBe('avg(x)');
  });

  it('leaves table-row pipes alone', () => {
    const m = marked('  | a | <|b|> |\n');
    expect(m.text).toBe('  | a | b |\n');
    expect(m.ranges).toEqual([{ start: 8, end: 9 }]);
  });

  it('refuses an unclosed range', () => {
    expect(() => marked('<|abc')).toThrow(/never closed/);
  });
});
