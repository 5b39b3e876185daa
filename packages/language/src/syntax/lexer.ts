import type { IToken, TokenType } from "chevrotain";
import { diagnostic, type Diagnostic } from "@yardstick/model";
import * as T from "./tokens.js";

/**
 * The lexer: one pass over the character codes, producing the tokens chevrotain's parser reads
 * (same token types, offsets and images as chevrotain's own regex lexer built from
 * `LEXER_TOKENS`; `lexer.test.ts` checks them against it). Written by hand because lexing is a
 * large share of the front end's time and chevrotain's lexer tries a regex per candidate token.
 *
 * The token patterns in tokens.ts stay the definition: this is a faster reading of them. Tokens
 * are matched in `LEXER_TOKENS` order, the first that matches wins (not the longest), and
 * characters no token can start are dropped up to the next character one can, as one
 * `unexpected-character` error.
 */

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

// Character classes of the first 256 code units.
const WORD_START = 1; // [A-Za-z_]
const WORD = 2; // [A-Za-z0-9_]
const DIGIT = 4; // [0-9]
const SPACE = 8; // the WhiteSpace token's characters

const CLASS = new Uint8Array(256);
const mark = (from: string, to: string, bits: number) => {
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) CLASS[c] = CLASS[c]! | bits;
};
mark("A", "Z", WORD_START | WORD);
mark("a", "z", WORD_START | WORD);
mark("_", "_", WORD_START | WORD);
mark("0", "9", DIGIT | WORD);
for (const ch of " \t\r\n\f\v\u00a0") mark(ch, ch, SPACE); // and U+FEFF, above 255

const LF = 10;
const CR = 13;
const BOM = 0xfeff;
const PLUS_MINUS_SIGN = 0xb1; // ±

/** Single-character tokens, by character code. */
const SINGLE: Array<TokenType | undefined> = [];
for (const [ch, t] of [["*", T.Star], ["%", T.PercentSign], [",", T.Comma], [":", T.Colon], ["?", T.Question], ["@", T.At], ["(", T.LParen], [")", T.RParen], ["{", T.LCurly], ["}", T.RCurly]] as const) {
  SINGLE[ch.charCodeAt(0)] = t;
}

/** The TemporalLiteral pattern, anchored; tried only where four digits and `-` start a token. */
const TEMPORAL = new RegExp((T.TemporalLiteral.PATTERN as RegExp).source, "y");

const isDigit = (c: number) => c < 256 && (CLASS[c]! & DIGIT) !== 0;
const isWord = (c: number) => c < 256 && (CLASS[c]! & WORD) !== 0;
const isLineEnd = (c: number) => c === LF || c === CR;

/** A token as chevrotain's parser reads it (made only for that parser and for `lex`). */
class Token implements IToken {
  image: string;
  startOffset: number;
  endOffset: number;
  tokenTypeIdx: number;
  tokenType: TokenType;

  constructor(image: string, startOffset: number, tokenType: TokenType) {
    this.image = image;
    this.startOffset = startOffset;
    this.endOffset = startOffset + image.length - 1;
    this.tokenTypeIdx = tokenType.tokenTypeIdx!;
    this.tokenType = tokenType;
  }
}

/** Token types by `tokenTypeIdx`. */
export const TOKEN_TYPES: TokenType[] = [];
for (const t of T.ALL_TOKENS) TOKEN_TYPES[t.tokenTypeIdx!] = t;

/**
 * The tokens of one text as parallel arrays: type (`tokenTypeIdx`), start and end offset (end
 * exclusive) of token `i`, images read from the text on demand. The fast parser reads these
 * directly, so a valid file is parsed without an object per token: a file's tokens live as long
 * as its parse, long enough for V8 to copy token objects to the old generation, which costs more
 * than lexing them. A stream is reused from parse to parse (see `takeStream`).
 */
export class TokenStream {
  text = "";
  /** Added to every offset: the position of `text` in its file (fragments of a file). */
  offset = 0;
  count = 0;
  types = new Uint16Array(1024);
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);

  reset(text: string, offset: number): void {
    this.text = text;
    this.offset = offset;
    this.count = 0;
  }

  push(type: number, start: number, end: number): void {
    const i = this.count;
    if (i === this.types.length) this.grow();
    this.types[i] = type;
    this.starts[i] = start + this.offset;
    this.ends[i] = end + this.offset;
    this.count = i + 1;
  }

  /** The text of token `i`. */
  image(i: number): string {
    return this.text.substring(this.starts[i]! - this.offset, this.ends[i]! - this.offset);
  }

  /** The tokens as objects, for chevrotain's parser. */
  tokens(): IToken[] {
    const out: IToken[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = new Token(this.image(i), this.starts[i]!, TOKEN_TYPES[this.types[i]!]!);
    return out;
  }

  private grow(): void {
    const size = this.types.length * 2;
    const types = new Uint16Array(size);
    types.set(this.types);
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.types = types;
    this.starts = starts;
    this.ends = ends;
  }
}

let spare: TokenStream | undefined;

/** A stream to scan into: the spare one when it is free (parses do not nest, but may). */
export function takeStream(): TokenStream {
  const s = spare ?? new TokenStream();
  spare = undefined;
  return s;
}

/** Streams with room for more tokens than this are not kept for reuse (about 10 MB). */
const MAX_SPARE_TOKENS = 1 << 20;

/** Gives a stream back for the next parse; its text is let go, and a huge stream altogether. */
export function giveBack(s: TokenStream): void {
  s.reset("", 0);
  if (s.types.length <= MAX_SPARE_TOKENS) spare = s;
}

const IDENTIFIER = T.Identifier.tokenTypeIdx!;

/** Keywords by first character code and length: [word, tokenTypeIdx] pairs. */
const KEYWORDS: Array<Array<Array<[string, number]> | undefined> | undefined> = [];
let MAX_KEYWORD_LENGTH = 0;
for (const [word, type] of T.KEYWORD_BY_WORD) {
  const byLength = (KEYWORDS[word.charCodeAt(0)] ??= []);
  (byLength[word.length] ??= []).push([word, type.tokenTypeIdx!]);
  MAX_KEYWORD_LENGTH = Math.max(MAX_KEYWORD_LENGTH, word.length);
}

/** The token type of the word `text[i, j)`: a keyword's, or Identifier. Allocates nothing. */
function keywordAt(text: string, i: number, j: number): number {
  const candidates = KEYWORDS[text.charCodeAt(i)]?.[j - i];
  if (candidates !== undefined) for (const [word, type] of candidates) if (text.startsWith(word, i)) return type;
  return IDENTIFIER;
}

/** Splits source text into tokens (see `scan`), as token objects. */
export function lex(text: string, file: string, offset = 0): LexResult {
  const stream = takeStream();
  const { comments, diagnostics } = scan(text, file, stream, offset);
  const tokens = stream.tokens();
  giveBack(stream);
  return { tokens, comments, diagnostics };
}

/** The end of the number starting at `i` (a digit): `\d+(\.\d+)?([eE][+-]?\d+)?`. */
function numberEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 46 /* . */ && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69 /* e E */) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45 /* + - */) j++;
    if (isDigit(text.charCodeAt(j))) {
      j++;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

/** The end of the string literal starting at `i` (a `"`), and whether it is closed. */
function stringEnd(text: string, i: number): { end: number; closed: boolean } {
  const n = text.length;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) return { end: i + 1, closed: true };
    if (isLineEnd(c)) break;
    if (c === 92 /* \ */) {
      // `\\.`: `.` matches any code unit but a line terminator.
      const next = text.charCodeAt(i + 1);
      if (i + 1 >= n || isLineEnd(next) || next === 0x2028 || next === 0x2029) break;
      i += 2;
    } else i++;
  }
  return { end: i, closed: false };
}

/** The end of the quoted identifier starting at `i` (a backquote), or -1 when it is not closed on its line. */
function quotedEnd(text: string, i: number): number {
  const n = text.length;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 96 /* ` */) return j + 1;
    if (isLineEnd(c)) return -1;
  }
  return -1;
}

/** True when some token matches at `i` (where lexing resumes after unexpected characters). */
function canStartToken(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 256) {
    if (CLASS[c]! & (WORD_START | DIGIT | SPACE)) return true;
    if (SINGLE[c] !== undefined) return true;
  }
  switch (c) {
    case 47: // /
    case 124: // |
    case 34: // "
    case 43: // +
    case PLUS_MINUS_SIGN:
    case 45: // -
    case 62: // >
    case 60: // <
    case 61: // =
    case 46: // .
    case BOM:
      return true;
    case 33: // !
      return text.charCodeAt(i + 1) === 61;
    case 96: // `
      return quotedEnd(text, i) !== -1;
    default:
      return false;
  }
}

/**
 * Splits source text into tokens; never throws. Keywords are identifiers retyped by word. The
 * tokens go to `out` (emptied first) as parallel arrays of types and offsets, shifted by `offset`;
 * comments (as tokens) and diagnostics are returned.
 */
export function scan(text: string, file: string, out: TokenStream, offset = 0): { comments: IToken[]; diagnostics: Diagnostic[] } {
  const n = text.length;
  out.reset(text, offset);
  const comments: IToken[] = [];
  const diagnostics: Diagnostic[] = [];
  let unterminated: Diagnostic[] | undefined;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cls = c < 256 ? CLASS[c]! : 0;
    if (cls & WORD_START) {
      let j = i + 1;
      while (j < n && isWord(text.charCodeAt(j))) j++;
      out.push(j - i <= MAX_KEYWORD_LENGTH ? keywordAt(text, i, j) : IDENTIFIER, i, j);
      i = j;
      continue;
    }
    if (cls & SPACE || c === BOM) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (!((d < 256 && CLASS[d]! & SPACE) || d === BOM)) break;
        i++;
      }
      continue;
    }
    if (cls & DIGIT) {
      let j = -1;
      if (text.charCodeAt(i + 4) === 45 /* - */ && isDigit(text.charCodeAt(i + 1)) && isDigit(text.charCodeAt(i + 2)) && isDigit(text.charCodeAt(i + 3))) {
        TEMPORAL.lastIndex = i;
        if (TEMPORAL.test(text)) j = TEMPORAL.lastIndex;
      }
      if (j !== -1) out.push(T.TemporalLiteral.tokenTypeIdx!, i, j);
      else {
        j = numberEnd(text, i);
        out.push(T.NumberLiteral.tokenTypeIdx!, i, j);
      }
      i = j;
      continue;
    }
    const single = c < 256 ? SINGLE[c] : undefined;
    if (single !== undefined) {
      out.push(single.tokenTypeIdx!, i, i + 1);
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    switch (c) {
      case 34: {
        // "
        const s = stringEnd(text, i);
        if (s.closed) out.push(T.StringLiteral.tokenTypeIdx!, i, s.end);
        else (unterminated ??= []).push(diagnostic("unterminated-string", {}, { file, span: { start: i + offset, end: s.end + offset } }));
        i = s.end;
        continue;
      }
      case 47: // /
        if (next === 47) {
          let j = i + 2;
          while (j < n && !isLineEnd(text.charCodeAt(j))) j++;
          comments.push(new Token(text.substring(i, j), i + offset, T.Comment));
          i = j;
        } else {
          out.push(T.Slash.tokenTypeIdx!, i, i + 1);
          i++;
        }
        continue;
      case 124: {
        // |
        let j = i + 1;
        while (j < n && !isLineEnd(text.charCodeAt(j))) j++;
        out.push(T.TableRow.tokenTypeIdx!, i, j);
        i = j;
        continue;
      }
      case 43: // +
        if (next === 45) {
          out.push(T.PlusMinus.tokenTypeIdx!, i, i + 2);
          i += 2;
        } else {
          out.push(T.Plus.tokenTypeIdx!, i, i + 1);
          i++;
        }
        continue;
      case PLUS_MINUS_SIGN:
        out.push(T.PlusMinus.tokenTypeIdx!, i, i + 1);
        i++;
        continue;
      case 45: // -
        if (next === 62) {
          out.push(T.Arrow.tokenTypeIdx!, i, i + 2);
          i += 2;
        } else {
          out.push(T.Minus.tokenTypeIdx!, i, i + 1);
          i++;
        }
        continue;
      case 62: // >
        if (next === 61) {
          out.push(T.GreaterEq.tokenTypeIdx!, i, i + 2);
          i += 2;
        } else {
          out.push(T.Greater.tokenTypeIdx!, i, i + 1);
          i++;
        }
        continue;
      case 60: // <
        if (next === 61) {
          out.push(T.LessEq.tokenTypeIdx!, i, i + 2);
          i += 2;
        } else if (next === 62) {
          out.push(T.NotEq.tokenTypeIdx!, i, i + 2);
          i += 2;
        } else {
          out.push(T.Less.tokenTypeIdx!, i, i + 1);
          i++;
        }
        continue;
      case 61: // =
        if (next === 61) {
          out.push(T.Equals.tokenTypeIdx!, i, i + 2);
          i += 2;
        } else {
          out.push(T.Equals.tokenTypeIdx!, i, i + 1);
          i++;
        }
        continue;
      case 46: // .
        if (next === 46) {
          out.push(T.DotDot.tokenTypeIdx!, i, i + 2);
          i += 2;
        } else {
          out.push(T.Dot.tokenTypeIdx!, i, i + 1);
          i++;
        }
        continue;
      case 33: // !
        if (next === 61) {
          out.push(T.NotEq.tokenTypeIdx!, i, i + 2);
          i += 2;
          continue;
        }
        break;
      case 96: {
        // `
        const j = quotedEnd(text, i);
        if (j !== -1) {
          out.push(T.QuotedIdentifier.tokenTypeIdx!, i, j);
          i = j;
          continue;
        }
        break;
      }
    }
    // No token starts here: skip to where one does.
    const start = i;
    do i++;
    while (i < n && !canStartToken(text, i));
    const ch = text.slice(start, i);
    diagnostics.push(
      diagnostic("unexpected-character", { text: ch.length > 20 ? ch.slice(0, 20) + "…" : ch }, { file, span: { start: start + offset, end: i + offset } }),
    );
  }
  if (unterminated) diagnostics.push(...unterminated);
  return { comments, diagnostics };
}
