import { readFileSync } from "node:fs";
const pw = await import("parquet-wasm");
const buf = new Uint8Array(readFileSync("/tmp/yardstick-bench/tickets-1000000.parquet"));
const cols = ["customer_id","segment","channel","opened_at","resolved_at","first_contact","nps","csat","spend","perceived_value"];
const mode = process.argv[2];
if (mode === "grow") { pw.wasmMemory().grow(Math.ceil(400e6 / 65536)); }
if (mode === "touch") { const t0 = performance.now(); const m = pw.wasmMemory(); m.grow(Math.ceil(140e6 / 65536)); const u = new Uint8Array(m.buffer); for (let i = 0; i < u.length; i += 4096) u[i] = 0; console.log("touch", (performance.now() - t0).toFixed(0)); }
if (mode === "warm") { const t = pw.readParquet(buf, { batchSize: 65536, limit: 1000 }); t.free(); }
for (const c of [cols, undefined]) {
  const t0 = performance.now(); const c0 = process.cpuUsage();
  const t = pw.readParquet(buf, { batchSize: 65536, columns: c });
  const cpu = process.cpuUsage(c0);
  console.log(mode, c ? "proj" : "all", (performance.now() - t0).toFixed(0), "wall", ((cpu.user + cpu.system) / 1000).toFixed(0), "cpu", (pw.wasmMemory().buffer.byteLength / 1e6).toFixed(0), "MB wasm");
  t.free();
}
