import { describe, expect, it } from 'vitest';
import { checkMarked, expectAll, expectClean, expectOne } from '../../../../test/helpers/check.js';

const SPEC = `dataset customers {
  customer_id: string key
  segment: string
}
dataset surveys {
  customer_id: string -> customers
  answered_at: date time
  recommend: int? in 0..10
  let promoter = recommend >= 9
}
kpi nps {
  from surveys
  value 100 * (share(recommend >= 9) - share(recommend <= 6))
  by month
  status { good when value > 0 bad otherwise }
}
kpi twice { value nps * 2 }
rule falling { when change(nps) < -10 }
`;

describe('tests', () => {
  it('lowers fixtures, as of and every expectation form', () => {
    const r = expectClean(`${SPEC}
test "t" {
  as of 2025-03-01T00:00:00Z
  given surveys
    | customer_id | answered_at | recommend |
    | c1          | 2025-01-05  | 10        |
    | "c2"        | 2025-01-06  |           |
  expect nps = 25 ± 0.5
  expect nps = 25 +- 10%
  expect nps is null
  expect nps by month = { 2025-01: 25, 2025-02: null }
  expect nps by customer.segment, month = { ("smb", 2025-01): -10 }
  expect nps where customer.segment = "smb" = 25
  expect status of nps = bad
  expect status of nps by month = { 2025-01: insufficient_data }
  expect alert falling firing from 2025-03
  expect alert falling from 2025-Q1 to 2025-Q2
  expect no alert falling
}`);
    const t = r.model.tests[0]!;
    expect(t.asOf).toBe('2025-03-01T00:00:00Z');
    expect(t.fixtures).toMatchObject([{ dataset: 'surveys', columns: ['customer_id', 'answered_at', 'recommend'], rows: [['c1', '2025-01-05', '10'], ['c2', '2025-01-06', null]] }]);
    expect(t.expectations.map((e) => (e.kind === 'alert' ? [e.kind, e.negated, e.firing, e.from, e.to] : [e.kind, e.expected, e.groups?.map((g) => [g.group, g.value]) ?? null, e.kind === 'value' ? e.tolerance : null]))).toEqual([
      ['value', 25, null, { kind: 'absolute', amount: 0.5 }],
      ['value', 25, null, { kind: 'relative', amount: 0.1 }],
      ['value', null, null, { kind: 'relative', amount: 1e-9 }],
      ['value', null, [[{ month: '2025-01' }, 25], [{ month: '2025-02' }, null]], { kind: 'relative', amount: 1e-9 }],
      ['value', null, [[{ 'customer.segment': 'smb', month: '2025-01' }, -10]], { kind: 'relative', amount: 1e-9 }],
      ['value', 25, null, { kind: 'relative', amount: 1e-9 }],
      ['status', 'bad', null, null],
      ['status', null, [[{ month: '2025-01' }, 'insufficient_data']], null],
      ['alert', false, true, '2025-03', null],
      ['alert', false, false, '2025-Q1', '2025-Q2'],
      ['alert', true, false, null, null],
    ]);
  });

  it('a test without expect', () => {
    expectOne(`${SPEC}test <|"t"|> { given surveys\n | customer_id |\n | c1 |\n}`, {
      code: 'test-expects-nothing',
      message: 'Test "t" has no `expect`.',
      hints: ['Add at least one expectation, e.g. `expect nps = 25`.'],
    });
  });

  it('a test name given twice, with the first as related place', () => {
    expectOne(`${SPEC}test <|"t"|> { expect nps = 1 }\ntest <|"t"|> { expect nps = 2 }`, {
      code: 'duplicate-definition',
      range: 1,
      message: 'Test "t" is defined more than once.',
      related: [{ range: 0, message: 'Test "t" is first defined here' }],
    });
  });
});

describe('references to things that do not exist', () => {
  it('an unknown dataset in `given`, with "Did you mean"', () => {
    expectOne(`${SPEC}test "t" { given <|survey|>\n | customer_id |\n expect nps = 1 }`, {
      code: 'unknown-dataset',
      message: 'Unknown dataset "survey".',
      hints: ['Did you mean "surveys"?'],
    });
  });

  it('an unknown KPI, with "Did you mean"', () => {
    expectOne(`${SPEC}test "t" { expect <|nsp|> = 1 }`, { code: 'unknown-kpi', message: 'Unknown KPI "nsp".', hints: ['Did you mean "nps"?'] });
  });

  it('an unknown status, with "Did you mean"', () => {
    expectOne(`${SPEC}test "t" { expect status of nps = <|god|> }`, {
      code: 'unknown-status',
      message: 'KPI "nps" has no status "god".',
      hints: ['Did you mean "good"?'],
    });
  });

  it('an unknown status far from any label lists the statuses', () => {
    expectOne(`${SPEC}test "t" { expect status of nps by month = { 2025-01: <|excellent|> } }`, {
      code: 'unknown-status',
      message: 'KPI "nps" has no status "excellent".',
      hints: ['Statuses of "nps": on_target, off_target, insufficient_data, good, bad.'],
    });
  });

  it('an unknown rule, with "Did you mean"', () => {
    expectOne(`${SPEC}test "t" { expect alert <|falling_|> firing from 2025-03 }`, {
      code: 'unknown-rule',
      message: 'Unknown rule "falling_".',
      hints: ['Did you mean "falling"?'],
    });
  });

  it('an unknown column in a fixture header, with "Did you mean"', () => {
    expectOne(`${SPEC}test "t" { given surveys\n | customer_id | <|recomend|> |\n expect nps = 1 }`, {
      code: 'fixture-unknown-column',
      message: 'Dataset "surveys" has no column "recomend".',
      hints: ['Did you mean "recommend"?'],
    });
  });

  it('an unknown column in an expectation filter', () => {
    expectOne(`${SPEC}test "t" { expect nps where <|segmnt|> = "smb" = 1 }`, {
      code: 'unknown-column',
      message: 'Dataset "surveys" has no column "segmnt".',
    });
  });
});

describe('fixtures', () => {
  it('a derived column in the header', () => {
    expectOne(`${SPEC}test "t" { given surveys\n | customer_id | <|promoter|> |\n expect nps = 1 }`, {
      code: 'fixture-derived-column',
      message: '"promoter" is a derived column of "surveys"; fixtures give only source columns.',
    });
  });

  it('a row of the wrong width', () => {
    expectOne(`${SPEC}test "t" { given surveys\n | customer_id | recommend |\n <|| c1 | 1 | 2 ||>\n expect nps = 1 }`, {
      code: 'fixture-row-width',
      message: 'This row has 3 cells, but the header has 2.',
    });
  });

  it('a cell that does not fit the column type', () => {
    expectOne(`${SPEC}test "t" { given surveys\n | customer_id | answered_at | recommend |\n | c1 | 2025-01-05 | <|ten|> |\n expect nps = 1 }`, {
      code: 'invalid-fixture-value',
      message: '"ten" is not a valid int for column "recommend".',
      hints: ['Write a whole number, e.g. 42.'],
    });
  });

  it('a column given twice, with the first as related place', () => {
    expectOne(`${SPEC}test "t" { given surveys\n | <|customer_id|> | <|customer_id|> |\n expect nps = 1 }`, {
      code: 'duplicate-column',
      range: 1,
      message: 'Column "customer_id" is declared more than once in "surveys".',
      related: [{ range: 0, message: 'column "customer_id" is first given here' }],
    });
  });

  it('a dataset given twice, with the first as related place', () => {
    expectOne(`${SPEC}test "t" {\n given <|surveys|>\n | customer_id |\n given <|surveys|>\n | customer_id |\n expect nps = 1 }`, {
      code: 'duplicate-clause',
      range: 1,
      message: '"given surveys" is given more than once.',
      related: [{ range: 0, message: 'first given here' }],
    });
  });

  it('`given` without a table', () => {
    expectOne(`${SPEC}test "t" { <|given surveys|>\n expect nps = 1 }`, { code: 'bad-table-row', message: '`given surveys` has no table.' });
  });

  it('quoted cells are strings, empty cells null', () => {
    const r = expectClean(`${SPEC}test "t" { given customers\n | customer_id | segment |\n | "a \\"b\\" | c" | "" |\n | d | |\n expect nps = 1 }`);
    expect(r.model.tests[0]!.fixtures[0]!.rows).toEqual([
      ['a "b" | c', ''],
      ['d', null],
    ]);
  });
});

describe('expectations', () => {
  it.each([
    ['expect nps by month = <|{ }|>', 'empty-group-map', 'This expectation lists no groups.'],
    ['expect nps = <|{ 2025-01: 1 }|>', 'invalid-argument', 'A map of groups needs `by`.'],
    ['expect nps by month = <|1|>', 'invalid-argument', 'With `by`, list the expected value of each group.'],
    ['expect status of nps <|is null|>', 'invalid-argument', 'A status is never null; a KPI without a value has the status insufficient_data.'],
    ['expect nps by month, customer.segment = { <|2025-01: 1|> }', 'invalid-argument', 'This key has 1 part, but the grouping has 2.'],
    ['expect nps = <|"one"|>', 'type-mismatch', 'KPI "nps" is a number; expect a number here.'],
    ['expect status of nps = <|1|>', 'type-mismatch', 'A status expectation needs a status label, e.g. on_target.'],
    ['expect alert falling from <|soon|>', 'invalid-literal', '"soon" is not a valid period.'],
    ['expect twice by <|segment|> = { "a": 1 }', 'invalid-per', 'KPI "twice" has no dataset; group it by time buckets only.'],
    ['expect twice where <|segment = "a"|> = 1', 'invalid-argument', 'KPI "twice" has no dataset to filter.'],
    ['as of <|2025-01|>\n expect nps = 1', 'invalid-literal', '"2025-01" is not a valid date or timestamp.'],
  ])('%s', (body, code, message) => {
    expectOne(`${SPEC}test "t" { ${body} }`, { code, message });
  });

  it('an expectation on a KPI with errors is left out without a second diagnostic', () => {
    const r = checkMarked(`${SPEC}kpi broken { from surveys value avg(nope) }\ntest "t" { expect broken = 1\n expect nps = 1 }`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unknown-name']);
    expect(r.model.tests[0]!.expectations.map((e) => e.kind === 'alert' ? e.rule : e.kpi)).toEqual(['nps']);
  });

  it('several problems in one test are each reported', () => {
    expectAll(`${SPEC}test "t" { expect <|nsp|> = 1\n expect alert <|fall|> }`, [
      { code: 'unknown-kpi', range: 0, message: 'Unknown KPI "nsp".' },
      { code: 'unknown-rule', range: 1, message: 'Unknown rule "fall".' },
    ]);
  });
});
