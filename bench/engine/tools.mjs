// The contenders of the engine benchmark. Each `run*` function runs inside its own child process
// (see ../engine.mjs) and returns { loadMs, loadCpuMs, evals: [{ ms, cpuMs }], results }, where
// results = { kpi: { groupKey: value } } and groupKey joins the group's values with "|" in the
// order of the KPI's `by` ("" for an ungrouped KPI).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { handLoop } from "./hand-loop.mjs";

export const ZONE = "Europe/Berlin";
export const SPEC = join(dirname(fileURLToPath(import.meta.url)), "..", "engine.kpi");
export const KPIS = ["overall_nps", "nps_by_segment_month", "fcr_by_channel", "resolution_hours_by_segment", "active_customers_by_month", "value_for_money_by_segment"];
/** Columns the six KPIs read (what DuckDB loads; Yardstick derives its projection from the spec). */
export const KPI_COLUMNS = ["customer_id", "segment", "channel", "opened_at", "resolved_at", "first_contact", "nps", "spend", "perceived_value"];

const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };

/** Times `f` (wall and CPU of this process, all threads). */
export async function timed(f) {
  const t0 = performance.now(), c0 = cpu();
  const value = await f();
  return { value, ms: performance.now() - t0, cpuMs: cpu() - c0 };
}

/** Yardstick's result rows as { kpi: { groupKey: value } }. */
export function yardstickResults(rows) {
  const out = {};
  for (const r of rows) (out[r.kpi] ??= {})[Object.values(r.group).join("|")] = r.value;
  return out;
}

// ---------- Yardstick through the library API ----------

export async function runYardstick(path, warm) {
  const { compile } = await import("@yardstick/language");
  const engine = await import("@yardstick/engine");
  const { loadModelData } = await import("@yardstick/engine/node");
  const compiled = compile([{ path: SPEC, text: readFileSync(SPEC, "utf8") }]);
  const model = compiled.model;
  // The projection `yardstick eval` uses (only the columns the KPIs read), when the engine has it.
  const columns = engine.loadProjection ? engine.loadProjection(model, [engine.plan(model, {})]).columns : undefined;
  const load = await timed(() => loadModelData(model, { overrides: new Map([["tickets", path]]), progress: false, columns }));
  const bad = load.value.diagnostics.filter((d) => d.severity === "error");
  if (bad.length) throw new Error(JSON.stringify(bad.slice(0, 3)));
  const tables = load.value.tables;
  const evals = [];
  let results = null;
  for (let k = 0; k <= warm; k++) {
    const r = await timed(() => engine.evaluate(model, tables, {}));
    if (r.value.diagnostics.some((d) => d.severity === "error")) throw new Error(JSON.stringify(r.value.diagnostics.slice(0, 3)));
    evals.push({ ms: r.ms, cpuMs: r.cpuMs });
    results ??= yardstickResults(r.value.results);
  }
  return { loadMs: load.ms, loadCpuMs: load.cpuMs, evals, results };
}

// ---------- hand-written loop over Yardstick's loaded columns ----------

export async function runHandLoop(path, warm) {
  const { loadDatasetFile } = await import("@yardstick/engine/node");
  const { ticketsDataset } = await import("../loaders/generate.mjs");
  const format = path.endsWith(".parquet") ? "parquet" : "csv";
  const ds = { ...ticketsDataset(path, format), zone: ZONE };
  const load = await timed(() => loadDatasetFile(ds, path, { progress: false, columns: KPI_COLUMNS }));
  if (!load.value.table) throw new Error(JSON.stringify(load.value.diagnostics.slice(0, 3)));
  const evals = [];
  let results = null;
  for (let k = 0; k <= warm; k++) {
    const r = await timed(() => handLoop(load.value.table, ZONE));
    evals.push({ ms: r.ms, cpuMs: r.cpuMs });
    results ??= r.value;
  }
  return { loadMs: load.ms, loadCpuMs: load.cpuMs, evals, results };
}

// ---------- DuckDB ----------

const share = (cond) => `count(*) FILTER (WHERE ${cond})::DOUBLE / count(*)`;
const NPS = `100 * (${share("nps >= 9")} - ${share("nps <= 6")})`;
const MONTH = `strftime(timezone('${ZONE}', date_trunc('month', opened_at)), '%Y-%m')`;

/** The six KPIs in SQL over table `t` (session time zone = ZONE, so date_trunc works in local time). */
export const SQL = {
  overall_nps: `SELECT '' AS k, ${NPS} AS v FROM t WHERE nps IS NOT NULL`,
  nps_by_segment_month: `SELECT segment || '|' || ${MONTH} AS k, ${NPS} AS v FROM t WHERE nps IS NOT NULL GROUP BY segment, date_trunc('month', opened_at)`,
  fcr_by_channel: `SELECT channel AS k, count(*) FILTER (WHERE first_contact)::DOUBLE / count(first_contact) AS v FROM t WHERE resolved_at IS NOT NULL GROUP BY channel`,
  resolution_hours_by_segment: `SELECT segment AS k, quantile_cont((epoch_ms(resolved_at) - epoch_ms(opened_at)) / 3600000.0, 0.5) AS v FROM t WHERE resolved_at IS NOT NULL GROUP BY segment`,
  active_customers_by_month: `SELECT ${MONTH} AS k, count(DISTINCT customer_id)::DOUBLE AS v FROM t GROUP BY date_trunc('month', opened_at)`,
  value_for_money_by_segment: `SELECT segment AS k, sum(perceived_value) / sum(spend) AS v FROM t GROUP BY segment`,
};

export async function duckdbSession(threads) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  if (threads === 1) await c.run("SET threads = 1");
  await c.run(`SET TimeZone = '${ZONE}'`);
  return c;
}

export function duckdbSource(path) {
  if (path.endsWith(".parquet")) return `read_parquet('${path}')`;
  const types = "{'ticket_id':'VARCHAR','customer_id':'VARCHAR','segment':'VARCHAR','channel':'VARCHAR','opened_at':'TIMESTAMPTZ'," +
    "'resolved_at':'TIMESTAMPTZ','first_contact':'BOOLEAN','nps':'INTEGER','csat':'INTEGER','spend':'DOUBLE','perceived_value':'DOUBLE'}";
  return `read_csv('${path}', header = true, columns = ${types})`;
}

export async function duckdbLoad(c, path) {
  await c.run(`CREATE TABLE t AS SELECT ${KPI_COLUMNS.join(", ")} FROM ${duckdbSource(path)}`);
}

export async function duckdbKpis(c) {
  const out = {};
  for (const k of KPIS) {
    const rows = (await c.runAndReadAll(SQL[k])).getRows();
    out[k] = Object.fromEntries(rows.map(([key, v]) => [key, v === null ? null : Number(v)]));
  }
  return out;
}

export async function runDuckdb(path, warm, threads) {
  const c = await duckdbSession(threads);
  const load = await timed(() => duckdbLoad(c, path));
  const evals = [];
  let results = null;
  for (let k = 0; k <= warm; k++) {
    const r = await timed(() => duckdbKpis(c));
    evals.push({ ms: r.ms, cpuMs: r.cpuMs });
    results ??= r.value;
  }
  return { loadMs: load.ms, loadCpuMs: load.cpuMs, evals, results };
}

// ---------- Arquero (runs with TZ=Europe/Berlin, so its local-time date functions are Berlin's) ----------

export async function runArquero(path, warm) {
  const aq = await import("arquero");
  const { op } = aq;
  if (path.endsWith(".parquet")) throw new Error("Arquero reads CSV here");
  const num = (s) => (s === "" ? null : +s);
  const load = await timed(() => aq.loadCSV(path, {
    autoType: false,
    parse: {
      opened_at: (s) => Date.parse(s), resolved_at: (s) => (s === "" ? null : Date.parse(s)), first_contact: (s) => s === "true",
      nps: num, csat: num, spend: num, perceived_value: num,
    },
  }));
  const t = load.value;
  const kpis = () => {
    const tm = t.derive({ month: (d) => op.year(d.opened_at) * 12 + op.month(d.opened_at) });
    const rated = tm.filter((d) => d.nps != null);
    const npsAgg = { p: (d) => op.sum(d.nps >= 9 ? 1 : 0), q: (d) => op.sum(d.nps <= 6 ? 1 : 0), n: op.count() };
    const resolved = tm.filter((d) => d.resolved_at != null);
    return {
      overall: rated.rollup(npsAgg).objects(),
      bySegMonth: rated.groupby("segment", "month").rollup(npsAgg).objects(),
      fcr: resolved.groupby("channel").rollup({ f: (d) => op.sum(d.first_contact ? 1 : 0), n: (d) => op.valid(d.first_contact) }).objects(),
      hours: resolved.derive({ h: (d) => (d.resolved_at - d.opened_at) / 3600000 }).groupby("segment").rollup({ v: (d) => op.median(d.h) }).objects(),
      active: tm.groupby("month").rollup({ v: (d) => op.distinct(d.customer_id) }).objects(),
      value: t.groupby("segment").rollup({ a: (d) => op.sum(d.perceived_value), b: (d) => op.sum(d.spend) }).objects(),
    };
  };
  const label = (m) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
  const nps = (r) => 100 * (r.p / r.n - r.q / r.n);
  const evals = [];
  let results = null;
  for (let k = 0; k <= warm; k++) {
    const r = await timed(kpis);
    evals.push({ ms: r.ms, cpuMs: r.cpuMs });
    const x = r.value;
    results ??= {
      overall_nps: { "": nps(x.overall[0]) },
      nps_by_segment_month: Object.fromEntries(x.bySegMonth.map((r) => [`${r.segment}|${label(r.month)}`, nps(r)])),
      fcr_by_channel: Object.fromEntries(x.fcr.map((r) => [r.channel, r.f / r.n])),
      resolution_hours_by_segment: Object.fromEntries(x.hours.map((r) => [r.segment, r.v])),
      active_customers_by_month: Object.fromEntries(x.active.map((r) => [label(r.month), r.v])),
      value_for_money_by_segment: Object.fromEntries(x.value.map((r) => [r.segment, r.a / r.b])),
    };
  }
  return { loadMs: load.ms, loadCpuMs: load.cpuMs, evals, results };
}

// ---------- agreement ----------

/** Per KPI: do `a` and `b` have the same groups, with values equal to `tol` relative? */
export function agree(a, b, tol = 1e-9) {
  const out = {};
  for (const k of KPIS) {
    const x = a?.[k], y = b?.[k];
    if (!x || !y) { out[k] = { ok: false, why: "missing" }; continue; }
    const kx = Object.keys(x).sort(), ky = Object.keys(y).sort();
    if (kx.length !== ky.length || kx.some((g, i) => g !== ky[i])) { out[k] = { ok: false, why: `groups differ (${kx.length} vs ${ky.length})` }; continue; }
    let worst = 0;
    let ok = true;
    for (const g of kx) {
      const u = x[g], v = y[g];
      if (u === null || v === null) { if (u !== v) ok = false; continue; }
      const rel = Math.abs(u - v) / Math.max(Math.abs(u), Math.abs(v), 1e-300);
      if (u !== v) worst = Math.max(worst, rel);
      if (!(rel <= tol)) ok = false;
    }
    out[k] = { ok, worst, groups: kx.length };
  }
  return out;
}
