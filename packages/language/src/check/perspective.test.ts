import { describe, expect, it } from 'vitest';
import { checkMarked, expectClean, expectOne } from '../../../../test/helpers/check.js';

const CAMPAIGNS = `dataset campaigns {
  sent_at: date time
  spend: number @company
  offered: number @company
  effort_points: number @customer
  value_points: number @customer
  other: number
  let value_per_effort = value_points / effort_points
}
dataset surveys { quality: int @customer }
dataset brand { image: number @company }
`;

function orientation(value: string, extra = ''): unknown {
  const r = checkMarked(`${CAMPAIGNS}${extra}kpi k { ${value} }`);
  expect(r.diagnostics).toEqual([]);
  const k = r.model.kpis.find((x) => x.name === 'k')!;
  return k.ratio && { orientation: k.ratio.orientation, numerator: k.ratio.numeratorPerspective, denominator: k.ratio.denominatorPerspective };
}

describe('perspective orientation of ratio KPIs, recorded in the model', () => {
  it('customer over company', () => {
    expect(orientation('from campaigns value sum(value_points) / sum(spend)')).toEqual({ orientation: 'customer-over-company', numerator: 'customer', denominator: 'company' });
  });

  it('company over customer', () => {
    expect(orientation('from campaigns value sum(spend) / sum(value_points)')).toEqual({ orientation: 'company-over-customer', numerator: 'company', denominator: 'customer' });
  });

  it('same side, customer', () => {
    expect(orientation('from campaigns value sum(value_points) / sum(effort_points)')).toEqual({ orientation: 'same-side', numerator: 'customer', denominator: 'customer' });
  });

  it('same side, company', () => {
    expect(orientation('from campaigns value sum(spend) / sum(offered)')).toEqual({ orientation: 'same-side', numerator: 'company', denominator: 'company' });
  });

  it('unknown when a side has no tag', () => {
    expect(orientation('from campaigns value sum(other) / sum(spend)')).toEqual({ orientation: 'unknown', numerator: null, denominator: 'company' });
  });

  it('unknown when a side mixes both', () => {
    expect(orientation('from campaigns value sum(value_points + spend) / sum(spend)')).toEqual({ orientation: 'unknown', numerator: 'mixed', denominator: 'company' });
  });

  it('through derived columns', () => {
    expect(orientation('from campaigns value avg(value_per_effort) / sum(spend)')).toEqual({ orientation: 'customer-over-company', numerator: 'customer', denominator: 'company' });
  });

  it('through the KPIs a KPI of KPIs reads', () => {
    const extra = 'kpi perceived { from surveys value avg(quality) }\nkpi brand_image { from brand value avg(image) }\n';
    expect(orientation('value perceived / brand_image', extra)).toEqual({ orientation: 'customer-over-company', numerator: 'customer', denominator: 'company' });
  });

  it('no ratio when the value is not a division', () => {
    expect(orientation('from campaigns value avg(value_points / effort_points)')).toBeNull();
  });
});

describe('the opt-in perspective lint', () => {
  it('warns on a company-over-customer ratio', () => {
    expectOne(
      `${CAMPAIGNS}kpi <|k|> { from campaigns value sum(spend) / sum(value_points) }`,
      {
        code: 'company-over-customer',
        severity: 'warning',
        message: 'KPI "k" divides a company-side measure by a customer-side one.',
        hints: ['Customer-centric ratios put what the customer perceives over what the company spends or offers: consider inverting it.'],
      },
      { lint: { perspective: true } },
    );
  });

  it('is quiet on the other orientations', () => {
    expectClean(
      `${CAMPAIGNS}kpi a { from campaigns value sum(value_points) / sum(spend) }
kpi b { from campaigns value sum(value_points) / sum(effort_points) }
kpi c { from campaigns value sum(other) / sum(spend) }`,
      { lint: { perspective: true } },
    );
  });

  it('is off by default', () => {
    expectClean(`${CAMPAIGNS}kpi k { from campaigns value sum(spend) / sum(value_points) }`);
  });
});
