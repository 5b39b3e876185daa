import { describe, expect, it } from 'vitest';
import { expectAll, expectClean, expectOne } from '../../../../test/helpers/check.js';

describe('dataset declarations', () => {
  it('lowers columns, keys, the time column, constraints, zone, load policy and source', () => {
    const r = expectClean(`
dataset tickets "Tickets" from "data/t.txt" as csv {
  zone "Europe/Berlin"
  on bad rows skip
  ticket_id: string key
  channel: string in ("phone", "email")
  opened_at: timestamp time
  contacts: int? in 1..
  spend: number unit USD @company
}`);
    const ds = r.model.datasets[0]!;
    expect(ds).toMatchObject({
      name: 'tickets',
      label: 'Tickets',
      source: { path: 'data/t.txt', format: 'csv' },
      zone: 'Europe/Berlin',
      timeColumn: 'opened_at',
      keys: ['ticket_id'],
      onBadRows: 'skip',
    });
    expect(ds.columns.map((c) => [c.name, c.type, c.nullable, c.allowed, c.unit, c.perspective])).toEqual([
      ['ticket_id', 'string', false, null, null, null],
      ['channel', 'string', false, { kind: 'set', values: ['phone', 'email'] }, null, null],
      ['opened_at', 'timestamp', false, null, null, null],
      ['contacts', 'int', true, { kind: 'range', min: 1, max: null }, null, null],
      ['spend', 'number', false, null, 'USD', 'company'],
    ]);
  });

  it('names a relation after its column, or with `as`', () => {
    const r = expectClean(`
dataset customers { customer_id: string key }
dataset agents { agent_id: string key }
dataset tickets {
  customer_id: string -> customers
  agent_id: string? -> agents as assignee
}`);
    expect(r.model.datasets[2]!.relations).toMatchObject([
      { name: 'customer', column: 'customer_id', dataset: 'customers', key: 'customer_id' },
      { name: 'assignee', column: 'agent_id', dataset: 'agents', key: 'agent_id' },
    ]);
  });

  it('an unknown relation target, with "Did you mean"', () => {
    expectOne(`dataset customers { customer_id: string key }\ndataset t { customer_id: string -> <|custmers|> }`, {
      code: 'unknown-dataset',
      message: 'Unknown dataset "custmers".',
      hints: ['Did you mean "customers"?'],
    });
  });

  it('a relation whose key type differs, with the key as related place', () => {
    expectOne(`dataset customers { <|customer_id|>: int key }\ndataset t { customer_id: string <|-> customers|> }`, {
      code: 'relation-key-mismatch',
      range: 1,
      message: 'Relation "customer" joins a string column to the int key "customer_id" of "customers".',
      hints: ['Both sides of a relation must have the same type.'],
      related: [{ range: 0, message: 'the key "customer_id" is declared here' }],
    });
  });

  it('a relation to a dataset without a single key', () => {
    expectOne(`dataset events { id: string }\ndataset logs { event_id: string -> <|events|> }`, {
      code: 'relation-target-without-key',
      message: 'Dataset "events" has no single `key` column, so "event" cannot point to it.',
    });
  });

  it('two relations with the same name', () => {
    expectOne(`dataset d { id: string key }\ndataset links {\n  a_id: string -> d as target\n  b_id: string -> d as <|target|>\n}`, {
      code: 'duplicate-definition',
      message: 'Relation "target" is defined more than once.',
    });
  });

  it('a column declared twice, with the first as related place', () => {
    expectOne(`dataset d {\n  <|id|>: string\n  <|id|>: int\n}`, {
      code: 'duplicate-column',
      range: 1,
      message: 'Column "id" is declared more than once in "d".',
      related: [{ range: 0, message: 'column "id" is first declared here' }],
    });
  });

  it('a derived column with the name of a column, with the column as related place', () => {
    expectOne(`dataset d {\n  <|x|>: int\n  let <|x|> = 1\n}`, {
      code: 'duplicate-column',
      range: 1,
      message: 'Column "x" is declared more than once in "d".',
      related: [{ range: 0, message: 'column "x" is first declared here' }],
    });
  });

  it('a modifier given twice', () => {
    expectOne(`dataset d { id: string key <|key|> }`, { code: 'duplicate-clause', message: '"key" is given more than once.', hints: ['Keep one.'] });
  });

  it('an unknown type, with "Did you mean"', () => {
    expectOne(`dataset d { s: <|strng|> }`, {
      code: 'unknown-type',
      message: '"strng" is not a type.',
      hints: ['Did you mean "string"?', 'Use string, int, number, bool, date, timestamp or duration.'],
    });
  });

  it('an unknown time zone', () => {
    expectOne(`dataset d { zone <|"Europe/Berln"|>\n x: int }`, {
      code: 'unknown-time-zone',
      message: '"Europe/Berln" is not an IANA time zone.',
    });
  });

  it('a source format the extension does not tell', () => {
    expectOne(`dataset d from <|"d.xlsx"|> { x: int }`, { code: 'unsupported-format', message: 'Cannot tell the format of "d.xlsx".' });
  });

  it('a load policy that does not exist', () => {
    expectOne(`dataset d { on bad rows <|ignore|>\n x: int }`, {
      code: 'invalid-argument',
      message: '"ignore" is not a load policy.',
      hints: ['Write `on bad rows skip` or `on bad rows fail`.'],
    });
  });

  it('a nullable key', () => {
    expectOne(`dataset d { id: string? <|key|> }`, { code: 'invalid-argument', message: 'Key column "id" cannot be nullable.' });
  });

  it('an unknown perspective', () => {
    expectOne(`dataset d { x: number <|@vendor|> }`, { code: 'invalid-argument', message: '"@vendor" is not a perspective.' });
  });
});

describe('time columns', () => {
  it('more than one time column, with the first as related place', () => {
    expectOne(`dataset d {\n  <|a|>: timestamp time\n  <|b|>: date time\n}`, {
      code: 'multiple-time-columns',
      range: 1,
      message: 'Dataset "d" marks more than one column with `time`.',
      related: [{ range: 0, message: 'first time column' }],
    });
  });

  it('a time column that is not a date or timestamp', () => {
    expectOne(`dataset d { n: int <|time|> }`, { code: 'invalid-time-column', message: 'The time column "n" must be a date or timestamp, not int.' });
  });
});

describe('constraint literals must fit the column type', () => {
  it.each([
    ['channel: string in ("phone", <|2|>)', 'The number 2 does not fit a value of the string column "channel".'],
    ['stars: int in (1, <|2.5|>)', 'The decimal 2.5 does not fit a value of the int column "stars".'],
    ['stars: int in (1, <|"3"|>)', 'The string "3" does not fit a value of the int column "stars".'],
    ['score: int in 0..<|10.5|>', 'The decimal 10.5 does not fit a bound of the int column "score".'],
    ['ok: bool in (<|1|>)', 'The number 1 does not fit a value of the bool column "ok".'],
    ['at: timestamp in <|2025-01|>..', 'The period 2025-01 does not fit a bound of the timestamp column "at".'],
    ['day: date in <|2025-01-01T00:00:00Z|>..', 'The timestamp 2025-01-01T00:00:00Z does not fit a bound of the date column "day".'],
    ['wait: number <|in 10..1|>', 'The range 10..1 is empty.'],
    ['flag: bool <|in 0..1|>', 'A range does not fit the bool column "flag".'],
  ])('%s', (column, message) => {
    expectOne(`dataset d { ${column} }`, { code: 'constraint-type-mismatch', message });
  });

  it('a date that does not exist', () => {
    expectOne(`dataset d { day: date in 2025-01-01..<|2025-13-01|> }`, {
      code: 'invalid-literal',
      message: '"2025-13-01" is not a valid date or time.',
    });
  });

  it('values that fit', () => {
    const r = expectClean(`dataset d {
  a: number in -5..5
  b: date in 2020-01-01..2030-12-31
  c: timestamp in 2020-01-01..
  d: bool in (true)
  e: duration in 0..
}`);
    expect(r.model.datasets[0]!.columns.map((c) => c.allowed)).toEqual([
      { kind: 'range', min: -5, max: 5 },
      { kind: 'range', min: '2020-01-01', max: '2030-12-31' },
      { kind: 'range', min: '2020-01-01', max: null },
      { kind: 'set', values: [true] },
      { kind: 'range', min: 0, max: null },
    ]);
  });
});

describe('derived columns', () => {
  it('use earlier derived columns and relations, and take a declared type', () => {
    const r = expectClean(`
dataset customers { customer_id: string key
  tier: string }
dataset orders {
  customer_id: string -> customers
  amount: number
  qty: int
  let unit_price = amount / qty
  let pricey: bool = unit_price > 10
  let gold = customer.tier = "gold"
  let total: number = qty * 2
}`);
    const cols = r.model.datasets[1]!.columns.filter((c) => c.derived);
    expect(cols.map((c) => [c.name, c.type])).toEqual([
      ['unit_price', 'number'],
      ['pricey', 'bool'],
      ['gold', 'bool'],
      ['total', 'number'],
    ]);
  });

  it('cannot use a derived column declared after it', () => {
    expectAll(`dataset d {\n  x: int\n  let a = <|b|> + 1\n  let b = x\n}`, [{ code: 'unknown-column', message: 'Dataset "d" has no column "b".' }]);
  });
});
