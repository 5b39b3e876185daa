import { readFileSync } from "node:fs";
const f = "/tmp/yardstick-bench/tickets-1000000.parquet";
const { parquetRead } = await import("hyparquet");
const { compressors } = await import("hyparquet-compressors");
const buf = readFileSync(f);
const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
const t0 = performance.now();
let n = 0; const times = {};
const parsers = { timestampFromMicroseconds: (m) => Number(m) / 1000 };
if (process.argv[2] === "noutf8") parsers.stringFromBytes = (b) => b;
await parquetRead({ file: ab, compressors: process.argv[3] ? compressors : undefined,
  parsers,
  onChunk(c) { n += c.rowEnd - c.rowStart; } });
console.log(n, (performance.now() - t0).toFixed(0), "ms");
