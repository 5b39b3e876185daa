import { describe, expect, it } from 'vitest';
import { checkMarked, expectAll, expectClean, expectOne } from '../../../../test/helpers/check.js';

// Expressions: names, types and aggregate levels, checked against source with the expected
// location marked inline (`<|...|>`).

const TICKETS = `
dataset customers {
  customer_id: string key
  segment: string
}
dataset tickets {
  ticket_id: string key
  customer_id: string -> customers
  channel: string
  opened_at: timestamp time
  resolved_at: timestamp?
  contacts: int
  name: string
}
`;

describe('unknown names', () => {
  it('an unknown column in a where filter, with "Did you mean"', () => {
    expectOne(`${TICKETS}kpi k { from tickets where <|chanel|> = "phone" value count() }`, {
      code: 'unknown-column',
      message: 'Dataset "tickets" has no column "chanel".',
      hints: ['Did you mean "channel"?'],
    });
  });

  it('an unknown name inside an aggregate of a KPI value is neither a column nor a KPI', () => {
    const r = expectOne(`dataset t { contacts: int }\nkpi k { from t value avg(<|contact|>) }`, {
      code: 'unknown-name',
      message: '"contact" is neither a column of "t" nor a KPI.',
      hints: ['Did you mean "contacts"?'],
    });
    expect(r.diagnostics[0]!.data).toEqual({ name: 'contact', suggestions: ['contacts'] });
  });

  it('an unknown column in a derived column', () => {
    expectOne(`dataset t { contacts: int\n let quick = <|contacs|> <= 1 }`, {
      code: 'unknown-column',
      message: 'Dataset "t" has no column "contacs".',
      hints: ['Did you mean "contacts"?'],
    });
  });

  it('an unknown column across a relation names the related dataset', () => {
    expectOne(`${TICKETS}kpi k { from tickets value count() by customer.<|segmnt|> }`, {
      code: 'unknown-column',
      message: 'Dataset "customers" has no column "segmnt".',
      hints: ['Did you mean "segment"?'],
    });
  });

  it('an unknown name in a KPI value is neither a column nor a KPI', () => {
    expectOne(`${TICKETS}kpi a { from tickets value count() }\nkpi k { from tickets value a * <|contact|> }`, {
      code: 'unknown-name',
      message: '"contact" is neither a column of "tickets" nor a KPI.',
      hints: ['Did you mean "contacts"?'],
    });
  });

  it('an unknown relation, with "Did you mean"', () => {
    expectOne(`${TICKETS}kpi k { from tickets value count() by <|custmer|>.segment }`, {
      code: 'unknown-relation',
      message: 'Dataset "tickets" has no relation "custmer".',
      hints: ['Did you mean "customer"?'],
    });
  });

  it('an unknown relation on a dataset without relations says how to declare one', () => {
    expectOne(`dataset notes { text: string }\nkpi k { from notes value count() by <|owner|>.name }`, {
      code: 'unknown-relation',
      message: 'Dataset "notes" has no relation "owner".',
      hints: ['Declare one with `-> dataset` on a column of "notes".'],
    });
  });

  it('an unknown function, with "Did you mean"', () => {
    expectOne(`${TICKETS}kpi k { from tickets value <|count_distinc|>(customer_id) }`, {
      code: 'unknown-function',
      message: 'Unknown function "count_distinc".',
      hints: ['Did you mean "count_distinct"?'],
    });
  });

  it('an unknown function far from any name has no suggestion', () => {
    expectOne(`${TICKETS}kpi k { from tickets value <|frobnicate|>(contacts) }`, {
      code: 'unknown-function',
      message: 'Unknown function "frobnicate".',
      hints: [],
    });
  });

  it('a KPI called like a function', () => {
    expectOne(`${TICKETS}kpi a { from tickets value count() }\nkpi k { from tickets value <|a|>(contacts) }`, {
      code: 'invalid-argument',
      message: '"a" is a KPI, not a function.',
      hints: ['Use it without parentheses: a.'],
    });
  });

  it('an unknown KPI in a value without `from`, with "Did you mean"', () => {
    expectOne(`${TICKETS}kpi promoters { from tickets value count() }\nkpi k { value <|promoter|> * 2 }`, {
      code: 'unknown-kpi',
      message: 'Unknown KPI "promoter".',
      hints: ['Did you mean "promoters"?'],
    });
  });

  it('an unknown time unit in a window', () => {
    expectOne(`${TICKETS}kpi k { from tickets value count() over last 3 <|fortnights|> }`, {
      code: 'unknown-time-unit',
      message: '"fortnights" is not a time unit.',
      hints: ['Use day, week, month, quarter or year.'],
    });
  });

  it('an unknown time unit in a time comparison', () => {
    expectOne(`${TICKETS}kpi a { from tickets value count() }\nkpi k { value previous(a, <|decade|>) }`, {
      code: 'unknown-time-unit',
      message: '"decade" is not a time unit.',
    });
  });

  it('a relation used as a value', () => {
    expectOne(`${TICKETS}kpi k { from tickets where <|customer|> = "x" value count() }`, {
      code: 'invalid-argument',
      message: '"customer" is a relation, not a value.',
      hints: ['Read one of its columns, e.g. customer.<column>.'],
    });
  });

  it('related rows used as a value', () => {
    expectOne(`${TICKETS}kpi k { from customers value count(where <|tickets|> = 1) }`, {
      code: 'invalid-argument',
      message: '"tickets" is a set of related rows, not a value.',
    });
  });
});

describe('types', () => {
  const T = `dataset t {
  at: timestamp time
  day: date
  name: string
  score: int
`;

  it('comparing a string with a number points at the number', () => {
    expectOne(`${T}  let a = name > <|5|>\n}`, {
      code: 'type-mismatch',
      message: 'Cannot compare a string with an int (`>`).',
      hints: ['Strings compare with strings: quote the value, e.g. "phone".'],
    });
  });

  it('arithmetic on a timestamp suggests hours_between', () => {
    expectOne(`${T}  let a = <|at|> - day\n}`, {
      code: 'type-mismatch',
      message: '`-` needs numbers, but this is a timestamp.',
      hints: ['Use hours_between(start, end) or days_between(start, end) for time differences.'],
    });
  });

  it('adding a string', () => {
    expectOne(`${T}  let a = score + <|"1"|>\n}`, { code: 'type-mismatch', message: '`+` needs numbers, but this is a string.' });
  });

  it('comparing a date with a bool', () => {
    expectOne(`${T}  let a = day = <|true|>\n}`, { code: 'type-mismatch', message: 'Cannot compare a date with a bool (`=`).' });
  });

  it('comparing periods of different units', () => {
    expectOne(`${T}  let a = month(at) = <|quarter(at)|>\n}`, { code: 'type-mismatch', message: 'Cannot compare a month with a quarter.' });
  });

  it('case branches of different types', () => {
    expectOne(`${T}  let a = case when score > 1 then "high" else <|0|> end\n}`, {
      code: 'type-mismatch',
      message: 'This is an int, but the other branches give a string.',
    });
  });

  it('a derived column whose expression does not give its declared type', () => {
    expectOne(`${T}  let a: int = <|name|>\n}`, { code: 'type-mismatch', message: '"a" is declared int, but its expression gives a string.' });
  });

  it('a function argument of the wrong type', () => {
    expectOne(`${T}  let a = abs(<|name|>)\n}`, { code: 'type-mismatch', message: '"abs" needs a number, but this is a string.' });
  });

  it('comparing a KPI with a string, in a value', () => {
    expectOne(`${T}}\nkpi k1 { from t value avg(score) }\nkpi k2 { value k1 = <|"high"|> }`, {
      code: 'type-mismatch',
      message: 'A KPI is a number and cannot be compared with a string (`=`).',
      hints: ['Strings compare with strings: quote the value, e.g. "phone".'],
    });
  });

  it('comparing a KPI with a string, in a rule', () => {
    expectOne(`${T}}\nkpi k1 { from t value avg(score) }\nrule r { when k1 > <|"x"|> }`, {
      code: 'type-mismatch',
      message: 'A KPI is a number and cannot be compared with a string (`>`).',
    });
  });

  it('a date string compared with a timestamp is read as a date', () => {
    const r = expectClean(`${T}}\nkpi k { from t where at >= "2025-01-01" value count() }`);
    expect(r.model.kpis[0]!.where).toMatchObject({ right: { op: 'lit', type: 'date', value: '2025-01-01' } });
  });

  it('int arithmetic stays int, `/` gives number', () => {
    const r = expectClean(`${T}  let a = score * 2 + 1\n  let b = score / 2\n}`);
    const cols = r.model.datasets[0]!.columns;
    expect(cols.find((c) => c.name === 'a')!.type).toBe('int');
    expect(cols.find((c) => c.name === 'b')!.type).toBe('number');
  });
});

describe('conditions must be true/false', () => {
  const T = `dataset t {\n  at: timestamp time\n  score: int\n  name: string\n`;

  it('a number as a where filter', () => {
    expectOne(`${T}}\nkpi k { from t where <|score|> value count() }`, {
      code: 'condition-not-boolean',
      message: 'A `where` filter needs a true/false condition, but this is an int.',
      hints: ['Compare it with something, for example `x > 0` or `x is not null`.'],
    });
  });

  it('a string under `not`', () => {
    expectOne(`${T}  let a = not <|name|>\n}`, { code: 'condition-not-boolean', message: '`not` needs a true/false condition, but this is a string.' });
  });

  it('a number as an operand of `and`', () => {
    expectOne(`${T}  let a = <|score|> and true\n}`, { code: 'condition-not-boolean', message: '`and` needs a true/false condition, but this is an int.' });
  });

  it('the argument of share', () => {
    expectOne(`${T}}\nkpi k { from t value share(<|score|>) }`, { code: 'condition-not-boolean', message: '"share" needs a true/false condition, but this is an int.' });
  });

  it('the filter of an aggregate', () => {
    expectOne(`${T}}\nkpi k { from t value count(where <|name|>) }`, { code: 'condition-not-boolean', message: 'The filter of "count" needs a true/false condition, but this is a string.' });
  });

  it('a case condition', () => {
    expectOne(`${T}  let a = case when <|score|> then 1 end\n}`, { code: 'condition-not-boolean', message: '`case when` needs a true/false condition, but this is an int.' });
  });

  it('a status condition', () => {
    expectOne(`${T}}\nkpi k { from t value avg(score) status { high when <|value|> low otherwise } }`, {
      code: 'condition-not-boolean',
      message: 'A status condition needs a true/false condition, but this is a number.',
    });
  });

  it('a rule condition', () => {
    expectOne(`${T}}\nkpi k { from t value avg(score) }\nrule r { when <|k|> }`, {
      code: 'condition-not-boolean',
      message: 'A rule condition needs a true/false condition, but this is a number.',
    });
  });
});

describe('function arguments', () => {
  const T = `dataset t {\n  at: timestamp time\n  x: number\n  p: number\n`;

  it('too few arguments', () => {
    expectOne(`${T}  let a = <|pow(x)|>\n}`, {
      code: 'wrong-argument-count',
      message: '"pow" takes 2 arguments, but got 1.',
      hints: ['Write pow(x, y).'],
    });
  });

  it('too many arguments of a function with optional ones', () => {
    expectOne(`${T}  let a = <|substr(x, 1, 2, 3)|>\n}`, { code: 'wrong-argument-count', message: '"substr" takes 2 to 3 arguments, but got 4.' });
  });

  it('a percentile outside 0..1', () => {
    expectOne(`${T}}\nkpi k { from t value percentile(x, <|1.5|>) }`, {
      code: 'invalid-argument',
      message: 'The percentile must be between 0 and 1.',
      hints: ['For the 90th percentile write percentile(x, 0.9).'],
    });
  });

  it('a percentile that is not a constant is reported once', () => {
    expectOne(`${T}}\nkpi k { from t value percentile(x, <|p|>) }`, {
      code: 'invalid-argument',
      message: 'This argument of "percentile" must be a constant number.',
      hints: ['Write percentile(x, p).'],
    });
  });

  it('`where` on a scalar function', () => {
    expectOne(`${T}  let a = abs(x where <|x > 1|>)\n}`, { code: 'invalid-argument', message: 'Only aggregates take `where`; "abs" is not one.' });
  });

  it('a window that does not follow an aggregate', () => {
    expectOne(`${T}}\nkpi k { from t value <|(count() + 1) over last 3 days|> }`, {
      code: 'invalid-argument',
      message: '`over last …` applies to an aggregate, e.g. count_distinct(customer_id) over last 30 days.',
    });
  });
});

describe('aggregate levels', () => {
  const ORDERS = `
dataset customers {
  customer_id: string key
  segment: string
}
dataset orders {
  order_id: string key
  customer_id: string -> customers
  ordered_at: timestamp time
  amount: number
}
`;

  it('a column outside an aggregate in a value', () => {
    expectOne(`${ORDERS}kpi k { from orders value sum(amount) / <|amount|> }`, {
      code: 'row-level-outside-aggregate',
      message: 'Column "amount" is read row by row, but a KPI value must be an aggregate.',
      hints: ['Wrap it in an aggregate, for example `avg(amount)`, or group by it.'],
    });
  });

  it('a related column outside an aggregate', () => {
    expectOne(`${ORDERS}kpi k { from orders value <|customer.segment|> }`, {
      code: 'row-level-outside-aggregate',
      message: 'Column "customer.segment" is read row by row, but a KPI value must be an aggregate.',
    });
  });

  it('an aggregate over related rows is row-level: at the top of a value it needs an outer aggregate', () => {
    expectOne(`${ORDERS}kpi k { from customers value <|sum(orders.amount)|> + count() }`, {
      code: 'row-level-outside-aggregate',
      message: 'Column "sum(orders.amount)" is read row by row, but a KPI value must be an aggregate.',
      hints: ['Wrap it in an aggregate, for example `avg(sum(orders.amount))`, or group by it.'],
    });
    expectClean(`${ORDERS}kpi k { from customers value avg(sum(orders.amount)) + count() }`);
  });

  it('an aggregate inside a where filter', () => {
    expectOne(`${ORDERS}kpi k { from orders where amount > <|avg|>(amount) value count() }`, {
      code: 'aggregate-in-where',
      message: 'The aggregate "avg" cannot be used in a `where` filter: it filters rows one by one.',
      hints: ['Filter inside the aggregate instead (`sum(x where ...)`), or use a status or rule for conditions on values.'],
    });
  });

  it('an aggregate nested in another without per', () => {
    expectOne(`${ORDERS}kpi k { from orders value avg(<|count|>()) }`, {
      code: 'nested-aggregate-without-per',
      message: '"count" is an aggregate inside "avg", with nothing to aggregate it per.',
      hints: ['Say what to aggregate it per, e.g. `avg(count(...) per customer_id)`, or aggregate over a related dataset.'],
    });
    expectClean(`${ORDERS}kpi k { from orders value avg(count() per customer_id) }`);
  });

  it('an aggregate nested in the filter of another', () => {
    expectOne(`${ORDERS}kpi k { from orders value count(where <|count|>() > 1) }`, {
      code: 'nested-aggregate-without-per',
      message: '"count" is an aggregate inside "count", with nothing to aggregate it per.',
    });
  });

  it('a KPI inside an aggregate', () => {
    expectOne(`${ORDERS}kpi base { from orders value avg(amount) }\nkpi k { from orders value sum(<|base|>) }`, {
      code: 'kpi-in-aggregate',
      message: 'KPI "base" is already an aggregate and cannot be used inside "sum".',
      hints: ['Use KPIs at the top level of a value, e.g. `nps - benchmark`.'],
    });
  });

  it('an aggregate in a derived column', () => {
    expectOne(`dataset t { x: number\n let share = x / <|sum|>(x) }`, {
      code: 'aggregate-in-row-expression',
      message: 'The aggregate "sum" cannot be used in a derived column.',
    });
  });

  it('an aggregate in a grouping', () => {
    expectOne(`${ORDERS}kpi k { from orders value count() by <|count|>() }`, {
      code: 'aggregate-in-row-expression',
      message: 'The aggregate "count" cannot be used in a grouping.',
    });
  });

  it('an aggregate in a status condition', () => {
    expectOne(`${ORDERS}kpi k { from orders value count() status { big when <|sum|>(amount) > 1 small otherwise } }`, {
      code: 'aggregate-in-row-expression',
      message: 'The aggregate "sum" cannot be used in a condition on KPI values.',
    });
  });

  it('a counting aggregate with per', () => {
    expectOne(`${ORDERS}kpi k { from orders value count(count() per <|customer_id|>) }`, {
      code: 'invalid-per',
      message: '"count" cannot aggregate per group; use avg, sum, min, max, median, percentile or stddev over the inner values.',
    });
  });

  it('a literal as a grouping', () => {
    expectOne(`${ORDERS}kpi k { from orders value avg(count() per <|1|>) }`, {
      code: 'invalid-per',
      message: 'A grouping needs a column, a related column or a time bucket.',
    });
  });

  it('an aggregate that reads columns in a KPI without `from`', () => {
    expectOne(`${ORDERS}kpi k { value <|sum(amount)|> }`, {
      code: 'missing-from',
      message: 'KPI "k" reads columns but has no `from`.',
      hints: ['Add `from <dataset>`, or build the value only from other KPIs.'],
    });
  });

  it('related rows of two relations are ambiguous', () => {
    expectOne(
      `dataset customers { customer_id: int key }
dataset transfers {
  from_id: int -> customers as sender
  to_id: int -> customers as receiver
}
kpi k { from customers value avg(count(<|transfers|>)) }`,
      {
        code: 'ambiguous-relation',
        message: 'Dataset "transfers" relates to "customers" more than once, so "transfers" is ambiguous.',
        hints: ['It has sender and receiver; aggregate from "transfers" instead.'],
      },
    );
  });

  it('a time bucket needs a time column', () => {
    expectOne(`dataset t { at: timestamp\n x: number }\nkpi k { from t value sum(x) by <|month|> }`, {
      code: 'no-time-column',
      message: 'The time bucket "month" needs a time column, but dataset "t" has none.',
      hints: ['Mark a date or timestamp column of "t" with `time`, or name one, e.g. `month(at)`.'],
    });
  });

  it('a window needs a time column', () => {
    expectOne(`dataset t { x: number }\nkpi k { from t value <|count() over last 7 days|> }`, {
      code: 'no-time-column',
      message: 'A window needs a time column, but dataset "t" has none.',
    });
  });
});

describe('lowering of expressions', () => {
  it('records the checked expression with types, buckets in the zone, and related sources', () => {
    const r = checkMarked(`
dataset customers { customer_id: string key
  segment: string }
dataset orders {
  zone "Europe/Berlin"
  customer_id: string -> customers
  ordered_at: timestamp time
  amount: number
}
kpi clv { from customers value avg(sum(orders.amount)) }
kpi monthly { from orders value sum(amount where amount > 0) by month, customer.segment }`);
    expect(r.diagnostics).toEqual([]);
    const [clv, monthly] = r.model.kpis;
    expect(clv!.value).toMatchObject({
      op: 'agg',
      fn: 'avg',
      arg: { op: 'agg', fn: 'sum', source: { dataset: 'orders', relation: 'customer', column: 'customer_id', key: 'customer_id' }, arg: { op: 'col', name: 'amount' } },
    });
    expect(monthly!.value).toMatchObject({ op: 'agg', fn: 'sum', filter: { op: 'binary', operator: '>' } });
    expect(monthly!.by.map((d) => d.name)).toEqual(['month', 'customer.segment']);
    expect(monthly!.by[0]!.expr).toMatchObject({ op: 'bucket', unit: 'month', zone: 'Europe/Berlin', arg: { op: 'col', name: 'ordered_at' } });
    expect(monthly!.by[1]!.expr).toMatchObject({ op: 'lookup', relation: 'customer', dataset: 'customers', arg: { op: 'col', name: 'segment' } });
  });
});

describe('several errors', () => {
  it('are each reported once, in source order', () => {
    expectAll(`dataset t { x: number }\nkpi a { from t value avg(<|y|>) }\nkpi b { from t value <|frob|>(x) }`, [
      { code: 'unknown-name', range: 0, message: '"y" is neither a column of "t" nor a KPI.' },
      { code: 'unknown-function', range: 1, message: 'Unknown function "frob".' },
    ]);
  });
});
