import { diagnostic, type Diagnostic, type Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { lex } from "../syntax/lexer.js";
import { parse, parseFragment } from "../syntax/parse.js";
import type { ScalarText } from "./scalar-text.js";
import { shiftSpans } from "./tree.js";

/**
 * `.kpi` syntax inside YAML strings. Expressions are read with the expression grammar at the
 * string's offset in the YAML text, so every position (and every diagnostic) points into the YAML
 * file. Clause-shaped strings (`>= 0.7 when channel = "phone"`, `nps by month`, `channel, month`)
 * are read by the `.kpi` parser itself inside a small wrapper (`kpi _ { target … }`), and the
 * result is shifted back onto the YAML text.
 */

export interface Fragment<T> {
  node: T | undefined;
  diagnostics: Diagnostic[];
  /** `//` comments inside the text (block scalars may hold them). */
  comments: A.Comment[];
}

/** Messages written for whole files, reworded for a value that is one expression or clause. */
function reword(d: Diagnostic): Diagnostic {
  d.message = d.message
    .replace(/^Unexpected (.*): expected a dataset, kpi, rule, test or import\.$/, "Unexpected $1 after the end of the expression.")
    .replace(/the end of the file/g, "the end of the value")
    .replace(/but found "\}"\.$/, "but found the end of the value.");
  return d;
}

function clamp(d: Diagnostic, range: Span): Diagnostic {
  if (d.span) {
    const start = Math.min(Math.max(d.span.start, range.start), range.end);
    const end = Math.min(Math.max(d.span.end, start), range.end);
    d.span = { start, end };
  }
  return d;
}

function commentsIn(st: ScalarText, file: string): A.Comment[] {
  if (!st.text.includes("//")) return [];
  return lex(st.text, file).comments.map((c) => ({ text: c.image, span: { start: st.offset + c.startOffset, end: st.offset + c.startOffset + c.image.length } }));
}

function empty<T>(st: ScalarText, file: string, what: string): Fragment<T> {
  return {
    node: undefined,
    diagnostics: [diagnostic("yaml-invalid", { text: `Expected ${what}, but the value is empty.` }, { file, span: { start: st.offset, end: st.offset } })],
    comments: [],
  };
}

/** An expression (`rule` "expression") or an arithmetic operand (`rule` "additive"). */
export function parseExprText(st: ScalarText, rule: "expression" | "additive", file: string, what = "an expression"): Fragment<A.Expr> {
  if (st.text.trim() === "") return empty(st, file, what);
  const range = { start: st.offset, end: st.offset + st.text.length };
  const r = parseFragment(st.text, st.offset, rule, file);
  const diagnostics = r.diagnostics.map((d) => clamp(reword(d), range));
  return { node: r.node, diagnostics, comments: commentsIn(st, file) };
}

/**
 * `.kpi` clause text read by the real parser: `head` opens a definition (`kpi _ {\n  target `),
 * the text and `tail` follow, and `}` closes it. Returns the definition with spans in YAML offsets.
 */
export function parseClauseText<T extends A.TopLevel>(st: ScalarText, head: string, file: string, what: string, tail = ""): Fragment<T> {
  if (st.text.trim() === "") return empty(st, file, what);
  const source = `${head}${st.text}${tail}\n}`;
  const parsed = parse(source, file);
  const delta = st.offset - head.length;
  const item = parsed.ast.items[0] as T | undefined;
  if (item) shiftSpans(item, delta);
  const range = { start: st.offset, end: st.offset + st.text.length };
  const diagnostics = parsed.diagnostics.map((d) => {
    if (d.span) d.span = { start: d.span.start + delta, end: d.span.end + delta };
    return clamp(reword(d), range);
  });
  const comments = parsed.ast.comments.map((c) => ({ text: c.text, span: { start: c.span.start + delta, end: c.span.end + delta } }));
  return { node: parsed.ast.items.length === 1 ? item : undefined, diagnostics, comments };
}

const COMPARATORS: Record<string, A.ComparatorOp> = { ">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "=", "==": "=", "!=": "!=", "<>": "!=" };

/**
 * One arm of a target, `[comparator] value [when condition]` (`>= 0.7 when channel = "phone"`),
 * as one item of a YAML list of arms: the `.kpi` grammar reads arms only as an `else` chain.
 */
export function parseTargetArm(st: ScalarText, file: string): Fragment<A.TargetArm> {
  const what = 'a target such as ">= 30"';
  if (st.text.trim() === "") return empty(st, file, what);
  const tokens = lex(st.text, file).tokens;
  let i = 0;
  let comparator: A.ComparatorOp | undefined;
  if (tokens[0] && COMPARATORS[tokens[0].image]) {
    comparator = COMPARATORS[tokens[0].image];
    i = 1;
  }
  // The arm's `when` is the first one outside brackets and `case … end`.
  let depth = 0;
  let whenAt = -1;
  for (let j = i; j < tokens.length; j++) {
    const name = tokens[j]!.tokenType.name;
    if (name === "LParen" || name === "Case") depth++;
    else if (name === "RParen" || name === "End") depth--;
    else if (name === "When" && depth === 0) {
      whenAt = j;
      break;
    }
  }
  const valueStart = tokens[i]?.startOffset ?? st.text.length;
  const valueEnd = whenAt >= 0 ? tokens[whenAt]!.startOffset : st.text.length;
  const sub = (a: number, b: number): ScalarText => ({ text: st.text.slice(a, b), offset: st.offset + a, exact: st.exact });
  const value = parseExprText(sub(valueStart, valueEnd), "additive", file, "a target value");
  const diagnostics = [...value.diagnostics];
  const comments = [...value.comments];
  const arm: A.TargetArm = { value: value.node ?? { kind: "ErrorExpr", span: { start: st.offset, end: st.offset } }, span: { start: st.offset, end: st.offset + st.text.trimEnd().length } };
  if (comparator) arm.comparator = comparator;
  if (whenAt >= 0) {
    const w = tokens[whenAt]!;
    const cond = parseExprText(sub(w.startOffset + w.image.length, st.text.length), "expression", file, "a condition after `when`");
    diagnostics.push(...cond.diagnostics);
    comments.push(...cond.comments);
    if (cond.node) arm.when = cond.node;
  }
  return { node: value.node ? arm : undefined, diagnostics, comments };
}
