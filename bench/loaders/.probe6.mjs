import { loadDatasetFile } from "../../packages/engine/dist/node/index.js";
import { ticketsDataset } from "./generate.mjs";
const f = process.argv[2];
const t0 = performance.now();
const r = await loadDatasetFile(ticketsDataset(), f);
console.log((performance.now() - t0).toFixed(0), "ms", r.table?.rowCount, r.diagnostics.slice(0, 3), (process.resourceUsage().maxRSS / 1024).toFixed(0), "MB");
if (r.table) for (const [k, c] of r.table.columns) console.log(k, c.type, c.values?.[1] ?? c.dict?.[c.codes[1]], c.dict?.length, c.nulls ? c.nulls.reduce((a, b) => a + b, 0) : 0);
