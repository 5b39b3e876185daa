// Preloaded (`node --import`) into every end-to-end process: on exit, writes the process's CPU time
// (user + system, all threads), peak RSS and uptime to stderr as one `@@probe {...}` line.
import { writeSync } from "node:fs";

process.on("exit", () => {
  const c = process.cpuUsage();
  const probe = { cpuMs: (c.user + c.system) / 1000, peakMB: process.resourceUsage().maxRSS / 1024, uptimeMs: performance.now() };
  writeSync(2, `\n@@probe ${JSON.stringify(probe)}\n`);
});
