import { describe, expect, it } from 'vitest';
import { expectOne } from '../../../../test/helpers/check.js';

describe('definitions', () => {
  it.each([
    ['dataset', 'dataset <|d|> { x: int }\ndataset <|d|> { y: int }', 'Dataset "d" is defined more than once.', 'Dataset "d" is first defined here'],
    ['kpi', 'dataset t { x: int }\nkpi <|k|> { from t value count() }\nkpi <|k|> { from t value sum(x) }', 'KPI "k" is defined more than once.', 'KPI "k" is first defined here'],
    ['rule', 'dataset t { x: int }\nkpi k { from t value count() }\nrule <|r|> { when k > 1 }\nrule <|r|> { when k > 2 }', 'Rule "r" is defined more than once.', 'Rule "r" is first defined here'],
  ])('a %s defined twice points at the second, with the first as related place', (_kind, source, message, related) => {
    expectOne(source, {
      code: 'duplicate-definition',
      range: 1,
      message,
      hints: ['Names are global to a project: rename one of them.'],
      related: [{ range: 0, message: related }],
    });
  });

  it('a name defined in two files: the related place is in the other file', () => {
    expectOne(
      { 'main.kpi': 'import "a.kpi"\ndataset t { x: int }\nkpi <|k|> { from t value count() }', 'a.kpi': 'kpi <|k|> { from t value sum(x) }' },
      {
        code: 'duplicate-definition',
        file: 'a.kpi',
        message: 'KPI "k" is defined more than once.',
        related: [{ range: 0, file: 'main.kpi', message: 'KPI "k" is first defined here' }],
      },
    );
  });

  it('a dataset and a KPI may share a name', () => {
    expectOne('dataset sales { x: int }\nkpi sales { from sales value sum(x) }\nkpi k { from <|salez|> value count() }', {
      code: 'unknown-dataset',
      message: 'Unknown dataset "salez".',
    });
  });
});

describe('the header', () => {
  it('a version other than 1', () => {
    expectOne('<|yardstick 2|>\ndataset d { x: int }', {
      code: 'unsupported-version',
      message: 'This file declares format version 2, but only version 1 exists.',
      hints: ['Write `yardstick 1` as the first line.'],
    });
  });

  it('a header after a definition', () => {
    expectOne('dataset d { x: int }\n<|yardstick 1|>', { code: 'misplaced-header', message: 'The `yardstick` header must be the first line of the file.' });
  });

  it('a header in each file of a project', () => {
    const r = expectOne({ 'main.kpi': 'yardstick 1\nimport "a.kpi"\n<|yardstick 1|>', 'a.kpi': 'yardstick 1\ndataset d { x: int }' }, {
      code: 'misplaced-header',
      message: 'The `yardstick` header must be the first line of the file.',
    });
    expect(r.model.datasets.map((d) => d.name)).toEqual(['d']);
  });
});

describe('imports', () => {
  it('a file that cannot be read', () => {
    expectOne('import <|"missing.kpi"|>', { code: 'import-not-found', message: 'Cannot read "missing.kpi".', hints: ['Paths are relative to the importing file.'] });
  });

  it('a file that is not a .kpi file', () => {
    expectOne('import <|"notes.txt"|>', { code: 'unsupported-file', message: '"notes.txt" cannot be imported: only .kpi and .kpi.yaml files can be.' });
  });

  it('paths are relative to the importing file', () => {
    const r = expectOne(
      { 'main.kpi': 'import "lib/a.kpi"', 'lib/a.kpi': 'import "../shared/b.kpi"\nimport <|"b.kpi"|>', 'shared/b.kpi': 'dataset b { x: int }' },
      { code: 'import-not-found', file: 'lib/a.kpi', message: 'Cannot read "b.kpi".' },
    );
    expect(r.model.files).toEqual(['main.kpi', 'lib/a.kpi', 'shared/b.kpi']);
  });
});
