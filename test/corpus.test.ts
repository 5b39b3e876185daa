/**
 * The golden corpus: every case in test/cases/** runs through parse → check → lower and is
 * compared with compact text snapshots beside it (`<name>.ast.txt`, `<name>.model.txt`,
 * `<name>.diagnostics.txt`). Run with UPDATE_SNAPSHOTS=1 to (re)write them, then review the diff
 * by eye: a snapshot that records a wrong result is worse than none.
 *
 * A case is a `.kpi` file, or a folder with a `main.kpi` entry (multi-file cases: imports).
 * Directives in the case's leading comments:
 *   // expect: clean                     no diagnostics at all
 *   // expect: code-a, code-b            exactly these diagnostic codes (as a set)
 *   // lint: perspective                 check with the opt-in perspective lint
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { compileProject, parse, printAst, printDiagnostics, printModel, type CheckOptions } from '@yardstick/language';
import { validateModel, type Diagnostic, type Span } from '@yardstick/model';
import { CASES_ROOT as ROOT, corpusCases } from './helpers/corpus.js';

const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

interface Directives {
  expect: string[] | 'clean' | undefined;
  options: CheckOptions;
}

function directives(text: string): Directives {
  const d: Directives = { expect: undefined, options: {} };
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('yardstick ')) continue;
    if (!t.startsWith('//')) break;
    const m = /^\/\/\s*(expect|lint):\s*(.*)$/.exec(t);
    if (!m) continue;
    if (m[1] === 'expect') d.expect = m[2]!.trim() === 'clean' ? 'clean' : m[2]!.split(/[,\s]+/).filter(Boolean).sort();
    else if (m[2]!.trim() === 'perspective') d.options = { lint: { perspective: true } };
  }
  return d;
}

function spanProblem(span: Span | undefined, text: string | undefined, what: string): string | undefined {
  if (text === undefined) return `${what}: points into a file that is not part of the case`;
  if (!span) return `${what}: has no span`;
  const ok = Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length;
  return ok ? undefined : `${what}: span ${span.start}-${span.end} is outside 0-${text.length}`;
}

/** Every diagnostic (and every related place) has a valid span inside a file of the case. */
function checkSpans(diags: Diagnostic[], files: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const d of diags) {
    const p = spanProblem(d.span, d.file === undefined ? undefined : files.get(d.file), `${d.code} "${d.message}"`);
    if (p) problems.push(p);
    for (const r of d.related) {
      const file = r.file ?? d.file;
      const q = spanProblem(r.span, file === undefined ? undefined : files.get(file), `related "${r.message}" of ${d.code}`);
      if (q) problems.push(q);
    }
  }
  return problems;
}

function snapshot(path: string, actual: string): void {
  if (UPDATE) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== actual) writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing snapshot ${relative(ROOT, path)}: run with UPDATE_SNAPSHOTS=1 and review it`);
  expect(actual, relative(ROOT, path)).toBe(readFileSync(path, 'utf8'));
}

const cases = corpusCases();

describe('golden corpus', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  for (const c of cases) {
    it(c.name, () => {
      const entryText = c.files.get(c.entry)!;
      const dir = directives(entryText);
      const host = { readFile: (p: string) => c.files.get(p) };
      const result = compileProject([c.entry], host, dir.options);

      // AST of every file the project loaded, in load order (then any file it did not reach).
      const loaded = result.files.map((f) => f.path);
      const order = [...loaded, ...[...c.files.keys()].filter((p) => !loaded.includes(p))];
      const many = c.files.size > 1;
      let ast = '';
      for (const path of order) {
        const text = c.files.get(path)!;
        const printed = printAst(parse(text, path).ast);
        const fromProject = result.files.find((f) => f.path === path);
        if (fromProject) expect(printAst(fromProject.ast), `the parser is reused: ${path} parses the same twice`).toBe(printed);
        ast += many ? `== ${path}${fromProject ? '' : ' (not imported)'}\n${printed}` : printed;
      }

      const texts = Object.fromEntries(c.files);
      const diagnostics = printDiagnostics(result.diagnostics, many ? texts : entryText);

      expect(checkSpans(result.diagnostics, c.files), 'diagnostic spans').toEqual([]);
      expect(result.diagnostics.filter((d) => d.code === 'internal-error').map((d) => d.message)).toEqual([]);
      const valid = validateModel(JSON.parse(JSON.stringify(result.model)));
      expect(valid.ok ? [] : valid.issues, 'the model is plain JSON that validates').toEqual([]);

      if (dir.expect === undefined) throw new Error(`${c.name}: add a leading "// expect: clean" or "// expect: <codes>" comment`);
      const codes = [...new Set(result.diagnostics.map((d) => d.code))].sort();
      expect(codes, 'diagnostic codes (the // expect: directive)').toEqual(dir.expect === 'clean' ? [] : [...new Set(dir.expect)]);

      snapshot(`${c.prefix}.ast.txt`, ast);
      snapshot(`${c.prefix}.model.txt`, printModel(result.model));
      snapshot(`${c.prefix}.diagnostics.txt`, diagnostics);
    });
  }
});
