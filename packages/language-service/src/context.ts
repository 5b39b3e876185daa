import { lex, tokens as T } from "@yardstick/language";

export type Token = ReturnType<typeof lex>["tokens"][number];
type TokenType = Token["tokenType"];

export type BlockKind = "top" | "dataset" | "kpi" | "rule" | "test";

/**
 * What surrounds an offset, read from tokens rather than the syntax tree: the tree of text being
 * typed is often cut short by recovery, while the tokens before the cursor are always there.
 */
export interface CursorContext {
  text: string;
  offset: number;
  /** The word around the offset (identifier characters); empty at `start === end === offset`. */
  word: { start: number; end: number; prefix: string };
  /** Every token of the text, and those that end before the word. */
  tokens: Token[];
  before: Token[];
  /** Inside a comment, a string or a table row: no code there. */
  inText: boolean;
  /** Only white space between the start of the line and the word. */
  lineStart: boolean;
  block: Block;
  /** Open braces inside the definition's body before the word (1 = the body itself). */
  depth: number;
  /** The token before the innermost open `{` (`status` for a status block). */
  opener: Token | undefined;
  /** The clause keyword the word belongs to, inside a definition's body. */
  clause: Token | undefined;
  prev: Token | undefined;
  prev2: Token | undefined;
}

export interface Block {
  kind: BlockKind;
  name?: string;
  /** Index in `tokens` of the keyword that starts the definition. */
  keyword?: number;
}

const DEFINITION: ReadonlyMap<TokenType, BlockKind> = new Map([
  [T.Dataset, "dataset"],
  [T.Kpi, "kpi"],
  [T.Rule, "rule"],
  [T.Test, "test"],
  [T.Import, "top"],
]);

/** Keywords that start a clause, by the kind of definition they appear in. */
export const CLAUSE_STARTS: Record<Exclude<BlockKind, "top">, readonly TokenType[]> = {
  dataset: [T.Let, T.KwZone, T.KwOn],
  kpi: [T.KwDescription, T.KwOwner, T.KwTags, T.From, T.KwValue, T.By, T.KwUnit, T.KwFormat, T.KwHigher, T.KwLower, T.KwMin, T.KwZone, T.KwTarget, T.KwStatus],
  rule: [T.When, T.KwRecover, T.KwSeverity, T.KwMessage, T.KwDescription, T.KwOn, T.By],
  test: [T.Given, T.Expect, T.KwAs],
};

const WORD = /[A-Za-z0-9_]/;

export function isIdentifier(t: Token | undefined): boolean {
  if (!t) return false;
  return t.tokenType === T.Identifier || (t.tokenType.CATEGORIES ?? []).includes(T.Identifier);
}

export const end = (t: Token): number => t.startOffset + t.image.length;

export function cursorContext(text: string, offset: number): CursorContext {
  const lexed = lex(text, "<editor>");
  let ws = offset;
  while (ws > 0 && WORD.test(text[ws - 1]!)) ws--;
  let we = offset;
  while (we < text.length && WORD.test(text[we]!)) we++;
  const tokens = lexed.tokens;
  const inComment = lexed.comments.some((c) => c.startOffset < offset && offset <= c.startOffset + c.image.length);
  const inString =
    tokens.some((t) => (t.tokenType === T.StringLiteral || t.tokenType === T.QuotedIdentifier) && t.startOffset < offset && offset < end(t)) ||
    tokens.some((t) => t.tokenType === T.TableRow && t.startOffset < offset && offset <= end(t)) ||
    lexed.diagnostics.some((d) => d.code === "unterminated-string" && d.span && d.span.start < offset && offset <= d.span.end);
  let n = 0;
  while (n < tokens.length && end(tokens[n]!) <= ws) n++;
  const before = tokens.slice(0, n);
  const lineBegin = text.lastIndexOf("\n", ws - 1) + 1;
  const scan = scanBlocks(tokens, n);
  const ctx: CursorContext = {
    text,
    offset,
    word: { start: ws, end: we, prefix: text.slice(ws, offset) },
    tokens,
    before,
    inText: inComment || inString,
    lineStart: text.slice(lineBegin, ws).trim() === "",
    block: scan.block,
    depth: scan.depth,
    opener: scan.opener,
    clause: undefined,
    prev: before[n - 1],
    prev2: before[n - 2],
  };
  ctx.clause = findClause(ctx, scan.bodyFrom);
  return ctx;
}

/** Walks the tokens before index `n`, tracking which definition and how many braces are open. */
function scanBlocks(tokens: Token[], n: number) {
  let block: Block = { kind: "top" };
  let pending: Block | undefined;
  let depth = 0;
  let bodyFrom = 0;
  const openers: Array<Token | undefined> = [];
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const kind = DEFINITION.get(t.tokenType);
    if (kind) {
      // Reserved words start nothing else: an unclosed earlier definition ends here.
      depth = 0;
      openers.length = 0;
      block = { kind: "top" };
      const next = tokens[i + 1];
      pending = { kind, keyword: i };
      if (next && (isIdentifier(next) || next.tokenType === T.StringLiteral)) pending.name = next.image.replace(/^["`]|["`]$/g, "");
    } else if (t.tokenType === T.LCurly) {
      depth++;
      openers.push(tokens[i - 1]);
      if (depth === 1 && pending) {
        block = pending;
        bodyFrom = i + 1;
        pending = undefined;
      }
    } else if (t.tokenType === T.RCurly) {
      depth = Math.max(0, depth - 1);
      openers.pop();
      if (depth === 0) block = { kind: "top" };
    }
  }
  if (block.kind === "top" && pending) block = { kind: "top", ...(pending.name ? { name: pending.name } : {}) };
  return { block, depth, opener: depth > 1 ? openers[openers.length - 1] : undefined, bodyFrom };
}

/** The last clause keyword of the body that starts a line (or follows the opening brace). */
function findClause(ctx: CursorContext, bodyFrom: number): Token | undefined {
  if (ctx.block.kind === "top") return undefined;
  const starts = CLAUSE_STARTS[ctx.block.kind];
  let depth = 1;
  let found: Token | undefined;
  for (let i = bodyFrom; i < ctx.before.length; i++) {
    const t = ctx.before[i]!;
    if (t.tokenType === T.LCurly) depth++;
    else if (t.tokenType === T.RCurly) depth--;
    else if (depth === 1 && starts.includes(t.tokenType) && startsLine(ctx.text, ctx.before[i - 1], t)) found = t;
  }
  return found;
}

function startsLine(text: string, prev: Token | undefined, t: Token): boolean {
  if (!prev || prev.tokenType === T.LCurly || prev.tokenType === T.RCurly) return true;
  return text.slice(end(prev), t.startOffset).includes("\n");
}

/** The tokens of the definition around the context, from its keyword to its closing brace. */
export function blockTokens(ctx: CursorContext): Token[] {
  if (ctx.block.keyword === undefined) return [];
  const out: Token[] = [];
  let depth = 0;
  for (let i = ctx.block.keyword; i < ctx.tokens.length; i++) {
    const t = ctx.tokens[i]!;
    if (i > ctx.block.keyword && DEFINITION.has(t.tokenType)) break;
    out.push(t);
    if (t.tokenType === T.LCurly) depth++;
    else if (t.tokenType === T.RCurly && --depth === 0) break;
  }
  return out;
}

/** The dataset a KPI reads (`from <dataset>` in its body), wherever the clause stands. */
export function kpiDataset(ctx: CursorContext): string | undefined {
  if (ctx.block.kind !== "kpi") return undefined;
  const toks = blockTokens(ctx);
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.tokenType === T.LCurly) depth++;
    else if (t.tokenType === T.RCurly) depth--;
    else if (depth === 1 && t.tokenType === T.From && isIdentifier(toks[i + 1])) return toks[i + 1]!.image;
  }
  return undefined;
}

/** `customer.region.` before the word: the names of the path, outermost first. */
export function pathBefore(ctx: CursorContext): string[] | undefined {
  const b = ctx.before;
  if (ctx.prev?.tokenType !== T.Dot) return undefined;
  const names: string[] = [];
  let i = b.length - 1;
  while (i >= 1 && b[i]!.tokenType === T.Dot && isIdentifier(b[i - 1])) {
    names.unshift(b[i - 1]!.image);
    i -= 2;
  }
  return names;
}
