import { open } from "node:fs/promises";
import { statSync } from "node:fs";
import { CsvLoader } from "../../packages/engine/dist/load/csv.js";
import { ticketsDataset } from "./generate.mjs";
const f = "/tmp/yardstick-bench/tickets-1000000.csv";
const t0 = performance.now();
const loader = new CsvLoader(ticketsDataset(), { file: f, sizeHint: statSync(f).size });
const CH = 1 << 20;
const fh = await open(f); const bufs = [new Uint8Array(CH), new Uint8Array(CH)]; let i = 0;
let pending = fh.read(bufs[0], 0, CH, null);
for (;;) { const { bytesRead } = await pending; if (!bytesRead) break; const cur = bufs[i]; i ^= 1; pending = fh.read(bufs[i], 0, CH, null); loader.push(cur.subarray(0, bytesRead)); }
await fh.close();
const r = loader.finish();
console.log((performance.now() - t0).toFixed(0), "ms", r.table.rowCount, (process.resourceUsage().maxRSS / 1024).toFixed(0), "MB");
