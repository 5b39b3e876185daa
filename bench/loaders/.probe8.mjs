import { loadDatasetFile } from "../../packages/engine/dist/node/index.js";
import { ticketsDataset } from "./generate.mjs";
const f = process.argv[2];
const cols = process.argv[3] ? process.argv[3].split(",") : undefined;
const t0 = performance.now(); const c0 = process.cpuUsage();
const r = await loadDatasetFile(ticketsDataset(), f, { columns: cols });
const cpu = process.cpuUsage(c0);
console.log((performance.now() - t0).toFixed(0), "ms wall", ((cpu.user + cpu.system) / 1000).toFixed(0), "ms cpu", r.table?.rowCount, (process.resourceUsage().maxRSS / 1024).toFixed(0), "MB");
