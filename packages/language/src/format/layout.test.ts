import { describe, expect, it } from "vitest";
import { format, formatProblems } from "./format.js";
import { textWidth } from "./doc.js";

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

describe("layout: pipe tables", () => {
  it("pads each column to its widest cell, trims cells, indents rows four spaces under `given`", () => {
    expect(good('test "t" {\n  given orders |id|name|amount|   note  |\n  | o1 | "Zürich, \\"HQ\\"" | 12.5 | |\n  | o22 |"a | b"|1|x|   // trailing\n  |o3|  北京  | | "" |\n  | o4 | short\n  |\n  expect n = 1\n}\n')).toBe(kpi`
      test "t" {
        given orders
          | id  | name             | amount | note |
          | o1  | "Zürich, \"HQ\"" | 12.5   |      |
          | o22 | "a | b"          | 1      | x    | // trailing
          | o3  | 北京             |        | ""   |
          | o4  | short            |
          |
        expect n = 1
      }
    `);
  });

  it("keeps quoted cells exactly as written, empty cells empty", () => {
    const out = good('test "t" {\n  given d\n  | a | b |\n  | "x\\\\y" |  |\n}\n');
    expect(out).toBe('test "t" {\n  given d\n    | a      | b |\n    | "x\\\\y" |   |\n}\n');
  });

  it("leaves aligned tables alone", () => {
    const t = 'test "t" {\n  given d\n    | customer_id | answered_at | recommend |\n    | c1          | 2025-01-05  | 10        |\n}\n';
    expect(format(t)).toEqual({ text: t, changed: false, diagnostics: [] });
  });

  it("counts display width: wide characters take two columns", () => {
    expect(textWidth("北京")).toBe(4);
    expect(textWidth("Zürich")).toBe(6);
    expect(textWidth("😀")).toBe(2);
    expect(textWidth("e\u0301")).toBe(1);
  });
});

const LONG = kpi`
      kpi k {
        from orders where status = "closed" and channel != "spam" and amount > 100 or priority = "high"
        value sum(revenue where region = "EU" and channel = "web") / count_distinct(customer_id) + avg(discount_rate)
        value percentile(hours_between(opened_at, resolved_at), 0.9)
        value share(x)
        target >= 0.7 when channel = "phone" else >= 0.6 when channel = "email" else >= 0.5
        by customer.segment, month, region, channel, product_line, sales_rep
      }
      dataset d {
        let tier = case when spend > 1000 then "gold" when spend > 100 then "silver" else "bronze" end
      }
      test "t" {
        expect nps by month = { 2025-01: 25, 2025-02: 30, 2025-03: 35 }
      }
`;

describe("layout: long lines", () => {
  it.each([
    [100, kpi`
      kpi k {
        from orders where status = "closed" and channel != "spam" and amount > 100 or priority = "high"
        value sum(revenue where region = "EU" and channel = "web") / count_distinct(customer_id) +
            avg(discount_rate)
        value percentile(hours_between(opened_at, resolved_at), 0.9)
        value share(x)
        target >= 0.7 when channel = "phone" else >= 0.6 when channel = "email" else >= 0.5
        by customer.segment, month, region, channel, product_line, sales_rep
      }

      dataset d {
        let tier = case when spend > 1000 then "gold" when spend > 100 then "silver" else "bronze" end
      }

      test "t" {
        expect nps by month = { 2025-01: 25, 2025-02: 30, 2025-03: 35 }
      }
    `],
    [60, kpi`
      kpi k {
        from orders where status = "closed" and
                channel != "spam" and
                amount > 100 or
            priority = "high"
        value sum(
                revenue
                where region = "EU" and channel = "web"
            ) /
                count_distinct(customer_id) +
            avg(discount_rate)
        value percentile(
            hours_between(opened_at, resolved_at),
            0.9
        )
        value share(x)
        target >= 0.7 when channel = "phone"
            else >= 0.6 when channel = "email"
            else >= 0.5
        by customer.segment,
            month,
            region,
            channel,
            product_line,
            sales_rep
      }

      dataset d {
        let tier = case
            when spend > 1000 then "gold"
            when spend > 100 then "silver"
            else "bronze"
        end
      }

      test "t" {
        expect nps by month = {
          2025-01: 25,
          2025-02: 30,
          2025-03: 35
        }
      }
    `],
    [40, kpi`
      kpi k {
        from orders where status = "closed" and
                channel != "spam" and
                amount > 100 or
            priority = "high"
        value sum(
                revenue
                where region = "EU" and
                    channel = "web"
            ) /
                count_distinct(customer_id) +
            avg(discount_rate)
        value percentile(
            hours_between(
                opened_at,
                resolved_at
            ),
            0.9
        )
        value share(x)
        target >= 0.7 when channel = "phone"
            else >= 0.6 when channel = "email"
            else >= 0.5
        by customer.segment,
            month,
            region,
            channel,
            product_line,
            sales_rep
      }

      dataset d {
        let tier = case
            when spend > 1000 then "gold"
            when spend > 100 then "silver"
            else "bronze"
        end
      }

      test "t" {
        expect nps by month = {
          2025-01: 25,
          2025-02: 30,
          2025-03: 35
        }
      }
    `],
  ])("breaks predictably at width %i", (width, expected) => {
    expect(good(LONG, width)).toBe(expected);
  });

  it("never breaks a line that fits", () => {
    const short = "kpi k {\n  value a + b\n  from t where x and y or z\n}\n";
    for (const w of [30, 40, 60, 100]) expect(good(short, w)).toBe(short);
  });

  it("breaks at top-level `and`/`or` first, then arithmetic, then call arguments", () => {
    // 60 wide: the `or` breaks; each operand fits.
    expect(good("kpi k {\n  from t where alpha_value > 1 and beta_value < 2 or gamma_value = 3\n}\n", 60)).toBe(
      "kpi k {\n  from t where alpha_value > 1 and beta_value < 2 or\n      gamma_value = 3\n}\n",
    );
    // Arithmetic breaks before the calls inside it.
    expect(good("kpi k {\n  value sum(first_amount) / sum(second_amount) - sum(third_amount)\n}\n", 50)).toBe(
      "kpi k {\n  value sum(first_amount) / sum(second_amount) -\n      sum(third_amount)\n}\n",
    );
    // A call breaks one argument per line, closing parenthesis back at the line's indentation.
    expect(good("kpi k {\n  value percentile(hours_between(opened_at, resolved_at), 0.9)\n}\n", 50)).toBe(
      "kpi k {\n  value percentile(\n      hours_between(opened_at, resolved_at),\n      0.9\n  )\n}\n",
    );
  });

  it("breaks long lists one item per line", () => {
    expect(good('dataset d {\n  route: string in ("AMS-LHR", "AMS-CDG", "AMS-BCN", "AMS-FCO")\n}\n', 40)).toBe(
      'dataset d {\n  route: string in (\n      "AMS-LHR",\n      "AMS-CDG",\n      "AMS-BCN",\n      "AMS-FCO"\n  )\n}\n',
    );
  });

  it("keeps lines within the width wherever the grammar allows a break", () => {
    // (At 40, `from orders where status = "closed" and` is 41 wide: there is no break point
    // between `where` and its first comparison.)
    for (const w of [60, 100]) {
      const out = good(LONG, w);
      for (const line of out.split("\n")) expect(textWidth(line), line).toBeLessThanOrEqual(w);
    }
  });
});
