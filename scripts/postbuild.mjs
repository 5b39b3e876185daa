// The CLI entry must be executable for `npx yardstick` and the npm bin link.
import { chmodSync, existsSync } from "node:fs";

const bin = new URL("../packages/cli/dist/bin.js", import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
