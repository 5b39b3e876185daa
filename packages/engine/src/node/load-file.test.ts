import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Dataset, Model } from "@yardstick/model";
import { formatOfPath, loadDatasetFile, loadModelData } from "./load-file.js";
import { progressReporter } from "./progress.js";
import { col, dataset } from "../load/test-helpers.js";

let dir: string;
const o = (file: string) => ({ file, start: 5, end: 9 });

function ds(name: string, path: string | null, format: "csv" | "json" | "ndjson" | "parquet" = "csv", extra: Partial<Dataset> = {}): Dataset {
  return dataset(name, [col("id", "string", { key: true }), col("n", "int")], {
    source: path ? { path, format } : null,
    origin: o(join(dir, "specs", "suite.kpi")),
    ...extra,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "yardstick-load-"));
  mkdirSync(join(dir, "specs", "data"), { recursive: true });
  const rows = Array.from({ length: 5000 }, (_, i) => `r${i},${i % 10}`).join("\n");
  writeFileSync(join(dir, "specs", "data", "big.csv"), `id,n\n${rows}\n`);
  writeFileSync(join(dir, "specs", "data", "small.ndjson"), '{"id": "a", "n": 1}\n{"id": "b", "n": 2}\n');
  writeFileSync(join(dir, "specs", "data", "refs.csv"), "id,n,owner\nx,1,a\ny,2,zz\n");
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  await c.run(`COPY (SELECT 'p' || i AS id, i::INTEGER AS n FROM range(3) t(i)) TO '${join(dir, "specs", "data", "p.parquet")}' (FORMAT parquet)`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadDatasetFile", () => {
  it("streams a CSV file in small chunks", async () => {
    const path = join(dir, "specs", "data", "big.csv");
    const seen: number[] = [];
    const r = await loadDatasetFile(ds("d", null), path, { chunkSize: 1000, onProgress: (b) => seen.push(b) });
    expect(r.diagnostics).toEqual([]);
    expect(r.table!.rowCount).toBe(5000);
    expect(r.table!.file).toBe(path);
    const size = statSync(path).size;
    expect(seen.slice(0, -1)).toEqual(Array.from({ length: Math.ceil(size / 1000) }, (_, i) => Math.min(size, (i + 1) * 1000)));
    expect(seen.at(-1)).toBe(-1); // the end, which clears the line
  });

  it("reads NDJSON and Parquet by extension", async () => {
    const j = await loadDatasetFile(ds("d", null), join(dir, "specs", "data", "small.ndjson"));
    expect(j.table!.rowCount).toBe(2);
    const p = await loadDatasetFile(ds("d", null), join(dir, "specs", "data", "p.parquet"));
    expect(p.diagnostics).toEqual([]);
    expect(p.table!.rowCount).toBe(3);
  });

  it("reports a missing file at the dataset's declaration", async () => {
    const r = await loadDatasetFile(ds("d", "nope.csv"), join(dir, "nope.csv"));
    expect(r.table).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.file, d.span])).toEqual([["file-not-found", join(dir, "specs", "suite.kpi"), { start: 5, end: 9 }]]);
  });

  it("reports a format it cannot tell", async () => {
    const r = await loadDatasetFile(ds("d", null), join(dir, "data.xlsx"));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["unsupported-format"]);
  });

  it("stops when aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(loadDatasetFile(ds("d", null), join(dir, "specs", "data", "big.csv"), { signal: ac.signal })).rejects.toThrow();
  });

  it("knows the extensions", () => {
    expect(["a.csv", "a.TSV", "a.json", "a.jsonl", "a.ndjson", "a.parquet", "a.pq", "a.xml"].map(formatOfPath)).toEqual(["csv", "csv", "json", "ndjson", "ndjson", "parquet", "parquet", null]);
  });
});

describe("loadModelData", () => {
  it("resolves sources relative to the spec file, applies overrides, and checks relations", async () => {
    const owners = ds("owners", "data/small.ndjson", "ndjson");
    const refs = dataset("refs", [col("id", "string", { key: true }), col("n", "int"), col("owner", "string")], {
      source: { path: "data/refs.csv", format: "csv" },
      origin: o(join(dir, "specs", "suite.kpi")),
      relations: [{ name: "owner", column: "owner", dataset: "owners", key: "id", origin: o("x") }],
    });
    const big = ds("big", "data/does-not-exist.csv");
    const model: Model = { version: 1, datasets: [owners, refs, big], kpis: [], rules: [], tests: [], files: [] };
    const { tables, diagnostics } = await loadModelData(model, { overrides: new Map([["big", join(dir, "specs", "data", "big.csv")]]), progress: false });
    expect(tables.get("owners")!.rowCount).toBe(2);
    expect(tables.get("big")!.rowCount).toBe(5000);
    expect(tables.has("refs")).toBe(false);
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.column, d.data?.column])).toEqual([
      ["dangling-relation", join(dir, "specs", "data", "refs.csv"), 3, 5, "owner"],
    ]);
  });
});

describe("progressReporter", () => {
  it("prints nothing when stderr is not a terminal", () => {
    expect(progressReporter("x.csv", { isTTY: false } as NodeJS.WriteStream)).toBeUndefined();
  });
  it("prints only after a second, on a terminal", async () => {
    let out = "";
    const stream = { isTTY: true, write: (s: string) => { out += s; return true; } } as unknown as NodeJS.WriteStream;
    const p = progressReporter("x.csv", stream)!;
    p(10, 100);
    expect(out).toBe("");
    await new Promise((r) => setTimeout(r, 1050));
    p(50_000_000, 100_000_000);
    expect(out).toContain("loading x.csv: 50% (50 of 100 MB)");
    p(-1, 100);
    expect(out.endsWith("\r\x1b[K")).toBe(true);
  });
});
