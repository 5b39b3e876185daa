import { describe, expect, it } from "vitest";
import { parse } from "../syntax/parse.js";
import { sameMeaning, stripSpans } from "./ast-equal.js";
import { format, formatProblems } from "./format.js";
import { quoteString } from "@yardstick/model";
import { printFile } from "./printer.js";
import type * as A from "../syntax/ast.js";

/** `.kpi` text from a template literal: common indentation and the first/last empty lines removed. */
function kpi(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = String.raw(strings, ...values).replace(/\\`/g, "`");
  const lines = raw.split("\n");
  if (lines[0]!.trim() === "") lines.shift();
  if (lines.length && lines[lines.length - 1]!.trim() === "") lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n") + "\n";
}

/** Formats, asserts the formatter's contract (idempotent, same meaning, same comments), returns the text. */
function good(text: string, lineWidth?: number): string {
  const options = lineWidth === undefined ? {} : { lineWidth };
  expect(formatProblems(text, options)).toEqual([]);
  return format(text, options).text;
}

/** The formatted form of one KPI clause (or dataset member, or test clause) inside a block. */
function clause(block: "kpi" | "dataset" | "rule" | "test", text: string, lineWidth?: number): string {
  const head = { kpi: "kpi k {", dataset: "dataset d {", rule: "rule r {", test: 'test "t" {' }[block];
  const out = good(`${head}\n${text}\n}\n`, lineWidth);
  return out.split("\n").slice(1, -2).map((l) => l.replace(/^  /, "")).join("\n");
}

const MESSY = kpi`
    yardstick   1
    import"datasets.kpi"
    import "other.kpi"
    dataset tickets "Support tickets" from "data/tickets.txt" as csv{
        zone "Europe/Berlin"
      on bad rows skip
      ticket_id : string key
      customer_id:string->customers
      agent_id: string ? -> agents as agent
      channel: string in("phone","email" , "chat")
      opened_at: timestamp time
      contacts: int in 1..
      score: int in - 5 .. 5
      low: number in ..10
      day: date in 2025-01-01..2025-12-31
      spend: number unit "USD" @ company
      weight: number unit "kg per box" @customer
      ratio: number unit %
      \`Order ID\`: string
      \`plain\`: string
      \`key\`: string
      let resolution_hours=hours_between(opened_at,resolved_at)
      let is_quick : bool = resolution_hours<=4
    }
    kpi fcr "First-contact resolution" {
      description "Share of \"resolved\" tickets\twith one contact \u{41}"
      owner "support-ops"
      tags "support","cx"
      from tickets where resolved_at is not null and channel not in ("spam")
      value share( contacts == 1 )
      by channel,month,customer.segment,month(opened_at)
      unit percent
      format percent decimals 1
      higher is better
      min samples 30
      zone "America/Los_Angeles"
      target >= 0.7 when channel = "phone" else>=0.6 when channel<>"email" else 0.5
      status {
        on_track when value >= target
        at_risk when value>=target-0.1
        off_track otherwise
      }
    }
    kpi expr_zoo {
      from tickets
      value case when a between 1 and 2 then - x when not b then ((c + d)) * e else f%2 end
    }
    rule nps_falling "NPS is falling" {
      when change(nps)<=-10 for 2 periods
      recover when change(nps) > -5
      severity warning
      on no data keep
      by customer.segment, month
      message "NPS fell {change(nps)} points"
    }
    rule one { when x < 1 or y is null for 1 periods }
    test "NPS counts passives" {
      as of 2025-03-01T00:00:00Z
      given surveys
      | customer_id | answered_at | recommend |
      |c1|2025-01-05|10|
      | "c|3" | 2025-01-07 | 9
      expect nps = 25
      expect nps = 33.33 +- 0.01
      expect nps=33.33±1%
      expect nps is null
      expect nps by month = {2025-01:25,2025-02:30 ± 1,}
      expect nps by segment, month = { ("smb", 2025-01): 25, ("x"): 1 }
      expect nps where segment = "smb" = -25
      expect status of nps = insufficient_data
      expect alert nps_falling firing from 2025-03
      expect alert nps_falling from 2025-02 to 2025-04
      expect no alert nps_falling
      expect nps by month = {}
    }
    kpi empty {}
`;

const CANONICAL = kpi`
    yardstick 1

    import "datasets.kpi"
    import "other.kpi"

    dataset tickets "Support tickets" from "data/tickets.txt" as csv {
      zone "Europe/Berlin"
      on bad rows skip
      ticket_id: string key
      customer_id: string -> customers
      agent_id: string? -> agents as agent
      channel: string in ("phone", "email", "chat")
      opened_at: timestamp time
      contacts: int in 1..
      score: int in -5..5
      low: number in ..10
      day: date in 2025-01-01..2025-12-31
      spend: number unit USD @company
      weight: number unit "kg per box" @customer
      ratio: number unit %
      \`Order ID\`: string
      plain: string
      \`key\`: string
      let resolution_hours = hours_between(opened_at, resolved_at)
      let is_quick: bool = resolution_hours <= 4
    }

    kpi fcr "First-contact resolution" {
      description "Share of \"resolved\" tickets\twith one contact A"
      owner "support-ops"
      tags "support", "cx"
      from tickets where resolved_at is not null and channel not in ("spam")
      value share(contacts = 1)
      by channel, month, customer.segment, month(opened_at)
      unit percent
      format percent decimals 1
      higher is better
      min samples 30
      zone "America/Los_Angeles"
      target >= 0.7 when channel = "phone" else >= 0.6 when channel != "email" else 0.5
      status {
        on_track  when value >= target
        at_risk   when value >= target - 0.1
        off_track otherwise
      }
    }

    kpi expr_zoo {
      from tickets
      value case when a between 1 and 2 then -x when not b then ((c + d)) * e else f % 2 end
    }

    rule nps_falling "NPS is falling" {
      when change(nps) <= -10 for 2 periods
      recover when change(nps) > -5
      severity warning
      on no data: keep
      by customer.segment, month
      message "NPS fell {change(nps)} points"
    }

    rule one {
      when x < 1 or y is null for 1 period
    }

    test "NPS counts passives" {
      as of 2025-03-01T00:00:00Z
      given surveys
        | customer_id | answered_at | recommend |
        | c1          | 2025-01-05  | 10        |
        | "c|3"       | 2025-01-07  | 9         |
      expect nps = 25
      expect nps = 33.33 ± 0.01
      expect nps = 33.33 ± 1%
      expect nps is null
      expect nps by month = { 2025-01: 25, 2025-02: 30 ± 1 }
      expect nps by segment, month = { ("smb", 2025-01): 25, "x": 1 }
      expect nps where segment = "smb" = -25
      expect status of nps = insufficient_data
      expect alert nps_falling firing from 2025-03
      expect alert nps_falling from 2025-02 to 2025-04
      expect no alert nps_falling
      expect nps by month = {}
    }

    kpi empty {}
`;

describe("format: every construct", () => {
  it("prints every construct of the grammar in the canonical layout", () => {
    expect(good(MESSY)).toBe(CANONICAL);
  });

  it("leaves canonical text alone", () => {
    const r = format(CANONICAL);
    expect(r).toEqual({ text: CANONICAL, changed: false, diagnostics: [] });
  });

  it("never changes meaning: the output parses to the same tree, ignoring positions", () => {
    const before = parse(MESSY);
    const after = parse(format(MESSY).text);
    expect(after.diagnostics).toEqual([]);
    expect(stripSpans(after.ast)).toEqual(stripSpans(before.ast));
    expect(sameMeaning(before.ast, after.ast)).toBe(true);
  });

  it("reports whether the text changed", () => {
    expect(format("kpi k { value 1 }\n").changed).toBe(true);
    expect(format("kpi k {\n  value 1\n}\n").changed).toBe(false);
  });
});

describe("format: spelling and spacing", () => {
  it.each([
    ["value a<>b", "value a != b"],
    ["value a==b", "value a = b"],
    ["value a>=9", "value a >= 9"],
    ["value a<=9 or a<9 or a>9", "value a <= 9 or a < 9 or a > 9"],
    ["value share( x )", "value share(x)"],
    ["value f(a,b ,c)", "value f(a, b, c)"],
    ["value - x", "value -x"],
    ["value - - x", "value --x"],
    ["value a - -4", "value a - -4"],
    ["value not(x)", "value not (x)"],
    ["value not not x", "value not not x"],
    ["value sum(x where a=1 per b,c)", "value sum(x where a = 1 per b, c)"],
    ["value count(where a=1)", "value count(where a = 1)"],
    ["value count( )", "value count()"],
    ["value customer . segment", "value customer.segment"],
    ["value count_distinct(c) over   last 30 days", "value count_distinct(c) over last 30 days"],
    ["value x in(1,2)", "value x in (1, 2)"],
    ["value x not  in (1)", "value x not in (1)"],
    ["value x in ()", "value x in ()"],
    ["value x not between 1 and 2", "value x not between 1 and 2"],
    ["value x is  not null", "value x is not null"],
    ["value case when a then 1 end", "value case when a then 1 end"],
    ["value 100*(a-b)%3/2", "value 100 * (a - b) % 3 / 2"],
  ])("%s", (input, expected) => {
    expect(clause("kpi", input)).toBe(expected);
  });

  it("writes `±` for `+-` and keeps tolerances as written", () => {
    expect(clause("test", "expect n = 1 +- 0.010")).toBe("expect n = 1 ± 0.010");
    expect(clause("test", "expect n = 1±5%")).toBe("expect n = 1 ± 5%");
    expect(clause("test", "expect n by m = { 2025-01: 1 +-1 }")).toBe("expect n by m = { 2025-01: 1 ± 1 }");
  });

  it("keeps numbers and temporal literals as written", () => {
    expect(clause("kpi", "value 1.50 + 1e-3 + 007 + 1E+2")).toBe("value 1.50 + 1e-3 + 007 + 1E+2");
    expect(clause("kpi", "format number decimals 02")).toBe("format number decimals 02");
    expect(clause("kpi", "min samples 030")).toBe("min samples 030");
    expect(clause("kpi", "value count() over last 07 days")).toBe("value count() over last 07 days");
    expect(clause("rule", "when x > 1 for 02 periods")).toBe("when x > 1 for 02 periods");
    expect(good("yardstick 01\n")).toBe("yardstick 01\n");
    expect(clause("kpi", "value at >= 2025-01-05T10:00:00.250+02:00 and d = 2025-W02 and q = 2025-Q1 and m = 2025-01")).toBe(
      "value at >= 2025-01-05T10:00:00.250+02:00 and d = 2025-W02 and q = 2025-Q1 and m = 2025-01",
    );
  });

  it("re-escapes strings canonically", () => {
    expect(clause("kpi", String.raw`description "a\"b\\c\nd\te\u{41}\'\{"`)).toBe(String.raw`description "a\"b\\c\nd\teA'{"`);
    expect(clause("kpi", 'description "tab\there"')).toBe(String.raw`description "tab\there"`);
    expect(clause("kpi", String.raw`description "bell \u{7} \u{1F600} ü"`)).toBe(String.raw`description "bell \u{7} 😀 ü"`);
    expect(quoteString("\r\u2028\ud800")).toBe(String.raw`"\r\u{2028}\u{d800}"`);
  });

  it("writes names bare unless they need backquotes", () => {
    expect(clause("dataset", "`plain`: string")).toBe("plain: string");
    expect(clause("dataset", "`Order ID`: string")).toBe("`Order ID`: string");
    expect(clause("dataset", "`in`: string")).toBe("`in`: string");
    expect(clause("dataset", "`value`: string")).toBe("`value`: string");
    expect(clause("dataset", "value: string")).toBe("value: string");
    expect(clause("kpi", "value sum(`Net (EUR)`) + `x`.`y`")).toBe("value sum(`Net (EUR)`) + x.y");
  });

  it("writes units bare when they are words, quoted otherwise", () => {
    expect(clause("kpi", 'unit "USD"')).toBe("unit USD");
    expect(clause("kpi", 'unit "bags per 1000"')).toBe('unit "bags per 1000"');
    expect(clause("kpi", 'unit "in"')).toBe('unit "in"');
    expect(clause("kpi", "unit %")).toBe("unit %");
    expect(clause("kpi", 'unit "%"')).toBe("unit %");
    expect(clause("dataset", 'x: number unit "EUR"')).toBe("x: number unit EUR");
  });

  it("normalises keyword spellings that carry no meaning", () => {
    expect(clause("rule", "when x > 1 for 1 periods")).toBe("when x > 1 for 1 period");
    expect(clause("rule", "when x > 1 for 3 period")).toBe("when x > 1 for 3 periods");
    expect(clause("rule", "on no data resolve")).toBe("on no data: resolve");
    expect(clause("test", 'expect n by s = { ("a"): 1, "b": 2, }')).toBe('expect n by s = { "a": 1, "b": 2 }');
  });

  it("keeps column modifiers in the order written", () => {
    expect(clause("dataset", "x: string  @customer unit USD ->  customers as c time key in (1)")).toBe(
      "x: string @customer unit USD -> customers as c time key in (1)",
    );
    expect(clause("dataset", "x: int in -5 .. 5 key")).toBe("x: int in -5..5 key");
  });
});

describe("format: parentheses", () => {
  it("keeps every parenthesis the user wrote and adds none", () => {
    expect(clause("kpi", "value ((a + b)) * (c) + (d * e)")).toBe("value ((a + b)) * (c) + (d * e)");
    expect(clause("kpi", "value a or b and c")).toBe("value a or b and c");
    expect(clause("kpi", "value a - b - c")).toBe("value a - b - c");
    expect(clause("kpi", "value a - (b - c)")).toBe("value a - (b - c)");
  });

  it("adds only the parentheses a tree built without them needs", () => {
    const n = (name: string): A.Expr => ({ kind: "NameRef", name, span: { start: 0, end: 0 } });
    const bin = (operator: A.BinaryOp, left: A.Expr, right: A.Expr): A.Expr => ({
      kind: "BinaryExpr", operator, left, right, operatorSpan: { start: 0, end: 0 }, span: { start: 0, end: 0 },
    });
    const value = (expr: A.Expr): string => {
      const file: A.FileNode = {
        kind: "File",
        comments: [],
        span: { start: 0, end: 0 },
        items: [{ kind: "KpiDecl", name: { name: "k", span: { start: 0, end: 0 } }, clauses: [{ kind: "ValueClause", expr, span: { start: 0, end: 0 } }], span: { start: 0, end: 0 } }],
      };
      return printFile(file).split("\n")[1]!.trim();
    };
    expect(value(bin("*", bin("+", n("a"), n("b")), n("c")))).toBe("value (a + b) * c");
    expect(value(bin("+", n("a"), bin("*", n("b"), n("c"))))).toBe("value a + b * c");
    expect(value(bin("-", n("a"), bin("-", n("b"), n("c"))))).toBe("value a - (b - c)");
    expect(value(bin("-", bin("-", n("a"), n("b")), n("c")))).toBe("value a - b - c");
    expect(value(bin("and", bin("or", n("a"), n("b")), n("c")))).toBe("value (a or b) and c");
    expect(value({ kind: "UnaryExpr", operator: "-", operand: bin("+", n("a"), n("b")), span: { start: 0, end: 0 } })).toBe("value -(a + b)");
    expect(value(bin("=", bin("=", n("a"), n("b")), n("c")))).toBe("value (a = b) = c");
  });
});

describe("format: file layout", () => {
  it("puts one blank line between top-level definitions", () => {
    expect(good("dataset d { x: int }\n\n\n\nkpi a { value 1 } kpi b { value 2 }\n")).toBe(kpi`
      dataset d {
        x: int
      }

      kpi a {
        value 1
      }

      kpi b {
        value 2
      }
    `);
  });

  it("keeps consecutive imports together (or apart, as written) after the header", () => {
    expect(good('yardstick 1\nimport "a.kpi"\nimport "b.kpi"\n\nimport "c.kpi"\nkpi k { value 1 }\n')).toBe(kpi`
      yardstick 1

      import "a.kpi"
      import "b.kpi"

      import "c.kpi"

      kpi k {
        value 1
      }
    `);
  });

  it("never moves definitions: a misplaced header stays where it is", () => {
    expect(good('import "a.kpi"\nyardstick 1\n')).toBe('import "a.kpi"\n\nyardstick 1\n');
  });

  it("keeps single blank lines inside blocks, none after `{` or before `}`", () => {
    expect(good("dataset d {\n\n  a: int\n  b: int\n\n\n\n  c: int\n\n}\n")).toBe("dataset d {\n  a: int\n  b: int\n\n  c: int\n}\n");
  });

  it("prints empty blocks as `{}`", () => {
    expect(good("kpi k {\n\n}\ndataset d {}\nrule r { }\ntest \"t\" {}\nkpi s { status { } }\n")).toBe(kpi`
      kpi k {}

      dataset d {}

      rule r {}

      test "t" {}

      kpi s {
        status {}
      }
    `);
  });

  it("aligns status labels", () => {
    expect(clause("kpi", "status { good when value > 1 ok when value > 0 bad otherwise }")).toBe(
      "status {\n  good when value > 1\n  ok   when value > 0\n  bad  otherwise\n}",
    );
  });

  it("formats empty and comment-only files", () => {
    expect(good("")).toBe("");
    expect(good("  \n\n\t\n")).toBe("");
    expect(good("// only\n\n\n// comments   \n")).toBe("// only\n\n// comments\n");
  });

  it("uses two spaces, no tabs, no trailing blanks, one final newline", () => {
    expect(good("kpi k {\n\tvalue 1   \n\tby m\t\n}")).toBe("kpi k {\n  value 1\n  by m\n}\n");
  });
});

describe("format: line endings", () => {
  it("reads CRLF and writes LF", () => {
    const crlf = "yardstick 1\r\n\r\n// a comment\r\nkpi k {\r\n  value 1 // trailing\r\n}\r\n";
    const r = format(crlf);
    expect(r.diagnostics).toEqual([]);
    expect(r.changed).toBe(true);
    expect(r.text).toBe("yardstick 1\n\n// a comment\nkpi k {\n  value 1 // trailing\n}\n");
    expect(r.text.includes("\r")).toBe(false);
    expect(format(crlf.replace(/\r\n/g, "\n")).text).toBe(r.text);
    expect(formatProblems(crlf)).toEqual([]);
  });

  it("keeps CRLF table rows and their comments", () => {
    const r = format('test "t" {\r\n  given d\r\n  | a | b |\r\n  | 1 | 22 | // row\r\n}\r\n');
    expect(r.text).toBe('test "t" {\n  given d\n    | a | b  |\n    | 1 | 22 | // row\n}\n');
  });

  it("drops a byte-order mark", () => {
    expect(format("\ufeffkpi k { value 1 }\n").text).toBe("kpi k {\n  value 1\n}\n");
  });
});

describe("format: refuses files with syntax errors", () => {
  it.each([
    ["a syntax error", "kpi k {\n  value 1 +\n}\n"],
    ["a missing brace", "dataset d {\n  x: int\n"],
    ["an unterminated string", 'kpi k { description "oops }\n'],
    ["an unexpected character", "kpi k { value 1 # 2 }\n"],
    ["a chained comparison", "kpi k { value a = b = c }\n"],
  ])("%s: text unchanged, parse diagnostics returned", (_what, text) => {
    const r = format(text);
    expect(r.text).toBe(text);
    expect(r.changed).toBe(false);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics).toEqual(parse(text).diagnostics);
    expect(formatProblems(text)).toEqual([]);
  });

  it("names the file in its diagnostics", () => {
    expect(format("kpi {", { file: "specs/x.kpi" }).diagnostics[0]!.file).toBe("specs/x.kpi");
  });
});
