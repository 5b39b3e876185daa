import { readFileSync } from "node:fs";
const f = "/tmp/yardstick-bench/tickets-1000000.parquet";
const { parquetRead } = await import("hyparquet");
const buf = readFileSync(f);
const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
const cols = ["customer_id","segment","channel","opened_at","resolved_at","first_contact","nps","csat","spend","perceived_value"];
for (let rep = 0; rep < 2; rep++) {
const t0 = performance.now();
let n = 0;
const parsers = { timestampFromMicroseconds: (m) => Number(m) / 1000 };
await parquetRead({ file: ab, columns: cols, parsers, onPage(c) { n += c.rowEnd - c.rowStart; } });
console.log("onPage", n, (performance.now() - t0).toFixed(0), "ms");
}
