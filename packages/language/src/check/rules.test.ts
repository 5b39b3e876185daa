import { describe, expect, it } from 'vitest';
import { checkMarked, expectClean, expectOne } from '../../../../test/helpers/check.js';

const SPEC = `dataset tickets {
  channel: string
  opened_at: timestamp time
  contacts: int
  hours: number
}
kpi fcr { from tickets value share(contacts = 1) by channel target >= 0.7 }
kpi speed { from tickets value median(hours) lower is better target <= 24 }
kpi volume { from tickets value count() }
`;

describe('rules', () => {
  it('lowers condition, periods, recovery, severity, no-data policy, grouping and message', () => {
    const r = expectClean(`${SPEC}
rule fcr_low "FCR low" {
  when fcr < target and n >= 20 for 2 periods
  recover when fcr >= target
  severity critical
  on no data: resolve
  by channel, month
  message "FCR on {channel} is {fcr} ({change(fcr)})"
}`);
    const rule = r.model.rules[0]!;
    expect(rule).toMatchObject({ name: 'fcr_low', label: 'FCR low', kpis: ['fcr'], for: 2, severity: 'critical', onNoData: 'resolve' });
    expect(rule.when).toMatchObject({ op: 'binary', operator: 'and', left: { right: { op: 'field', field: 'target', kpi: 'fcr' } }, right: { left: { op: 'field', field: 'n', kpi: 'fcr' } } });
    expect(rule.recover).toMatchObject({ right: { op: 'field', field: 'target', kpi: 'fcr' } });
    expect(rule.by!.map((d) => d.name)).toEqual(['channel', 'month']);
    expect(rule.message!.map((p) => [p.text, p.expr?.op ?? null, p.kpi])).toEqual([
      ['FCR on ', null, null],
      ['{channel}', 'group_key', null],
      [' is ', null, null],
      ['{fcr}', 'kpi', 'fcr'],
      [' (', null, null],
      ['{change(fcr)}', 'change', 'fcr'],
      [')', null, null],
    ]);
  });

  it('defaults: warning, keep, one period, the KPI grouping plus month', () => {
    const r = expectClean(`${SPEC}rule r { when fcr < 0.5 }`);
    expect(r.model.rules[0]).toMatchObject({ for: 1, severity: 'warning', onNoData: 'keep', recover: null, message: null });
    expect(r.model.rules[0]!.by!.map((d) => d.name)).toEqual(['channel', 'month']);
  });

  it('a rule that refers to no KPI', () => {
    expectOne(`${SPEC}rule r { when <|1 > 0|> }`, {
      code: 'rule-without-kpi',
      message: 'Rule "r" does not refer to any KPI.',
      hints: ['Write a condition on a KPI, e.g. `when nps < 20`.'],
    });
  });

  it('a rule without when', () => {
    expectOne(`${SPEC}rule <|r|> { severity info }`, { code: 'missing-clause', message: 'Rule "r" has no "when".' });
  });

  it('a rule that refers to a KPI that does not exist, with "Did you mean"', () => {
    expectOne(`${SPEC}rule r { when <|fcrr|> < 0.5 }`, { code: 'unknown-kpi', message: 'Unknown KPI "fcrr".', hints: ['Did you mean "fcr"?'] });
  });

  it('target(kpi) of a KPI that does not exist', () => {
    expectOne(`${SPEC}rule r { when fcr < target(<|sped|>) }`, { code: 'unknown-kpi', message: 'Unknown KPI "sped".', hints: ['Did you mean "speed"?'] });
  });

  it('`target` among several KPIs is ambiguous', () => {
    expectOne(`${SPEC}rule r { when speed > 1 and fcr < <|target|> }`, {
      code: 'ambiguous-target',
      message: '`target` is ambiguous: this rule refers to several KPIs (speed, fcr).',
      hints: ['Name the KPI: `target(speed)`.'],
    });
  });

  it('`target(kpi)` and `n(kpi)` name the KPI', () => {
    const r = expectClean(`${SPEC}rule r { when speed > target(speed) and fcr < target(fcr) and n(fcr) > 5 }`);
    expect(r.model.rules[0]!.kpis).toEqual(['speed', 'fcr']);
  });

  it('`target` of a KPI without a target', () => {
    expectOne(`${SPEC}rule r { when volume < <|target|> }`, {
      code: 'target-without-target',
      message: 'This rule uses `target`, but KPI "volume" has no target.',
    });
  });

  it('an aggregate in a rule condition', () => {
    expectOne(`${SPEC}rule r { when fcr < 1 and <|count|>() > 5 }`, {
      code: 'aggregate-in-row-expression',
      message: 'The aggregate "count" cannot be used in a condition on KPI values.',
    });
  });

  it.each([
    ['when fcr < 1 for <|0|> periods', '`for` needs a whole number of periods, at least 1.'],
    ['when fcr < 1\n severity <|urgent|>', '"urgent" is not a severity.'],
    ['when fcr < 1\n on no data: <|ignore|>', '"ignore" is not a no-data policy.'],
  ])('an invalid setting: %s', (body, message) => {
    expectOne(`${SPEC}rule r { ${body} }`, { code: 'invalid-argument', message });
  });

  it('a clause given twice, with the first as related place', () => {
    expectOne(`${SPEC}rule r {\n  when fcr < 1\n  <|severity info|>\n  <|severity critical|>\n}`, {
      code: 'duplicate-clause',
      range: 1,
      message: '"severity" is given more than once.',
      related: [{ range: 0, message: 'first given here' }],
    });
  });

  it('`by` for a KPI without a dataset', () => {
    expectOne(`${SPEC}kpi both { value fcr + volume }\nrule r { when both > 1 <|by channel|> }`, {
      code: 'invalid-per',
      message: "This rule's KPI has no dataset to group by.",
    });
  });

  it('a rule on a KPI with errors is left out without a second diagnostic', () => {
    const r = checkMarked(`${SPEC}kpi broken { from tickets value avg(nope) }\nrule r { when broken > 1 }`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unknown-name']);
    expect(r.model.rules).toEqual([]);
  });
});

describe('message templates', () => {
  it('an unclosed placeholder', () => {
    expectOne(`${SPEC}rule r { when fcr < 1 message "value <|{fcr is low|>" }`, {
      code: 'invalid-template',
      message: 'A `{` is never closed.',
      hints: ['Placeholders look like {nps}, {change(nps)} or {customer.segment}; write {{ for a literal brace.'],
    });
  });

  it('a stray closing brace', () => {
    expectOne(`${SPEC}rule r { when fcr < 1 message "value fcr<|}|> is low" }`, { code: 'invalid-template', message: 'A `}` has no matching `{`.' });
  });

  it('a placeholder that does not parse', () => {
    expectOne(`${SPEC}rule r { when fcr < 1 message "value <|{fcr +}|>" }`, { code: 'invalid-template', message: '"{fcr +}" is not a placeholder.' });
  });

  it('a placeholder naming a KPI that does not exist', () => {
    expectOne(`${SPEC}rule r { when fcr < 1 message "value {<|fcrr|>}" }`, { code: 'unknown-kpi', message: 'Unknown KPI "fcrr".' });
  });

  it('literal braces', () => {
    const r = expectClean(`${SPEC}rule r { when fcr < 1 message "{{fcr}} is {fcr}" }`);
    expect(r.model.rules[0]!.message!.map((p) => p.text)).toEqual(['{fcr} is ', '{fcr}']);
  });
});
