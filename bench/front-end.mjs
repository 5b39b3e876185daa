// Front-end speed: parse + check of a generated spec. Prints MB/s for a 10,000-line spec and the
// time to re-check a 500-line spec (what an editor does on every keystroke).
import { compile, kpiToYaml, parse } from "@yardstick/language";
import { parseDocument } from "yaml";

/** A spec of about `lines` lines: datasets with relations, KPIs of every shape, rules and tests. */
export function generateSpec(lines) {
  const out = ["yardstick 1", ""];
  out.push(
    'dataset customers from "customers.csv" {',
    "  customer_id: string key",
    '  segment: string in ("smb", "mid-market", "enterprise")',
    "  signed_up_at: timestamp time",
    "  first_value_at: timestamp?",
    "}",
    "",
  );
  let i = 0;
  while (out.length < lines) {
    const d = `surveys_${i}`;
    out.push(
      `dataset ${d} from "surveys-${i}.csv" {`,
      "  customer_id: string -> customers",
      "  answered_at: timestamp time",
      "  recommend: int? in 0..10 @customer",
      "  satisfaction: int? in 1..5 @customer",
      "  spend: number? unit USD @company",
      "  let spend_k = spend / 1000",
      "}",
      "",
      `kpi nps_${i} "Net Promoter Score ${i}" {`,
      '  description "Promoters minus detractors."',
      `  from ${d} where recommend is not null and customer.segment != "smb"`,
      "  value 100 * (share(recommend >= 9) - share(recommend <= 6))",
      "  by customer.segment, month",
      "  unit points",
      "  min samples 30",
      '  target >= 30 when customer.segment = "enterprise" else >= 20',
      "}",
      "",
      `kpi csat_${i} {`,
      `  from ${d} where satisfaction is not null`,
      "  value share(satisfaction >= 4)",
      "  format percent",
      "  status {",
      "    good when value >= 0.8",
      "    fair when value >= 0.6",
      "    poor otherwise",
      "  }",
      "}",
      "",
      `kpi value_${i} {`,
      `  from ${d}`,
      "  value sum(satisfaction) / sum(spend_k where spend > 0)",
      "}",
      "",
      `kpi combined_${i} {`,
      `  value nps_${i} / 100 + csat_${i}`,
      "}",
      "",
      `rule nps_${i}_falling {`,
      `  when change(nps_${i}) <= -10 for 2 periods`,
      `  recover when change(nps_${i}) > -5`,
      "  severity warning",
      `  message "NPS fell {change(nps_${i})} points to {nps_${i}}"`,
      "}",
      "",
    );
    i++;
  }
  return out.join("\n") + "\n";
}

/** CPU time of the process (all threads, the garbage collector's included) in milliseconds. */
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function runFrontEndBench({ quiet = false } = {}) {
  const big = generateSpec(10_000);
  const small = generateSpec(500);
  // Warm up: build the parser, JIT the hot paths.
  for (let k = 0; k < 3; k++) compile([{ path: "warm.kpi", text: small }]);
  const parseTimes = [];
  const bigTimes = [];
  for (let k = 0; k < 5; k++) {
    let t = performance.now();
    parse(big, "big.kpi");
    parseTimes.push(performance.now() - t);
    t = performance.now();
    const r = compile([{ path: "big.kpi", text: big }], { validate: true });
    bigTimes.push(performance.now() - t);
    if (r.diagnostics.some((d) => d.severity === "error")) throw new Error(`generated spec has errors: ${r.diagnostics[0].message}`);
  }
  const bigFast = [];
  // CPU time is steadier than wall time on a machine shared with other work.
  const bigFastCpu = [];
  // Fifteen runs: whether a young-generation collection falls inside a run (and what it has to
  // move) changes a run's time by a factor of two to three, so five runs give an unsteady median.
  for (let k = 0; k < 15; k++) {
    const c = cpuMs();
    const t = performance.now();
    compile([{ path: "big.kpi", text: big }]);
    bigFast.push(performance.now() - t);
    bigFastCpu.push(cpuMs() - c);
  }
  const smallTimes = [];
  const smallFast = [];
  for (let k = 0; k < 30; k++) {
    let t = performance.now();
    compile([{ path: "small.kpi", text: small }], { validate: true });
    smallTimes.push(performance.now() - t);
    t = performance.now();
    compile([{ path: "small.kpi", text: small }]);
    smallFast.push(performance.now() - t);
  }
  // The same spec in the YAML surface: the `yaml` library reads the document, then the reader
  // turns it into the same syntax tree.
  const yaml = kpiToYaml(big, "big.kpi").text;
  for (let k = 0; k < 2; k++) compile([{ path: "big.kpi.yaml", text: yaml }]);
  const yamlTimes = [];
  const yamlLibTimes = [];
  for (let k = 0; k < 5; k++) {
    let t = performance.now();
    compile([{ path: "big.kpi.yaml", text: yaml }]);
    yamlTimes.push(performance.now() - t);
    t = performance.now();
    parseDocument(yaml, { keepSourceTokens: true });
    yamlLibTimes.push(performance.now() - t);
  }
  const mb = Buffer.byteLength(big) / 1e6;
  const res = {
    bigLines: big.split("\n").length,
    bigMB: mb,
    parseMs: median(parseTimes),
    compileMs: median(bigTimes),
    mbPerSec: mb / (median(bigTimes) / 1000),
    smallLines: small.split("\n").length,
    smallMs: median(smallTimes),
    compileNoValidateMs: median(bigFast),
    compileNoValidateRange: [Math.min(...bigFast), Math.max(...bigFast)],
    compileNoValidateCpuMs: median(bigFastCpu),
    mbPerSecNoValidate: mb / (median(bigFast) / 1000),
    smallNoValidateMs: median(smallFast),
    yamlMB: Buffer.byteLength(yaml) / 1e6,
    yamlMs: median(yamlTimes),
    yamlLibraryMs: median(yamlLibTimes),
  };
  if (!quiet) {
    console.log("Front end (parse + check + lower), medians:");
    console.log(`  ${res.bigLines} lines, ${res.bigMB.toFixed(2)} MB: parse ${res.parseMs.toFixed(1)} ms, parse+check ${res.compileNoValidateMs.toFixed(1)} ms = ${res.mbPerSecNoValidate.toFixed(2)} MB/s (goal >= 5 MB/s); runs ${res.compileNoValidateRange.map((x) => x.toFixed(0)).join("–")} ms; CPU ${res.compileNoValidateCpuMs.toFixed(1)} ms`);
    console.log(`  with zod validation of the model (test suite): ${res.compileMs.toFixed(1)} ms = ${res.mbPerSec.toFixed(2)} MB/s`);
    console.log(`  the same spec as .kpi.yaml (${res.yamlMB.toFixed(2)} MB): ${res.yamlMs.toFixed(1)} ms = ${(res.yamlMB / (res.yamlMs / 1000)).toFixed(2)} MB/s, of which the yaml library's parseDocument ${res.yamlLibraryMs.toFixed(1)} ms`);
    console.log(`  ${res.smallLines}-line spec re-checked in ${res.smallNoValidateMs.toFixed(2)} ms (goal < 20 ms), ${res.smallMs.toFixed(2)} ms with validation`);
  }
  return res;
}

/**
 * `--loop`: 60 compiles of the 10,000-line spec in a row, as an editor recompiling a file; prints
 * the mean time, garbage-collection time and page faults per compile (see bench/README.md).
 */
export async function runCompileLoop(runs = 60) {
  const { PerformanceObserver } = await import("node:perf_hooks");
  const big = generateSpec(10_000);
  let gcMs = 0;
  let gcCount = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      gcCount++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  for (let k = 0; k < 5; k++) compile([{ path: "big.kpi", text: big }]);
  await new Promise((r) => setTimeout(r, 10));
  gcMs = 0;
  gcCount = 0;
  const faults = process.resourceUsage().minorPageFault;
  const t = performance.now();
  for (let k = 0; k < runs; k++) compile([{ path: "big.kpi", text: big }]);
  const ms = (performance.now() - t) / runs;
  const pageFaults = (process.resourceUsage().minorPageFault - faults) / runs;
  // GC entries arrive asynchronously.
  await new Promise((r) => setTimeout(r, 10));
  observer.disconnect();
  console.log(`${runs} compiles in a row: ${ms.toFixed(1)} ms per compile, of which GC ${(gcMs / runs).toFixed(1)} ms (${(gcCount / runs).toFixed(2)} collections), ${pageFaults.toFixed(0)} page faults`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--loop")) await runCompileLoop();
  else runFrontEndBench();
}
