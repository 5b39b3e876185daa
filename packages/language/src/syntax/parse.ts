import type { IRecognitionException } from "chevrotain";
import { diagnostic, type Diagnostic } from "@yardstick/model";
import type { Expr, FileNode } from "./ast.js";
import { lex } from "./lexer.js";
import { KpiParser } from "./parser.js";
import { TableRow } from "./tokens.js";

let parser: KpiParser | undefined;

/** The one parser instance; chevrotain parsers are built once and reused. */
export function getParser(): KpiParser {
  parser ??= new KpiParser();
  return parser;
}

export interface ParseResult {
  ast: FileNode;
  diagnostics: Diagnostic[];
}

/**
 * Text to AST. Never throws on user input: lexing and parsing errors become diagnostics, and
 * error recovery keeps the rest of the file (editors need partial trees).
 */
export function parse(text: string, file = "<input>"): ParseResult {
  const lexed = lex(text, file);
  const p = getParser();
  p.input = lexed.tokens;
  const ast = p.file();
  ast.span = { start: 0, end: text.length };
  ast.comments = lexed.comments.map((c) => ({ text: c.image, span: { start: c.startOffset, end: c.endOffset! + 1 } }));
  const diagnostics = [...lexed.diagnostics];
  let lastEnd = -1;
  for (const e of p.errors) {
    const span = errorSpan(e, text.length);
    // One mistake, one diagnostic: recovery may report follow-on errors at the same place.
    if (span.start <= lastEnd) continue;
    lastEnd = span.end;
    if (e.token.tokenType === TableRow) diagnostics.push(diagnostic("table-row-outside-fixture", {}, { file, span }));
    else diagnostics.push(diagnostic("syntax-error", { text: e.message }, { file, span }));
  }
  return { ast, diagnostics };
}

function errorSpan(e: IRecognitionException, length: number) {
  const t = e.token;
  if (t.tokenType.name === "EOF" || !Number.isFinite(t.startOffset)) {
    const prev = (e as { previousToken?: { endOffset?: number } }).previousToken;
    const at = prev && Number.isFinite(prev.endOffset) ? prev.endOffset! + 1 : length;
    return { start: Math.min(at, length), end: Math.min(at, length) };
  }
  return { start: t.startOffset, end: t.endOffset! + 1 };
}

/**
 * Parses a fragment of a file (a message placeholder, a `--where` option) with one grammar rule.
 * Offsets in the result are shifted by `offset`, so spans point into the enclosing file.
 */
export function parseFragment(text: string, offset: number, rule: "expression" | "additive", file = "<input>"): { node: Expr | undefined; ok: boolean; diagnostics: Diagnostic[] } {
  const lexed = lex(text, file);
  for (const t of lexed.tokens) {
    t.startOffset += offset;
    if (t.endOffset !== undefined) t.endOffset += offset;
  }
  for (const d of lexed.diagnostics) if (d.span) d.span = { start: d.span.start + offset, end: d.span.end + offset };
  const p = getParser();
  p.input = lexed.tokens;
  const node = rule === "expression" ? p.expression() : p.additive();
  const diagnostics = [...lexed.diagnostics];
  for (const e of p.errors) diagnostics.push(diagnostic("syntax-error", { text: e.message }, { file, span: errorSpan(e, offset + text.length) }));
  return { node, ok: diagnostics.length === 0 && lexed.tokens.length > 0 && node !== undefined && node.kind !== "ErrorExpr", diagnostics };
}
