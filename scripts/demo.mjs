// `npm run demo`: check every example suite, then evaluate each one with statuses.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";

const bin = "packages/cli/dist/yardstick.mjs";
const run = (args) => {
  console.log(`\n$ yardstick ${args.join(" ")}`);
  const r = spawnSync(process.execPath, [bin, ...args], { stdio: "inherit", env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } });
  return r.status ?? 1;
};

let failed = run(["check", "examples"]) !== 0;
const suites = readdirSync("examples").filter((d) => statSync(`examples/${d}`).isDirectory() && d !== "kpi-vectors").sort();
for (const suite of suites) {
  if (run(["eval", `examples/${suite}`, "--by", "quarter"]) !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
