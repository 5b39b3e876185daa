/**
 * The monaco-free parts of the playground's editor adapter (playground/src/editor/convert.ts and
 * lastTokenKind in highlight.ts): markers from diagnostics, the column a hover describes, sample
 * values, the formatting edit, and when a typed space opens completions.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diagnose, hover, type LsDiagnostic } from '@yardstick/language-service';
import {
  diagnosticsTouching,
  hoveredColumn,
  inlineCode,
  markerMessage,
  minimalEdit,
  samplesMarkdown,
  showOnSpace,
  toMarker,
  type Pos,
} from '../../playground/src/editor/convert';
import { lastTokenKind } from '../../playground/src/editor/highlight';

const example = (name: string) => {
  const path = `/airline/${name}`;
  return { path, text: readFileSync(fileURLToPath(new URL(`../../examples/airline/${name}`, import.meta.url)), 'utf8') };
};
const datasets = example('datasets.kpi');
const kpis = example('kpis.kpi');

/** monaco's getPositionAt, for a text. */
function positionIn(text: string, offset: number): Pos {
  const before = text.slice(0, offset).split('\n');
  return { lineNumber: before.length, column: before.at(-1)!.length + 1 };
}

describe('markers', () => {
  const texts: Record<string, string> = { '/a.kpi': 'yardstick 1\nkpi x {\n  value nope\n}\n', '/b.kpi': 'one\ntwo\n' };
  const positionAt = (path: string, offset: number) => (texts[path] === undefined ? undefined : positionIn(texts[path]!, offset));
  const d: LsDiagnostic = {
    path: '/a.kpi',
    start: 28,
    end: 32,
    severity: 'warning',
    code: 'unknown-name',
    message: '"nope" is not known.',
    hints: ['Did you mean "note"?', 'Or declare it.'],
    related: [
      { path: '/b.kpi', start: 4, end: 7, message: 'declared here' },
      { path: '/missing.kpi', start: 0, end: 1, message: 'not open' },
    ],
    data: { suggestions: ['note'] },
  };

  it('gives 1-based ranges, the severity, `code: message` and the hints', () => {
    expect(toMarker(d, positionAt)).toEqual({
      severity: 4,
      code: 'unknown-name',
      source: 'yardstick',
      message: 'unknown-name: "nope" is not known.\nDid you mean "note"?\nOr declare it.',
      startLineNumber: 3,
      startColumn: 9,
      endLineNumber: 3,
      endColumn: 13,
      related: [{ path: '/b.kpi', message: 'declared here', start: { lineNumber: 2, column: 1 }, end: { lineNumber: 2, column: 4 } }],
    });
    expect(toMarker({ ...d, severity: 'error' }, positionAt)!.severity).toBe(8);
    expect(toMarker({ ...d, severity: 'info' }, positionAt)!.severity).toBe(2);
    expect(toMarker({ ...d, path: '/missing.kpi' }, positionAt)).toBeUndefined();
    expect(markerMessage({ code: 'c', message: 'm', hints: [] })).toBe('c: m');
  });

  it('match the real diagnostics of a broken example', () => {
    const broken = { path: kpis.path, text: kpis.text.replace('share(arrival_delay_min <= 15)', 'share(arrival_delay_mn <= 15)') };
    const ds = diagnose([broken, datasets]);
    const d0 = ds.find((x) => x.code === 'unknown-name')!;
    const m = toMarker(d0, (p, o) => positionIn(p === broken.path ? broken.text : datasets.text, o))!;
    const line = broken.text.split('\n')[m.startLineNumber - 1]!;
    expect(line.slice(m.startColumn - 1, m.endColumn - 1)).toBe('arrival_delay_mn');
    expect(diagnosticsTouching(ds, broken.path, d0.start + 2, d0.start + 2)).toContain(d0);
    expect(diagnosticsTouching(ds, broken.path, d0.end, d0.end + 5)).toContain(d0);
    expect(diagnosticsTouching(ds, broken.path, d0.end + 1, d0.end + 5)).not.toContain(d0);
    expect(diagnosticsTouching(ds, datasets.path, d0.start, d0.end)).toEqual([]);
  });
});

describe('hover samples', () => {
  const at = (text: string, needle: string, plus = 1) => text.indexOf(needle) + plus;

  it('reads the column of the language service\'s column hovers', () => {
    const route = hover(kpis, at(kpis.text, 'by route', 4), [datasets]);
    expect(hoveredColumn(route!.markdown)).toEqual({ dataset: 'flights', column: 'route' });
    // Through a relation: `flight.route` in a KPI over surveys.
    const related = hover(kpis, at(kpis.text, 'by flight.route', 'by flight.'.length + 1), [datasets]);
    expect(hoveredColumn(related!.markdown)).toEqual({ dataset: 'flights', column: 'route' });
    // A derived column, in its dataset.
    const derived = hover(kpis, at(kpis.text, 'share(arrival_delay_min', 'share('.length + 1), [datasets]);
    expect(hoveredColumn(derived!.markdown)).toEqual({ dataset: 'flights', column: 'arrival_delay_min' });
    const inDataset = hover(datasets, at(datasets.text, 'passengers: int', 1));
    expect(hoveredColumn(inDataset!.markdown)).toEqual({ dataset: 'flights', column: 'passengers' });
  });

  it('is null for other hovers', () => {
    const fn = hover(kpis, at(kpis.text, 'share(', 1), [datasets]);
    expect(fn).not.toBeNull();
    expect(hoveredColumn(fn!.markdown)).toBeNull();
    const kpi = hover(kpis, at(kpis.text, 'kpi on_time_performance', 5), [datasets]);
    expect(hoveredColumn(kpi!.markdown)).toBeNull();
    const ds = hover(kpis, at(kpis.text, 'from flights', 6), [datasets]);
    expect(hoveredColumn(ds!.markdown)).toBeNull();
  });

  it('shows a few values as code', () => {
    const samples = { flights: { route: ['AMS-LHR', 'AMS-BCN'], note: ['', 'a`b', ...Array.from({ length: 10 }, (_, i) => `v${i}`)] } };
    expect(samplesMarkdown(samples, 'flights', 'route')).toBe('Sample values: `AMS-LHR`, `AMS-BCN`');
    expect(samplesMarkdown(samples, 'flights', 'note')).toBe('Sample values: (empty), ``a`b``, `v0`, `v1`, `v2`, `v3`, `v4`, `v5`, …');
    expect(samplesMarkdown(samples, 'flights', 'other')).toBeNull();
    expect(samplesMarkdown(samples, 'members', 'route')).toBeNull();
    expect(inlineCode('`x')).toBe('`` `x ``');
  });
});

describe('minimalEdit', () => {
  const apply = (s: string, e: { start: number; end: number; newText: string } | null) => (e ? s.slice(0, e.start) + e.newText + s.slice(e.end) : s);

  it('replaces only what differs', () => {
    expect(minimalEdit('abc', 'abc')).toBeNull();
    expect(minimalEdit('a  b\n', 'a b\n')).toEqual({ start: 2, end: 3, newText: '' });
    expect(minimalEdit('x', 'xy')).toEqual({ start: 1, end: 1, newText: 'y' });
  });

  it('always turns before into after', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const alphabet = ['a', ' ', '\n', '{', '}', '😀'];
    const word = () => Array.from({ length: rnd(12) }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let i = 0; i < 500; i++) {
      const a = word();
      const b = word();
      const e = minimalEdit(a, b);
      expect(apply(a, e)).toBe(b);
      // Never splits a surrogate pair.
      if (e) for (const s of [a.slice(0, e.start), a.slice(e.end), e.newText]) expect(s).toBe(Array.from(s).join(''));
    }
  });
});

describe('completion on a typed space', () => {
  it('after a keyword, an operator or a separator, not after an operand', () => {
    expect(lastTokenKind('  from ')).toBe('keyword');
    expect(lastTokenKind('  format ')).toBe('keyword');
    expect(lastTokenKind('  flight_id: string -> ')).toBe('operator');
    expect(lastTokenKind('  value sum(x) + ')).toBe('operator');
    expect(lastTokenKind('  tags "a", ')).toBe('operator');
    expect(lastTokenKind('  value sum(x) ')).toBe('operand');
    expect(lastTokenKind('  where passengers ')).toBe('operand');
    expect(lastTokenKind('  target >= 0.8 ')).toBe('operand');
    expect(lastTokenKind('   ')).toBe('none');
    expect(showOnSpace('keyword') && showOnSpace('operator')).toBe(true);
    expect(showOnSpace('operand') || showOnSpace('none')).toBe(false);
  });
});
