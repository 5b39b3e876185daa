import { describe, expect, it } from "vitest";
import { compile } from "@yardstick/language";
import type { Expr, Kpi } from "@yardstick/model";
import { exprKey } from "../plan/expr-key.js";
import { printExpr, printName } from "./print-expr.js";

const DATASETS = `yardstick 1
dataset customers { customer_id: string key  segment: string  signed_up_at: timestamp time }
dataset usage { customer_id: string -> customers  used_at: timestamp time  feature: string }
dataset orders { order_id: string key  customer_id: string -> customers  ordered_at: timestamp time  amount: number }
dataset tickets {
  ticket_id: string key
  customer_id: string -> customers
  channel: string
  opened_at: timestamp time
  resolved_at: timestamp?
  contacts: int
  \`shipped at\`: date?
}
kpi base { from tickets value count() }
`;

function kpiOf(body: string): Kpi {
  const r = compile([{ path: "t.kpi", text: `${DATASETS}\nkpi k {\n${body}\n}\n` }]);
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return r.model.kpis.find((k) => k.name === "k")!;
}

/** Prints the value of `kpi k { from <from> value <text> }`, and checks the printed text compiles to the same model. */
function roundTrip(from: string, text: string): string {
  const kpi = kpiOf(`${from ? `from ${from}\n` : ""}value ${text}`);
  const printed = printExpr(kpi.value, kpi.name);
  const again = kpiOf(`${from ? `from ${from}\n` : ""}value ${printed}`);
  expect(exprKey(again.value)).toBe(exprKey(kpi.value));
  return printed;
}

describe("printExpr", () => {
  it("prints the example KPIs as they are written", () => {
    const cases: Array<[string, string]> = [
      ["tickets", "share(contacts = 1)"],
      ["tickets where resolved_at is not null", "median(hours_between(opened_at, resolved_at))"],
      ["tickets", "percentile(contacts, 0.9)"],
      ["usage", "avg(count_distinct(customer_id) per day) / count_distinct(customer_id)"],
      ["usage", "sum(count_distinct(customer_id) per day) / period_days() / count_distinct(customer_id)"],
      ["customers", "avg(sum(orders.amount))"],
      ["customers", "share(exists(usage))"],
      ["customers", 'share(exists(usage where feature = "reports"))'],
      ["usage", "retention(customer_id)"],
      ["usage", "count_distinct(customer_id) over last 30 days"],
      ["usage", "count_distinct(customer_id) over last 1 month"],
      ["tickets", 'count(where channel = "phone") / count()'],
      ["tickets", 'sum(contacts where channel = "email")'],
      ["", "change(base)"],
      ["", "pct_change(base, year)"],
      ["", "base - 32"],
    ];
    for (const [from, text] of cases) expect(roundTrip(from, text)).toBe(text);
  });

  it("parenthesizes only where precedence needs it", () => {
    expect(roundTrip("tickets", "100 * (share(contacts = 1) - share(contacts > 2))")).toBe("100 * (share(contacts = 1) - share(contacts > 2))");
    expect(roundTrip("tickets", "count() - (count() - sum(contacts))")).toBe("count() - (count() - sum(contacts))");
    expect(roundTrip("tickets", "(count() - count()) - sum(contacts)")).toBe("count() - count() - sum(contacts)");
    expect(roundTrip("tickets", "-(sum(contacts) + 1)")).toBe("-(sum(contacts) + 1)");
    expect(roundTrip("tickets", "share(not (contacts = 1 or contacts = 2))")).toBe("share(not (contacts = 1 or contacts = 2))");
    expect(roundTrip("tickets", "share((contacts = 1 or contacts = 2) and channel = \"chat\")")).toBe('share((contacts = 1 or contacts = 2) and channel = "chat")');
  });

  it("prints conditions, case, buckets, relations and quoted names", () => {
    expect(roundTrip("tickets", 'share(channel not in ("phone", "chat"))')).toBe('share(channel not in ("phone", "chat"))');
    expect(roundTrip("tickets", "share(contacts between 2 and 4)")).toBe("share(contacts between 2 and 4)");
    expect(roundTrip("tickets", "share(`shipped at` is null)")).toBe("share(`shipped at` is null)");
    expect(roundTrip("tickets", 'avg(case when channel = "phone" then contacts * 2 else 1 end)')).toBe('avg(case when channel = "phone" then contacts * 2 else 1 end)');
    expect(roundTrip("tickets", 'share(customer.segment = "smb")')).toBe('share(customer.segment = "smb")');
    expect(roundTrip("tickets", "share(month(opened_at) = 2025-03)")).toBe("share(month(opened_at) = 2025-03)");
    expect(roundTrip("tickets", "share(opened_at >= 2025-01-05)")).toBe("share(opened_at >= 2025-01-05)");
    expect(roundTrip("tickets", 'share(channel = "say \\"hi\\"")')).toBe('share(channel = "say \\"hi\\"")');
  });

  it("prints a KPI's own value, target and n bare, other KPIs' with their name", () => {
    const field = (f: "value" | "target" | "n", kpi: string): Expr => ({ op: "field", field: f, kpi, type: "number", origin: { file: "", start: 0, end: 0 } });
    expect(printExpr(field("value", "k"), "k")).toBe("value");
    expect(printExpr(field("target", "k"), "k")).toBe("target");
    expect(printExpr(field("value", "nps"), "k")).toBe("nps");
    expect(printExpr(field("n", "nps"), "k")).toBe("n(nps)");
  });

  it("quotes names that are not plain identifiers", () => {
    expect(printName("segment")).toBe("segment");
    expect(printName("from")).toBe("`from`");
    expect(printName("shipment no")).toBe("`shipment no`");
  });
});
