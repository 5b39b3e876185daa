import { describe, expect, it } from 'vitest';
import { checkMarked, expectOne } from '../../../../test/helpers/check.js';

describe('KPI cycles', () => {
  it('names the whole cycle once, at the first reference, with each other reference as related place', () => {
    const r = expectOne(
      `kpi a { value <|b|> + 1 }
kpi b { value <|c|> * 2 }
kpi c { value <|a|> - 1 }`,
      {
        code: 'circular-kpi',
        range: 0,
        message: 'KPIs reference each other in a cycle: "a" -> "b" -> "c" -> "a".',
        hints: ['Break the cycle: one of these KPIs must be computed without the others.'],
        related: [
          { range: 1, message: '"b" refers to "c" here' },
          { range: 2, message: '"c" refers to "a" here' },
        ],
      },
    );
    expect(r.model.kpis).toEqual([]);
  });

  it('a KPI that refers to itself', () => {
    expectOne(`kpi self { value <|self|> + 1 }`, {
      code: 'circular-kpi',
      message: 'KPIs reference each other in a cycle: "self" -> "self".',
      related: [],
    });
  });

  it('a cycle through a status condition', () => {
    expectOne(`dataset t { x: number }\nkpi p { from t value avg(x) <|status { high when q > 1 low otherwise }|> }\nkpi q { value <|p|> / 2 }`, {
      code: 'circular-kpi',
      message: 'KPIs reference each other in a cycle: "p" -> "q" -> "p".',
      related: [{ range: 1, message: '"q" refers to "p" here' }],
    });
  });

  it('a cycle across files names both files', () => {
    const r = expectOne(
      { 'main.kpi': `import "b.kpi"\nkpi a { value <|b|> + 1 }`, 'b.kpi': `import "main.kpi"\nkpi b { value <|a|> + 1 }` },
      {
        code: 'circular-kpi',
        message: 'KPIs reference each other in a cycle: "a" -> "b" -> "a".',
        related: [{ range: 0, file: 'b.kpi', message: '"b" refers to "a" here' }],
      },
    );
    expect(r.diagnostics[0]!.file).toBe('main.kpi');
  });

  it('KPIs that read a KPI on a cycle are left out; the others stay', () => {
    const r = checkMarked(`dataset t { x: number }
kpi a { value b }
kpi b { value a }
kpi reads_cycle { value a + 1 }
kpi fine { from t value sum(x) }
kpi reads_fine { value fine * 2 }`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['circular-kpi']);
    expect(r.model.kpis.map((k) => k.name)).toEqual(['fine', 'reads_fine']);
  });

  it('a diamond is not a cycle', () => {
    const r = checkMarked(`dataset t { x: number }
kpi base { from t value sum(x) }
kpi left { value base * 2 }
kpi right { value base + 1 }
kpi top { value left - right }`);
    expect(r.diagnostics).toEqual([]);
    expect(r.model.kpis.find((k) => k.name === 'top')!.dependsOn).toEqual(['left', 'right']);
  });
});
