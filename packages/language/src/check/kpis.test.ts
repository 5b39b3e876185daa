import { describe, expect, it } from 'vitest';
import { checkMarked, expectAll, expectClean, expectOne } from '../../../../test/helpers/check.js';

const T = `dataset t {
  at: timestamp time
  channel: string
  x: number
}
`;

describe('KPI clauses', () => {
  it('lowers every clause', () => {
    const r = expectClean(`${T}
kpi k "Label" {
  description "D"
  owner "o"
  tags "a", "b"
  from t where x > 0
  value avg(x)
  by channel, month
  unit hours
  format number decimals 1
  lower is better
  min samples 30
  zone "America/Los_Angeles"
  target 4 when channel = "chat" else <= 24
  status {
    ok when value <= target
    bad otherwise
  }
}`);
    const k = r.model.kpis[0]!;
    expect(k).toMatchObject({
      name: 'k',
      label: 'Label',
      description: 'D',
      owner: 'o',
      tags: ['a', 'b'],
      from: 't',
      unit: 'hours',
      format: { kind: 'number', decimals: 1 },
      direction: 'lower',
      minSamples: 30,
      zone: 'America/Los_Angeles',
      timeColumn: 'at',
    });
    expect(k.by.map((d) => d.name)).toEqual(['channel', 'month']);
    // A bare target follows the direction: `<=` when lower is better.
    expect(k.target.map((a) => [a.comparator, a.value, a.when !== null])).toMatchObject([
      ['<=', { op: 'lit', value: 4 }, true],
      ['<=', { op: 'lit', value: 24 }, false],
    ]);
    expect(k.status.map((s) => s.label)).toEqual(['ok', 'bad']);
  });

  it('an unknown dataset in `from`, with "Did you mean"', () => {
    expectOne(`${T}kpi k { from <|tt|> value count() }`, {
      code: 'unknown-dataset',
      message: 'Unknown dataset "tt".',
      hints: ['Did you mean "t"?'],
    });
  });

  it('a KPI without value', () => {
    expectOne(`${T}kpi <|k|> { from t }`, {
      code: 'missing-clause',
      message: 'KPI "k" has no "value".',
      hints: ['Add `value <expression>`, e.g. `value avg(score)`.'],
    });
  });

  it('a clause given twice, with the first as related place', () => {
    expectOne(`${T}kpi k {\n  from t\n  <|unit points|>\n  value count()\n  <|unit hours|>\n}`, {
      code: 'duplicate-clause',
      range: 1,
      message: '"unit" is given more than once.',
      related: [{ range: 0, message: 'first given here' }],
    });
  });

  it('a grouping given twice', () => {
    expectOne(`${T}kpi k { from t value count() by channel, <|channel|> }`, { code: 'duplicate-clause', message: '"channel" is given more than once.' });
  });

  it('an unknown format, with "Did you mean"', () => {
    expectOne(`${T}kpi k { from t value count() format <|percentage|> }`, {
      code: 'unknown-format',
      message: '"percentage" is not a format.',
      hints: ['Did you mean "percent"?', 'Use percent, number, integer, currency or duration.'],
    });
  });

  it('an unknown time zone in a KPI', () => {
    expectOne(`${T}kpi k { from t value count() zone <|"Mars/Olympus"|> }`, { code: 'unknown-time-zone', message: '"Mars/Olympus" is not an IANA time zone.' });
  });

  it('a KPI of KPIs groups by time buckets only', () => {
    expectOne(`${T}kpi a { from t value count() }\nkpi k { value a * 2 by <|channel|> }`, {
      code: 'invalid-per',
      message: 'A KPI built from other KPIs can only be grouped by time buckets (day, week, month, quarter, year).',
    });
  });
});

describe('targets', () => {
  it('a target that is not a number', () => {
    expectOne(`${T}kpi k { from t value avg(x) target >= <|"high"|> }`, {
      code: 'invalid-target',
      message: 'A target must be a number, not a string.',
      hints: ['For example `target >= 0.8`.'],
    });
  });

  it('per-dimension targets need a dataset', () => {
    expectOne(`${T}kpi a { from t value avg(x) }\nkpi k { value a * 2 target >= 1 when <|channel = "phone"|> else >= 2 }`, {
      code: 'invalid-target',
      message: 'Per-dimension targets need a `from` dataset.',
    });
  });

  it('`target` in a status condition of a KPI without target', () => {
    expectOne(`${T}kpi k { from t value avg(x) status { ok when value >= <|target|> bad otherwise } }`, {
      code: 'target-without-target',
      message: 'This status condition uses `target`, but KPI "k" has no target.',
      hints: ['Add a `target` clause, or compare with a number.'],
    });
  });

  it('an aggregate as a target', () => {
    expectOne(`${T}kpi k { from t value avg(x) target >= <|avg|>(x) }`, {
      code: 'aggregate-in-row-expression',
      message: 'The aggregate "avg" cannot be used in a target.',
    });
  });
});

describe('statuses', () => {
  it('a status given twice, with the first as related place', () => {
    expectOne(`${T}kpi k { from t value avg(x) status {\n  <|good|> when value > 1\n  <|good|> when value > 0\n  bad otherwise\n} }`, {
      code: 'duplicate-status',
      range: 1,
      message: 'Status "good" appears more than once.',
      related: [{ range: 0, message: 'first defined here' }],
    });
  });

  it('a built-in status', () => {
    expectOne(`${T}kpi k { from t value avg(x) status { <|on_target|> when value > 1 bad otherwise } }`, {
      code: 'reserved-status',
      message: '"on_target" is a built-in status and cannot be redefined.',
    });
  });

  it('a status block without otherwise is a warning', () => {
    const r = expectOne(`${T}kpi k { from t value avg(x) <|status { high when value > 1 }|> }`, {
      code: 'status-without-otherwise',
      severity: 'warning',
      message: 'This status block has no `otherwise`, so a value that matches no line gets no status.',
    });
    expect(r.model.kpis.map((k) => k.name)).toEqual(['k']);
  });

  it('a status after otherwise is a warning', () => {
    expectOne(`${T}kpi k { from t value avg(x) status { high when value > 1 other otherwise <|never|> when value < 0 } }`, {
      code: 'unreachable-status',
      severity: 'warning',
      message: 'Status "never" can never be chosen: it comes after `otherwise`.',
    });
  });

  it('value, target and n mean the KPI itself; other KPIs may be used', () => {
    const r = expectClean(`${T}kpi volume { from t value count() }
kpi k { from t value avg(x) target >= 1 status { ok when value >= target and n >= 10 and volume > 5 bad otherwise } }`);
    const k = r.model.kpis.find((x) => x.name === 'k')!;
    expect(k.status[0]!.when).toMatchObject({
      op: 'binary',
      operator: 'and',
      left: { left: { left: { op: 'field', field: 'value', kpi: 'k' }, right: { op: 'field', field: 'target', kpi: 'k' } }, right: { left: { op: 'field', field: 'n', kpi: 'k' } } },
      right: { left: { op: 'kpi', name: 'volume' } },
    });
    expect(k.dependsOn).toEqual(['volume']);
  });
});

describe('shadowing', () => {
  it('a name that is a column and a KPI uses the column, with a warning', () => {
    const r = expectOne(`dataset t { revenue: number }\nkpi revenue { from t value sum(<|revenue|>) }`, {
      code: 'shadowed-kpi',
      severity: 'warning',
      message: '"revenue" is both a column of "t" and a KPI; the column is used.',
    });
    expect(r.model.kpis[0]!.value).toMatchObject({ op: 'agg', arg: { op: 'col', name: 'revenue' } });
  });
});

describe('KPIs with errors', () => {
  it('are left out of the model; the others stay', () => {
    const r = checkMarked(`${T}kpi bad { from t value avg(nope) }\nkpi good { from t value avg(x) }\nkpi reads_bad { value bad + 1 }`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unknown-name']);
    expect(r.model.kpis.map((k) => k.name)).toEqual(['good']);
  });

  it('several problems in one KPI are each reported', () => {
    expectAll(`${T}kpi k { from t value avg(<|y|>) format <|pct|> }`, [
      { code: 'unknown-name', range: 0, message: '"y" is neither a column of "t" nor a KPI.' },
      { code: 'unknown-format', range: 1, message: '"pct" is not a format.' },
    ]);
  });
});
