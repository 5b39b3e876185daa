import { Scalar } from "yaml";
import type { Span } from "@yardstick/model";
import { lex } from "../syntax/lexer.js";

/**
 * The text of a YAML scalar as `.kpi` source, and where it starts in the YAML text. When the text
 * is the YAML source itself (a plain scalar, or a quoted one without escapes), every offset inside
 * it is exact; otherwise (escapes, folding inside a string literal) offsets inside it are
 * approximate and `exact` is false.
 */
export interface ScalarText {
  text: string;
  /** Offset of `text[0]` in the YAML text (UTF-16). */
  offset: number;
  exact: boolean;
}

/** Start and end (exclusive) of a scalar's content: inside quotes, after a block scalar's header. */
export function contentRange(node: Scalar, source: string): Span {
  const [start, end] = node.range ?? [0, 0];
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      return { start: Math.min(start + 1, end), end: Math.max(start + 1, end - 1) };
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED: {
      const nl = source.indexOf("\n", start);
      const from = nl < 0 || nl >= end ? end : nl + 1;
      let to = end;
      while (to > from && /\s/.test(source[to - 1]!)) to--;
      return { start: from, end: to };
    }
    default:
      return { start, end };
  }
}

/** The scalar's value as text: strings as they are, numbers and booleans as written. */
export function valueText(node: Scalar, source: string): string {
  if (typeof node.value === "string") return node.value;
  const r = node.range;
  return r ? source.slice(r[0], r[1]) : String(node.value ?? "");
}

const sameTokens = (a: string, b: string): boolean => {
  const x = lex(a, "");
  const y = lex(b, "");
  if (x.tokens.length !== y.tokens.length || x.comments.length !== y.comments.length) return false;
  if (x.diagnostics.length > 0 || y.diagnostics.length > 0) return false;
  const eq = (p: { image: string; tokenType: unknown }, q: { image: string; tokenType: unknown }) => p.image === q.image && p.tokenType === q.tokenType;
  return x.tokens.every((t, i) => eq(t, y.tokens[i]!)) && x.comments.every((t, i) => eq(t, y.comments[i]!));
};

/** A scalar as `.kpi` source text (see ScalarText). */
export function scalarText(node: Scalar, source: string): ScalarText {
  const value = valueText(node, source);
  const range = contentRange(node, source);
  const raw = source.slice(range.start, range.end);
  if (raw === value) return { text: value, offset: range.start, exact: true };
  // A folded or indented scalar reads the same as its source when both lex to the same tokens:
  // line breaks and indentation are blanks to the `.kpi` lexer.
  if (sameTokens(raw, value)) return { text: raw, offset: range.start, exact: true };
  return { text: value, offset: range.start, exact: false };
}
