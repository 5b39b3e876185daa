// CSV loading, 1M rows of the support-tickets shape: Yardstick's schema-driven columnar parser
// against the row parsers a user would reach for (papaparse, csv-parse, each followed by the same
// typed-column conversion) and DuckDB (1 thread and default) loading the file into a table.
//
//   npm run build && node bench/loaders/csv.mjs [rows=1000000] [runs=3]
//
// Each contender runs in its own process (so peak memory is its own); medians are printed.
import { spawnSync } from "node:child_process";
import { createReadStream, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DUCKDB_COLUMNS, ensureData, ticketsDataset } from "./generate.mjs";

const CONTENDERS = ["yardstick", "papaparse", "csv-parse", "duckdb-1-thread", "duckdb-default"];

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
  const t0 = performance.now();
  let count = 0;
  if (name === "yardstick") {
    const { loadDatasetFile } = await import("../../packages/engine/dist/node/index.js");
    const r = await loadDatasetFile(ticketsDataset(csv), csv, { progress: false });
    if (!r.table) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
    count = r.table.rowCount;
  } else if (name === "papaparse") {
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
    count = sink.count;
  } else if (name === "csv-parse") {
    const { parse } = await import("csv-parse");
    const sink = columnSink(rows);
    const parser = createReadStream(csv, { highWaterMark: 1 << 20 }).pipe(parse({ from_line: 2 }));
    for await (const r of parser) sink.row(r);
    count = sink.count;
  } else {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const threads = name === "duckdb-1-thread" ? "1" : undefined;
    const db = await DuckDBInstance.create(":memory:", threads ? { threads } : {});
    const c = await db.connect();
    await c.run(`SET TimeZone='UTC'`);
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}', header=true, columns=${DUCKDB_COLUMNS})`);
    count = Number((await c.runAndReadAll("SELECT count(*) FROM t")).getRows()[0][0]);
  }
  const ms = performance.now() - t0;
  return { name, ms, count, peakMB: process.resourceUsage().maxRSS / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const self = fileURLToPath(import.meta.url);
if (process.argv[2] === "--run") {
  const [name, rows, csv] = process.argv.slice(3);
  console.log(JSON.stringify(await run(name, Number(rows), csv)));
} else {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const runs = Number(process.argv[3] ?? 3);
  const only = process.argv[4]?.split(",");
  const { csv } = await ensureData(rows);
  console.log(`CSV load, ${rows} rows, ${(statSync(csv).size / 1e6).toFixed(0)} MB, median of ${runs} runs (Node ${process.version})`);
  const results = [];
  for (const name of CONTENDERS.filter((c) => !only || only.includes(c))) {
    const ms = [], mb = [];
    for (let i = 0; i < runs; i++) {
      const out = spawnSync(process.execPath, [self, "--run", name, String(rows), csv], { encoding: "utf8" });
      if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
      const r = JSON.parse(out.stdout.trim().split("\n").pop());
      if (r.count !== rows) throw new Error(`${name} read ${r.count} rows`);
      ms.push(r.ms);
      mb.push(r.peakMB);
    }
    results.push({ name, ms: median(ms), mb: median(mb), all: ms });
  }
  const base = results.find((r) => r.name === "yardstick")?.ms ?? results[0].ms;
  console.log("| contender | load (ms) | vs yardstick | peak RSS (MB) | runs (ms) |\n| --- | ---: | ---: | ---: | --- |");
  for (const r of results) {
    console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${(r.ms / base).toFixed(2)}x | ${r.mb.toFixed(0)} | ${r.all.map((x) => x.toFixed(0)).join(", ")} |`);
  }
}
