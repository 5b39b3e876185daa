/**
 * Property test of the front end: whatever the input, parse → check → lower (and the debug
 * printers) never throw, and every diagnostic has a span inside the text.
 *
 * Inputs are every example and corpus file, mutated by a seeded PRNG (truncations, deleted /
 * duplicated / swapped tokens, random bytes including NUL and non-ASCII, unbalanced brackets),
 * plus pathological texts (10,000-deep nesting, a 1 MB line, empty input).
 * FUZZ_SEED and FUZZ_ITERATIONS override the defaults; a failure prints the seed and input.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, parse, printAst, printDiagnostics, printModel } from '@yardstick/language';
import type { Diagnostic } from '@yardstick/model';
import { prng, kpiFiles } from '../helpers/random';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = Number(process.env.FUZZ_SEED ?? 20251123);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 2500);



const SEEDS: string[] = [...kpiFiles(join(ROOT, 'examples')), ...kpiFiles(join(ROOT, 'test/cases'))].map((f) => readFileSync(f, 'utf8'));

/** Tokens as the mutations see them: words, numbers, strings, operators, single characters. */
const TOKEN = /"(?:[^"\\\n]|\\.)*"?|\d{4}-[\w:.+-]+|\d+(?:\.\d+)?|[A-Za-z_]\w*|\|[^\n]*|\/\/[^\n]*|->|\.\.|[<>!=]=|\+-|\s+|./gsu;

function tokens(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(TOKEN)) if (!/^\s+$/.test(m[0])) out.push({ start: m.index!, end: m.index! + m[0].length });
  return out;
}

const NOISE = ['\0', '\u0001', '\uFFFD', 'é', '😀', '\uD800', '\u200B', '\r', '\n', '\t', '{', '}', '(', ')', '"', '|', '`', '\\', '±', '@', '#', '$', '..', '->', ',', ':', '?', ';'];
const WORDS = ['dataset', 'kpi', 'rule', 'test', 'import', 'let', 'given', 'expect', 'value', 'from', 'where', 'per', 'by', 'when', 'else', 'case', 'end', 'not', 'and', 'or', 'in', 'is', 'null', 'between', 'over', 'last', 'target', 'status', 'otherwise', 'yardstick', 'sum(', 'count()', 'previous(', '2025-13-45', '2025-W99', '1e999', '-', '*', '/', '%', '=', '>='];

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const at = () => Math.floor(rnd() * (text.length + 1));
  const toks = tokens(text);
  const tok = () => (toks.length ? pick(toks) : { start: 0, end: 0 });
  switch (Math.floor(rnd() * 9)) {
    case 0: // truncate
      return text.slice(0, at());
    case 1: {
      // delete a token
      const t = tok();
      return text.slice(0, t.start) + text.slice(t.end);
    }
    case 2: {
      // duplicate a token
      const t = tok();
      return text.slice(0, t.end) + ' ' + text.slice(t.start, t.end) + text.slice(t.end);
    }
    case 3: {
      // swap two tokens
      let a = tok();
      let b = tok();
      if (a.start > b.start) [a, b] = [b, a];
      if (a.end > b.start) return text;
      return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    }
    case 4: {
      // insert random bytes
      const i = at();
      let noise = '';
      const n = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) noise += rnd() < 0.5 ? pick(NOISE) : String.fromCharCode(Math.floor(rnd() * 0x800));
      return text.slice(0, i) + noise + text.slice(i);
    }
    case 5: {
      // unbalance brackets: drop one
      const brackets = [...text.matchAll(/[{}()]/g)];
      if (!brackets.length) return text + '}';
      const m = pick(brackets);
      return text.slice(0, m.index!) + text.slice(m.index! + 1);
    }
    case 6: {
      // replace a token with a keyword, operator or odd literal
      const t = tok();
      return text.slice(0, t.start) + pick(WORDS) + text.slice(t.end);
    }
    case 7: {
      // cut a slice out of the middle
      const i = at();
      const j = Math.min(text.length, i + Math.floor(rnd() * 200));
      return text.slice(0, i) + text.slice(j);
    }
    default: {
      // several mutations at once
      let t = text;
      for (let k = 0; k < 3; k++) t = mutate(t, rnd);
      return t;
    }
  }
}

/** Runs the whole front end and the printers; returns what went wrong, if anything. */
function problems(text: string): string[] {
  const out: string[] = [];
  try {
    const parsed = parse(text, 'fuzz.kpi');
    printAst(parsed.ast);
    out.push(...spanProblems(parsed.diagnostics, text, 'parse'));
    const result = compile([{ path: 'fuzz.kpi', text }], { validate: true });
    printModel(result.model);
    printDiagnostics(result.diagnostics, text);
    out.push(...spanProblems(result.diagnostics, text, 'compile'));
    for (const d of result.diagnostics) if (d.code === 'internal-error') out.push(`internal error: ${d.message}`);
  } catch (e) {
    const err = e as Error;
    out.push(`threw ${err.name}: ${err.message} at ${(err.stack ?? '').split('\n').slice(1, 3).map((s) => s.trim()).join(' < ')}`);
  }
  return out;
}

function spanProblems(diags: Diagnostic[], text: string, stage: string): string[] {
  const out: string[] = [];
  for (const d of diags) {
    const s = d.span;
    if (!s) {
      out.push(`${stage}: ${d.code} has no span`);
      continue;
    }
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= text.length)) {
      out.push(`${stage}: ${d.code} span ${s.start}-${s.end} outside 0-${text.length}`);
    }
    for (const r of d.related) {
      if (r.span && !(0 <= r.span.start && r.span.start <= r.span.end && r.span.end <= text.length)) out.push(`${stage}: related span of ${d.code} outside the text`);
    }
  }
  return out;
}

/** Distinct failures (by message), each with the smallest input that showed it. */
function report(failures: Map<string, string>): string[] {
  const limit = process.env.FUZZ_FULL_INPUT ? Infinity : 400;
  return [...failures].map(([problem, input]) => `${problem}\n  input (${input.length} chars): ${JSON.stringify(input.length > limit ? input.slice(0, limit) + '…' : input)}`);
}

function record(failures: Map<string, string>, text: string): void {
  for (const p of problems(text)) {
    const key = p.replace(/\d+/g, 'N');
    const seen = failures.get(key);
    if (seen === undefined || text.length < seen.length) failures.set(key, text);
  }
}

describe('front end on random and mutated input', () => {
  it('has seed files', () => {
    expect(SEEDS.length).toBeGreaterThan(50);
  });

  it(`never throws and reports valid spans (seed ${SEED}, ${ITERATIONS} mutations)`, () => {
    const rnd = prng(SEED);
    const failures = new Map<string, string>();
    for (let i = 0; i < ITERATIONS; i++) {
      const base = SEEDS[Math.floor(rnd() * SEEDS.length)]!;
      record(failures, mutate(base, rnd));
    }
    expect(report(failures)).toEqual([]);
  });

  it('survives random bytes', () => {
    const rnd = prng(SEED + 1);
    const failures = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      let s = '';
      const n = Math.floor(rnd() * 300);
      for (let k = 0; k < n; k++) s += rnd() < 0.7 ? String.fromCharCode(32 + Math.floor(rnd() * 95)) : String.fromCharCode(Math.floor(rnd() * 0x3000));
      record(failures, s);
    }
    expect(report(failures)).toEqual([]);
  });
});

describe('pathological input', () => {
  const N = 10_000;
  const head = 'dataset d {\n  at: timestamp time\n  x: number\n  ok: bool\n}\nkpi before { from d value count() }\n';
  const after = '\nkpi after { from d value sum(x) }\n';
  const cases: Record<string, string> = {
    'empty file': '',
    'only comments': '// one\n// two\n   // three',
    'only white space': ' \n\t\r\n   ',
    'a BOM': '\uFEFFdataset d { x: int }',
    [`${N}-deep parentheses`]: `${head}kpi k { from d value ${'('.repeat(N)}1${')'.repeat(N)} }${after}`,
    [`${N} unclosed parentheses`]: `${head}kpi k { from d value ${'('.repeat(N)}1 }${after}`,
    [`${N} closing parentheses`]: `${head}kpi k { from d value 1${')'.repeat(N)} }${after}`,
    [`${N}-deep not`]: `${head}kpi k { from d where ${'not '.repeat(N)}ok value count() }${after}`,
    [`${N}-deep unary minus`]: `${head}kpi k { from d value ${'- '.repeat(N)}count() }${after}`,
    [`${N}-term sum`]: `${head}kpi k { from d value count()${' + 1'.repeat(N)} }${after}`,
    [`${N}-term and`]: `${head}kpi k { from d where ok${' and ok'.repeat(N)} value count() }${after}`,
    [`${N}-deep calls`]: `${head}kpi k { from d value sum(${'abs('.repeat(N)}x${')'.repeat(N)}) }${after}`,
    [`${N}-deep case`]: `${head}kpi k { from d value sum(${'case when ok then '.repeat(N)}1${' end'.repeat(N)}) }${after}`,
    [`${N}-deep path`]: `${head}kpi k { from d value count() by x${'.x'.repeat(N)} }${after}`,
    [`${N}-deep braces`]: '{'.repeat(N),
    [`${N}-deep message placeholder`]: `${head}rule r { when before > 1 message "{${'('.repeat(N)}before${')'.repeat(N)}}" }${after}`,
    [`${N} KPIs in a chain`]: Array.from({ length: 2000 }, (_, i) => `kpi k${i} { value k${i + 1} + 1 }`).join('\n') + `\n${head}kpi k2000 { from d value count() }`,
    [`${N} columns`]: `dataset wide {\n${Array.from({ length: N }, (_, i) => `  c${i}: int`).join('\n')}\n}`,
    'a 1 MB line': `${head}kpi k { from d value ${'x'.repeat(1_000_000)} }`,
    'a 1 MB string': `${head}kpi k "${'a'.repeat(1_000_000)}" { from d value count() }`,
    'a 1 MB comment line': `// ${'c'.repeat(1_000_000)}\n${head}`,
    'a 1 MB table row': `${head}test "t" { given d\n | x | ok |\n | ${'1'.repeat(1_000_000)} | true |\n expect before = 1 }`,
    'NUL bytes': `${head}\0\0\0kpi k { from d value\0 count() }`,
    'lone surrogates': `${head}kpi k "\uD800\uDC00\uDC00" { from d value count() } \uD800`,
  };

  for (const [name, text] of Object.entries(cases)) {
    it(name, () => {
      const failures = new Map<string, string>();
      record(failures, text);
      expect([...failures.keys()]).toEqual([]);
    });
  }

  it('deep nesting is reported as a diagnostic, and the definitions around it are kept', () => {
    const text = `${head}kpi k { from d value ${'('.repeat(N)}1${')'.repeat(N)} }${after}`;
    const r = compile([{ path: 'deep.kpi', text }]);
    expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['syntax-error: This expression is nested too deeply.']);
    expect(r.model.kpis.map((k) => k.name)).toEqual(['before', 'after']);
  });

  it('a long flat chain is reported once and the KPI around it kept apart', () => {
    const text = `${head}kpi k { from d value count()${' + 1'.repeat(N)} }${after}`;
    const r = compile([{ path: 'chain.kpi', text }]);
    expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['syntax-error: This expression is nested too deeply.']);
    expect(r.model.kpis.map((k) => k.name)).toContain('after');
  });
});
