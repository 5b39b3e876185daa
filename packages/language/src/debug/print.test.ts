import { describe, expect, it } from 'vitest';
import { compile, parse, printAst, printDiagnostics, printExpr, printModel } from '@yardstick/language';
import { diagnostic, type Expr } from '@yardstick/model';

const o = { file: 'f.kpi', start: 0, end: 0 };

describe('printExpr', () => {
  it('prints compact formulas', () => {
    const e: Expr = {
      op: 'agg',
      fn: 'share',
      arg: { op: 'binary', operator: '>=', left: { op: 'col', name: 'recommend', type: 'int', origin: o }, right: { op: 'lit', type: 'int', value: 9, origin: o }, type: 'bool', origin: o },
      type: 'number',
      origin: o,
    };
    expect(printExpr(e)).toBe('agg:share(binary:>=(col:recommend, lit:9))');
  });

  it('shows literal types that the value alone does not tell', () => {
    const lit = (type: 'string' | 'number' | 'date' | 'period' | 'null', value: string | number | null): Expr => ({ op: 'lit', type, value, origin: o });
    expect([lit('string', 'a'), lit('number', 2), lit('date', '2025-01-05'), lit('period', '2025-Q1'), lit('null', null)].map(printExpr)).toEqual([
      'lit:"a"',
      'lit:2.0',
      'lit:date:2025-01-05',
      'lit:period:2025-Q1',
      'lit:null',
    ]);
  });

  it('prints filters, per, related sources, windows and percentiles', () => {
    const r = compile([
      {
        path: 'm.kpi',
        text: `dataset c { id: string key }
dataset o { id: string -> c
  at: timestamp time
  x: number }
kpi a { from o value avg(count(where x > 1) per id) }
kpi b { from c value avg(sum(o.x)) }
kpi w { from o value count() over last 7 days }
kpi p { from o value percentile(x, 0.9 where x > 0) }`,
      },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.model.kpis.map((k) => printExpr(k.value))).toEqual([
      'agg:avg(agg:count(where binary:>(col:x, lit:1)) per id)',
      'agg:avg(agg:sum[o.id->id as id](col:x))',
      'agg:count() over last 7 day',
      'agg:percentile(col:x, p=0.9 where binary:>(col:x, lit:0))',
    ]);
  });
});

describe('printAst', () => {
  it('prints one node per line with spans, and survives partial trees', () => {
    const r = parse('kpi k { value sum(x) * * 2 }');
    const text = printAst(r.ast);
    expect(text.split('\n')[0]).toBe('File @0-28');
    expect(text).toContain('  Kpi k @0-');
    expect(text).toContain('Error @');
  });
});

describe('printModel', () => {
  it('is stable: printing twice gives the same text', () => {
    const r = compile([{ path: 'm.kpi', text: 'dataset d { at: date time\n x: number }\nkpi k { from d value sum(x) by month target >= 1 }' }]);
    expect(printModel(r.model)).toBe(printModel(JSON.parse(JSON.stringify(r.model))));
    expect(printModel(r.model)).toContain('  value number agg:sum(col:x)');
  });
});

describe('printDiagnostics', () => {
  const text = 'line one\nline two\n';

  it('prints line:col ranges, severity, code, message, hints and related places', () => {
    const d = diagnostic('unknown-column', { name: 'x', dataset: 'd' }, { file: 'a.kpi', span: { start: 14, end: 17 }, hints: ['Did you mean "y"?'], related: [{ file: 'a.kpi', span: { start: 0, end: 4 }, message: 'here' }] });
    expect(printDiagnostics([d], text)).toBe('2:6-2:9 error[unknown-column] Dataset "d" has no column "x".\n  hint: Did you mean "y"?\n  related 1:1-1:5: here\n');
  });

  it('prefixes the file when given several texts, and prints "-" without a span', () => {
    const a = diagnostic('syntax-error', { text: 'Oops.' }, { file: 'b.kpi', span: { start: 9, end: 9 } });
    const b = diagnostic('internal-error', { text: 'x' });
    expect(printDiagnostics([a, b], { 'b.kpi': text })).toBe(
      'b.kpi:2:1-2:1 error[syntax-error] Oops.\n?:- error[internal-error] Internal error: x\n  hint: This is a bug in Yardstick; please report it with the input that caused it.\n',
    );
  });

  it('says so when there is nothing to print', () => {
    expect(printDiagnostics([], '')).toBe('(no diagnostics)\n');
  });
});
