// Parquet loading, the same 1M rows written by DuckDB (snappy, 122,880-row groups): Yardstick
// (parquet-wasm decoding into Arrow, read in place through the C data interface, then checked into
// Yardstick's columns), the candidate libraries on their own (decode only, no conversion), and
// DuckDB loading the file into a table. "-kpi-columns" variants read only the KPIs' columns.
//
//   npm run build && node bench/loaders/parquet.mjs [rows=1000000] [runs=3] [contender,...]
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compare, KPI_COLUMNS, measure } from "./common.mjs";
import { ensureData, ticketsDataset } from "./generate.mjs";

const CONTENDERS = [
  "yardstick", "yardstick-kpi-columns", "parquet-wasm-decode-only", "parquet-wasm-decode-twice",
  "hyparquet-decode-only", "duckdb-1-thread", "duckdb-1-thread-kpi-columns", "duckdb-default",
];

async function run(name, parquet) {
  if (name.startsWith("yardstick")) {
    const { loadDatasetFile } = await import("../../packages/engine/dist/node/index.js");
    const columns = name.endsWith("kpi-columns") ? KPI_COLUMNS : undefined;
    const r = await loadDatasetFile(ticketsDataset(parquet, "parquet"), parquet, { progress: false, columns });
    if (!r.table) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
    return r.table.rowCount;
  }
  if (name.startsWith("parquet-wasm")) {
    const pw = await import("parquet-wasm");
    const bytes = new Uint8Array(readFileSync(parquet));
    let rows = 0;
    // "twice": the second decode in the same process shows the cost once the wasm code is optimized.
    for (let i = 0; i < (name.endsWith("twice") ? 2 : 1); i++) {
      const t = pw.readParquet(bytes, { batchSize: 65536 });
      rows = t.recordBatches().reduce((n, b) => n + b.numRows, 0);
      t.free();
    }
    return rows;
  }
  if (name === "hyparquet-decode-only") {
    const { parquetRead } = await import("hyparquet");
    const buf = readFileSync(parquet);
    let n = 0;
    await parquetRead({
      file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
      parsers: { timestampFromMicroseconds: (m) => Number(m) / 1000 },
      onChunk(c) { if (c.columnName === "ticket_id") n += c.rowEnd - c.rowStart; },
    });
    return n;
  }
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", name.includes("1-thread") ? { threads: "1" } : {});
  const c = await db.connect();
  const select = name.endsWith("kpi-columns") ? KPI_COLUMNS.join(", ") : "*";
  await c.run(`CREATE TABLE t AS SELECT ${select} FROM read_parquet('${parquet}')`);
  return Number((await c.runAndReadAll("SELECT count(*) FROM t")).getRows()[0][0]);
}

if (process.argv[2] === "--run") {
  const [name, parquet] = process.argv.slice(3);
  await measure(name, () => run(name, parquet));
} else {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const runs = Number(process.argv[3] ?? 3);
  const only = process.argv[4]?.split(",");
  const { parquet } = await ensureData(rows);
  console.log(`Parquet load, ${rows} rows, ${(statSync(parquet).size / 1e6).toFixed(0)} MB, median of ${runs} runs (Node ${process.version})\n`);
  compare(fileURLToPath(import.meta.url), CONTENDERS.filter((c) => !only || only.includes(c)), runs, [parquet], rows);
}
