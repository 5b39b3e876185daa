import { loadDatasetFile } from "../../packages/engine/dist/node/index.js";
import { ticketsDataset } from "./generate.mjs";
const f = "/tmp/yardstick-bench/tickets-1000000.csv";
const drop = process.argv[2] ? process.argv[2].split(",") : [];
const ds = ticketsDataset(); ds.columns = ds.columns.filter((c) => !drop.includes(c.name));
const times = [];
for (let i = 0; i < 4; i++) { const t0 = performance.now(); const r = await loadDatasetFile(ds, f); times.push(performance.now() - t0); if (!r.table) throw 1; }
console.log(drop.join(",") || "all", times.map((t) => t.toFixed(0)).join(" "));
