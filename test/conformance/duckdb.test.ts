/**
 * Differential test: the same aggregates, filters, groupings and time buckets computed by the
 * engine and by DuckDB on seeded random data (nulls included) must agree to 1e-9 relative.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Dim, Expr } from "@yardstick/model";
import { evaluate, type ResultRow } from "@yardstick/engine";
import {
  agg, and, avg, between, bucket, call, col, count, dataset, dim, div, eq, gt, inList, isNull, kpi, lit, model, mul, ne, or, share, str, sum,
  table, tables, timeDim,
} from "../../packages/engine/src/eval/test-utils.js";

// ------------------------------------------------------------------ seeded data

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 6000;
const rand = mulberry32(20250105);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
const maybe = <T>(p: number, v: () => T): T | null => (rand() < p ? null : v());
const T0 = Date.UTC(2020, 0, 1), T1 = Date.UTC(2027, 0, 1);
const cols = { id: "int", seg: "string", channel: "string", x: "number", y: "int", flag: "bool", ts: "timestamp", d: "date" } as const;
type Row = [number, string | null, string, number | null, number | null, boolean | null, number | null, number | null];
const rows: Row[] = [];
for (let i = 0; i < N; i++) {
  rows.push([
    i,
    maybe(0.08, () => pick(["smb", "mid-market", "enterprise", "gov"])),
    pick(["phone", "email", "chat", "portal"]),
    maybe(0.1, () => Math.round(rand() * 1e6) / 1000),
    maybe(0.15, () => Math.floor(rand() * 11)),
    maybe(0.1, () => rand() < 0.4),
    maybe(0.05, () => T0 + Math.floor(rand() * (T1 - T0) / 1000) * 1000),
    maybe(0.05, () => Math.floor((T0 + rand() * (T1 - T0)) / 86_400_000) * 86_400_000),
  ]);
}
const ds = dataset("t", cols, { time: "ts", key: "id" });
const data = tables(table("t", cols, rows));

// ------------------------------------------------------------------ DuckDB

let db: DuckDBConnection;
beforeAll(async () => {
  const instance = await DuckDBInstance.create(":memory:");
  db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
  await db.run("CREATE TABLE raw (id INTEGER, seg VARCHAR, channel VARCHAR, x DOUBLE, y INTEGER, flag BOOLEAN, ts_ms DOUBLE, d_ms DOUBLE)");
  const sqlValue = (v: unknown) => (v === null ? "NULL" : typeof v === "string" ? `'${v}'` : String(v));
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows.slice(i, i + 1000).map((r) => `(${r.map(sqlValue).join(", ")})`).join(",\n");
    await db.run(`INSERT INTO raw VALUES ${values}`);
  }
  await db.run(`CREATE VIEW t AS SELECT id, seg, channel, x, y, flag,
    to_timestamp(ts_ms / 1000) AS ts, CAST(timezone('UTC', to_timestamp(d_ms / 1000)) AS DATE) AS d FROM raw`);
});
afterAll(() => db?.closeSync());

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
}

// ------------------------------------------------------------------ cases

/** An aggregate as a model expression and as SQL (an expression over table `t`, DOUBLE or NULL). */
interface Case { name: string; expr: Expr; sql: string }
const X = col("x"), Y = col("y"), FLAG = col("flag", "bool"), SEG = str("seg"), CH = str("channel");
const nz = (s: string) => `NULLIF(${s}, 0)`;
const shareSql = (cond: string, filter = "TRUE") =>
  `(count(*) FILTER (WHERE (${cond}) AND (${filter})))::DOUBLE / ${nz(`count(*) FILTER (WHERE (${cond}) IS NOT NULL AND (${filter}))`)}`;

const CASES: Case[] = [
  { name: "count", expr: count(), sql: "count(*)" },
  { name: "count_x", expr: count(X), sql: "count(x)" },
  { name: "count_flag", expr: count(null, { where: FLAG }), sql: "count(*) FILTER (WHERE flag)" },
  { name: "distinct_seg", expr: agg("count_distinct", SEG), sql: "count(DISTINCT seg)" },
  { name: "distinct_y", expr: agg("count_distinct", Y), sql: "count(DISTINCT y)" },
  { name: "distinct_seg_big", expr: agg("count_distinct", SEG, { where: gt(X, lit(500)) }), sql: "count(DISTINCT seg) FILTER (WHERE x > 500)" },
  { name: "sum_x", expr: sum(X), sql: "sum(x)" },
  { name: "sum_xy", expr: sum(mul(X, Y)), sql: "sum(x * y)" },
  { name: "sum_email", expr: sum(X, { where: eq(CH, lit("email")) }), sql: "sum(x) FILTER (WHERE channel = 'email')" },
  { name: "avg_x", expr: avg(X), sql: "avg(x)" },
  { name: "avg_mid", expr: avg(X, { where: between(Y, lit(3), lit(7)) }), sql: "avg(x) FILTER (WHERE y BETWEEN 3 AND 7)" },
  { name: "min_x", expr: agg("min", X), sql: "min(x)" },
  { name: "max_y", expr: agg("max", Y), sql: "max(y)" },
  { name: "min_ts", expr: agg("min", col("ts", "timestamp"), { type: "timestamp" }), sql: "epoch_ms(min(ts))" },
  { name: "median_x", expr: agg("median", X), sql: "quantile_cont(x, 0.5)" },
  { name: "p90_x", expr: agg("percentile", X, { p: 0.9 }), sql: "quantile_cont(x, 0.9)" },
  { name: "p10_y_phone", expr: agg("percentile", Y, { p: 0.1, where: eq(CH, lit("phone")) }), sql: "quantile_cont(y, 0.1) FILTER (WHERE channel = 'phone')" },
  { name: "stddev_x", expr: agg("stddev", X), sql: "stddev_samp(x)" },
  { name: "variance_y", expr: agg("variance", Y), sql: "var_samp(y)" },
  { name: "share_y7", expr: share(gt(Y, lit(6))), sql: shareSql("y > 6") },
  { name: "share_flag_smb", expr: share(FLAG, { where: inList(SEG, [lit("smb"), lit("enterprise")]) }), sql: shareSql("flag", "seg IN ('smb', 'enterprise')") },
  { name: "share_or", expr: share(or(gt(X, lit(900)), FLAG)), sql: shareSql("x > 900 OR flag") },
  { name: "exists_gov", expr: agg("exists", null, { where: eq(SEG, lit("gov")), type: "bool" }), sql: "CASE WHEN count(*) FILTER (WHERE seg = 'gov') > 0 THEN 1 ELSE 0 END" },
  { name: "ratio", expr: div(sum(X, { where: FLAG }), sum(Y)), sql: `sum(x) FILTER (WHERE flag) / ${nz("sum(y)")}` },
  { name: "nps", expr: mul(lit(100), div(sum(call("if", [gt(Y, lit(8)), lit(1), lit(0)])), count(Y))), sql: `100 * sum(CASE WHEN y > 8 THEN 1 ELSE 0 END) / ${nz("count(y)")}` },
  { name: "hours", expr: avg(call("hours_between", [col("ts", "timestamp"), call("now", [], "timestamp")])), sql: "avg((1767225600000 - epoch_ms(ts)) / 3600000.0)" },
];

interface Grouping { name: string; dims: Dim[]; sql: string[] }
const local = (zone: string, fmt: string, c = "ts") => `strftime(timezone('${zone}', ${c}), '${fmt}')`;
const GROUPINGS: Grouping[] = [
  { name: "none", dims: [], sql: [] },
  { name: "seg", dims: [dim("seg")], sql: ["seg"] },
  { name: "seg, channel", dims: [dim("seg"), dim("channel")], sql: ["seg", "channel"] },
  { name: "flag", dims: [dim("flag", FLAG)], sql: ["flag"] },
  { name: "month LA", dims: [timeDim("month", "ts", "America/Los_Angeles")], sql: [local("America/Los_Angeles", "%Y-%m")] },
  { name: "day UTC", dims: [timeDim("day", "ts", "UTC")], sql: [local("UTC", "%Y-%m-%d")] },
  { name: "week Berlin", dims: [timeDim("week", "ts", "Europe/Berlin")], sql: [local("Europe/Berlin", "%G-W%V")] },
  { name: "quarter Sydney, channel", dims: [timeDim("quarter", "ts", "Australia/Sydney"), dim("channel")], sql: [`${local("Australia/Sydney", "%Y")} || '-Q' || CAST(quarter(timezone('Australia/Sydney', ts)) AS VARCHAR)`, "channel"] },
  { name: "year Kolkata", dims: [timeDim("year", "ts", "Asia/Kolkata")], sql: [local("Asia/Kolkata", "%Y")] },
  { name: "week of date", dims: [dim("week", bucket("week", col("d", "date"), "America/New_York"))], sql: ["strftime(d, '%G-W%V')"] },
  { name: "month of date, seg", dims: [dim("month", bucket("month", col("d", "date"))), dim("seg")], sql: ["strftime(d, '%Y-%m')", "seg"] },
];

const FILTERS: Array<{ name: string; where: Expr | null; sql: string }> = [
  { name: "all rows", where: null, sql: "TRUE" },
  { name: "filtered", where: and(isNull(Y, true), ne(CH, lit("chat"))), sql: "y IS NOT NULL AND channel <> 'chat'" },
];

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-9;
}

const AS_OF = "2026-01-01T00:00:00Z";

describe("engine = DuckDB", () => {
  for (const f of FILTERS) {
    for (const g of GROUPINGS) {
      it(`${CASES.length} aggregates by ${g.name}, ${f.name}`, async () => {
        const m = model([ds], CASES.map((c) => kpi(c.name, c.expr, { from: "t", by: g.dims, ...(f.where ? { where: f.where } : {}) })));
        const result = evaluate(m, data, { asOf: AS_OF });
        expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const keys = g.sql.map((_, i) => `g${i}`);
        const select = [...g.sql.map((s, i) => `${s} AS g${i}`), "count(*)::DOUBLE AS n", ...CASES.map((c) => `(${c.sql})::DOUBLE AS "${c.name}"`)];
        const sql = `SELECT ${select.join(", ")} FROM t WHERE ${f.sql}${keys.length ? ` GROUP BY ${keys.join(", ")}` : ""}`;
        const expected = await query(sql);
        const byKey = new Map<string, ResultRow[]>();
        for (const r of result.results) {
          const k = JSON.stringify(g.dims.map((d) => r.group[d.name]));
          byKey.set(k, [...(byKey.get(k) ?? []), r]);
        }
        expect(byKey.size).toBe(expected.length);
        let compared = 0;
        for (const e of expected) {
          const k = JSON.stringify(keys.map((kk) => e[kk] ?? null));
          const got = byKey.get(k);
          expect(got, `group ${k}`).toBeDefined();
          for (const c of CASES) {
            const row = got!.find((r) => r.kpi === c.name)!;
            const want = e[c.name] as number | null;
            if (!close(row.value, want)) expect.fail(`${c.name} for ${k}: engine ${row.value} (${row.reason ?? ""}), DuckDB ${want}`);
            compared++;
          }
          expect(got![0]!.n).toBe(e.n);
        }
        expect(compared).toBe(expected.length * CASES.length);
      });
    }
  }

  it("per nesting: avg of per-channel sums, by segment", async () => {
    const m = model([ds], [kpi("k", avg(sum(X), { per: [dim("channel")] }), { from: "t", by: [dim("seg")] })]);
    const got = evaluate(m, data).results.map((r) => [r.group.seg, r.value]);
    const want = (await query("SELECT seg, avg(s)::DOUBLE AS v FROM (SELECT seg, channel, sum(x) AS s FROM t GROUP BY seg, channel) GROUP BY seg ORDER BY seg NULLS LAST")).map((r) => [r.seg, r.v]);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => { expect(g[0]).toBe(want[i]![0]); expect(close(g[1] as number, want[i]![1] as number)).toBe(true); });
  });

  it("per a time bucket: average daily distinct segments by month (Los Angeles)", async () => {
    const perDay = [timeDim("day", "ts", "America/Los_Angeles")];
    const m = model([ds], [kpi("k", avg(agg("count_distinct", SEG), { per: perDay }), { from: "t", by: [timeDim("month", "ts", "America/Los_Angeles")] })]);
    const got = evaluate(m, data).results.map((r) => [r.group.month, r.value]);
    const want = (await query(`SELECT m, avg(c)::DOUBLE AS v FROM (SELECT ${local("America/Los_Angeles", "%Y-%m")} AS m, ${local("America/Los_Angeles", "%Y-%m-%d")} AS dd, count(DISTINCT seg) AS c FROM t GROUP BY m, dd) GROUP BY m ORDER BY m NULLS LAST`)).map((r) => [r.m, r.v]);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => { expect(g[0]).toBe(want[i]![0]); expect(close(g[1] as number, want[i]![1] as number)).toBe(true); });
  });
});
