/**
 * Syntax highlighting of one line of `.kpi` text, from the language's own lexer (`lex`), token
 * types and keyword classification (./keywords.ts) and the function registry: no word list is
 * kept here. The monaco adapter wraps `highlightLine` in a TokensProvider.
 *
 * Lines are independent: no token of the language spans a line break (strings, quoted names,
 * comments and table rows all stop at the end of the line; test/playground/highlight.test.ts checks
 * that lexing line by line gives the tokens of the whole file), so no state is carried.
 *
 * Scopes (themes colour them by prefix, see ./themes.ts):
 * - `keyword` (reserved words), `keyword.declaration` (dataset, kpi, rule, test, import, let),
 *   `keyword.constant` (true, false, null), `keyword.soft` (a soft word acting as a keyword: the
 *   first word of a clause, a fixed phrase such as `higher is better`, a modifier such as `key`);
 * - `predefined` (a function name followed by `(`);
 * - `number`, `number.date` (dates, timestamps, periods);
 * - `string`, `string.invalid` (an unterminated string);
 * - `comment`;
 * - `operator` (arithmetic, comparison, `->`, `..`, `±`, `?`), `delimiter` (`,` `:` `.`),
 *   `delimiter.bracket`, `delimiter.table` (the pipes of a table row);
 * - `type` (the type of a column or `let`: `name: type`);
 * - `identifier`, `identifier.declaration` (the name after `dataset`/`kpi`/`rule`/`let`),
 *   `identifier.quoted` (`` `a name` ``), `annotation` (`@customer`);
 * - `invalid` (a character the lexer rejects); `` (white space).
 *
 * No monaco here: this module runs in Node for the unit tests.
 */
import { FUNCTIONS, languageKeywords, lex, tokens as T, type KeywordClasses, type PhraseElement } from "@yardstick/language";

// The lexer's types, without a dependency of the playground on chevrotain.
type IToken = ReturnType<typeof lex>["tokens"][number];
type TokenType = typeof T.Identifier;

export interface HighlightToken {
  /** Offset in the line (UTF-16), where this scope starts; it runs to the next token's start. */
  start: number;
  scope: string;
}

const OPERATORS = new Set<TokenType>([T.PlusMinus, T.Arrow, T.GreaterEq, T.LessEq, T.NotEq, T.Equals, T.Greater, T.Less, T.Plus, T.Minus, T.Star, T.Slash, T.PercentSign, T.DotDot, T.Question]);
const DELIMITERS = new Set<TokenType>([T.Dot, T.Comma, T.Colon]);
const BRACKETS = new Set<TokenType>([T.LParen, T.RParen, T.LCurly, T.RCurly]);
/** After a soft word, these make it a name (`value: number`, `status(...)`, `time.x`, `to = 1`), as in the TextMate grammar. */
const NAME_FOLLOWERS = new Set<TokenType>([T.Colon, T.LParen, T.Dot, T.Equals]);
const RESERVED = new Set<TokenType>(T.RESERVED_KEYWORDS);
const SOFT = new Set<TokenType>(T.SOFT_KEYWORDS);

const isName = (t: IToken | undefined): boolean =>
  t !== undefined && (t.tokenType === T.Identifier || t.tokenType === T.QuotedIdentifier || SOFT.has(t.tokenType));

interface Classes {
  constants: Set<string>;
  declarations: Set<string>;
  clauseStarts: Set<string>;
  modifiers: Set<string>;
  phrases: PhraseElement[][];
}

let classes: Classes | undefined;

function keywordClasses(kw: KeywordClasses = languageKeywords()): Classes {
  classes ??= {
    constants: new Set(kw.constants),
    declarations: new Set(kw.declarations),
    clauseStarts: new Set(kw.clauseStarts),
    modifiers: new Set(kw.modifiers),
    phrases: kw.phrases,
  };
  return classes;
}

/** Indices of the tokens that are part of a fixed phrase (`higher is better`, `for 2 periods`). */
function phraseTokens(tokens: IToken[], phrases: PhraseElement[][]): Set<number> {
  const out = new Set<number>();
  const isWord = (t: IToken | undefined, words: string[]) => t !== undefined && (RESERVED.has(t.tokenType) || SOFT.has(t.tokenType)) && words.includes(t.image);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i - 1]?.tokenType === T.Dot) continue;
    for (const p of phrases) {
      const matched = p.every((e, k) => ("number" in e ? tokens[i + k]?.tokenType === T.NumberLiteral : isWord(tokens[i + k], e.words)));
      if (!matched) continue;
      p.forEach((e, k) => {
        if (!("number" in e)) out.add(i + k);
      });
    }
  }
  return out;
}

function scopeOf(tokens: IToken[], i: number, inPhrase: Set<number>, c: Classes): string {
  const t = tokens[i]!;
  const type = t.tokenType;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (type === T.StringLiteral) return "string";
  if (type === T.TemporalLiteral) return "number.date";
  if (type === T.NumberLiteral) return "number";
  if (RESERVED.has(type)) return c.constants.has(t.image) ? "keyword.constant" : c.declarations.has(t.image) ? "keyword.declaration" : "keyword";
  if (OPERATORS.has(type)) return "operator";
  if (DELIMITERS.has(type)) return "delimiter";
  if (BRACKETS.has(type)) return "delimiter.bracket";
  if (type === T.At) return "annotation";
  if (SOFT.has(type)) {
    const asName = (next !== undefined && NAME_FOLLOWERS.has(next.tokenType)) || prev?.tokenType === T.Dot;
    if (inPhrase.has(i)) return "keyword.soft";
    if (!asName && i === 0 && c.clauseStarts.has(t.image)) return "keyword.soft";
    if (!asName && c.modifiers.has(t.image)) return "keyword.soft";
  }
  // A name.
  if (next?.tokenType === T.LParen && FUNCTIONS.has(t.image)) return "predefined";
  if (prev?.tokenType === T.At) return "annotation";
  if (prev && RESERVED.has(prev.tokenType) && c.declarations.has(prev.image)) return "identifier.declaration";
  // `name: type` (a column) and `let name: type`.
  if (prev?.tokenType === T.Colon && isName(tokens[i - 2]) && (i === 2 || (i === 3 && tokens[0]!.tokenType === T.Let))) return "type";
  return type === T.QuotedIdentifier ? "identifier.quoted" : "identifier";
}

/** The scopes of a pipe-table row (`| a | 2025-01 | "x" |`), from `start` in the line. */
function tableRow(image: string, start: number, out: HighlightToken[]): void {
  const number = new RegExp(`^(?:${T.NumberLiteral.PATTERN instanceof RegExp ? T.NumberLiteral.PATTERN.source : "$^"})$`);
  const temporal = new RegExp(`^-?(?:${T.TemporalLiteral.PATTERN instanceof RegExp ? T.TemporalLiteral.PATTERN.source : "$^"})$`);
  let i = 0;
  while (i < image.length) {
    const ch = image[i]!;
    if (ch === "|") {
      out.push({ start: start + i, scope: "delimiter.table" });
      i++;
      continue;
    }
    const rest = image.slice(i);
    if (rest.trimStart().startsWith("//") && !rest.includes("|")) {
      const lead = rest.length - rest.trimStart().length;
      if (lead > 0) out.push({ start: start + i, scope: "" });
      out.push({ start: start + i + lead, scope: "comment" });
      return;
    }
    // A cell: up to the next `|` outside quotes.
    let j = i;
    let inQuotes = false;
    while (j < image.length) {
      const c = image[j]!;
      if (c === '"') inQuotes = !inQuotes;
      else if (c === "\\" && inQuotes) j++;
      else if (c === "|" && !inQuotes) break;
      j++;
    }
    const raw = image.slice(i, Math.min(j, image.length));
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (lead > 0) out.push({ start: start + i, scope: "" });
    if (text) {
      const scope = text.startsWith('"') ? "string" : number.test(text.replace(/^-/, "")) ? "number" : temporal.test(text) ? "number.date" : /^(?:true|false)$/.test(text) ? "keyword.constant" : "identifier";
      out.push({ start: start + i + lead, scope });
      if (raw.length > lead + text.length) out.push({ start: start + i + lead + text.length, scope: "" });
    }
    i = j;
  }
}

/**
 * The scopes of one line, in order of `start`, covering the whole line from offset 0 (white space
 * gets the scope ``). Lines are independent (see the module comment).
 */
export function highlightLine(line: string): HighlightToken[] {
  const c = keywordClasses();
  const lexed = lex(line, "");
  const tokens = lexed.tokens;
  const inPhrase = phraseTokens(tokens, c.phrases);
  const spans: Array<{ start: number; end: number; scopes: HighlightToken[] }> = [];
  tokens.forEach((t, i) => {
    const end = t.startOffset + t.image.length;
    if (t.tokenType === T.TableRow) {
      const out: HighlightToken[] = [];
      tableRow(t.image, t.startOffset, out);
      spans.push({ start: t.startOffset, end, scopes: out });
    } else spans.push({ start: t.startOffset, end, scopes: [{ start: t.startOffset, scope: scopeOf(tokens, i, inPhrase, c) }] });
  });
  for (const cm of lexed.comments) spans.push({ start: cm.startOffset, end: cm.startOffset + cm.image.length, scopes: [{ start: cm.startOffset, scope: "comment" }] });
  for (const d of lexed.diagnostics) {
    if (!d.span) continue;
    const scope = d.code === "unterminated-string" ? "string.invalid" : "invalid";
    spans.push({ start: d.span.start, end: d.span.end, scopes: [{ start: d.span.start, scope }] });
  }
  spans.sort((a, b) => a.start - b.start);
  const out: HighlightToken[] = [];
  let at = 0;
  const push = (tok: HighlightToken) => {
    const last = out[out.length - 1];
    if (last && last.start === tok.start) last.scope = tok.scope;
    else if (last && last.scope === tok.scope) return;
    else out.push(tok);
  };
  for (const s of spans) {
    if (s.start < at) continue; // overlapping (should not happen): keep the first
    if (s.start > at) push({ start: at, scope: "" });
    for (const tok of s.scopes) push(tok);
    at = s.end;
  }
  if (at < line.length || out.length === 0) push({ start: at, scope: "" });
  return out;
}

const OPENERS = new Set<TokenType>([T.LParen, T.LCurly]);

/**
 * The kind of the last token of `text` (the line before the cursor): a keyword (reserved, or a
 * soft word), an operator or separator after which an operand comes, an operand, or none.
 */
export function lastTokenKind(text: string): "keyword" | "operator" | "operand" | "none" {
  const { tokens } = lex(text, "");
  const t = tokens[tokens.length - 1];
  if (!t) return "none";
  if (RESERVED.has(t.tokenType) || SOFT.has(t.tokenType)) return "keyword";
  if (OPERATORS.has(t.tokenType) || OPENERS.has(t.tokenType) || t.tokenType === T.Comma || t.tokenType === T.Colon || t.tokenType === T.At) return "operator";
  return "operand";
}
