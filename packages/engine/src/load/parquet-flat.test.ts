import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Table } from "../table/table.js";
import { loadParquet, loadParquetWasm } from "./parquet.js";
import { loadFlatParquet } from "./parquet-flat.js";
import { col, dataset, range, set } from "./test-helpers.js";

let dir: string;
let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;

async function parquet(name: string, select: string, options = ""): Promise<Uint8Array> {
  const path = join(dir, `${name}.parquet`);
  await duck.run(`COPY (${select}) TO '${path}' (FORMAT parquet${options ? `, ${options}` : ""})`);
  return new Uint8Array(readFileSync(path));
}

/** Every cell as a comparable value (strings decoded, nulls as null). */
function cells(t: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [name, c] of t.columns) {
    out[name] = Array.from({ length: t.rowCount }, (_, i) => {
      if (c.nulls && c.nulls[i]) return null;
      return c.type === "string" ? c.dict[c.codes[i]!] : c.values[i];
    });
  }
  return out;
}

const SELECT = `
  SELECT 'k' || i AS id,
         CASE WHEN i % 7 = 0 THEN NULL ELSE 'c' || (i % 50) END AS cust,
         ['smb', 'mid', 'ent'][1 + i % 3] AS seg,
         TIMESTAMPTZ '2024-03-30 12:00:00+00' + to_seconds(i * 37) AS at,
         CASE WHEN i % 5 = 0 THEN NULL ELSE TIMESTAMP '2024-10-27 00:30:00' + to_seconds(i * 11) END AS naive,
         CASE WHEN i % 3 = 0 THEN NULL ELSE (i % 11)::INTEGER END AS score,
         (i * 1.25)::DOUBLE AS amount,
         (i % 4)::TINYINT AS small,
         i::BIGINT AS big,
         (i % 2 = 0) AS flag,
         CASE WHEN i % 9 = 0 THEN NULL ELSE DATE '2024-01-01' + (i % 400)::INTEGER END AS day,
         (i % 10)::FLOAT AS f32
  FROM range(0, 5000) t(i)`;

const DS = () => dataset("p", [
  col("id", "string", { key: true }),
  col("cust", "string", { nullable: true }),
  col("seg", "string", { allowed: set("smb", "mid", "ent") }),
  col("at", "timestamp"),
  col("naive", "timestamp", { nullable: true }),
  col("score", "int", { nullable: true, allowed: range(0, 10) }),
  col("amount", "number"),
  col("small", "int"),
  col("big", "int"),
  col("flag", "bool"),
  col("day", "date", { nullable: true }),
  col("f32", "number"),
], { zone: "Europe/Berlin" });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "yardstick-parquet-flat-"));
  const db = await DuckDBInstance.create(":memory:");
  duck = await db.connect();
  await duck.run("SET TimeZone='UTC'");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("flat Parquet reader", () => {
  const variants: Array<[string, string]> = [
    ["snappy, small row groups", "ROW_GROUP_SIZE 1000"],
    ["uncompressed", "COMPRESSION uncompressed"],
  ];
  for (const [name, options] of variants) {
    it(`reads what parquet-wasm reads: ${name}`, async () => {
      const bytes = await parquet(name.replace(/\W+/g, "-"), SELECT, options);
      const flat = loadFlatParquet(DS(), bytes, { file: "f.parquet" });
      expect(flat).not.toBeNull();
      const wasm = await loadParquetWasm(DS(), bytes, { file: "f.parquet" });
      expect(flat!.diagnostics).toEqual(wasm.diagnostics);
      expect(flat!.table!.rowCount).toBe(5000);
      expect(cells(flat!.table!)).toEqual(cells(wasm.table!));
    });
  }

  it("reads data pages v2 (dictionary strings, booleans), and leaves their delta encodings to parquet-wasm", async () => {
    const bytes = await parquet("v2", "SELECT 'k' || i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'c' || (i % 50) END AS cust, (i % 2 = 0) AS flag FROM range(0, 5000) t(i)", "PARQUET_VERSION V2, ROW_GROUP_SIZE 2048");
    // (DuckDB writes the unique `id` strings with DELTA_LENGTH_BYTE_ARRAY: not read here.)
    const ds = dataset("v", [col("cust", "string", { nullable: true }), col("flag", "bool")]);
    const flat = loadFlatParquet(ds, bytes, {});
    expect(flat).not.toBeNull();
    expect(cells(flat!.table!)).toEqual(cells((await loadParquetWasm(ds, bytes, {})).table!));
    const all = await parquet("v2-all", SELECT, "PARQUET_VERSION V2");
    expect(loadFlatParquet(DS(), all, {})).toBeNull();
    expect(cells((await loadParquet(DS(), all, {})).table!)).toEqual(cells((await loadParquetWasm(DS(), all, {})).table!));
  });

  it("reports the same constraint violations, with row numbers, and honours the projection", async () => {
    const bytes = await parquet("bad", `SELECT * REPLACE (CASE WHEN i = 4321 THEN 99 ELSE score END AS score, CASE WHEN i = 17 THEN 'xx' ELSE seg END AS seg) FROM (${SELECT.replace("SELECT 'k'", "SELECT i, 'k'")})`, "ROW_GROUP_SIZE 1000");
    const ds = DS();
    ds.columns.unshift(col("i", "int"));
    const flat = loadFlatParquet(ds, bytes, { file: "f.parquet" })!;
    const wasm = await loadParquetWasm(ds, bytes, { file: "f.parquet" });
    expect(flat.table).toBeNull();
    expect(flat.diagnostics).toEqual(wasm.diagnostics);
    expect(flat.diagnostics.map((d) => d.data?.row)).toEqual([18, 4322]);
    const some = loadFlatParquet(ds, bytes, { file: "f.parquet", columns: ["id", "amount"] })!;
    expect([...some.table!.columns.keys()]).toEqual(["id", "amount"]);
  });

  it("leaves what it does not read to parquet-wasm", async () => {
    const gz = await parquet("gzip", SELECT, "COMPRESSION gzip");
    expect(loadFlatParquet(DS(), gz, {})).toBeNull();
    const dec = await parquet("decimal", "SELECT 1.5::DECIMAL(10, 2) AS amount");
    expect(loadFlatParquet(dataset("d", [col("amount", "number")]), dec, {})).toBeNull();
    const nested = await parquet("nested", "SELECT {'a': 1} AS s, [1, 2] AS l");
    expect(loadFlatParquet(dataset("n", [col("l", "string")]), nested, {})).toBeNull();
    expect(loadFlatParquet(DS(), new Uint8Array([1, 2, 3]), {})).toBeNull();
    // A declared column the file lacks: parquet-wasm reports it.
    expect(loadFlatParquet(dataset("m", [col("nope", "string")]), gz, {})).toBeNull();
  });
});
