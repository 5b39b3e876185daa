// `npm run bench`: every benchmark in turn: the front end (parse + check), the CSV and Parquet
// loaders, the engine (six KPIs against DuckDB, Arquero and a hand-written loop, with the bars of
// issue 3), then the playground in Chromium (cold load, diagnostics latency, typing with 1M rows). Each prints its own figures and ratios; nothing here is a timed test.
//
//   npm run bench                      # 1M and 5M rows for the engine, 1M for the loaders, 3 runs each
//   npm run bench -- --quick           # 100k rows, one run: a smoke test of the whole chain
//   npm run bench -- --only engine     # front-end | loaders | engine | playground (comma-separated)
//   npm run bench -- --runs 5 --rows 1000000
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runEngineBench } from "./engine.mjs";
import { runFrontEndBench } from "./front-end.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };

const quick = flag("--quick");
const only = value("--only")?.split(",") ?? ["front-end", "loaders", "engine", "playground"];
const runs = value("--runs") ?? (quick ? "1" : "3");
const rows = value("--rows") ?? (quick ? "100000" : "1000000,5000000");
const loaderRows = rows.split(",")[0];

const la = () => loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(`# Yardstick benchmarks (Node ${process.version}, load average ${la()})`);
console.log("CPU time is reported beside wall time: other work on a shared machine inflates wall time more than CPU time.\n");

if (only.includes("front-end")) {
  console.log("## Front end\n");
  runFrontEndBench();
  console.log("");
}

if (only.includes("loaders")) {
  for (const script of ["csv.mjs", "parquet.mjs"]) {
    console.log(`## Loader: ${script.replace(".mjs", "")} (load average ${la()})\n`);
    const out = spawnSync(process.execPath, [join(HERE, "loaders", script), loaderRows, runs], { stdio: "inherit" });
    if (out.status !== 0) process.exitCode = 1;
    console.log("");
  }
}

if (only.includes("engine")) {
  const args = ["--rows", rows, "--runs", runs];
  if (quick) args.push("--warm", "2");
  await runEngineBench(args);
}

if (only.includes("playground")) {
  console.log(`\n## Playground (load average ${la()})\n`);
  const { runPlaygroundBench } = await import("./playground.mjs");
  await runPlaygroundBench(["--runs", quick ? "1" : "5", "--rows", loaderRows]);
}
