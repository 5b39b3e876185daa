// Seeded generator of the support-tickets shape used by the loader benchmarks.
// `node bench/loaders/generate.mjs [rows] [out.csv]` writes a CSV (and, with --parquet, a Parquet
// file beside it through DuckDB). The same seed always yields the same bytes.
import { createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** mulberry32: small, fast, seedable. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const HEADER = [
  "ticket_id", "customer_id", "segment", "channel", "opened_at", "resolved_at",
  "first_contact", "nps", "csat", "spend", "perceived_value",
];

/** The dataset declaration matching the generated file (a model `Dataset`). */
export function ticketsDataset(path = "tickets.csv", format = "csv") {
  const o = { file: "bench.kpi", start: 0, end: 0 };
  const col = (name, type, extra = {}) => ({
    name, type, nullable: false, key: false, time: false, perspective: null, unit: null,
    allowed: null, derived: null, origin: o, ...extra,
  });
  return {
    name: "tickets", label: null, source: { path, format }, zone: "UTC", timeColumn: "opened_at",
    keys: ["ticket_id"], onBadRows: "fail", relations: [], origin: o,
    columns: [
      col("ticket_id", "string", { key: true }),
      col("customer_id", "string"),
      col("segment", "string", { allowed: { kind: "set", values: ["smb", "mid-market", "enterprise"] } }),
      col("channel", "string", { allowed: { kind: "set", values: ["phone", "email", "chat", "portal"] } }),
      col("opened_at", "timestamp", { time: true }),
      col("resolved_at", "timestamp", { nullable: true }),
      col("first_contact", "bool"),
      col("nps", "int", { nullable: true, allowed: { kind: "range", min: 0, max: 10 } }),
      col("csat", "int", { nullable: true, allowed: { kind: "range", min: 1, max: 5 } }),
      col("spend", "number"),
      col("perceived_value", "number"),
    ],
  };
}

/** DuckDB column types of the generated file, for `read_csv(..., columns = ...)`. */
export const DUCKDB_COLUMNS =
  "{'ticket_id':'VARCHAR','customer_id':'VARCHAR','segment':'VARCHAR','channel':'VARCHAR'," +
  "'opened_at':'TIMESTAMPTZ','resolved_at':'TIMESTAMPTZ','first_contact':'BOOLEAN','nps':'INTEGER'," +
  "'csat':'INTEGER','spend':'DOUBLE','perceived_value':'DOUBLE'}";

const SEGMENTS = ["smb", "smb", "smb", "mid-market", "mid-market", "enterprise"];
const CHANNELS = ["phone", "email", "chat", "portal"];
const START = Date.UTC(2024, 0, 1);
const SPAN = 2 * 365 * 86400_000;

function iso(ms) {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}

/** Yields the CSV text in blocks of lines. */
export function* csvBlocks(rows, seed = 42) {
  const r = rng(seed);
  let out = HEADER.join(",") + "\n";
  for (let i = 0; i < rows; i++) {
    const customer = Math.floor(r() * 100_000);
    const opened = START + Math.floor(r() * SPAN / 1000) * 1000;
    const resolved = r() < 0.15 ? "" : iso(opened + Math.floor(-Math.log(1 - r()) * 30 * 3600) * 1000);
    const nps = r() < 0.7 ? "" : String(Math.floor(r() * 11));
    const csat = r() < 0.6 ? "" : String(1 + Math.floor(r() * 5));
    out += `T${String(i + 1).padStart(7, "0")},C${String(customer).padStart(6, "0")},` +
      `${SEGMENTS[Math.floor(r() * 6)]},${CHANNELS[Math.floor(r() * 4)]},${iso(opened)},${resolved},` +
      `${r() < 0.7 ? "true" : "false"},${nps},${csat},${(r() * 500).toFixed(2)},${(1 + r() * 9).toFixed(1)}\n`;
    if (out.length > 1 << 16) {
      yield out;
      out = "";
    }
  }
  if (out) yield out;
}

export async function writeCsv(rows, path, seed = 42) {
  const ws = createWriteStream(path);
  for (const block of csvBlocks(rows, seed)) {
    if (!ws.write(block)) await new Promise((res) => ws.once("drain", res));
  }
  await new Promise((res, rej) => ws.end((e) => (e ? rej(e) : res())));
}

/** Makes (once) the CSV and Parquet files of `rows` rows in `dir` (a temp folder by default); returns their paths. */
export async function ensureData(rows, dir = join(tmpdir(), "yardstick-bench")) {
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, `tickets-${rows}.csv`);
  const parquet = join(dir, `tickets-${rows}.parquet`);
  // Written under a temporary name and renamed, so an interrupted run leaves no truncated file.
  if (!existsSync(csv)) {
    await writeCsv(rows, csv + ".partial");
    renameSync(csv + ".partial", csv);
  }
  if (!existsSync(parquet)) {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    await c.run(`SET TimeZone='UTC'`);
    await c.run(`COPY (SELECT * FROM read_csv('${csv}', header=true, columns=${DUCKDB_COLUMNS})) ` +
      `TO '${parquet}.partial' (FORMAT parquet)`);
    c.closeSync?.();
    renameSync(parquet + ".partial", parquet);
  }
  return { csv, parquet };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const { csv, parquet } = await ensureData(rows);
  console.log(csv);
  console.log(parquet);
}
