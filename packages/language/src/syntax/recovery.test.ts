import { describe, expect, it } from 'vitest';
import { compile, parse, printAst } from '@yardstick/language';
import { marked } from '../../../../test/helpers/markers.js';

// Error recovery: one mistake yields one diagnostic, at the mistake, and the definitions after
// it are still in the (partial) tree and still checked.

const DATASET = 'dataset t {\n  at: timestamp time\n  x: number\n}\n';
const LATER = '\nkpi second { from t value sum(x) }\nkpi third { from t value avg(x) target >= 1 }';

interface Outcome {
  diagnostics: string[];
  items: string[];
  kpis: string[];
}

/** Parses and compiles marked source; the single diagnostic must sit at the marked range. */
function recover(source: string): Outcome {
  const { text, ranges } = marked(source);
  const parsed = parse(text, 'main.kpi');
  const result = compile([{ path: 'main.kpi', text }]);
  expect(result.diagnostics.map((d) => d.span)).toEqual(ranges);
  return {
    diagnostics: result.diagnostics.map((d) => `${d.code}: ${d.message}`),
    items: parsed.ast.items.map((i) => ('name' in i && i.name ? (typeof i.name === 'object' && 'name' in i.name ? i.name.name : (i.name as { value: string }).value) : i.kind)),
    kpis: result.model.kpis.map((k) => k.name),
  };
}

describe('one mistake, one diagnostic, the rest still checked', () => {
  it('a missing `)` in the first of three KPIs', () => {
    expect(recover(`${DATASET}kpi first {\n  from t\n  value avg(x\n  <|by|> month\n}${LATER}`)).toEqual({
      diagnostics: ["syntax-error: Expected ')' but found \"by\"."],
      items: ['t', 'first', 'second', 'third'],
      kpis: ['first', 'second', 'third'],
    });
  });

  it('a missing closing brace', () => {
    expect(recover(`${DATASET}kpi first {\n  from t\n  value count()\n${LATER.replace('\nkpi second', '\n<|kpi|> second')}`)).toEqual({
      diagnostics: ["syntax-error: Expected '}' but found \"kpi\"."],
      items: ['t', 'first', 'second', 'third'],
      kpis: ['first', 'second', 'third'],
    });
  });

  it('a missing closing brace of a dataset', () => {
    const r = recover(`dataset t {\n  at: timestamp time\n  x: number\n${LATER.replace('\nkpi second', '\n<|kpi|> second')}`);
    expect(r.diagnostics).toEqual(["syntax-error: Expected '}' but found \"kpi\"."]);
    expect(r.kpis).toEqual(['second', 'third']);
  });

  it('an extra `)`', () => {
    expect(recover(`${DATASET}kpi first { from t value sum(x)<|)|> }${LATER}`).kpis).toEqual(['first', 'second', 'third']);
  });

  it('an operator without its right operand', () => {
    expect(recover(`${DATASET}kpi first { from t value sum(x) *<|*|> 2 }${LATER}`)).toEqual({
      diagnostics: ['syntax-error: Expected a value but found "*".'],
      items: ['t', 'first', 'second', 'third'],
      kpis: ['first', 'second', 'third'],
    });
  });

  it('a target without its value', () => {
    expect(recover(`${DATASET}kpi first { from t value count() target >= <|}|>${LATER}`).diagnostics).toEqual(['syntax-error: Expected a value but found "}".']);
  });

  it('a missing comma between groupings', () => {
    expect(recover(`${DATASET}kpi first { from t value count() by at <|x|> }${LATER}`).kpis).toEqual(['first', 'second', 'third']);
  });

  it('a case without then', () => {
    expect(recover(`${DATASET}kpi first { from t value sum(case when x > 1 <|1|> end) }${LATER}`).diagnostics).toEqual(["syntax-error: Expected 'then' but found \"1\"."]);
  });

  it('text between definitions', () => {
    expect(recover(`${DATASET}kpi first { from t value count() }\n<|garbage|> here${LATER}`).kpis).toEqual(['first', 'second', 'third']);
  });

  it('a character outside the language is skipped', () => {
    const r = recover(`${DATASET}kpi first { from t value count() <|^|> }${LATER}`);
    expect(r.diagnostics).toEqual(['unexpected-character: Unexpected character "^".']);
    expect(r.kpis).toEqual(['first', 'second', 'third']);
  });

  it('a table row outside a test', () => {
    expect(recover(`${DATASET}test "t" {\n  <|| x ||>\n  | 1 |\n  expect second = 1\n}${LATER}`).diagnostics).toEqual([
      'table-row-outside-fixture: A table row must follow `given <dataset>` inside a test.',
    ]);
  });

  it('a file cut off in the middle of a definition keeps the definitions before it, and the cut one as recovered', () => {
    const r = recover(`${DATASET}kpi first { from t value count() }\nkpi second { from t <|va|>`);
    expect(r.items).toEqual(['t', 'first', 'second']);
    expect(r.kpis).toEqual(['first']);
    const parsed = parse(`${DATASET}kpi first { from t value count() }\nkpi second { from t va`);
    expect(parsed.ast.items.map((i) => ("recovered" in i ? Boolean(i.recovered) : false))).toEqual([false, false, true]);
  });

  it('a dataset with a broken column keeps its other columns, and KPIs on it report nothing more', () => {
    const text = 'dataset d { a: int\n b:\n c: int }\nkpi k { from d value sum(c) }\nkpi j { from d value sum(a) }\n';
    const r = compile([{ path: 'main.kpi', text }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
    expect(r.model.kpis.map((k) => k.name)).toEqual(['j']);
  });

  it('a misspelled clause gives one diagnostic, not a "missing value" as well', () => {
    const r = compile([{ path: 'main.kpi', text: 'kpi a { valeu sum(x) }\nkpi b { value 1 }\n' }]);
    expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['syntax-error: Expected \'}\' but found "valeu".']);
    expect(r.model.kpis.map((k) => k.name)).toEqual(['b']);
  });

  it.each(['kpi', 'dataset', 'rule r {', 'test "t" {', 'import', 'yardstick', 'kpi k { value 1 +'])('a file that ends in `%s` keeps what came before', (tail) => {
    const text = `${DATASET}kpi first { from t value count() }\n${tail}`;
    const r = parse(text);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.ast.items.map((i) => i.kind).slice(0, 2)).toEqual(['DatasetDecl', 'KpiDecl']);
    const d = r.diagnostics[0]!;
    expect(d.span!.start).toBeLessThanOrEqual(text.length);
    expect(d.span!.end).toBeLessThanOrEqual(text.length);
  });
});

describe('partial trees', () => {
  it('an expression that could not be read is an ErrorExpr, not a hole', () => {
    const r = parse('kpi k { value sum(x) * * 2 }');
    expect(printAst(r.ast)).toContain('Error @');
    expect(printAst(r.ast)).not.toContain('<missing>');
  });

  it('a missing dataset name in `from` leaves the KPI unchecked, not a crash', () => {
    const r = compile([{ path: 'main.kpi', text: `${DATASET}kpi a { from where x > 1 value count() }` }]);
    expect(r.diagnostics.map((d) => d.code)).toContain('syntax-error');
  });

  it('a missing dataset name in `given` and a missing KPI name in `expect`', () => {
    const r = compile([{ path: 'main.kpi', text: `${DATASET}kpi a { from t value count() }\ntest "t" { given 2025\n | x |\n expect 2025 = 1 }` }]);
    expect(r.diagnostics.map((d) => d.code)).toContain('syntax-error');
  });
});

describe('deep nesting', () => {
  it('is a diagnostic at the deepest point, and the other definitions are kept', () => {
    const deep = '('.repeat(5000);
    const { text, ranges } = marked(`${DATASET}kpi first { from t value ${deep.slice(1)}<|(|>1${')'.repeat(5000)} }${LATER}`);
    const r = compile([{ path: 'main.kpi', text }]);
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span])).toEqual([['syntax-error', 'This expression is nested too deeply.', ranges[0]]]);
    expect(r.model.kpis.map((k) => k.name)).toEqual(['second', 'third']);
  });

  it('a chain longer than the nesting limit is one diagnostic over the whole expression', () => {
    const { text, ranges } = marked(`${DATASET}kpi first { from t value <|count()${' + 1'.repeat(300)}|> }${LATER}`);
    const r = compile([{ path: 'main.kpi', text }]);
    expect(r.diagnostics.map((d) => [d.code, d.span])).toEqual([['syntax-error', ranges[0]]]);
    expect(r.diagnostics[0]!.hints).toEqual(['Expressions may nest at most 256 levels: split it into derived columns (`let`) or KPIs.']);
  });

  it('expressions up to the limit are fine', () => {
    const r = compile([{ path: 'main.kpi', text: `${DATASET}kpi first { from t value count()${' + 1'.repeat(200)} }\nkpi nested { from t value ${'('.repeat(100)}count()${')'.repeat(100)} }` }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.model.kpis.map((k) => k.name)).toEqual(['first', 'nested']);
  });
});
