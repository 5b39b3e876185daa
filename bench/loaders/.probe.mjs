import { readFileSync } from "node:fs";
const f = "/tmp/yardstick-bench/tickets-1000000.parquet";
const which = process.argv[2];
const t0 = performance.now();
if (which === "hyparquet") {
  const { parquetRead } = await import("hyparquet");
  const buf = readFileSync(f);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  let n = 0; const types = {};
  await parquetRead({ file: ab, onChunk(c) { n += c.rowEnd - c.rowStart; types[c.columnName] = c.columnData.constructor.name + ":" + typeof c.columnData[0] + ":" + String(c.columnData[0]); } });
  console.log(n, types);
} else if (which === "wasm") {
  const pw = await import("parquet-wasm");
  const arrow = await import("apache-arrow");
  const buf = readFileSync(f);
  const t = pw.readParquet(new Uint8Array(buf));
  const table = arrow.tableFromIPC(t.intoIPCStream());
  console.log(table.numRows, table.schema.fields.map(x => x.name + ":" + x.type), table.batches.length);
  const col = table.getChild("spend"); console.log(col.data.length, col.data[0].values.constructor.name);
  const s = table.getChild("segment"); console.log(s.data[0].valueOffsets?.constructor.name, s.type.toString());
} else if (which === "duckdb") {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { threads: process.argv[3] ?? "1" });
  const c = await db.connect();
  await c.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${f}')`);
  const r = await c.runAndReadAll("select count(*) from t"); console.log(r.getRows());
}
console.log(which, (performance.now() - t0).toFixed(0), "ms", "rss", (process.memoryUsage().rss/1e6).toFixed(0));
