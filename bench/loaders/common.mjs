// Shared runner of the loader benchmarks: each contender runs in a fresh process (so its peak
// memory and its warm-up are its own); the table gives medians of wall and CPU time.
import { spawnSync } from "node:child_process";

/** Columns the six benchmark KPIs read (no ticket_id): the projection a query engine would load. */
export const KPI_COLUMNS = ["customer_id", "segment", "channel", "opened_at", "resolved_at", "first_contact", "nps", "csat", "spend", "perceived_value"];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Measures `body` in this process and prints one JSON line (called in the child). */
export async function measure(name, body) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const count = await body();
  const cpu = process.cpuUsage(c0);
  console.log(JSON.stringify({ name, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, count, peakMB: process.resourceUsage().maxRSS / 1024 }));
}

/** Runs `script --run name ...args` per contender, `runs` times each, and prints a markdown table. */
export function compare(script, contenders, runs, args, rows, base = "yardstick") {
  const results = [];
  for (const name of contenders) {
    const ms = [], cpu = [], mb = [];
    for (let i = 0; i < runs; i++) {
      const out = spawnSync(process.execPath, [script, "--run", name, ...args], { encoding: "utf8", maxBuffer: 1 << 24 });
      if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
      const r = JSON.parse(out.stdout.trim().split("\n").pop());
      if (r.count !== rows) throw new Error(`${name} read ${r.count} rows, not ${rows}`);
      ms.push(r.ms);
      cpu.push(r.cpuMs);
      mb.push(r.peakMB);
    }
    results.push({ name, ms: median(ms), cpu: median(cpu), mb: median(mb), all: ms });
  }
  const ref = results.find((r) => r.name === base) ?? results[0];
  console.log("| contender | load (ms) | CPU (ms) | vs " + ref.name + " | peak RSS (MB) | runs (ms) |\n| --- | ---: | ---: | ---: | ---: | --- |");
  for (const r of results) {
    console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${r.cpu.toFixed(0)} | ${(r.ms / ref.ms).toFixed(2)}x | ${r.mb.toFixed(0)} | ${r.all.map((x) => x.toFixed(0)).join(", ")} |`);
  }
  return results;
}
