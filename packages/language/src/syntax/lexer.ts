import { Lexer, type IToken } from "chevrotain";
import { diagnostic, type Diagnostic } from "@yardstick/model";
import { Identifier, KEYWORD_BY_WORD, LEXER_TOKENS, UnterminatedString } from "./tokens.js";

let lexer: Lexer | undefined;

function getLexer(): Lexer {
  lexer ??= new Lexer(LEXER_TOKENS, { ensureOptimizations: true, positionTracking: "onlyOffset" });
  return lexer;
}

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

/** Splits source text into tokens; never throws. Keywords are retyped from identifiers by word. */
export function lex(text: string, file: string): LexResult {
  const r = getLexer().tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const e of r.errors) {
    const ch = text.slice(e.offset, e.offset + e.length);
    diagnostics.push(
      diagnostic("unexpected-character", { text: ch.length > 20 ? ch.slice(0, 20) + "…" : ch }, { file, span: { start: e.offset, end: e.offset + e.length } }),
    );
  }
  const tokens: IToken[] = [];
  // Offset-only tracking is twice as fast as full tracking; the end offset is one addition away.
  for (const c of r.groups["comments"] ?? []) c.endOffset = c.startOffset + c.image.length - 1;
  for (const t of r.tokens) {
    t.endOffset = t.startOffset + t.image.length - 1;
    if (t.tokenType === Identifier) {
      const kw = KEYWORD_BY_WORD.get(t.image);
      if (kw !== undefined) {
        t.tokenType = kw;
        t.tokenTypeIdx = kw.tokenTypeIdx!;
      }
    } else if (t.tokenType === UnterminatedString) {
      diagnostics.push(diagnostic("unterminated-string", {}, { file, span: { start: t.startOffset, end: t.endOffset! + 1 } }));
      continue;
    }
    tokens.push(t);
  }
  return { tokens, comments: r.groups["comments"] ?? [], diagnostics };
}
