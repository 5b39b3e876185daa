/**
 * The playground's syntax highlighting (playground/src/editor/highlight.ts): every keyword is
 * classified, lines can be lexed independently, and sample lines get the scopes the editor's
 * themes colour.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { languageKeywords, lex, tokens } from '@yardstick/language';
import { highlightLine } from '../../playground/src/editor/highlight';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const exampleFiles = readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.kpi'))
  .map((f) => ({ path: f, text: readFileSync(examplesDir + f, 'utf8') }));

/** `word:scope` for every non-blank token of a line. */
function scopes(line: string): string[] {
  const toks = highlightLine(line);
  return toks
    .map((t, i) => ({ text: line.slice(t.start, toks[i + 1]?.start ?? line.length).trim(), scope: t.scope }))
    .filter((t) => t.text !== '')
    .map((t) => `${t.text}:${t.scope}`);
}

describe('keyword classification', () => {
  it('covers every keyword of the token module', () => {
    const kw = languageKeywords();
    const soft = new Set([...kw.clauseStarts, ...kw.modifiers, ...kw.phrases.flatMap((p) => p.flatMap((e) => ('words' in e ? e.words : [])))]);
    for (const w of kw.soft) expect(soft.has(w), w).toBe(true);
    expect(new Set([...kw.constants, ...kw.declarations, ...kw.control])).toEqual(new Set(kw.reserved));
  });
});

describe('lines are independent', () => {
  it('no token spans a line break in the examples: lexing line by line gives the tokens of the whole file', () => {
    expect(exampleFiles.length).toBeGreaterThan(3);
    for (const f of exampleFiles) {
      const whole = lex(f.text, f.path);
      const all = [...whole.tokens, ...whole.comments].map((t) => `${t.startOffset}:${t.tokenType.name}:${t.image}`).sort();
      const perLine: string[] = [];
      let offset = 0;
      for (const line of f.text.split('\n')) {
        const l = lex(line, f.path);
        for (const t of [...l.tokens, ...l.comments]) perLine.push(`${t.startOffset + offset}:${t.tokenType.name}:${t.image}`);
        offset += line.length + 1;
      }
      expect(perLine.sort(), f.path).toEqual(all);
    }
  });

  it('no lexer pattern but white space can match a line break', () => {
    for (const t of tokens.LEXER_TOKENS) {
      if (t === tokens.WhiteSpace || !(t.PATTERN instanceof RegExp)) continue;
      const sticky = new RegExp(t.PATTERN.source, 'y');
      for (const probe of ['"a\nb"', '`a\nb`', '// a\nb', '| a\n| b', '"a\\\nb"']) {
        for (let i = 0; i < probe.length; i++) {
          sticky.lastIndex = i;
          const m = sticky.exec(probe);
          if (m) expect(m[0], `${t.name} on ${JSON.stringify(probe)}`).not.toMatch(/[\n\r]/);
        }
      }
    }
  });
});

describe('highlightLine', () => {
  it('covers the line from offset 0 with increasing starts', () => {
    for (const f of exampleFiles) {
      for (const line of f.text.split('\n')) {
        const toks = highlightLine(line);
        expect(toks[0]!.start).toBe(0);
        for (let i = 1; i < toks.length; i++) expect(toks[i]!.start).toBeGreaterThan(toks[i - 1]!.start);
        expect(toks.at(-1)!.start).toBeLessThanOrEqual(Math.max(line.length - 1, 0));
      }
    }
  });

  it('declarations, names and strings', () => {
    expect(scopes('kpi on_time "On time" {')).toEqual(['kpi:keyword.declaration', 'on_time:identifier.declaration', '"On time":string', '{:delimiter.bracket']);
    expect(scopes('dataset flights from "data/f.csv" {')).toEqual(['dataset:keyword.declaration', 'flights:identifier.declaration', 'from:keyword', '"data/f.csv":string', '{:delimiter.bracket']);
    expect(scopes('import "kpis.kpi"')).toEqual(['import:keyword.declaration', '"kpis.kpi":string']);
    expect(scopes('yardstick 1')).toEqual(['yardstick:keyword.soft', '1:number']);
  });

  it('soft keywords are keywords where they start a clause, names elsewhere', () => {
    expect(scopes('  value share(arrival_delay_min <= 15)')).toEqual([
      'value:keyword.soft', 'share:predefined', '(:delimiter.bracket', 'arrival_delay_min:identifier', '<=:operator', '15:number', '):delimiter.bracket',
    ]);
    expect(scopes('  format percent decimals 1')).toEqual(['format:keyword.soft', 'percent:identifier', 'decimals:keyword.soft', '1:number']);
    expect(scopes('  target >= 0.8')).toEqual(['target:keyword.soft', '>=:operator', '0.8:number']);
    // A column called `value`, and `value`/`target` inside a condition.
    expect(scopes('  value: number?')).toEqual(['value:identifier', '::delimiter', 'number:type', '?:operator']);
    expect(scopes('    on_track  when value >= target')).toEqual(['on_track:identifier', 'when:keyword', 'value:identifier', '>=:operator', 'target:identifier']);
    expect(scopes('  lower is better')).toEqual(['lower:keyword.soft', 'is:keyword', 'better:keyword.soft']);
    expect(scopes('  on no data: resolve')).toEqual(['on:keyword.soft', 'no:keyword.soft', 'data:keyword.soft', '::delimiter', 'resolve:identifier']);
    expect(scopes('  when x < target for 2 periods')).toEqual(['when:keyword', 'x:identifier', '<:operator', 'target:identifier', 'for:keyword.soft', '2:number', 'periods:keyword.soft']);
  });

  it('columns with types, relations and perspectives', () => {
    expect(scopes('  flight_id: string key')).toEqual(['flight_id:identifier', '::delimiter', 'string:type', 'key:keyword.soft']);
    expect(scopes('  scheduled_departure: timestamp time')).toEqual(['scheduled_departure:identifier', '::delimiter', 'timestamp:type', 'time:keyword.soft']);
    expect(scopes('  member_id: string? -> members')).toEqual(['member_id:identifier', '::delimiter', 'string:type', '?:operator', '->:operator', 'members:identifier']);
    expect(scopes('  recommend: int? in 0..10 @customer')).toEqual([
      'recommend:identifier', '::delimiter', 'int:type', '?:operator', 'in:keyword', '0:number', '..:operator', '10:number', '@customer:annotation',
    ]);
    expect(scopes('  let delay: number = minutes_between(a, b)')).toEqual([
      'let:keyword.declaration', 'delay:identifier.declaration', '::delimiter', 'number:type', '=:operator', 'minutes_between:predefined', '(:delimiter.bracket', 'a:identifier', ',:delimiter', 'b:identifier', '):delimiter.bracket',
    ]);
    // A function name not followed by `(` is a name; a column called `time` used in an expression.
    expect(scopes('  value count(status) + sum(time.x)')).toEqual([
      'value:keyword.soft', 'count:predefined', '(:delimiter.bracket', 'status:identifier', '):delimiter.bracket', '+:operator', 'sum:predefined', '(:delimiter.bracket', 'time:identifier', '.:delimiter', 'x:identifier', '):delimiter.bracket',
    ]);
  });

  it('comments, literals and errors', () => {
    expect(scopes('  passengers: int in 0..200  // passengers flown')).toEqual([
      'passengers:identifier', '::delimiter', 'int:type', 'in:keyword', '0:number', '..:operator', '200:number', '// passengers flown:comment',
    ]);
    expect(scopes('// just a comment')).toEqual(['// just a comment:comment']);
    expect(scopes('  expect x by month = { 2025-03: 0.6, "a": null }')).toEqual([
      'expect:keyword', 'x:identifier', 'by:keyword', 'month:identifier', '=:operator', '{:delimiter.bracket', '2025-03:number.date', '::delimiter', '0.6:number', ',:delimiter', '"a":string', '::delimiter', 'null:keyword.constant', '}:delimiter.bracket',
    ]);
    expect(scopes('  description "never closed')).toEqual(['description:keyword.soft', '"never closed:string.invalid']);
    expect(scopes('  value 1 # 2')).toEqual(['value:keyword.soft', '1:number', '#:invalid', '2:number']);
    expect(scopes('  where `odd name` = true')).toEqual(['where:keyword', '`odd name`:identifier.quoted', '=:operator', 'true:keyword.constant']);
  });

  it('table rows', () => {
    expect(scopes('    | f1 | AMS-LHR | 2025-03-03T08:00:00Z | | -5 | "a|b" | false | // note')).toEqual([
      '|:delimiter.table', 'f1:identifier', '|:delimiter.table', 'AMS-LHR:identifier', '|:delimiter.table', '2025-03-03T08:00:00Z:number.date', '|:delimiter.table',
      '|:delimiter.table', '-5:number', '|:delimiter.table', '"a|b":string', '|:delimiter.table', 'false:keyword.constant', '|:delimiter.table', '// note:comment',
    ]);
  });
});
