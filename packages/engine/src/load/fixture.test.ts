import { describe, expect, it } from "vitest";
import type { Fixture } from "@yardstick/model";
import { tableFromFixture } from "./fixture.js";
import { col, dataset, range } from "./test-helpers.js";

const surveys = dataset("surveys", [
  col("customer_id", "string"),
  col("answered_at", "timestamp", { time: true }),
  col("recommend", "int", { nullable: true, allowed: range(0, 10) }),
  col("satisfaction", "int", { nullable: true }),
  col("id", "int", { key: true }),
], { zone: "Europe/Berlin" });

/** A fixture whose rows sit at offsets 100, 200, ... of spec.kpi. */
function fixture(columns: string[], rows: Array<Array<string | null>>): Fixture {
  return {
    dataset: "surveys",
    columns,
    rows,
    rowOrigins: rows.map((_, i) => ({ file: "spec.kpi", start: 100 * (i + 1), end: 100 * (i + 1) + 40 })),
    origin: { file: "spec.kpi", start: 90, end: 500 },
  };
}

describe("tableFromFixture", () => {
  it("parses raw cells per type; left-out columns are null", () => {
    const { table, diagnostics } = tableFromFixture(surveys, fixture(["customer_id", "answered_at", "recommend"], [
      ["c1", "2025-01-05", "10"],
      ["c2", "2025-01-06T10:00", null],
    ]));
    expect(diagnostics).toEqual([]);
    const at = table!.columns.get("answered_at")!;
    expect(at.type === "timestamp" && new Date(at.values[0]!).toISOString()).toBe("2025-01-04T23:00:00.000Z"); // midnight in Berlin
    const rec = table!.columns.get("recommend")!;
    expect(rec.type === "int" && [rec.values[0], rec.nulls![1]]).toEqual([10, 1]);
    expect(table!.columns.get("satisfaction")!.nulls).toEqual(new Uint8Array([1, 1]));
    expect(table!.columns.get("id")!.nulls).toEqual(new Uint8Array([1, 1])); // left out, so no null-value error
    expect(Array.from(table!.rowSpans!)).toEqual([100, 140, 200, 240]);
    expect(table!.file).toBe("spec.kpi");
  });

  it("points diagnostics at the fixture row's span", () => {
    const { table, diagnostics } = tableFromFixture(surveys, fixture(["customer_id", "answered_at", "recommend", "id"], [
      ["c1", "2025-01-05", "ten", "1"],
      ["c2", "2025-01-05", "11", "2"],
      [null, "2025-01-05", "1", "1"],
    ]));
    expect(table).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.file, d.span?.start, d.data?.column])).toEqual([
      ["invalid-fixture-value", "spec.kpi", 100, "recommend"],
      ["value-out-of-range", "spec.kpi", 200, "recommend"],
      ["null-value", "spec.kpi", 300, "customer_id"],
      ["duplicate-key", "spec.kpi", 300, "id"],
    ]);
    expect(diagnostics[0]!.message).toBe('"ten" is not a valid int for column "recommend".');
    expect(diagnostics[0]!.hints).toEqual(["Write a whole number such as 42."]);
    expect(diagnostics[3]!.message).toBe('Key "1" of column "id" appears more than once (first in row 1).');
  });

  it("keeps the spans of the kept rows under `skip`", () => {
    const { table, diagnostics } = tableFromFixture({ ...surveys, onBadRows: "skip" }, fixture(["customer_id", "answered_at", "recommend"], [
      ["c1", "2025-01-05", "x"],
      ["c2", "2025-01-05", "3"],
    ]));
    expect(table!.rowCount).toBe(1);
    expect(Array.from(table!.rowSpans!)).toEqual([200, 240]);
    expect(diagnostics.map((d) => d.code)).toEqual(["invalid-fixture-value", "rows-skipped"]);
  });
});
