// Regenerates grammar/ from the built language package: `npm run grammar`.
//   productions.json     the parser's serialized grammar (chevrotain GAST)
//   railroad.html        railroad diagrams of every rule (self-contained)
//   kpi.tmLanguage.json  TextMate grammar for editors and code hosts
//   README.md            the block between the generated markers (grammar reference)
// test/grammar/grammar-drift.test.ts fails when the committed files differ from what this writes.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { FUNCTIONS, KpiParser, tokens } from "@yardstick/language";
import { productionsJson, railroadHtml, readmeBlock, replaceGenerated, textMateJson, GENERATED_END, GENERATED_START } from "./lib.mjs";

const here = (name) => new URL(name, import.meta.url);
const productions = new KpiParser().getSerializedGastProductions();

const outputs = {
  "productions.json": productionsJson(productions),
  "railroad.html": await railroadHtml(productions),
  "kpi.tmLanguage.json": textMateJson({ productions, tokens, functions: FUNCTIONS }),
};

const readmePath = here("README.md");
const readme = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : `# grammar/\n\n## Grammar reference\n\n${GENERATED_START}\n${GENERATED_END}\n`;
outputs["README.md"] = replaceGenerated(readme, readmeBlock(productions, tokens));

for (const [name, text] of Object.entries(outputs)) {
  const path = here(name);
  const old = existsSync(path) ? readFileSync(path, "utf8") : null;
  if (old === text) {
    console.log(`grammar/${name}: up to date`);
  } else {
    writeFileSync(path, text);
    console.log(`grammar/${name}: ${old === null ? "written" : "updated"}`);
  }
}
