import { describe, expect, it } from 'vitest';
import { parse, printAst } from '@yardstick/language';
import { marked } from '../../../../test/helpers/markers.js';

/** The AST of `src` as printAst prints it, without spans and comments; the source must parse cleanly. */
function shape(src: string): string {
  const r = parse(src, 'test.kpi');
  expect(r.diagnostics.map((d) => d.message)).toEqual([]);
  return printAst(r.ast)
    .split('\n')
    .filter((l) => l && !l.trimStart().startsWith('Comment ') && !l.startsWith('File'))
    .map((l) => l.replace(/ @\d+-\d+$/, '').slice(2))
    .join('\n');
}

const lines = (s: string) => s.trim().replace(/^ {4}/gm, '');

describe('file structure', () => {
  it('header, imports and definitions in any order', () => {
    expect(shape('yardstick 1\nimport "a.kpi"\nkpi k { value 1 }\ndataset d { x: int }\nrule r { when k > 1 }\ntest "t" { expect k = 1 }\nimport "b.kpi.yaml"')).toBe(
      lines(`
    Header 1
    Import "a.kpi"
    Kpi k
      Value
        Number 1
    Dataset d
      Column x: int
    Rule r
      When
        Binary >
          Name k
          Number 1
    Test "t"
      ExpectValue k
        =
          Number 1
    Import "b.kpi.yaml"`),
    );
  });

  it('comments are kept with their spans', () => {
    const { text, ranges } = marked('<|// a|>\ndataset d { x: int <|// b|>\n}');
    const r = parse(text);
    expect(r.ast.comments).toEqual([
      { text: '// a', span: ranges[0] },
      { text: '// b', span: ranges[1] },
    ]);
  });

  it('the file spans the whole text', () => {
    const text = '  dataset d { x: int }  \n';
    expect(parse(text).ast.span).toEqual({ start: 0, end: text.length });
  });
});

describe('datasets', () => {
  it('label, source, format override and every member', () => {
    expect(
      shape(`dataset tickets "Support" from "t.txt" as csv {
  zone "Europe/Berlin"
  on bad rows skip
  id: string key
  customer_id: string -> customers
  agent_id: string? -> agents as agent
  channel: string in ("phone", "email")
  contacts: int in 1..
  lo: number in ..10
  mid: number in -5..5
  day: date in 2020-01-01..2030-12-31 time
  spend: number unit USD @company
  pct: number unit "per cent" @customer
  let hours = hours_between(day, day)
  let quick: bool = hours <= 4
}`),
    ).toBe(
      lines(`
    Dataset tickets label="Support" from="t.txt" as=csv
      Zone "Europe/Berlin"
      OnBadRows skip
      Column id: string
        Key
      Column customer_id: string
        Relation -> customers
      Column agent_id: string?
        Relation -> agents as agent
      Column channel: string
        InSet
          String "phone"
          String "email"
      Column contacts: int
        InRange
          min: Number 1
      Column lo: number
        InRange
          max: Number 10
      Column mid: number
        InRange
          min: Unary -
            Number 5
          max: Number 5
      Column day: date
        InRange
          min: Temporal 2020-01-01
          max: Temporal 2030-12-31
        Time
      Column spend: number
        Unit "USD"
        Perspective @company
      Column pct: number
        Unit "per cent"
        Perspective @customer
      Let hours
        Call hours_between
          Name day
          Name day
      Let quick: bool
        Binary <=
          Name hours
          Number 4`),
    );
  });

  it('a modifier word followed by a colon starts the next column', () => {
    expect(shape('dataset d {\n  a: int\n  key: string key\n  time: timestamp time\n  unit: string\n}')).toBe(
      lines(`
    Dataset d
      Column a: int
      Column key: string
        Key
      Column time: timestamp
        Time
      Column unit: string`),
    );
  });

  it('quoted identifiers name columns with any text', () => {
    expect(shape('dataset d { `Net amount (EUR)`: number }\nkpi k { from d value sum(`Net amount (EUR)`) }')).toBe(
      lines(`
    Dataset d
      Column Net amount (EUR): number
    Kpi k
      From d
      Value
        Call sum
          Name Net amount (EUR)`),
    );
  });
});

describe('KPIs', () => {
  it('every clause', () => {
    expect(
      shape(`kpi fcr "First-contact resolution" {
  description "d"
  owner "o"
  tags "a", "b"
  from tickets where resolved_at is not null
  value share(contacts = 1)
  by channel, month
  unit percent
  format percent decimals 1
  higher is better
  min samples 30
  zone "UTC"
  target >= 0.7 when channel = "phone" else 0.6
  status {
    on_track when value >= target
    off_track otherwise
  }
}`),
    ).toBe(
      lines(`
    Kpi fcr label="First-contact resolution"
      Description "d"
      Owner "o"
      Tags "a", "b"
      From tickets
        where: IsNotNull
          Name resolved_at
      Value
        Call share
          Binary =
            Name contacts
            Number 1
      By
        Name channel
        Name month
      Unit "percent"
      Format percent decimals=1
      Direction higher
      MinSamples 30
      Zone "UTC"
      Target
        Arm >=
          value: Number 0.7
          when: Binary =
            Name channel
            String "phone"
        Arm (direction)
          value: Number 0.6
      Status
        Arm on_track
          when: Binary >=
            Name value
            Name target
        Arm off_track otherwise`),
    );
  });

  it('lower is better, unit % and chained targets with every comparator', () => {
    expect(shape('kpi k { value 1 lower is better unit % target <= 1 when a else < 2 when b else = 3 when c else != 4 when d else > 5 }')).toBe(
      lines(`
    Kpi k
      Value
        Number 1
      Direction lower
      Unit "%"
      Target
        Arm <=
          value: Number 1
          when: Name a
        Arm <
          value: Number 2
          when: Name b
        Arm =
          value: Number 3
          when: Name c
        Arm !=
          value: Number 4
          when: Name d
        Arm >
          value: Number 5`),
    );
  });
});

describe('rules', () => {
  it('every clause', () => {
    expect(
      shape(`rule nps_falling "NPS is falling" {
  when change(nps) <= -10 for 2 periods
  recover when change(nps) > -5
  severity warning
  on no data: keep
  by customer.segment, month
  message "NPS fell {change(nps)}"
  description "d"
}
rule r { when a > 1 for 1 period on no data fire }`),
    ).toBe(
      lines(`
    Rule nps_falling label="NPS is falling"
      When for=2
        Binary <=
          Call change
            Name nps
          Unary -
            Number 10
      RecoverWhen
        Binary >
          Call change
            Name nps
          Unary -
            Number 5
      Severity warning
      OnNoData keep
      By
        Path .segment
          Name customer
        Name month
      Message "NPS fell {change(nps)}"
      Description "d"
    Rule r
      When for=1
        Binary >
          Name a
          Number 1
      OnNoData fire`),
    );
  });
});

describe('tests', () => {
  it('as of, fixtures and every expectation form', () => {
    expect(
      shape(`test "t" {
  as of 2025-03-01T00:00:00Z
  given surveys
    | customer_id | answered_at | recommend |
    | c1          | 2025-01-05  | 10        |
    | "c 2"       |             | ""        |
  expect nps = 25
  expect nps = 33.33 ± 0.01
  expect nps = 33.33 +- 1%
  expect nps = -1
  expect nps is null
  expect nps by month = { 2025-01: 25, 2025-02: 30 ± 1 }
  expect nps by segment, month = { ("smb", 2025-01): 25 }
  expect nps where segment = "smb" = 25
  expect status of nps = insufficient_data
  expect status of nps by month = { 2025-01: on_target }
  expect alert nps_falling firing from 2025-03
  expect alert nps_falling from 2025-02 to 2025-04
  expect no alert nps_falling
}`),
    ).toBe(
      lines(`
    Test "t"
      AsOf
        Temporal 2025-03-01T00:00:00Z
      Given surveys
        header | customer_id | answered_at | recommend |
        row | c1 | 2025-01-05 | 10 |
        row | "c 2" | _ | "" |
      ExpectValue nps
        =
          Number 25
      ExpectValue nps
        = ±0.01
          Number 33.33
      ExpectValue nps
        = ±1%
          Number 33.33
      ExpectValue nps
        =
          Unary -
            Number 1
      ExpectValue nps
        = null
      ExpectValue nps
        by: Name month
        = map
          Entry
            key: Temporal 2025-01
            value: Number 25
          Entry ±1
            key: Temporal 2025-02
            value: Number 30
      ExpectValue nps
        by: Name segment
        by: Name month
        = map
          Entry
            key: String "smb"
            key: Temporal 2025-01
            value: Number 25
      ExpectValue nps
        where: Binary =
          Name segment
          String "smb"
        =
          Number 25
      ExpectStatus nps
        =
          Name insufficient_data
      ExpectStatus nps
        by: Name month
        = map
          Entry
            key: Temporal 2025-01
            value: Name on_target
      ExpectAlert nps_falling firing
        from: Temporal 2025-03
      ExpectAlert nps_falling
        from: Temporal 2025-02
        to: Temporal 2025-04
      ExpectAlert no nps_falling`),
    );
  });

  it('a KPI named `alert` or `status` is still a value expectation', () => {
    expect(shape('test "t" { expect alert = 1\n expect status = 2\n expect alert by month = { 2025-01: 1 } }')).toBe(
      lines(`
    Test "t"
      ExpectValue alert
        =
          Number 1
      ExpectValue status
        =
          Number 2
      ExpectValue alert
        by: Name month
        = map
          Entry
            key: Temporal 2025-01
            value: Number 1`),
    );
  });
});

describe('expressions', () => {
  const value = (e: string) => shape(`kpi k { value ${e} }`).split('\n').slice(2).map((l) => l.slice(4)).join('\n');

  it('or binds looser than and, and looser than not', () => {
    expect(value('a or b and not c')).toBe(
      lines(`
    Binary or
      Name a
      Binary and
        Name b
        Unary not
          Name c`),
    );
  });

  it('not binds looser than comparisons', () => {
    expect(value('not a = b')).toBe(
      lines(`
    Unary not
      Binary =
        Name a
        Name b`),
    );
  });

  it('* / % bind tighter than + -, and both associate to the left', () => {
    expect(value('1 - 2 + 3 * 4 / 5 % 6')).toBe(
      lines(`
    Binary +
      Binary -
        Number 1
        Number 2
      Binary %
        Binary /
          Binary *
            Number 3
            Number 4
          Number 5
        Number 6`),
    );
  });

  it('unary minus binds tighter than *', () => {
    expect(value('-a * --b')).toBe(
      lines(`
    Binary *
      Unary -
        Name a
      Unary -
        Unary -
          Name b`),
    );
  });

  it('comparison spellings', () => {
    const ops = ['=', '==', '!=', '<>', '<', '<=', '>', '>='].map((op) => value(`a ${op} b`).split('\n')[0]);
    expect(ops).toEqual(['Binary =', 'Binary =', 'Binary !=', 'Binary !=', 'Binary <', 'Binary <=', 'Binary >', 'Binary >=']);
  });

  it('in, not in, between, not between, is null, is not null', () => {
    expect(value('a in (1, 2) and b not in ("x") and c between 1 and 2 + 3 and d not between 1 and 2 and e is null and f is not null')).toBe(
      lines(`
    Binary and
      Binary and
        Binary and
          Binary and
            Binary and
              In
                Name a
                value: Number 1
                value: Number 2
              NotIn
                Name b
                value: String "x"
            Between
              Name c
              low: Number 1
              high: Binary +
                Number 2
                Number 3
          NotBetween
            Name d
            low: Number 1
            high: Number 2
        IsNull
          Name e
      IsNotNull
        Name f`),
    );
  });

  it('calls with where and per, paths, windows', () => {
    expect(value('avg(count(where x > 1) per customer_id, day) + sum(orders.amount) + count_distinct(c) over last 30 days + customer.region.name')).toBe(
      lines(`
    Binary +
      Binary +
        Binary +
          Call avg
            Call count
              where: Binary >
                Name x
                Number 1
            per: Name customer_id
            per: Name day
          Call sum
            Path .amount
              Name orders
        Window last 30 days
          Call count_distinct
            Name c
      Path .name
        Path .region
          Name customer`),
    );
  });

  it('case with and without else; parentheses', () => {
    expect(value('case when a then 1 when b then 2 else 3 end * (case when c then 4 end)')).toBe(
      lines(`
    Binary *
      Case
        when: Name a
        then: Number 1
        when: Name b
        then: Number 2
        else: Number 3
      Paren
        Case
          when: Name c
          then: Number 4`),
    );
  });

  it('literals: numbers, strings with escapes, booleans, null, dates, timestamps and periods', () => {
    const r = parse('kpi k { value f(12, 3.5, 1e-3, "a\\"b\\\\\\n\\t\\u{1F600}", true, false, null, 2025-01-05, 2025-01-05T10:00:00Z, 2025-01-05T10:00:00+02:00, 2025-01-05T10:00, 2025-01, 2025-Q1, 2025-W02, 2025) }');
    expect(r.diagnostics).toEqual([]);
    const call = (r.ast.items[0] as { clauses: Array<{ expr: { args: unknown[] } }> }).clauses[0]!.expr;
    expect(call.args.map((a) => { const { span: _span, ...rest } = a as { span: unknown }; return rest; })).toEqual([
      { kind: 'NumberLit', value: 12, text: '12' },
      { kind: 'NumberLit', value: 3.5, text: '3.5' },
      { kind: 'NumberLit', value: 0.001, text: '1e-3' },
      { kind: 'StringLit', value: 'a"b\\\n\t😀' },
      { kind: 'BoolLit', value: true },
      { kind: 'BoolLit', value: false },
      { kind: 'NullLit' },
      { kind: 'TemporalLit', text: '2025-01-05' },
      { kind: 'TemporalLit', text: '2025-01-05T10:00:00Z' },
      { kind: 'TemporalLit', text: '2025-01-05T10:00:00+02:00' },
      { kind: 'TemporalLit', text: '2025-01-05T10:00' },
      { kind: 'TemporalLit', text: '2025-01' },
      { kind: 'TemporalLit', text: '2025-Q1' },
      { kind: 'TemporalLit', text: '2025-W02' },
      { kind: 'NumberLit', value: 2025, text: '2025' },
    ]);
  });

  it('subtraction of years needs spaces: 2025-1 is not a date', () => {
    expect(value('2025 - 1')).toBe(lines(`
    Binary -
      Number 2025
      Number 1`));
  });

  it('soft keywords are names in expressions', () => {
    expect(value('value + target + status + min + month + key')).toContain('Name value');
    expect(value('min(value)')).toBe(lines(`
    Call min
      Name value`));
  });
});

describe('spans', () => {
  it('point at the source text of each node', () => {
    const { text, ranges } = marked('<|kpi <|k|> { <|from <|t|> where <|<|a|> > <|1|>|>|> <|value <|<|sum|>(<|x|>)|>|> }|>');
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    const kpi = r.ast.items[0] as any;
    expect(kpi.span).toEqual(ranges[0]);
    expect(kpi.name.span).toEqual(ranges[1]);
    expect(kpi.clauses[0].span).toEqual(ranges[2]);
    expect(kpi.clauses[0].dataset.span).toEqual(ranges[3]);
    expect(kpi.clauses[0].where.span).toEqual(ranges[4]);
    expect(kpi.clauses[0].where.left.span).toEqual(ranges[5]);
    expect(kpi.clauses[0].where.right.span).toEqual(ranges[6]);
    expect(kpi.clauses[1].span).toEqual(ranges[7]);
    expect(kpi.clauses[1].expr.span).toEqual(ranges[8]);
    expect(kpi.clauses[1].expr.callee.span).toEqual(ranges[9]);
    expect(kpi.clauses[1].expr.args[0].span).toEqual(ranges[10]);
  });

  it('of table cells', () => {
    const { text, ranges } = marked('test "t" { given d\n  | <|a|> | <|"b c"|> |   |\n expect k = 1 }');
    const r = parse(text);
    const given = (r.ast.items[0] as any).clauses[0];
    expect(given.header.cells.map((c: any) => c.span)).toEqual([ranges[0], ranges[1], expect.anything()]);
    expect(given.header.cells.map((c: any) => [c.text, c.quoted])).toEqual([['a', false], ['b c', true], ['', false]]);
  });
});

describe('the parser instance', () => {
  it('is reused: parsing the same text twice gives the same tree', () => {
    const src = 'dataset d { x: int }\nkpi k { from d value sum(x) }';
    const a = printAst(parse(src).ast);
    parse('kpi broken { value ( }');
    expect(printAst(parse(src).ast)).toBe(a);
  });
});
