import { describe, expect, it } from "vitest";
import type { Span } from "@yardstick/model";
import { lex } from "../syntax/lexer.js";
import { parse } from "../syntax/parse.js";
import { format, formatProblems } from "./format.js";

function kpi(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = String.raw(strings, ...values).replace(/\\`/g, "`");
  const lines = raw.split("\n");
  if (lines[0]!.trim() === "") lines.shift();
  if (lines.length && lines[lines.length - 1]!.trim() === "") lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n") + "\n";
}

function good(text: string, lineWidth?: number): string {
  const options = lineWidth === undefined ? {} : { lineWidth };
  expect(formatProblems(text, options)).toEqual([]);
  return format(text, options).text;
}

const EVERYWHERE = kpi`
    // file header comment

    // directly above the header
    yardstick 1 // after the header
    // between header and import
    import "a.kpi" // after an import

    // above a dataset, separated by a blank line

    // directly above a dataset
    dataset d "D" { // after the dataset's brace
      // before the first column
      id: string key // id
      n: int // n
      long_column_name: number? @customer // long


      // before a derived column
      let x = n * 2 // derived
      // before the closing brace
    } // after the dataset's closing brace
    // between blocks
    kpi k { // after {
      // before a clause
      from d where n > 1 // after from
      value sum(x) / // inside: after an operator
        count() // after value
      status { // after status {
        // before an arm
        good when value > 1 // arm
        bad otherwise
        // before status }
      } // after status }
      // before }
    }

    kpi empty {
      // inside an empty block
    }

    rule r {
      when k > 1 and // after and
        // own line inside a condition
        k < 9
      severity warning // end of rule
    }

    test "t" {
      given d // after given
        // before the header row
        | id | n |
        // between rows
        | a | 1 | // row comment
        // after the last row
      expect k = 1 // expectation
      expect k by id = { // after map {
        "a": 1, // entry
        // before an entry
        "b": 2
      }
    }
    // end of file
`;

const EVERYWHERE_FORMATTED = kpi`
    // file header comment

    // directly above the header
    yardstick 1 // after the header

    // between header and import
    import "a.kpi" // after an import

    // above a dataset, separated by a blank line

    // directly above a dataset
    dataset d "D" { // after the dataset's brace
      // before the first column
      id: string key                      // id
      n: int                              // n
      long_column_name: number? @customer // long

      // before a derived column
      let x = n * 2 // derived
      // before the closing brace
    } // after the dataset's closing brace

    // between blocks
    kpi k { // after {
      // before a clause
      from d where n > 1 // after from
      value sum(x) / // inside: after an operator
          count() // after value
      status { // after status {
        // before an arm
        good when value > 1 // arm
        bad  otherwise
        // before status }
      } // after status }
      // before }
    }

    kpi empty {
      // inside an empty block
    }

    rule r {
      when k > 1 and // after and
          // own line inside a condition
          k < 9
      severity warning // end of rule
    }

    test "t" {
      given d // after given
        // before the header row
        | id | n |
        // between rows
        | a  | 1 | // row comment
      // after the last row
      expect k = 1 // expectation
      expect k by id = { // after map {
        "a": 1, // entry
        // before an entry
        "b": 2
      }
    }
    // end of file
`;

/** A spec with every construct, in canonical form: the comment fuzzing below runs over it. */
const ALL = kpi`
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

describe("comments: kept where they were", () => {
  it("keeps comments at every position of a spec", () => {
    expect(good(EVERYWHERE)).toBe(EVERYWHERE_FORMATTED);
  });

  it("keeps a comment block directly above a definition attached to it", () => {
    expect(good("kpi a { value 1 }\n// about b\n// more about b\nkpi b { value 2 }\n")).toBe(kpi`
      kpi a {
        value 1
      }

      // about b
      // more about b
      kpi b {
        value 2
      }
    `);
  });

  it("keeps a blank line between a comment and the definition below it", () => {
    expect(good("// section\n\n\n\nkpi b { value 2 }\n")).toBe("// section\n\nkpi b {\n  value 2\n}\n");
  });

  it("keeps comments at the end of the file", () => {
    expect(good("kpi b { value 2 }\n// last")).toBe("kpi b {\n  value 2\n}\n// last\n");
    expect(good("kpi b { value 2 }\n\n\n// last\n")).toBe("kpi b {\n  value 2\n}\n\n// last\n");
  });

  it("keeps comments inside empty blocks", () => {
    expect(good("kpi k {\n// a\n\n// b\n}\n")).toBe("kpi k {\n  // a\n\n  // b\n}\n");
    expect(good("kpi k { // a\n}\n")).toBe("kpi k { // a\n}\n");
    expect(good("kpi k { status { // open\n } }\n")).toBe("kpi k {\n  status { // open\n  }\n}\n");
    expect(good("kpi k { status {\n // inside\n } }\n")).toBe("kpi k {\n  status {\n    // inside\n  }\n}\n");
    expect(good('test "t" { expect k by m = {\n // nothing yet\n } }\n')).toBe('test "t" {\n  expect k by m = {\n    // nothing yet\n  }\n}\n');
  });

  it("keeps comments between clauses, after `{` and before `}`", () => {
    expect(good("rule r { // open\n  when x > 1\n  // between\n  severity info\n  // close\n}\n")).toBe(kpi`
      rule r { // open
        when x > 1
        // between
        severity info
        // close
      }
    `);
  });

  it("keeps comments inside a status block", () => {
    expect(good("kpi k { status {\n // first\n a when value > 1 // a\n // second\n b otherwise\n // last\n } }\n")).toBe(kpi`
      kpi k {
        status {
          // first
          a when value > 1 // a
          // second
          b otherwise
          // last
        }
      }
    `);
  });

  it("keeps comments between table rows and at the end of rows", () => {
    expect(good('test "t" {\n given d // the fixture\n // header\n | a | b |\n // rows\n | 1 | 2 |   // one\n\n | 3 | 4 |\n // after a row\n | 5 | 6 | // six\n}\n')).toBe(kpi`
      test "t" {
        given d // the fixture
          // header
          | a | b |
          // rows
          | 1 | 2 | // one
          | 3 | 4 |
          // after a row
          | 5 | 6 | // six
      }
    `);
    // Without a closing pipe the text after the last pipe is a cell, `//` and all (the grammar's rule).
    expect(good('test "t" {\n given d\n | a | b |\n | 3 | 4 // not a comment\n}\n')).toBe(
      'test "t" {\n  given d\n    | a | b                  |\n    | 3 | 4 // not a comment |\n}\n',
    );
  });

  it("keeps comments inside expressions on their line", () => {
    expect(good("kpi k {\n  value a + // why a\n    b\n}\n")).toBe("kpi k {\n  value a + // why a\n      b\n}\n");
    expect(good("kpi k {\n  value sum( // what\n    x)\n}\n")).toBe("kpi k {\n  value sum( // what\n      x\n  )\n}\n");
    expect(good("kpi k {\n  value f(a, // first\n    b // second\n  )\n}\n")).toBe("kpi k {\n  value f(\n      a, // first\n      b // second\n  )\n}\n");
    expect(good("kpi k {\n  value a and\n  // own line\n  b\n}\n")).toBe("kpi k {\n  value a and\n      // own line\n      b\n}\n");
    expect(good("kpi k {\n  value // about the value\n    a + b\n}\n")).toBe("kpi k {\n  value // about the value\n      a + b\n}\n");
    expect(good("kpi k {\n  target >= 1 // first arm\n    when a else >= 2\n}\n")).toBe("kpi k {\n  target >= 1 // first arm\n      when a\n      else >= 2\n}\n");
  });

  it("keeps end-of-line comments in a map on their entry", () => {
    expect(good('test "t" { expect k by s = { "a": 1, // a\n "b": 2 } }\n')).toBe('test "t" {\n  expect k by s = {\n    "a": 1, // a\n    "b": 2\n  }\n}\n');
  });

  it("puts one space before an end-of-line comment, and aligns those of consecutive dataset columns", () => {
    expect(good("kpi k {\n  from d        // a\n  value 1     // b\n}\n")).toBe("kpi k {\n  from d // a\n  value 1 // b\n}\n");
    expect(good("dataset d {\n  a: int // a\n  bbbbbb: string key // b\n  c: int\n  dd: int // d\n\n  e: int // e\n  let f = 1 // f\n  g: int // g\n}\n")).toBe(kpi`
      dataset d {
        a: int             // a
        bbbbbb: string key // b
        c: int
        dd: int            // d

        e: int // e
        let f = 1 // f
        g: int // g
      }
    `);
  });

  it("trims trailing blanks of comments and keeps their text otherwise", () => {
    expect(good("//no space   \n//   indented\t\nkpi k { value 1 }\n")).toBe("//no space\n//   indented\nkpi k {\n  value 1\n}\n");
  });
});

/** The top-level block (dataset, KPI, rule, test) whose span contains `offset`, by index; -1 outside any. */
function blockAt(text: string, offset: number): number {
  const items = parse(text).ast.items;
  return items.findIndex((it) => it.kind !== "HeaderDecl" && it.kind !== "ImportDecl" && it.span.start <= offset && offset < it.span.end);
}

/** The innermost status block or fixture table containing `offset`, as "kind#n" (n-th of its kind), or "". */
function innerBlockAt(text: string, offset: number): string {
  const found: string[] = [];
  let status = 0;
  let given = 0;
  for (const it of parse(text).ast.items) {
    if (it.kind === "KpiDecl") for (const c of it.clauses) if (c.kind === "StatusClause") { if (inside(c.span, offset)) found.push(`status#${status}`); status++; }
    if (it.kind === "TestDecl") for (const c of it.clauses) if (c.kind === "GivenClause") { if (inside(c.span, offset)) found.push(`given#${given}`); given++; }
  }
  return found.join(",");
}

const inside = (s: Span, offset: number) => s.start <= offset && offset < s.end;

describe("comments: at every token boundary", () => {
  // A comment after every token of a spec with every construct, in three forms: at the end of
  // the line, on a line of its own, and on a line of its own between blank lines. Each must format,
  // keep all comments in order and the meaning, be idempotent, and stay inside the same block.
  const tokens = lex(ALL, "x").tokens.filter((t) => t.tokenType.name !== "TableRow");
  // [width, form, every n-th token]
  const cases: Array<[number, string, number]> = [
    [100, " // cQ\n", 1],
    [100, "\n// cQ\n", 1],
    [100, "\n\n// cQ\n\n", 3],
    [40, " // cQ\n", 1],
  ];
  for (const [width, form, step] of cases) {
    const sample = tokens.filter((_t, i) => i % step === 0);
    it(`keeps every inserted ${JSON.stringify(form)} (width ${width}, ${sample.length} cases)`, { timeout: 600_000 }, () => {
      const failures: string[] = [];
      for (const t of sample) {
        const at = t.endOffset! + 1;
        {
          const src = ALL.slice(0, at) + form + ALL.slice(at);
          const where = `after ${JSON.stringify(t.image)} at ${at} as ${JSON.stringify(form)}`;
          const problems = formatProblems(src, { lineWidth: width });
          if (problems.length > 0) {
            failures.push(`${where}: ${problems.join("; ")}`);
            continue;
          }
          const out = format(src, { lineWidth: width }).text;
          const before = src.indexOf("// cQ");
          const after = out.indexOf("// cQ");
          if (blockAt(src, before) !== blockAt(out, after)) failures.push(`${where}: moved to another block`);
          else if (innerBlockAt(src, before) !== "" && innerBlockAt(src, before) !== innerBlockAt(out, after)) {
            failures.push(`${where}: moved out of ${innerBlockAt(src, before)}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
