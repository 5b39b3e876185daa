// Engine benchmark (issue 3): the six KPIs of bench/engine.kpi over the seeded support-tickets
// table, 1M and 5M rows, CSV and Parquet, side by side with DuckDB (1 thread and default),
// Arquero and a hand-written typed-array loop. Every run of every contender is a fresh process.
//
//   npm run build && node bench/engine.mjs [--rows 1000000,5000000] [--runs 3] [--warm 4]
//                                          [--only name,...] [--quick] [--json out.json]
//   node bench/engine.mjs --bars 1m.json,5m.json     # the bars from summaries saved with --json
//
// Component runs load the data, then evaluate the six KPIs once (cold: JIT, first touches) and
// `--warm` more times in the same process. End-to-end runs are whole processes timed from spawn
// to exit: `yardstick eval` (the CLI, JSON output) and a Node process running DuckDB on the same
// file. Wall times are medians over `--runs`; CPU time (user + system, all threads) is reported
// beside each, because the machine is shared. Results are checked against DuckDB (1e-9 relative).
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureData } from "./loaders/generate.mjs";
import {
  agree, duckdbKpis, duckdbLoad, duckdbSession, KPIS, runArquero, runDuckdb, runHandLoop, runYardstick, SPEC, ZONE,
} from "./engine/tools.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const SELF = fileURLToPath(import.meta.url);
const PROBE = join(HERE, "engine", "probe.mjs");
const CLI = join(ROOT, "packages", "cli", "dist", "yardstick.mjs");

/** Component contenders: [name, file format, runner]. */
const COMPONENTS = {
  "yardstick-csv": ["csv", (p, w) => runYardstick(p, w)],
  "yardstick-parquet": ["parquet", (p, w) => runYardstick(p, w)],
  "hand-loop": ["csv", (p, w) => runHandLoop(p, w)],
  "duckdb-1t-csv": ["csv", (p, w) => runDuckdb(p, w, 1)],
  "duckdb-1t-parquet": ["parquet", (p, w) => runDuckdb(p, w, 1)],
  "duckdb-csv": ["csv", (p, w) => runDuckdb(p, w, 0)],
  "duckdb-parquet": ["parquet", (p, w) => runDuckdb(p, w, 0)],
  "arquero-csv": ["csv", (p, w) => runArquero(p, w)],
};
/** End-to-end contenders: whole processes. */
const E2E = {
  "e2e-yardstick-csv": "csv",
  "e2e-yardstick-parquet": "parquet",
  "e2e-duckdb-1t-csv": "csv",
  "e2e-duckdb-1t-parquet": "parquet",
  "e2e-duckdb-csv": "csv",
  "e2e-duckdb-parquet": "parquet",
};

const median = (xs) => { const s = xs.filter((x) => x === x).sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : NaN; };
const f0 = (x) => (x === x ? x.toFixed(0) : "–");
const f1 = (x) => (x === x ? x.toFixed(1) : "–");
const ratio = (a, b) => (a === a && b === b && b > 0 ? `${(a / b).toFixed(2)}x` : "–");

// ---------- child processes ----------

async function child(argv) {
  const [mode, name, path, warm] = argv;
  if (mode === "--child") {
    const r = await COMPONENTS[name][1](path, Number(warm));
    r.peakMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify(r) + "\n");
    return;
  }
  // --e2e duckdb-1t|duckdb PATH: what a DuckDB user runs end to end (load, six queries, print).
  const c = await duckdbSession(name === "duckdb-1t" ? 1 : 0);
  await duckdbLoad(c, path);
  process.stdout.write(JSON.stringify(await duckdbKpis(c)) + "\n");
}

function spawnNode(args, env = {}) {
  const t0 = performance.now();
  const out = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, ...env }, cwd: ROOT });
  const wall = performance.now() - t0;
  if (out.status !== 0) throw new Error(`node ${args.join(" ")} failed (${out.status}):\n${out.stderr.slice(-2000)}`);
  const probe = /@@probe (\{.*\})/.exec(out.stderr ?? "");
  return { wall, stdout: out.stdout, stderr: out.stderr, probe: probe ? JSON.parse(probe[1]) : null };
}

function runComponent(name, path, warm) {
  const env = name.startsWith("arquero") ? { TZ: ZONE } : {};
  const r = spawnNode([SELF, "--child", name, path, String(warm)], env);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

function runE2e(name, path) {
  if (name.startsWith("e2e-yardstick")) {
    const r = spawnNode(["--import", PROBE, CLI, "eval", relative(ROOT, SPEC), "--data", `tickets=${path}`, "--format", "json", "--timings"]);
    const json = JSON.parse(r.stdout);
    const results = {};
    for (const row of json.results) (results[row.kpi] ??= {})[Object.values(row.group).join("|")] = row.value;
    const timings = /timings: (.*)/.exec(r.stderr)?.[1] ?? "";
    return { wall: r.wall, cpuMs: r.probe.cpuMs, peakMB: r.probe.peakMB, results, timings };
  }
  const tool = name.replace(/^e2e-/, "").replace(/-(csv|parquet)$/, "");
  const r = spawnNode(["--import", PROBE, SELF, "--e2e", tool, path]);
  return { wall: r.wall, cpuMs: r.probe.cpuMs, peakMB: r.probe.peakMB, results: JSON.parse(r.stdout.trim().split("\n").pop()) };
}

// ---------- the benchmark ----------

function parseArgs(argv) {
  const o = { rows: [1_000_000, 5_000_000], runs: 3, warm: 4, only: null, json: null, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--rows") o.rows = argv[++i].split(",").map(Number);
    else if (a === "--runs") o.runs = Number(argv[++i]);
    else if (a === "--warm") o.warm = Number(argv[++i]);
    else if (a === "--only") o.only = argv[++i].split(",");
    else if (a === "--json") o.json = argv[++i];
    else if (a === "--quick") { o.rows = [100_000]; o.runs = 1; o.warm = 2; }
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Runs every selected contender `runs` times (interleaved, so load changes hit all alike) at `rows` rows. */
export async function benchRows(rows, o, log = console.log) {
  const files = await ensureData(rows, join(HERE, "data"));
  const pick = (names) => names.filter((n) => !o.only || o.only.some((x) => n === x || n.includes(x)));
  const comps = pick(Object.keys(COMPONENTS)), e2es = pick(Object.keys(E2E));
  const comp = Object.fromEntries(comps.map((n) => [n, []]));
  const e2e = Object.fromEntries(e2es.map((n) => [n, []]));
  const loads = [];
  log(`\n## ${rows.toLocaleString("en-US")} rows: CSV ${(statSync(files.csv).size / 1e6).toFixed(0)} MB, Parquet ${(statSync(files.parquet).size / 1e6).toFixed(0)} MB`);
  for (let run = 0; run < o.runs; run++) {
    loads.push(loadavg()[0]);
    for (const n of comps) {
      const path = COMPONENTS[n][0] === "csv" ? files.csv : files.parquet;
      try { comp[n].push(runComponent(n, path, o.warm)); } catch (e) { log(`  ${n}: ${String(e.message).split("\n").slice(0, 3).join(" ")}`); }
    }
    for (const n of e2es) {
      const path = E2E[n] === "csv" ? files.csv : files.parquet;
      try { e2e[n].push(runE2e(n, path)); } catch (e) { log(`  ${n}: ${String(e.message).split("\n").slice(0, 3).join(" ")}`); }
    }
    log(`  run ${run + 1}/${o.runs} done (load average ${loadavg().map((x) => x.toFixed(1)).join(" ")})`);
  }
  loads.push(loadavg()[0]);
  const summary = { rows, loadavg: loads, components: {}, e2e: {}, agreement: {} };
  for (const [n, rs] of Object.entries(comp)) {
    if (!rs.length) continue;
    summary.components[n] = {
      loadMs: median(rs.map((r) => r.loadMs)), loadCpuMs: median(rs.map((r) => r.loadCpuMs)),
      evalMs: median(rs.map((r) => r.evals[0].ms)), evalCpuMs: median(rs.map((r) => r.evals[0].cpuMs)),
      warmMs: median(rs.flatMap((r) => r.evals.slice(1).map((e) => e.ms))), warmCpuMs: median(rs.flatMap((r) => r.evals.slice(1).map((e) => e.cpuMs))),
      peakMB: median(rs.map((r) => r.peakMB)), runs: rs.map((r) => r.evals[0].ms), results: rs[0].results,
    };
  }
  for (const [n, rs] of Object.entries(e2e)) {
    if (!rs.length) continue;
    summary.e2e[n] = {
      wallMs: median(rs.map((r) => r.wall)), cpuMs: median(rs.map((r) => r.cpuMs)), peakMB: median(rs.map((r) => r.peakMB)),
      runs: rs.map((r) => r.wall), results: rs[0].results, timings: rs.map((r) => r.timings).filter(Boolean),
    };
  }
  const ref = summary.components["duckdb-1t-csv"]?.results ?? summary.e2e["e2e-duckdb-1t-csv"]?.results;
  for (const [n, s] of [...Object.entries(summary.components), ...Object.entries(summary.e2e)]) {
    if (n === "duckdb-1t-csv" || !ref) continue;
    summary.agreement[n] = agree(s.results, ref);
  }
  printRows(summary, log);
  return summary;
}

function printRows(s, log) {
  const la = s.loadavg;
  log(`\nLoad average (1 min) during the runs: ${Math.min(...la).toFixed(1)}–${Math.max(...la).toFixed(1)}. Medians of the runs; CPU = user + system of the process, all threads.\n`);
  log("| contender | load (ms) | load CPU (ms) | eval, first (ms) | CPU (ms) | eval, warm (ms) | CPU (ms) | peak RSS (MB) |");
  log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [n, c] of Object.entries(s.components)) {
    log(`| ${n} | ${f0(c.loadMs)} | ${f0(c.loadCpuMs)} | ${f1(c.evalMs)} | ${f1(c.evalCpuMs)} | ${f1(c.warmMs)} | ${f1(c.warmCpuMs)} | ${f0(c.peakMB)} |`);
  }
  if (Object.keys(s.e2e).length) {
    log("\n| end to end (process, spawn to exit) | wall (ms) | CPU (ms) | peak RSS (MB) | runs (ms) |");
    log("| --- | ---: | ---: | ---: | --- |");
    for (const [n, e] of Object.entries(s.e2e)) log(`| ${n} | ${f0(e.wallMs)} | ${f0(e.cpuMs)} | ${f0(e.peakMB)} | ${e.runs.map(f0).join(", ")} |`);
    const t = s.e2e["e2e-yardstick-csv"]?.timings?.[0];
    if (t) log(`\n\`yardstick eval --timings\` (CSV, first run): ${t}`);
  }
  const names = Object.keys(s.agreement);
  if (names.length) {
    log(`\nAgreement with DuckDB (1 thread, CSV), 1e-9 relative (✓ = same groups, every value within tolerance):\n`);
    log(`| KPI | ${names.join(" | ")} |`);
    log(`| --- |${names.map(() => " :-: |").join("")}`);
    for (const k of KPIS) {
      log(`| ${k} | ${names.map((n) => { const a = s.agreement[n][k]; return a.ok ? `✓${a.worst ? ` (${a.worst.toExponential(0)})` : ""}` : `✗ ${a.why ?? `(${a.worst?.toExponential(1)})`}`; }).join(" | ")} |`);
    }
  }
}

/** The ratios the bars of issue 3 are stated in, from the 1M (and 5M) summaries. */
export function printBars(byRows, log = console.log) {
  const one = byRows.find((s) => s.rows === 1_000_000) ?? byRows[0];
  const five = byRows.find((s) => s.rows === 5_000_000 && s !== one);
  const c = one.components, e = one.e2e;
  const ys = c["yardstick-csv"], hand = c["hand-loop"], d1 = c["duckdb-1t-csv"], aq = c["arquero-csv"];
  log(`\n## Ratios at ${one.rows.toLocaleString("en-US")} rows (wall; CPU in brackets)\n`);
  const line = (what, a, b, ac, bc) => log(`- ${what}: ${ratio(a, b)} (CPU ${ratio(ac, bc)})`);
  if (ys && hand) {
    line("Yardstick eval vs hand loop, first evaluation", ys.evalMs, hand.evalMs, ys.evalCpuMs, hand.evalCpuMs);
    line("Yardstick eval vs hand loop, warm", ys.warmMs, hand.warmMs, ys.warmCpuMs, hand.warmCpuMs);
  }
  if (ys && d1) line("Yardstick eval vs DuckDB 1 thread, first", ys.evalMs, d1.evalMs, ys.evalCpuMs, d1.evalCpuMs);
  if (ys && aq) line("Yardstick eval vs Arquero, first", ys.evalMs, aq.evalMs, ys.evalCpuMs, aq.evalCpuMs);
  if (hand && d1) line("hand loop vs DuckDB 1 thread (warm)", hand.warmMs, d1.warmMs, hand.warmCpuMs, d1.warmCpuMs);
  if (hand && aq) line("hand loop vs Arquero (warm)", hand.warmMs, aq.warmMs, hand.warmCpuMs, aq.warmCpuMs);
  const ec = e["e2e-yardstick-csv"], ep = e["e2e-yardstick-parquet"], dc = e["e2e-duckdb-1t-csv"], dp = e["e2e-duckdb-1t-parquet"];
  if (ec && dc) line("e2e CSV, yardstick eval vs DuckDB 1 thread", ec.wallMs, dc.wallMs, ec.cpuMs, dc.cpuMs);
  if (ep && dp) line("e2e Parquet, yardstick eval vs DuckDB 1 thread", ep.wallMs, dp.wallMs, ep.cpuMs, dp.cpuMs);
  if (five) {
    const c5 = five.components, e5 = five.e2e;
    log(`\n5M / 1M:`);
    const g = (what, a, b) => log(`- ${what}: ${ratio(a, b)}`);
    if (c5["yardstick-csv"] && ys) {
      g("Yardstick load CSV (wall)", c5["yardstick-csv"].loadMs, ys.loadMs);
      g("Yardstick load CSV (CPU)", c5["yardstick-csv"].loadCpuMs, ys.loadCpuMs);
      g("Yardstick eval, first (wall)", c5["yardstick-csv"].evalMs, ys.evalMs);
      g("Yardstick eval, first (CPU)", c5["yardstick-csv"].evalCpuMs, ys.evalCpuMs);
      g("Yardstick eval, warm (wall)", c5["yardstick-csv"].warmMs, ys.warmMs);
      g("Yardstick eval, warm (CPU)", c5["yardstick-csv"].warmCpuMs, ys.warmCpuMs);
    }
    for (const n of ["e2e-yardstick-csv", "e2e-yardstick-parquet"]) {
      if (!e5[n] || !e[n]) continue;
      g(`${n} wall`, e5[n].wallMs, e[n].wallMs);
      g(`${n} CPU`, e5[n].cpuMs, e[n].cpuMs);
      g(`${n} peak RSS`, e5[n].peakMB, e[n].peakMB);
    }
  }
  if (one.rows !== 1_000_000) {
    log(`\n(The bars of issue 3 are stated at 1,000,000 rows: run with --rows 1000000,5000000 to check them.)`);
    return;
  }
  log(`\n## Bars (issue 3)\n`);
  const bar = (ok, text) => log(`- ${ok === null ? "?" : ok ? "MET" : "NOT MET"}: ${text}`);
  const le = (a, b) => (a === a && b === b ? a <= b : null);
  if (ys && hand) bar(le(ys.evalMs, 1.5 * hand.evalMs) && le(ys.warmMs, 1.5 * hand.warmMs), `eval within 1.5x of the hand loop (first ${ratio(ys.evalMs, hand.evalMs)}, warm ${ratio(ys.warmMs, hand.warmMs)})`);
  if (ec && dc) bar(le(ec.wallMs, dc.wallMs), `e2e CSV faster than DuckDB 1 thread (${f0(ec.wallMs)} vs ${f0(dc.wallMs)} ms wall; CPU ${f0(ec.cpuMs)} vs ${f0(dc.cpuMs)} ms)`);
  if (ep && dp) bar(le(ep.wallMs, 1.5 * dp.wallMs), `e2e Parquet within 1.5x of DuckDB 1 thread (${ratio(ep.wallMs, dp.wallMs)}; CPU ${ratio(ep.cpuMs, dp.cpuMs)})`);
  if (ec || ep) {
    const peak = Math.max(ec?.peakMB ?? 0, ep?.peakMB ?? 0);
    bar(peak <= 300, `peak memory at ${one.rows.toLocaleString("en-US")} rows at most 300 MB (CSV ${f0(ec?.peakMB)} MB, Parquet ${f0(ep?.peakMB)} MB)`);
  }
  if (five) {
    const e5 = five.e2e, c5 = five.components;
    const rs = [];
    for (const n of ["e2e-yardstick-csv", "e2e-yardstick-parquet"]) if (e5[n] && e[n]) rs.push([`${n} wall`, e5[n].wallMs / e[n].wallMs], [`${n} peak`, e5[n].peakMB / e[n].peakMB]);
    if (c5["yardstick-csv"] && ys) rs.push(["eval first", c5["yardstick-csv"].evalMs / ys.evalMs], ["eval warm", c5["yardstick-csv"].warmMs / ys.warmMs]);
    if (rs.length) bar(rs.every(([, r]) => r <= 5.5), `5M at most 5.5x 1M, wall time and peak memory (${rs.map(([n, r]) => `${n} ${r.toFixed(2)}x`).join(", ")})`);
    const cs = [];
    for (const n of ["e2e-yardstick-csv", "e2e-yardstick-parquet"]) if (e5[n] && e[n]) cs.push([`${n}`, e5[n].cpuMs / e[n].cpuMs]);
    if (c5["yardstick-csv"] && ys) cs.push(["eval first", c5["yardstick-csv"].evalCpuMs / ys.evalCpuMs], ["eval warm", c5["yardstick-csv"].warmCpuMs / ys.warmCpuMs]);
    if (cs.length) bar(cs.every(([, r]) => r <= 5.5), `5M at most 5.5x 1M, CPU time (${cs.map(([n, r]) => `${n} ${r.toFixed(2)}x`).join(", ")})`);
  }
}

export async function runEngineBench(argv = []) {
  const o = parseArgs(argv);
  console.log(`Engine benchmark: six KPIs (bench/engine.kpi, zone ${ZONE}); Node ${process.version}; ${o.runs} run(s) each, ${o.warm} warm evaluation(s) per run.`);
  const all = [];
  for (const rows of o.rows) all.push(await benchRows(rows, o));
  printBars(all);
  if (o.json) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(o.json, JSON.stringify(all, (k, v) => (k === "results" ? undefined : v), 2));
  }
  return all;
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === "--child" || process.argv[2] === "--e2e") await child(process.argv.slice(2));
  else if (process.argv[2] === "--bars") {
    // The bars from summaries saved with --json (e.g. a 1M and a 5M run made separately).
    const { readFileSync } = await import("node:fs");
    printBars(process.argv[3].split(",").flatMap((f) => JSON.parse(readFileSync(f, "utf8"))));
  } else await runEngineBench(process.argv.slice(2));
}
