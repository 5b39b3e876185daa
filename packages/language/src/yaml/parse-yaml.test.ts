import { describe, expect, it } from "vitest";
import type { Diagnostic, Span } from "@yardstick/model";
import { stripSpans } from "../format/ast-equal.js";
import { compile } from "../project.js";
import { parse } from "../syntax/parse.js";
import { parseYaml } from "./parse-yaml.js";

/** Text with `<|…|>` around the places diagnostics must point at: the text, and those spans. */
function marked(src: string): { text: string; spans: Span[] } {
  const spans: Span[] = [];
  let text = "";
  let i = 0;
  const open: number[] = [];
  while (i < src.length) {
    if (src.startsWith("<|", i)) {
      open.push(text.length);
      i += 2;
    } else if (src.startsWith("|>", i)) {
      spans.push({ start: open.pop()!, end: text.length });
      i += 2;
    } else text += src[i++];
  }
  return { text, spans: spans.sort((a, b) => a.start - b.start) };
}

/** The project's diagnostics for one YAML file, as `code @ marked text`. */
function diagnosticsOf(src: string, extra: Array<{ path: string; text: string }> = []): { got: string[]; want: string[]; all: Diagnostic[] } {
  const { text, spans } = marked(src);
  const r = compile([{ path: "spec.kpi.yaml", text }, ...extra]);
  const got = r.diagnostics.map((d) => `${d.code} @ ${JSON.stringify(text.slice(d.span!.start, d.span!.end))}`);
  const want = spans.map((s) => JSON.stringify(text.slice(s.start, s.end)));
  return { got, want, all: r.diagnostics };
}

/** The same tree as the `.kpi` text (positions aside). */
function sameTree(yaml: string, kpi: string): void {
  const y = parseYaml(yaml, "a.kpi.yaml");
  expect(y.diagnostics).toEqual([]);
  const k = parse(kpi, "a.kpi");
  expect(k.diagnostics).toEqual([]);
  expect(stripSpans(y.ast)).toEqual(stripSpans(k.ast));
}

const DATASET = `datasets:
  tickets:
    from: tickets.csv
    columns:
      ticket_id: {type: string, key: true}
      channel: {type: string, in: [phone, email]}
      opened_at: {type: timestamp, time: true}
      contacts: int
`;

describe("the YAML shape reads into the .kpi syntax tree", () => {
  it("datasets: columns as a type, a map of modifiers or a .kpi declaration; derived columns", () => {
    sameTree(
      `yardstick: 1
datasets:
  calls:
    label: Phone calls
    from: exports/calls.txt
    format: csv
    zone: America/Los_Angeles
    on_bad_rows: skip
    columns:
      call_id: {type: string, key: true}
      customer_id: {type: string, relation: customers}
      agent_id: {type: string?, relation: agents, as: handler}
      started_at: timestamp time
      wait_seconds: {type: number, in: 0.., unit: s}
      region: {type: string, in: [north, south, "2025-01"]}
      rating: int? in 1..5 @customer
      spend: {type: number, unit: "%", perspective: company}
      waited_long: {type: bool, let: wait_seconds > 120}
      call_day:
        let: date(started_at)
`,
      `yardstick 1
dataset calls "Phone calls" from "exports/calls.txt" as csv {
  zone "America/Los_Angeles"
  on bad rows skip
  call_id: string key
  customer_id: string -> customers
  agent_id: string? -> agents as handler
  started_at: timestamp time
  wait_seconds: number in 0.. unit s
  region: string in ("north", "south", "2025-01")
  rating: int? in 1..5 @customer
  spend: number unit % @company
  let waited_long: bool = wait_seconds > 120
  let call_day = date(started_at)
}
`,
    );
  });

  it("KPIs: one key per clause; from + where, format + decimals; targets as a clause or a list of arms", () => {
    sameTree(
      `kpis:
  fcr:
    label: First-contact resolution
    description: Share of resolved tickets that needed a single contact.
    owner: service-desk
    tags: [support, cx]
    from: tickets
    where: resolved_at is not null
    value: share(contacts = 1)
    by: channel, month
    format: percent
    decimals: 1
    direction: higher
    min_samples: 20
    zone: Europe/Berlin
    target: '>= 0.7 when channel = "phone" else >= 0.6'
    status:
      on_track: value >= target
      at_risk: value >= target - 0.05
      off_track: otherwise
  fcr2:
    from: tickets
    value: share(contacts = 1)
    by: [channel, customer.segment]
    unit: per 1k
    direction: lower
    target:
      - '>= 0.7 when channel = "phone"'
      - '>= 0.65 when channel = "chat"'
      - 0.6
`,
      `kpi fcr "First-contact resolution" {
  description "Share of resolved tickets that needed a single contact."
  owner "service-desk"
  tags "support", "cx"
  from tickets where resolved_at is not null
  value share(contacts = 1)
  by channel, month
  format percent decimals 1
  higher is better
  min samples 20
  zone "Europe/Berlin"
  target >= 0.7 when channel = "phone" else >= 0.6
  status {
    on_track when value >= target
    at_risk when value >= target - 0.05
    off_track otherwise
  }
}
kpi fcr2 {
  from tickets
  value share(contacts = 1)
  by channel, customer.segment
  unit "per 1k"
  lower is better
  target >= 0.7 when channel = "phone" else >= 0.65 when channel = "chat" else 0.6
}
`,
    );
  });

  it("rules, and definitions written one per top-level key", () => {
    sameTree(
      `rule nps_falling:
  label: NPS is falling
  when: change(nps) <= -10
  for: 2
  recover_when: change(nps) > -5
  severity: warning
  on_no_data: resolve
  by: customer.segment, month
  message: "NPS fell {change(nps)} points to {nps} in {customer.segment}"
kpi nps:
  value: 1
`,
      `rule nps_falling "NPS is falling" {
  when change(nps) <= -10 for 2 periods
  recover when change(nps) > -5
  severity warning
  on no data: resolve
  by customer.segment, month
  message "NPS fell {change(nps)} points to {nps} in {customer.segment}"
}
kpi nps { value 1 }
`,
    );
  });

  it("tests: tables as columns + rows or as row maps; expectations as strings or maps", () => {
    sameTree(
      `tests:
  NPS counts passives:
    as_of: 2025-03-01
    given:
      surveys:
        columns: [customer_id, answered_at, recommend, note]
        rows:
          - [c1, 2025-01-05, 10, "a, b"]
          - [c2, 2025-01-06, null, ""]
      tickets:
        - {id: t1, channel: phone}
        - {id: t2, channel: '|'}
    expect:
      - nps = 25
      - nps: 33.33 ± 0.01
      - nps by month: {2025-01: 25, 2025-02: null}
      - nps by customer.segment, month: [[smb, 2025-01, 25 ± 1%], ["2025", 2025-02, -3]]
      - status of nps where customer.segment = "smb": insufficient_data
      - nps is null
      - alert nps_falling firing from 2025-03 to 2025-04
      - no alert nps_falling
`,
      `test "NPS counts passives" {
  as of 2025-03-01
  given surveys
    | customer_id | answered_at | recommend | note   |
    | c1          | 2025-01-05  | 10        | "a, b" |
    | c2          | 2025-01-06  |           | ""     |
  given tickets
    | id | channel |
    | t1 | phone   |
    | t2 | "|"     |
  expect nps = 25
  expect nps = 33.33 ± 0.01
  expect nps by month = { 2025-01: 25, 2025-02: null }
  expect nps by customer.segment, month = { ("smb", 2025-01): 25 ± 1%, ("2025", 2025-02): -3 }
  expect status of nps where customer.segment = "smb" = insufficient_data
  expect nps is null
  expect alert nps_falling firing from 2025-03 to 2025-04
  expect no alert nps_falling
}
`,
    );
  });

  it("expressions keep exact YAML positions: plain, quoted and multi-line strings", () => {
    const { text } = marked("kpis:\n  k:\n    value: sum(a) +\n      <|sum|>(b)\n    where: 'x = \"y\"'\n");
    const y = parseYaml(text);
    const v = y.ast.items[0]!.kind === "KpiDecl" ? y.ast.items[0].clauses[0] : undefined;
    expect(v?.kind).toBe("ValueClause");
    const e = v!.kind === "ValueClause" ? v.expr : undefined;
    expect(e?.kind).toBe("BinaryExpr");
    if (e?.kind === "BinaryExpr") expect(text.slice(e.right.span.start, e.right.span.end)).toBe("sum(b)");
  });

  it("comments of the YAML text are the file's comments, `#` read as `//`", () => {
    const y = parseYaml("# top\nkpis:\n  k: # head\n    value: |\n      sum(a) // inside\n");
    expect(y.ast.comments.map((c) => c.text)).toEqual(["// top", "// head", "// inside"]);
  });

  it("an empty file, or one with only comments, defines nothing", () => {
    expect(parseYaml("").diagnostics).toEqual([]);
    expect(parseYaml("# nothing yet\n").ast.items).toEqual([]);
  });
});

describe("problems are diagnostics at YAML positions", () => {
  it("checker problems keep the .kpi codes: unknown column, unknown dataset, type mismatch", () => {
    const d = diagnosticsOf(`${DATASET}kpis:
  a:
    from: tickets
    where: <|chanel|> = "phone"
    value: share(contacts = 1)
  b:
    from: <|ticket|>
    value: count()
  c:
    from: tickets
    value: sum(<|channel|>)
`);
    expect(d.got.map((g) => g.split(" @ ")[0])).toEqual(["unknown-column", "unknown-dataset", "type-mismatch"]);
    expect(d.got.map((g) => g.split(" @ ")[1])).toEqual(d.want);
  });

  it("expression syntax errors point into the YAML line and column", () => {
    const d = diagnosticsOf(`kpis:
  k:
    value: share(x = <|)|>
  j:
    value: sum(a) +
      sum(b <|)|> )
`);
    expect(d.got).toEqual(['syntax-error @ ")"', 'syntax-error @ ")"']);
    expect(d.all[0]!.message).toBe('Expected a value but found ")".');
  });

  it("unknown keys, with Did you mean; wrong value types", () => {
    const d = diagnosticsOf(`${DATASET}kpis:
  k:
    from: tickets
    valeu: count()
    <|colour|>: red
    min_samples: <|lots|>
    tags: <|{a: 1}|>
    direction: <|up|>
`);
    // `valeu` is read as `value`: the KPI does not also miss its value.
    expect(d.got).toEqual([
      'yaml-unknown-key @ "valeu"',
      'yaml-unknown-key @ "colour"',
      'yaml-invalid @ "lots"',
      'yaml-invalid @ "{a: 1}"',
      'yaml-invalid @ "up"',
    ]);
    expect(d.all[0]!.hints).toEqual(['Did you mean "value"?']);
    expect(d.all[3]!.message).toBe('Expected a string or a list of strings for "tags" in KPI "k", but found a map.');
    expect(d.all[4]!.message).toBe('Expected higher or lower for "direction" in KPI "k", but found "up".');
  });

  it("a problem inside a union (a column map) is reported for that alternative", () => {
    const d = diagnosticsOf(`datasets:
  t:
    columns:
      a: {type: string, <|kee|>: true}
      b: <|5|>
`);
    expect(d.got).toEqual(['yaml-unknown-key @ "kee"', 'yaml-invalid @ "5"']);
    expect(d.all[0]!.message).toBe('Unknown key "kee" in column "a" of dataset "t".');
    expect(d.all[0]!.hints).toEqual(['Did you mean "key"?']);
  });

  it("YAML syntax errors are yaml-syntax, and what they spoil is not reported twice", () => {
    const d = diagnosticsOf("kpis:\n  k:\n    value: count()\n   from: x\n  j:\n    value: nope\n");
    expect(d.all.map((x) => x.code)).toEqual(["yaml-syntax", "unknown-kpi"]);
  });

  it("keys given twice are the checker's duplicates", () => {
    const d = diagnosticsOf(`kpis:
  k:
    value: 1
    <|value: 2|>
    label: a
    <|label: b|>
  <|k|>:
    value: 3
`);
    expect(d.got.map((g) => g.split(" @ ")[0])).toEqual(["duplicate-clause", "duplicate-clause", "duplicate-definition"]);
    expect(d.got.map((g) => g.split(" @ ")[1])).toEqual(d.want);
  });

  it("a KPI whose value cannot be read is not also missing its value", () => {
    const d = diagnosticsOf("kpis:\n  k:\n    value: <|[1, 2]|>\n");
    expect(d.got).toEqual(['yaml-invalid @ "[1, 2]"']);
  });

  it("fixture cells are checked against their columns, at their place", () => {
    const d = diagnosticsOf(`${DATASET}kpis:
  k:
    from: tickets
    value: sum(contacts)
tests:
  t:
    given:
      tickets:
        columns: [ticket_id, channel, opened_at, contacts]
        rows:
          - [t1, phone, 2025-01-01, <|two|>]
          - <|[t2, phone]|>
    expect:
      - k = 1
`);
    expect(d.got.map((g) => g.split(" @ ")[0])).toEqual(["invalid-fixture-value", "fixture-row-width"]);
    expect(d.got.map((g) => g.split(" @ ")[1])).toEqual(d.want);
  });

  it("expectation strings and heads are read by the .kpi parser", () => {
    const d = diagnosticsOf(`kpis:
  k:
    value: 1
tests:
  t:
    expect:
      - k = <|=|> 1
  u:
    expect:
      - <|kk|>: 1
      - <|alert r|>: 1
`);
    expect(d.got.map((g) => g.split(" @ ")[0])).toEqual(["syntax-error", "unknown-kpi", "yaml-invalid"]);
    expect(d.got.map((g) => g.split(" @ ")[1])).toEqual(d.want);
  });
});

describe("what .kpi cannot say is an error in YAML too", () => {
  it("a name with a backquote, a last target with `when`, rows without columns, a cell with a line break, an alias", () => {
    const d = diagnosticsOf(`datasets:
  t:
    columns:
      <|a\`b|>: int
kpis:
  k:
    value: 1
    target:
      - ">= 1 when <|x|>"
tests:
  u:
    given:
      t:
        rows: <|[[1]]|>
    expect:
      - k = 1
  v:
    given:
      t:
        columns: [a]
        rows:
          - [<|"x\\ny"|>]
    expect:
      - <|*z|>
`);
    expect(d.got.map((g) => g.split(" @ ")[0])).toEqual(["yaml-invalid", "invalid-target", "yaml-invalid", "yaml-invalid", "yaml-invalid"]);
  });

  it("as of takes a date, as in .kpi", () => {
    const d = diagnosticsOf("kpis:\n  k:\n    value: 1\ntests:\n  t:\n    as_of: 225<|-|>03-01\n    expect:\n      - k = 1\n");
    expect(d.got.map((g) => g.split(" @ ")[0])).toEqual(["syntax-error"]);
    expect(d.got.map((g) => g.split(" @ ")[1])).toEqual(d.want);
  });
});
