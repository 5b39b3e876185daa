import { it } from "vitest";
import { readFileSync } from "node:fs";
import { kpiToYaml } from "./convert.js";
import { parseDocument, Parser } from "yaml";
import { toPlain } from "./plain.js";
import { validateYaml } from "./validate.js";
import { parseYaml } from "./parse-yaml.js";

it("perf", () => {
  const text = readFileSync("examples/kpi-vectors/vectors.test.kpi", "utf8");
  const y = kpiToYaml(text).text;
  for (let round = 0; round < 5; round++) {
    let t = performance.now();
    const doc = parseDocument(y, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
    const a = performance.now() - t; t = performance.now();
    [...new Parser().parse(y)];
    const b = performance.now() - t; t = performance.now();
    const { value, index } = toPlain(doc);
    const c = performance.now() - t; t = performance.now();
    validateYaml(value, index, y, "x");
    const d = performance.now() - t; t = performance.now();
    parseYaml(y);
    const e = performance.now() - t;
    if (round >= 3) console.log(`doc ${a.toFixed(1)} cst ${b.toFixed(1)} plain ${c.toFixed(1)} zod ${d.toFixed(1)} total ${e.toFixed(1)}`);
  }
});
