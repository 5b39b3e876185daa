import type { IRecognitionException, IToken, TokenType } from "chevrotain";
import { diagnostic, type Diagnostic } from "@yardstick/model";
import type { Expr, FileNode, TopLevel } from "./ast.js";
import { fastParse, fastParseFragment } from "./fast-parser.js";
import { CommentNode, SourceSpan } from "./nodes.js";
import { giveBack, scan, takeStream } from "./lexer.js";
import { KpiParser } from "./parser.js";
import * as T from "./tokens.js";
import { TableRow } from "./tokens.js";

let parser: KpiParser | undefined;

/** The one parser instance; chevrotain parsers are built once and reused. */
export function getParser(): KpiParser {
  parser ??= new KpiParser();
  return parser;
}

const NO_TOKENS: IToken[] = [];

/**
 * Lets go of the tokens once their file is parsed. The parser is reused and would otherwise keep
 * a large file's tokens alive until the next parse, long enough for the garbage collector to
 * move them to the old generation, which is expensive.
 */
function releaseTokens(p: KpiParser): void {
  p.input = NO_TOKENS;
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
  const stream = takeStream();
  const lexed = scan(text, file, stream);
  // Valid input takes the fast path, which builds the same tree; anything else is read, and its
  // errors reported and recovered from, by the chevrotain parser.
  const fast = fastParse(stream, MAX_EXPR_DEPTH);
  const tokens = fast ? undefined : stream.tokens();
  giveBack(stream);
  if (fast) return { ast: finish(fast, text, lexed.comments), diagnostics: lexed.diagnostics };
  const p = getParser();
  const deep: Diagnostic[] = [];
  p.longestExpression = 0;
  const { ast, errors } = parseTokens(p, tokens!, file, deep);
  releaseTokens(p);
  finish(ast, text, lexed.comments);
  const diagnostics = [...lexed.diagnostics];
  let lastEnd = -1;
  const reported = new Set<object>();
  for (const e of errors) {
    const span = errorSpan(e, text.length);
    // One mistake, one diagnostic: recovery may report follow-on errors at the same place, or
    // further on in the same definition; the first error of a definition is the one to fix.
    if (span.start <= lastEnd) continue;
    const item = ast.items.find((i) => i.span.start <= span.start && span.start <= i.span.end);
    if (item && "name" in item) {
      (item as { recovered?: boolean }).recovered = true;
      if (reported.has(item)) continue;
      reported.add(item);
    }
    lastEnd = span.end;
    if (e.token.tokenType === TableRow) diagnostics.push(diagnostic("table-row-outside-fixture", {}, { file, span }));
    else diagnostics.push(diagnostic("syntax-error", { text: e.message }, { file, span }));
  }
  // Walking the whole tree costs a few percent of parsing: skip it when no expression is long
  // enough to nest too deeply (`limitChild` leaves shorter expressions alone anyway).
  if (p.longestExpression >= MAX_EXPR_DEPTH) limitDepth(ast, file, deep);
  diagnostics.push(...deep);
  return { ast, diagnostics };
}

/** The file spans the whole text and carries its comments. */
function finish(ast: FileNode, text: string, comments: IToken[]): FileNode {
  ast.span = new SourceSpan(0, text.length);
  ast.comments = comments.map((c) => new CommentNode(c.image, new SourceSpan(c.startOffset, c.endOffset! + 1)));
  return ast;
}

/**
 * How deeply expressions may nest. The checker, the lowering's schema validation and the engine
 * walk expressions recursively; past this depth they could overflow the stack, so a deeper
 * expression becomes an error here instead.
 */
export const MAX_EXPR_DEPTH = 256;

function tooDeep(file: string, span: { start: number; end: number }): Diagnostic {
  return diagnostic("syntax-error", { text: "This expression is nested too deeply." }, { file, span, hints: [`Expressions may nest at most ${MAX_EXPR_DEPTH} levels: split it into derived columns (\`let\`) or KPIs.`] });
}

/**
 * Runs the parser over the tokens. Input nested so deeply that the (recursive) parser overflows
 * the stack is read again definition by definition: the definitions that overflow are reported
 * and left out, the others are kept.
 */
function parseTokens(p: KpiParser, tokens: IToken[], file: string, deep: Diagnostic[]): { ast: FileNode; errors: IRecognitionException[] } {
  try {
    p.input = tokens;
    const ast = p.file();
    return { ast, errors: [...p.errors] };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  const items: TopLevel[] = [];
  const errors: IRecognitionException[] = [];
  for (const chunk of splitDefinitions(tokens)) {
    try {
      p.input = chunk;
      const f = p.file();
      items.push(...f.items);
      errors.push(...p.errors);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      deep.push(tooDeep(file, deepestPoint(chunk)));
    }
  }
  return { ast: { kind: "File", items, comments: [], span: { start: 0, end: 0 } }, errors };
}

const DEFINITION_STARTS = new Set<TokenType>([T.Dataset, T.Kpi, T.Rule, T.Test, T.Import]);

/** Token runs that each start with a definition keyword (reserved words: they start nothing else). */
function splitDefinitions(tokens: IToken[]): IToken[][] {
  const chunks: IToken[][] = [[]];
  for (const t of tokens) {
    if (DEFINITION_STARTS.has(t.tokenType) && chunks[chunks.length - 1]!.length > 0) chunks.push([]);
    chunks[chunks.length - 1]!.push(t);
  }
  return chunks;
}

/** The token where brackets and prefix operators nest deepest, to point the diagnostic at. */
function deepestPoint(tokens: IToken[]): { start: number; end: number } {
  let depth = 0;
  let run = 0;
  let best = -1;
  let at = tokens[0];
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === T.LParen || type === T.Case) depth++;
    else if (type === T.RParen || type === T.End) depth--;
    run = type === T.Not || type === T.Minus || type === T.LParen ? run + 1 : 0;
    if (depth + run > best) {
      best = depth + run;
      at = t;
    }
  }
  return at ? { start: at.startOffset, end: at.startOffset + at.image.length } : { start: 0, end: 0 };
}

const EXPR_KINDS = new Set([
  "NumberLit", "StringLit", "TemporalLit", "BoolLit", "NullLit", "NameRef", "PathExpr", "CallExpr", "UnaryExpr",
  "BinaryExpr", "InExpr", "BetweenExpr", "IsNullExpr", "CaseExpr", "WindowExpr", "ParenExpr", "ErrorExpr",
]);

const isExpr = (o: object): o is Expr => EXPR_KINDS.has((o as { kind?: string }).kind as string);

/** True when `root` nests more than `limit` expressions deep (walked without recursion). */
function deeperThan(root: Expr, limit: number): boolean {
  const stack: Array<[object, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    for (const v of Object.values(node)) {
      if (v === null || typeof v !== "object") continue;
      for (const x of Array.isArray(v) ? v : [v]) {
        if (x === null || typeof x !== "object") continue;
        const d = isExpr(x) ? depth + 1 : depth;
        if (d > limit) return true;
        stack.push([x, d]);
      }
    }
  }
  return false;
}

/**
 * Replaces every expression nested deeper than MAX_EXPR_DEPTH by an ErrorExpr and reports it.
 * Only expressions whose text is at least that long can be that deep, so the rest is skipped.
 */
function limitDepth(node: object, file: string, out: Diagnostic[]): void {
  // This walks every definition and clause of the file, so it avoids allocating: `for…in` over
  // the AST's plain objects (own properties only) and indexed loops over arrays.
  const holder = node as Record<string, unknown>;
  for (const key in holder) {
    const v = holder[key];
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x !== null && typeof x === "object") v[i] = limitChild(x, file, out);
      }
    } else holder[key] = limitChild(v, file, out);
  }
}

function limitChild(x: object, file: string, out: Diagnostic[]): object {
  if (!isExpr(x)) {
    limitDepth(x, file, out);
    return x;
  }
  const span = x.span;
  const long = !span || !Number.isFinite(span.start) || !Number.isFinite(span.end) || span.end - span.start >= MAX_EXPR_DEPTH;
  if (!long || !deeperThan(x, MAX_EXPR_DEPTH)) return x;
  const s = span && Number.isFinite(span.start) && Number.isFinite(span.end) ? { start: span.start, end: span.end } : { start: 0, end: 0 };
  out.push(tooDeep(file, s));
  return { kind: "ErrorExpr", span: s };
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
  const stream = takeStream();
  const lexed = scan(text, file, stream, offset);
  const fast = fastParseFragment(stream, rule, MAX_EXPR_DEPTH);
  const tokens = fast ? [] : stream.tokens();
  giveBack(stream);
  if (fast) return { node: fast, ok: lexed.diagnostics.length === 0, diagnostics: lexed.diagnostics };
  const p = getParser();
  p.input = tokens;
  const diagnostics = [...lexed.diagnostics];
  let node: Expr | undefined;
  try {
    node = rule === "expression" ? p.expression() : p.additive();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    diagnostics.push(tooDeep(file, deepestPoint(tokens)));
    return { node: undefined, ok: false, diagnostics };
  }
  if (node) {
    const holder = { node: node as Expr | object };
    limitDepth(holder, file, diagnostics);
    node = holder.node as Expr;
  }
  for (const e of p.errors) diagnostics.push(diagnostic("syntax-error", { text: e.message }, { file, span: errorSpan(e, offset + text.length) }));
  releaseTokens(p);
  return { node, ok: diagnostics.length === 0 && tokens.length > 0 && node !== undefined && node.kind !== "ErrorExpr", diagnostics };
}
