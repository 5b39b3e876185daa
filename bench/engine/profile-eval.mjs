// Profiling helper: load the tickets once, then evaluate the six KPIs `n` times, printing each
// evaluation's wall and CPU time. Run under `node --cpu-prof` to see where evaluation goes.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/engine/profile-eval.mjs bench/data/tickets-1000000.csv [n]
import { runYardstick } from "./tools.mjs";

const [path, n = "5"] = process.argv.slice(2);
const r = await runYardstick(path, Number(n) - 1);
console.log(`load ${r.loadMs.toFixed(0)} ms (CPU ${r.loadCpuMs.toFixed(0)}); evals ${r.evals.map((e) => `${e.ms.toFixed(1)}/${e.cpuMs.toFixed(1)}`).join(", ")} ms wall/CPU; peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
