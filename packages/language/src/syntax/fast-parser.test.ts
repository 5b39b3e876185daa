/**
 * The fast path against the chevrotain parser, on the same tokens: whenever `fastParse` returns a
 * tree, the chevrotain parser reads the input without errors and builds the same tree (compared
 * as JSON, so field order counts too); on valid input the fast path must not give up.
 *
 * Inputs: every `.kpi` file of the golden corpus, the examples and the benchmarks; generated
 * specs of several sizes; and a few thousand seeded mutations of them (truncations, deleted,
 * duplicated, swapped or replaced tokens, noise, unbalanced brackets), which are mostly invalid
 * and exercise the "give up" side of the contract.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Expr, FileNode } from './ast.js';
import { fastParse, fastParseFragment } from './fast-parser.js';
import { scan, TokenStream } from './lexer.js';
import { getParser, MAX_EXPR_DEPTH, parse } from './parse.js';
// @ts-expect-error: a plain JavaScript module without types
import { generateSpec } from '../../../../bench/front-end.mjs';
import { prng, kpiFiles } from '../../../../test/helpers/random';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SEED = Number(process.env.FUZZ_SEED ?? 20251123);
const MUTATIONS = Number(process.env.FAST_PARSER_MUTATIONS ?? 4000);


const FILES = ['test/cases', 'examples', 'bench'].flatMap((d) => kpiFiles(join(ROOT, d)));
const INPUTS: Array<[string, string]> = [
  ...FILES.map((f): [string, string] => [relative(ROOT, f), readFileSync(f, 'utf8')]),
  ...[20, 100, 500, 2000].map((n): [string, string] => [`generated ${n} lines`, generateSpec(n) as string]),
];

interface Outcome {
  /** The chevrotain parser's tree, undefined when it ran out of stack. */
  slow: FileNode | undefined;
  /** How many errors the chevrotain parser reported. */
  errors: number;
  fast: FileNode | null;
}

/** The tokens of `text`, as the fast path reads them. */
function stream(text: string): TokenStream {
  const s = new TokenStream();
  scan(text, 'test.kpi', s);
  return s;
}

function both(text: string): Outcome {
  const s = stream(text);
  const tokens = s.tokens();
  const fast = fastParse(s, MAX_EXPR_DEPTH);
  const p = getParser();
  p.input = tokens;
  let slow: FileNode | undefined;
  let errors: number;
  try {
    slow = p.file();
    errors = p.errors.length;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    errors = 1;
  }
  p.input = [];
  return { slow, errors, fast };
}

/** What is wrong with the fast path's answer, if anything. */
function mismatch(text: string): string | undefined {
  const { slow, errors, fast } = both(text);
  if (fast === null) return undefined;
  if (errors > 0) return `the fast path returned a tree where the chevrotain parser reported ${errors} error(s)`;
  const a = JSON.stringify(fast);
  const b = JSON.stringify(slow);
  if (a === b) return undefined;
  let i = 0;
  while (a[i] === b[i]) i++;
  return `trees differ at character ${i}:\n  fast:       …${a.slice(Math.max(0, i - 120), i + 80)}\n  chevrotain: …${b.slice(Math.max(0, i - 120), i + 80)}`;
}

/** What is wrong with the fast path's answer for a fragment read with `rule`, if anything. */
function fragmentMismatch(text: string, rule: 'expression' | 'additive'): string | undefined {
  const s = stream(text);
  const tokens = s.tokens();
  const fast = fastParseFragment(s, rule, MAX_EXPR_DEPTH);
  const p = getParser();
  p.input = tokens;
  let slow: Expr | undefined;
  let errors: number;
  try {
    slow = rule === 'expression' ? p.expression() : p.additive();
    errors = p.errors.length;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    errors = 1;
  }
  p.input = [];
  if (fast === null) return errors === 0 && tokens.length > 0 ? `the fast path gave up on the valid ${rule} ${JSON.stringify(text)}` : undefined;
  if (errors > 0) return `the fast path read ${JSON.stringify(text)} as ${rule} where the chevrotain parser reported ${errors} error(s)`;
  const a = JSON.stringify(fast);
  const b = JSON.stringify(slow);
  return a === b ? undefined : `${rule} ${JSON.stringify(text)}:\n  fast:       ${a}\n  chevrotain: ${b}`;
}

/** The source text of every expression in `text` (as the chevrotain parser reads it). */
function expressionTexts(text: string): string[] {
  const out: string[] = [];
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(visit);
    const node = x as { kind?: string; span?: { start: number; end: number } };
    if (node.kind && /Lit$|Expr$|NameRef/.test(node.kind) && node.span) out.push(text.slice(node.span.start, node.span.end));
    Object.values(node).forEach(visit);
  };
  visit(parse(text).ast.items);
  // Message placeholders are read as expressions too.
  for (const m of text.matchAll(/\{([^{}"\n]*)\}/g)) out.push(m[1]!);
  return out;
}


const TOKEN = /"(?:[^"\\\n]|\\.)*"?|\d{4}-[\w:.+-]+|\d+(?:\.\d+)?|[A-Za-z_]\w*|`[^`\n]*`?|\|[^\n]*|\/\/[^\n]*|->|\.\.|[<>!=]=|<>|\+-|\s+|./gsu;
const NOISE = ['{', '}', '(', ')', '"', '|', '`', '±', '@', '..', '->', ',', ':', '?', '.', '-', '+', '*', '/', '%', '=', '==', '!=', '<>', '<', '>', '<=', '>='];
const WORDS = [
  'dataset', 'kpi', 'rule', 'test', 'import', 'let', 'given', 'expect', 'value', 'from', 'where', 'per', 'by', 'when', 'then', 'else',
  'case', 'end', 'not', 'and', 'or', 'in', 'is', 'null', 'true', 'between', 'over', 'last', 'target', 'status', 'otherwise', 'yardstick',
  'key', 'time', 'unit', 'zone', 'on', 'bad', 'rows', 'as', 'of', 'alert', 'no', 'firing', 'to', 'for', 'periods', 'min', 'samples',
  'format', 'decimals', 'higher', 'lower', 'better', 'severity', 'message', 'recover', 'data', 'tags', 'owner', 'description',
  'sum(', 'count()', 'x', '`a b`', '"s"', '1', '2.5', '2025-01-05', '2025-Q1', '- 1', '(x)', 'a.b',
];

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const toks = [...text.matchAll(TOKEN)].filter((m) => !/^\s+$/.test(m[0])).map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
  const tok = () => (toks.length ? pick(toks) : { start: 0, end: 0 });
  switch (Math.floor(rnd() * 8)) {
    case 0: {
      // truncate at a token boundary
      const t = tok();
      return text.slice(0, rnd() < 0.5 ? t.start : t.end);
    }
    case 1: {
      const t = tok();
      return text.slice(0, t.start) + text.slice(t.end);
    }
    case 2: {
      const t = tok();
      return text.slice(0, t.end) + ' ' + text.slice(t.start, t.end) + text.slice(t.end);
    }
    case 3: {
      let a = tok();
      let b = tok();
      if (a.start > b.start) [a, b] = [b, a];
      if (a.end > b.start) return text;
      return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    }
    case 4: {
      const t = tok();
      const at = rnd() < 0.5 ? t.start : t.end;
      return text.slice(0, at) + ' ' + pick(NOISE) + ' ' + text.slice(at);
    }
    case 5: {
      const t = tok();
      return text.slice(0, t.start) + pick(WORDS) + text.slice(t.end);
    }
    case 6: {
      const t = tok();
      return text.slice(0, t.start) + pick(WORDS) + ' ' + text.slice(t.start);
    }
    default: {
      let t = text;
      for (let k = 0; k < 2; k++) t = mutate(t, rnd);
      return t;
    }
  }
}

describe('fast path of the parser', () => {
  it('has inputs', () => {
    expect(FILES.length).toBeGreaterThan(100);
  });

  it.each(INPUTS)('%s: same tree as chevrotain, or none where chevrotain reports errors', (_name, text) => {
    const { errors, fast } = both(text);
    expect(mismatch(text)).toBeUndefined();
    // Valid input must take the fast path.
    if (errors === 0) expect(fast).not.toBeNull();
  });

  it(`agrees with chevrotain on ${MUTATIONS} mutated inputs (seed ${SEED})`, () => {
    const rnd = prng(SEED);
    const seeds = INPUTS.filter(([name]) => !name.startsWith('generated') || name === 'generated 100 lines').map(([, text]) => text);
    const failures: string[] = [];
    let valid = 0;
    let fastValid = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const text = mutate(seeds[Math.floor(rnd() * seeds.length)]!, rnd);
      const problem = mismatch(text);
      if (problem && failures.length < 5) failures.push(`${problem}\n  input: ${JSON.stringify(text.length > 600 ? text.slice(0, 600) + '…' : text)}`);
      const { errors, fast } = both(text);
      if (errors === 0) {
        valid++;
        if (fast !== null) fastValid++;
      }
    }
    expect(failures).toEqual([]);
    // Many mutations stay valid; all of those take the fast path.
    expect(valid).toBeGreaterThan(MUTATIONS / 20);
    expect(fastValid).toBe(valid);
  });

  it('reads fragments (message placeholders, query options) as chevrotain does', () => {
    const fragments = [...new Set(INPUTS.flatMap(([, text]) => expressionTexts(text)))];
    const rnd = prng(SEED + 1);
    const mutated = Array.from({ length: 2000 }, () => mutate(fragments[Math.floor(rnd() * fragments.length)]!, rnd));
    const failures: string[] = [];
    for (const text of [...fragments, ...mutated]) {
      for (const rule of ['expression', 'additive'] as const) {
        const problem = fragmentMismatch(text, rule);
        if (problem && failures.length < 5) failures.push(problem);
      }
    }
    expect(fragments.length).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  });

  const head = 'dataset d {\n  x: number\n  ok: bool\n}\n';
  const shapes: Record<string, (n: number) => string> = {
    parentheses: (n) => `${head}kpi k { from d value ${'('.repeat(n - 1)}1${')'.repeat(n - 1)} }`,
    'unary minus': (n) => `${head}kpi k { from d value ${'- '.repeat(n - 1)}x }`,
    not: (n) => `${head}kpi k { from d where ${'not '.repeat(n - 1)}ok }`,
    calls: (n) => `${head}kpi k { from d value ${'abs('.repeat(n - 1)}x${')'.repeat(n - 1)} }`,
    'a flat sum': (n) => `${head}kpi k { from d value x${' + x'.repeat(n - 1)} }`,
    'a flat product': (n) => `${head}kpi k { from d value x${' * x'.repeat(n - 1)} }`,
    'an and chain': (n) => `${head}kpi k { from d where ok${' and ok'.repeat(n - 1)} }`,
    'a path': (n) => `${head}kpi k { from d by x${'.x'.repeat(n - 1)} }`,
    'nested case': (n) => `${head}kpi k { from d value ${'case when ok then '.repeat(n - 1)}1${' end'.repeat(n - 1)} }`,
  };

  it.each(Object.keys(shapes))(`reads %s exactly ${MAX_EXPR_DEPTH} levels deep and gives up one level deeper`, (shape) => {
    const make = shapes[shape]!;
    expect(fastParse(stream(make(MAX_EXPR_DEPTH)), MAX_EXPR_DEPTH)).not.toBeNull();
    const deep = make(MAX_EXPR_DEPTH + 1);
    expect(fastParse(stream(deep), MAX_EXPR_DEPTH)).toBeNull();
    expect(parse(deep).diagnostics.map((d) => d.message)).toEqual(['This expression is nested too deeply.']);
  });

  it('gives up on 10,000-deep nesting without running out of stack', () => {
    const text = `${head}kpi k { from d value ${'('.repeat(10_000)}1${')'.repeat(10_000)} }`;
    expect(fastParse(stream(text), MAX_EXPR_DEPTH)).toBeNull();
  });
});
