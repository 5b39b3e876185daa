// After the TypeScript build: the CLI as one file. A fresh `yardstick` process then reads one
// module instead of about 900 (chevrotain's entry alone imports ~700 files of lodash-es), which
// is most of its start-up time. parquet-wasm stays outside: it loads its .wasm file from its own
// package, and only when a file needs it. `dist/bin.js` (the unbundled entry) keeps working.
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const dist = fileURLToPath(new URL("../packages/cli/dist/", import.meta.url));
const out = `${dist}yardstick.mjs`;

await build({
  input: `${dist}bin.js`,
  platform: "node",
  external: [/^node:/, "parquet-wasm"],
  logLevel: "warn",
  output: { file: out, format: "esm", codeSplitting: false, minify: false, sourcemap: false },
});
for (const f of [out, `${dist}bin.js`]) chmodSync(f, 0o755);
