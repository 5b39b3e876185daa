import { describe, expect, it } from "vitest";
import type { Model } from "@yardstick/model";
import type { Tables } from "../table/table.js";
import { loadCsvSync } from "./csv.js";
import { tableFromFixture } from "./fixture.js";
import { checkRelations } from "./relations.js";
import { col, dataset } from "./test-helpers.js";

const o = { file: "spec.kpi", start: 0, end: 0 };
const customers = dataset("customers", [col("customer_id", "string", { key: true })]);
const tickets = (onBadRows: "fail" | "skip") => dataset("tickets", [col("id", "string", { key: true }), col("customer_id", "string", { nullable: true })], {
  onBadRows,
  relations: [{ name: "customer", column: "customer_id", dataset: "customers", key: "customer_id", origin: o }],
});
const model = (onBadRows: "fail" | "skip"): Model => ({ version: 1, datasets: [tickets(onBadRows), customers], kpis: [], rules: [], tests: [], files: [] });

function load(onBadRows: "fail" | "skip", withCustomers = true): Tables {
  const tables: Tables = new Map();
  tables.set("tickets", loadCsvSync(tickets(onBadRows), "id,customer_id\nt1,c1\nt2,c9\nt3,\nt4,c2\nt5,c9\n", { file: "tickets.csv" }).table!);
  if (withCustomers) tables.set("customers", loadCsvSync(customers, "customer_id\nc1\nc2\n", { file: "customers.csv" }).table!);
  return tables;
}

describe("checkRelations", () => {
  it("reports values that match no key, with line, column and column name, and drops the table under `fail`", () => {
    const { tables, diagnostics } = checkRelations(model("fail"), load("fail"));
    expect(diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.column, d.data?.column])).toEqual([
      ["dangling-relation", "error", "tickets.csv", 3, 4, "customer_id"],
      ["dangling-relation", "error", "tickets.csv", 6, 4, "customer_id"],
    ]);
    expect(diagnostics[0]!.message).toBe('"c9" in "customer_id" matches no row of "customers".');
    expect(tables.has("tickets")).toBe(false);
    expect(tables.has("customers")).toBe(true);
  });

  it("drops dangling rows under `skip` and counts them", () => {
    const { tables, diagnostics } = checkRelations(model("skip"), load("skip"));
    const t = tables.get("tickets")!;
    expect(t.rowCount).toBe(3);
    expect(Array.from(t.rowLines!)).toEqual([2, 4, 5]);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["dangling-relation", "warning"], ["dangling-relation", "warning"], ["rows-skipped", "warning"],
    ]);
    expect(diagnostics[2]!.data).toMatchObject({ count: 2, "dangling-relation": 2 });
  });

  it("skips a relation whose target has no table", () => {
    const { tables, diagnostics } = checkRelations(model("fail"), load("fail", false));
    expect(diagnostics).toEqual([]);
    expect(tables.get("tickets")!.rowCount).toBe(5);
  });

  it("points at fixture spans for fixture tables", () => {
    const fx = tableFromFixture(tickets("fail"), {
      dataset: "tickets", columns: ["id", "customer_id"], rows: [["t1", "c1"], ["t2", "nope"]],
      rowOrigins: [{ file: "t.kpi", start: 10, end: 20 }, { file: "t.kpi", start: 30, end: 40 }], origin: { file: "t.kpi", start: 0, end: 50 },
    }).table!;
    const tables: Tables = new Map([["tickets", fx], ["customers", load("fail").get("customers")!]]);
    const { diagnostics } = checkRelations(model("fail"), tables);
    expect(diagnostics.map((d) => [d.code, d.file, d.span])).toEqual([["dangling-relation", "t.kpi", { start: 30, end: 40 }]]);
  });
});
