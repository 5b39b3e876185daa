// Runs the whole test suite and prints the closing line `N passed, N failed`, computed from
// vitest's JSON report (vitest's own summary is for people, this line is for CI).
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const report = ".vitest.json";
rmSync(report, { force: true });
const args = ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile=${report}`, ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { stdio: "inherit" });

let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
} catch {
  console.error("The test run produced no report.");
  failed = Math.max(failed, 1);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
