import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lexer, type IToken } from 'chevrotain';
import { lex } from './lexer.js';
import { Identifier, KEYWORD_BY_WORD, LEXER_TOKENS, UnterminatedString } from './tokens.js';
import { prng, kpiFiles } from '../../../../test/helpers/random';

/**
 * The hand-written lexer must read text exactly as chevrotain's regex lexer built from the token
 * definitions does: same tokens, comments and errors. The reference is that lexer, with keywords
 * retyped from identifiers as the front end does.
 */
const reference = new Lexer(LEXER_TOKENS, { positionTracking: 'onlyOffset' });

function referenceLex(text: string) {
  const r = reference.tokenize(text);
  const show = (t: IToken) => [t.image, t.startOffset, t.startOffset + t.image.length - 1, t.tokenType.name];
  const tokens = r.tokens
    .filter((t) => t.tokenType !== UnterminatedString)
    .map((t) => {
      const kw = t.tokenType === Identifier ? KEYWORD_BY_WORD.get(t.image) : undefined;
      return kw ? [t.image, t.startOffset, t.startOffset + t.image.length - 1, kw.name] : show(t);
    });
  const unterminated = r.tokens.filter((t) => t.tokenType === UnterminatedString).map((t) => [t.startOffset, t.startOffset + t.image.length]);
  return {
    tokens,
    comments: (r.groups['comments'] ?? []).map(show),
    errors: [...r.errors.map((e) => ['unexpected-character', e.offset, e.offset + e.length]), ...unterminated.map(([s, e]) => ['unterminated-string', s, e])],
  };
}

function ours(text: string) {
  const r = lex(text, 'x.kpi');
  const show = (t: IToken) => {
    expect(t.tokenTypeIdx).toBe(t.tokenType.tokenTypeIdx);
    return [t.image, t.startOffset, t.endOffset, t.tokenType.name];
  };
  return {
    tokens: r.tokens.map(show),
    comments: r.comments.map(show),
    errors: r.diagnostics.map((d) => [d.code, d.span!.start, d.span!.end]),
  };
}


const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));


describe('lexer', () => {
  it('reads every example and corpus file as the reference lexer does', () => {
    const files = [...kpiFiles(join(ROOT, 'examples')), ...kpiFiles(join(ROOT, 'test/cases'))];
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(ours(text), f).toEqual(referenceLex(text));
    }
  });

  it('agrees with the reference on the edge cases of each token', () => {
    const cases = [
      '', ' ', '\ufeffkpi', 'a\u00a0b\u2028c', 'x // c\r\ny', '/ // /', '| a | b |\r\n|c', '"a" "b\\"c" "d\\\ne" "f', '"\\u{41}" "\\', '"x\u2028y" "\\\u2028"',
      '2025-01-05 2025-01 2025-Q1 2025-W02 2025-01-05T10:00Z 2025-01-05T10:00:00.5+01:00 2025-01-05T10:00+0100',
      '2025-01-05x 2025-01-05T10:00Zx 2025-01- 12345-01 2025-1 2025-Q 2025-W1 2025-01-05T1',
      '1 1.5 1. 1.x 1e5 1E+5 1e 1e+ 1e-x 1..5 0.5e-3', '+- ± + - -> > >= < <= <> != ! = == === * / % .. ... . , : ? @ ( ) { }',
      '`a b` `unclosed\n` `` `x` and or not value Value _x x1 é', '\0 # $ ; ~ ^ & \\ !! !x 😀 \ud800 a#b',
    ];
    for (const c of cases) expect(ours(c), JSON.stringify(c)).toEqual(referenceLex(c));
  });

  it('agrees with the reference on random text', () => {
    const alphabet = [...'aZ_09-WQT:Z+.eE"\\\n\r `|/!=<>±é\u2028\u00a0\ufeff(){}@?,%*#\0', 'kpi', 'value', '2025-01', '//', '->', '..'];
    const r = prng(20251201);
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = Math.floor(r() * 40);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(r() * alphabet.length)];
      expect(ours(s), JSON.stringify(s)).toEqual(referenceLex(s));
    }
  });
});
