import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Table } from "../table/table.js";
import { loadParquet } from "./parquet.js";
import { col, dataset, range, set } from "./test-helpers.js";

let dir: string;
let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;

/** Writes a Parquet file with DuckDB from a SELECT and returns its bytes. */
async function parquet(name: string, select: string): Promise<Uint8Array> {
  const path = join(dir, `${name}.parquet`);
  await duck.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  return new Uint8Array(readFileSync(path));
}

function values(t: Table, name: string): unknown[] {
  const c = t.columns.get(name)!;
  return Array.from({ length: t.rowCount }, (_, i) => {
    if (c.nulls && c.nulls[i]) return null;
    if (c.type === "string") return c.dict[c.codes[i]!];
    if (c.type === "bool") return c.values[i] === 1;
    if (c.type === "timestamp" || c.type === "date") return new Date(c.values[i]!).toISOString();
    return c.values[i];
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "yardstick-parquet-"));
  const db = await DuckDBInstance.create(":memory:");
  duck = await db.connect();
  await duck.run("SET TimeZone='UTC'");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Parquet loader", () => {
  it("maps Parquet types to the declared types", async () => {
    const bytes = await parquet("types", `
      SELECT * FROM (VALUES
        ('a', 1::INTEGER, 2::BIGINT, 1.5::DOUBLE, true, DATE '2025-01-05', TIMESTAMPTZ '2025-01-05 10:00:00+00', TIMESTAMP '2025-07-01 12:00:00', 'PT1H', 3::TINYINT, 12.25::DECIMAL(10,2), 1736071200000::BIGINT, '2025-02-01T00:00:00Z'),
        ('b', NULL, 5::BIGINT, NULL, false, NULL, NULL, NULL, NULL, 4::TINYINT, -0.5::DECIMAL(10,2), NULL, NULL)
      ) t(s, i32, i64, f, b, d, tstz, tsnaive, dur, small, dec, epoch, tstext)`);
    const ds = dataset("p", [
      col("s", "string", { key: true }),
      col("i32", "int", { nullable: true }),
      col("i64", "int"),
      col("f", "number", { nullable: true }),
      col("b", "bool"),
      col("d", "date", { nullable: true }),
      col("tstz", "timestamp", { nullable: true }),
      col("tsnaive", "timestamp", { nullable: true }),
      col("dur", "duration", { nullable: true }),
      col("small", "number"),
      col("dec", "number"),
      col("epoch", "timestamp", { nullable: true }),
      col("tstext", "timestamp", { nullable: true }),
    ], { zone: "Europe/Berlin" });
    const r = await loadParquet(ds, bytes, { file: "p.parquet" });
    expect(r.diagnostics).toEqual([]);
    const t = r.table!;
    expect(values(t, "s")).toEqual(["a", "b"]);
    expect(values(t, "i32")).toEqual([1, null]);
    expect(values(t, "i64")).toEqual([2, 5]);
    expect(values(t, "f")).toEqual([1.5, null]);
    expect(values(t, "b")).toEqual([true, false]);
    expect(values(t, "d")).toEqual(["2025-01-05T00:00:00.000Z", null]);
    expect(values(t, "tstz")).toEqual(["2025-01-05T10:00:00.000Z", null]);
    expect(values(t, "tsnaive")).toEqual(["2025-07-01T10:00:00.000Z", null]); // wall clock in Berlin (CEST)
    expect(values(t, "dur")).toEqual([3_600_000, null]);
    expect(values(t, "small")).toEqual([3, 4]);
    expect(values(t, "dec")).toEqual([12.25, -0.5]);
    expect(values(t, "epoch")).toEqual(["2025-01-05T10:00:00.000Z", null]);
    expect(values(t, "tstext")).toEqual(["2025-02-01T00:00:00.000Z", null]);
    expect(t.rowUnit).toBe("row");
    expect(Array.from(t.rowLines!)).toEqual([1, 2]);
  });

  it("checks constraints and reports row numbers", async () => {
    const bytes = await parquet("bad", `
      SELECT * FROM (VALUES ('a', 'smb', 3, 1.0), ('b', 'gov', 11, 2.5), ('a', 'smb', NULL, 3.0)) t(id, seg, n, whole)`);
    const ds = dataset("p", [
      col("id", "string", { key: true }),
      col("seg", "string", { allowed: set("smb", "enterprise") }),
      col("n", "int", { allowed: range(0, 10) }),
      col("whole", "int"),
    ]);
    const r = await loadParquet(ds, bytes, { file: "bad.parquet" });
    expect(r.table).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.data?.row, d.data?.column, d.line])).toEqual([
      ["value-not-allowed", 2, "seg", undefined],
      ["value-out-of-range", 2, "n", undefined],
      ["invalid-value", 2, "whole", undefined],
      ["null-value", 3, "n", undefined],
      ["duplicate-key", 3, "id", undefined],
    ]);
    expect(r.diagnostics[4]!.message).toBe('Key "a" of column "id" appears more than once (first in row 1).');
  });

  it("reads dictionary-encoded strings, many batches, and reports missing columns", async () => {
    const bytes = await parquet("many", `SELECT i AS id, (['x','y','z'])[i % 3 + 1] AS tag FROM range(200000) t(i)`);
    const r = await loadParquet(dataset("m", [col("id", "int", { key: true }), col("tag", "string")]), bytes);
    expect(r.table!.rowCount).toBe(200000);
    const tag = r.table!.columns.get("tag")!;
    expect(tag.type === "string" && [...tag.dict].sort()).toEqual(["x", "y", "z"]);
    expect(values(r.table!, "tag").slice(0, 4)).toEqual(["x", "y", "z", "x"]);
    const projected = await loadParquet(dataset("m", [col("id", "int", { key: true }), col("tag", "string")]), bytes, { columns: ["tag"] });
    expect([...projected.table!.columns.keys()]).toEqual(["tag"]);
    const missing = await loadParquet(dataset("m", [col("id", "int"), col("nope", "string")]), bytes);
    expect(missing.diagnostics.map((d) => [d.code, d.data?.column])).toEqual([["missing-data-column", "nope"]]);
  });

  it("reports a file that is not Parquet and a type that cannot be read", async () => {
    const junk = await loadParquet(dataset("j", [col("a", "int")]), new TextEncoder().encode("a,b\n1,2\n"));
    expect(junk.diagnostics.map((d) => d.code)).toEqual(["malformed-data"]);
    const bytes = await parquet("wrong", `SELECT true AS a`);
    const wrong = await loadParquet(dataset("w", [col("a", "date")]), bytes);
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(["unsupported-data-type"]);
  });

  it("closes up the rows dropped under `skip` across batches", async () => {
    const bytes = await parquet("skipmany", `SELECT i AS id, CASE WHEN i % 50000 = 7 THEN 99 ELSE i % 10 END AS n,
      CASE WHEN i % 3 = 0 THEN NULL ELSE 's' || (i % 5) END AS s FROM range(150000) t(i)`);
    const ds = dataset("s", [col("id", "int", { key: true }), col("n", "int", { allowed: range(0, 10) }), col("s", "string", { nullable: true })], { onBadRows: "skip" });
    const r = await loadParquet(ds, bytes);
    const t = r.table!;
    expect(t.rowCount).toBe(150000 - 3);
    expect(r.diagnostics.filter((d) => d.code === "value-out-of-range").map((d) => d.data?.row)).toEqual([8, 50008, 100008]);
    const id = t.columns.get("id")!;
    const s = t.columns.get("s")!;
    // Row 100006 of the file (id 100005) is the 100004th kept row after two drops.
    expect(id.type === "int" && id.values[100003]).toBe(100005);
    expect(t.rowLines![100003]).toBe(100006);
    expect(s.type === "string" && s.nulls![100003]).toBe(1); // id 100005 % 3 = 0
    expect(s.type === "string" && s.codes[100003]).toBe(-1);
    expect(s.type === "string" && s.nulls![100004]).toBe(0);
    expect(s.type === "string" && s.dict[s.codes[100004]!]).toBe("s1"); // id 100006
  });

  it("skips bad rows under `skip`", async () => {
    const bytes = await parquet("skip", `SELECT * FROM (VALUES (1), (20), (3)) t(n)`);
    const r = await loadParquet(dataset("s", [col("n", "int", { allowed: range(0, 10) })], { onBadRows: "skip" }), bytes);
    expect(values(r.table!, "n")).toEqual([1, 3]);
    expect(Array.from(r.table!.rowLines!)).toEqual([1, 3]);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([["value-out-of-range", "warning"], ["rows-skipped", "warning"]]);
  });
});
