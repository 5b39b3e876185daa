// CSV loading, 1M rows of the support-tickets shape: Yardstick's schema-driven columnar parser
// against the row parsers a user would reach for (papaparse, csv-parse, each followed by the same
// typed-column conversion) and DuckDB (1 thread and default) loading the file into a table.
// "-kpi-columns" variants load only the columns the six benchmark KPIs read.
//
//   npm run build && node bench/loaders/csv.mjs [rows=1000000] [runs=3] [contender,...]
import { createReadStream, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compare, KPI_COLUMNS, measure } from "./common.mjs";
import { DUCKDB_COLUMNS, ensureData, ticketsDataset } from "./generate.mjs";

const CONTENDERS = ["yardstick", "yardstick-kpi-columns", "papaparse", "csv-parse", "duckdb-1-thread", "duckdb-1-thread-kpi-columns", "duckdb-default"];

/** The conversion every row parser needs to reach typed columns (what Yardstick does while parsing). */
function columnSink(rows) {
  const dicts = [new Map(), new Map(), new Map(), new Map()];
  const codes = dicts.map(() => new Int32Array(rows));
  const f64 = Array.from({ length: 6 }, () => new Float64Array(rows));
  const bools = new Uint8Array(rows);
  let n = 0;
  const code = (k, s) => {
    let c = dicts[k].get(s);
    if (c === undefined) dicts[k].set(s, (c = dicts[k].size));
    return c;
  };
  const num = (s) => (s === "" ? NaN : Number(s));
  return {
    row(r) {
      if (n === rows) return;
      for (let k = 0; k < 4; k++) codes[k][n] = code(k, r[k]);
      f64[0][n] = Date.parse(r[4]);
      f64[1][n] = r[5] === "" ? NaN : Date.parse(r[5]);
      bools[n] = r[6] === "true" ? 1 : 0;
      f64[2][n] = num(r[7]);
      f64[3][n] = num(r[8]);
      f64[4][n] = num(r[9]);
      f64[5][n] = num(r[10]);
      n++;
    },
    get count() { return n; },
  };
}

async function run(name, rows, csv) {
  if (name.startsWith("yardstick")) {
    const { loadDatasetFile } = await import("../../packages/engine/dist/node/index.js");
    const columns = name.endsWith("kpi-columns") ? KPI_COLUMNS : undefined;
    const r = await loadDatasetFile(ticketsDataset(csv), csv, { progress: false, columns });
    if (!r.table) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
    return r.table.rowCount;
  }
  if (name === "papaparse") {
    const Papa = (await import("papaparse")).default;
    const sink = columnSink(rows);
    let header = true;
    await new Promise((resolve, reject) => {
      Papa.parse(createReadStream(csv), {
        chunk(res) {
          for (const r of res.data) {
            if (header) { header = false; continue; }
            if (r.length > 1) sink.row(r);
          }
        },
        complete: resolve,
        error: reject,
      });
    });
    return sink.count;
  }
  if (name === "csv-parse") {
    const { parse } = await import("csv-parse");
    const sink = columnSink(rows);
    const parser = createReadStream(csv, { highWaterMark: 1 << 20 }).pipe(parse({ from_line: 2 }));
    for await (const r of parser) sink.row(r);
    return sink.count;
  }
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", name.includes("1-thread") ? { threads: "1" } : {});
  const c = await db.connect();
  await c.run(`SET TimeZone='UTC'`);
  const select = name.endsWith("kpi-columns") ? KPI_COLUMNS.join(", ") : "*";
  await c.run(`CREATE TABLE t AS SELECT ${select} FROM read_csv('${csv}', header=true, columns=${DUCKDB_COLUMNS})`);
  return Number((await c.runAndReadAll("SELECT count(*) FROM t")).getRows()[0][0]);
}

if (process.argv[2] === "--run") {
  const [name, rows, csv] = process.argv.slice(3);
  await measure(name, () => run(name, Number(rows), csv));
} else {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const runs = Number(process.argv[3] ?? 3);
  const only = process.argv[4]?.split(",");
  const { csv } = await ensureData(rows);
  console.log(`CSV load, ${rows} rows, ${(statSync(csv).size / 1e6).toFixed(0)} MB, median of ${runs} runs (Node ${process.version})\n`);
  compare(fileURLToPath(import.meta.url), CONTENDERS.filter((c) => !only || only.includes(c)), runs, [String(rows), csv], rows);
}
