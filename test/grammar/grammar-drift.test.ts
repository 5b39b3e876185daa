/**
 * grammar/ is generated from the parser (`npm run grammar`). These tests regenerate every file in
 * memory from the TypeScript sources and fail when a committed file has drifted; they also check
 * that the TextMate grammar knows every keyword and highlights sample lines as intended.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Oniguruma from 'vscode-oniguruma';
import type * as TextMate from 'vscode-textmate';
import { FUNCTIONS, KpiParser, tokens } from '@yardstick/language';
import {
  analyzeKeywords,
  ebnf,
  extractGenerated,
  productionsJson,
  railroadHtml,
  readmeBlock,
  textMateGrammar,
  textMateJson,
} from '../../grammar/lib.mjs';

// Both are CommonJS bundles: load them with require so their exports don't depend on ESM interop.
const require = createRequire(import.meta.url);
const oniguruma: typeof Oniguruma = require('vscode-oniguruma');
const vsctm: typeof TextMate = require('vscode-textmate');

const grammarDir = fileURLToPath(new URL('../../grammar/', import.meta.url));
const committed = (name: string) => readFileSync(grammarDir + name, 'utf8').replace(/\r\n/g, '\n');
const productions = new KpiParser().getSerializedGastProductions();

/** Fails with the first differing line and the fix when a committed file is stale. */
function expectUpToDate(file: string, actual: string | null, generated: string): void {
  if (actual === generated) return;
  const a = (actual ?? '').split('\n');
  const g = generated.split('\n');
  let i = 0;
  while (i < a.length && i < g.length && a[i] === g[i]) i++;
  const cut = (l: string | undefined) => (l === undefined ? '(end of file)' : JSON.stringify(l.length > 160 ? l.slice(0, 160) + '…' : l));
  expect.fail(
    `grammar/${file} is out of date with the parser: run \`npm run grammar\` and commit the result.\n` +
      `First difference at line ${i + 1}:\n  committed: ${cut(a[i])}\n  generated: ${cut(g[i])}`,
  );
}

describe('grammar/ matches the parser', () => {
  it('productions.json', () => {
    expectUpToDate('productions.json', committed('productions.json'), productionsJson(productions));
  });

  it('README.md grammar reference', () => {
    const block = extractGenerated(committed('README.md'));
    expect(block, 'grammar/README.md lost its <!-- generated:start --> / <!-- generated:end --> markers').not.toBeNull();
    expectUpToDate('README.md', block, readmeBlock(productions, tokens));
  });

  it('kpi.tmLanguage.json', () => {
    expectUpToDate('kpi.tmLanguage.json', committed('kpi.tmLanguage.json'), textMateJson({ productions, tokens, functions: FUNCTIONS }));
  });

  it('railroad.html', async () => {
    expectUpToDate('railroad.html', committed('railroad.html'), await railroadHtml(productions));
  });

  it('the reference has one production per parser rule', () => {
    const lines = ebnf(productions).split('\n').filter((l: string) => /^\w/.test(l));
    expect(lines.map((l: string) => l.split(/\s/)[0])).toEqual(productions.map((r) => (r as { name?: string }).name));
  });
});

describe('TextMate grammar', () => {
  const grammarJson = JSON.parse(committed('kpi.tmLanguage.json'));

  /** Every regular expression in the grammar. */
  function regexes(node: unknown, out: string[] = []): string[] {
    if (Array.isArray(node)) for (const n of node) regexes(n, out);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') out.push(v);
        else regexes(v, out);
      }
    }
    return out;
  }

  it('is scoped source.kpi for .kpi files', () => {
    expect(grammarJson.scopeName).toBe('source.kpi');
    expect(grammarJson.fileTypes).toEqual(['kpi']);
  });

  it('mentions every reserved and soft keyword, and every function', () => {
    const all = regexes(grammarJson).join('\n');
    const words = [...tokens.KEYWORD_BY_WORD.keys()];
    expect(words.length).toBe(tokens.RESERVED_KEYWORDS.length + tokens.SOFT_KEYWORDS.length);
    const missing = [...words, ...FUNCTIONS.keys()].filter((w) => !new RegExp(`(?<![A-Za-z0-9_])${w}(?![A-Za-z0-9_])`).test(all));
    expect(missing).toEqual([]);
  });

  it('classifies every keyword exactly once per kind', () => {
    const kw = analyzeKeywords(productions, tokens);
    expect(new Set([...kw.constants, ...kw.declarations, ...kw.control])).toEqual(new Set(kw.reserved));
    const soft = new Set([...kw.clauseStarts, ...kw.modifiers, ...kw.phrases.flatMap((p: { words?: string[] }[]) => p.flatMap((e) => e.words ?? []))]);
    for (const w of kw.soft) expect(soft.has(w), `soft keyword ${w} is not highlighted`).toBe(true);
    expect(textMateGrammar({ productions, tokens, functions: FUNCTIONS })).toEqual(grammarJson);
  });

  describe('tokenizes sample lines', () => {
    let grammar: TextMate.IGrammar;

    beforeAll(async () => {
      const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
      await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
          createOnigString: (s: string) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName: string) =>
          scopeName === 'source.kpi' ? vsctm.parseRawGrammar(committed('kpi.tmLanguage.json'), grammarDir + 'kpi.tmLanguage.json') : null,
      });
      const g = await registry.loadGrammar('source.kpi');
      if (!g) throw new Error('the TextMate grammar did not load');
      grammar = g;
    });

    /** Tokenizes lines (state carried over) and returns [text, innermost scope] pairs per line. */
    function tokenize(...lines: string[]): [string, string[]][][] {
      let state = vsctm.INITIAL;
      return lines.map((line) => {
        const r = grammar.tokenizeLine(line, state);
        state = r.ruleStack;
        return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes.slice(1)] as [string, string[]]);
      });
    }

    /** The scopes of the first token whose text is `text` (trimmed). */
    function scopesOf(line: [string, string[]][], text: string): string[] {
      const t = line.find(([s]) => s.trim() === text);
      if (!t) throw new Error(`no token "${text}" in ${JSON.stringify(line)}`);
      return t[1];
    }
    const has = (scopes: string[], prefix: string) => scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));

    it('kpi declaration: keyword and entity.name', () => {
      const [line] = tokenize('kpi nps "x" {');
      expect(has(scopesOf(line, 'kpi'), 'keyword')).toBe(true);
      expect(has(scopesOf(line, 'nps'), 'entity.name')).toBe(true);
      expect(has(scopesOf(line, 'x'), 'string')).toBe(true);
    });

    it('dataset and rule declarations', () => {
      const [d, r] = tokenize('dataset tickets "Support tickets" from "data/tickets.csv" {', 'rule nps_falling "NPS is falling" {');
      expect(has(scopesOf(d, 'tickets'), 'entity.name')).toBe(true);
      expect(has(scopesOf(d, 'from'), 'keyword.control')).toBe(true);
      expect(has(scopesOf(r, 'nps_falling'), 'entity.name')).toBe(true);
    });

    it('comments', () => {
      const [line] = tokenize('// c');
      expect(line.every(([, s]) => has(s, 'comment'))).toBe(true);
      const [after] = tokenize('value 1 // trailing');
      expect(has(scopesOf(after, 'trailing'), 'comment')).toBe(true);
    });

    it('strings with escapes', () => {
      const [line] = tokenize('"s"');
      expect(line.every(([, s]) => has(s, 'string'))).toBe(true);
      const [esc] = tokenize('"a \\" b"');
      expect(has(scopesOf(esc, '\\"'), 'constant.character.escape')).toBe(true);
      expect(esc.every(([, s]) => has(s, 'string'))).toBe(true);
    });

    it('temporal literals and numbers are constants', () => {
      for (const lit of ['2025-01', '2025-01-05', '2025-Q1', '2025-W02', '2025-01-05T10:00:00Z', '2025-01-05T10:00:00+02:00']) {
        const [line] = tokenize(`expect nps by month = { ${lit}: 25 }`);
        expect(has(scopesOf(line, lit), 'constant'), lit).toBe(true);
      }
      const [n] = tokenize('target >= 0.7');
      expect(has(scopesOf(n, '0.7'), 'constant.numeric')).toBe(true);
      expect(has(scopesOf(n, 'target'), 'keyword')).toBe(true);
      expect(has(scopesOf(n, '>='), 'keyword.operator')).toBe(true);
    });

    it('function calls are support.function', () => {
      const [line] = tokenize('  value share(recommend >= 9)');
      expect(has(scopesOf(line, 'share'), 'support.function')).toBe(true);
      expect(has(scopesOf(line, 'value'), 'keyword.other')).toBe(true);
      expect(has(scopesOf(line, 'recommend'), 'keyword')).toBe(false);
    });

    it('pipe-table rows have punctuation and typed cells', () => {
      const [line] = tokenize('| a | 1 |');
      const pipes = line.filter(([s]) => s.trim() === '|');
      expect(pipes.length).toBe(3);
      for (const [, s] of pipes) expect(has(s, 'punctuation')).toBe(true);
      expect(has(scopesOf(line, '1'), 'constant.numeric')).toBe(true);
      const [q] = tokenize('    | "x | y" | 2025-01-05 |   // note');
      expect(has(scopesOf(q, 'x | y'), 'string')).toBe(true);
      expect(has(scopesOf(q, '2025-01-05'), 'constant')).toBe(true);
      expect(has(scopesOf(q, 'note'), 'comment')).toBe(true);
    });

    it('soft keywords only where they are keywords', () => {
      const [clause, column, phrase, modifier] = tokenize(
        '  status {',
        '  value: number? key',
        '  higher is better',
        '  opened_at: timestamp time @company',
      );
      expect(has(scopesOf(clause, 'status'), 'keyword.other')).toBe(true);
      expect(has(scopesOf(column, 'value'), 'keyword')).toBe(false);
      expect(has(scopesOf(column, 'number'), 'storage.type')).toBe(true);
      expect(has(scopesOf(column, 'key'), 'keyword.other')).toBe(true);
      expect(has(scopesOf(phrase, 'higher'), 'keyword.other')).toBe(true);
      expect(has(scopesOf(phrase, 'better'), 'keyword.other')).toBe(true);
      expect(has(scopesOf(modifier, 'time'), 'keyword.other')).toBe(true);
      expect(has(scopesOf(modifier, 'company'), 'storage.modifier')).toBe(true);
    });

    it('operators, relations and reserved words', () => {
      const [rel, expr] = tokenize('  customer_id: string -> customers as customer', '  from tickets where resolved_at is not null and x != 1');
      expect(has(scopesOf(rel, '->'), 'keyword.operator')).toBe(true);
      expect(has(scopesOf(rel, 'as'), 'keyword.other')).toBe(true);
      expect(has(scopesOf(expr, 'where'), 'keyword.control')).toBe(true);
      expect(has(scopesOf(expr, 'null'), 'constant.language')).toBe(true);
      expect(has(scopesOf(expr, '!='), 'keyword.operator')).toBe(true);
    });
  });
});
