// Temporary exploration harness (removed before hand-off).
import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, parse, printAst, printModel, printDiagnostics } from '@yardstick/language';
it.skipIf(!process.env.EXPLORE)('explore', () => {
  const text = readFileSync(process.env.EXPLORE!, 'utf8');
  const r = compile([{ path: 'main.kpi', text }], process.env.LINT ? { lint: { perspective: true } } : {});
  if (process.env.AST) console.log(printAst(parse(text, 'main.kpi').ast));
  if (!process.env.NOMODEL) console.log(printModel(r.model));
  console.log(printDiagnostics(r.diagnostics, text));
});
