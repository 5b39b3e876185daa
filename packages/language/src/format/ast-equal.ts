import type { FileNode } from "../syntax/ast.js";

/** Keys that record where a node was written, not what it means. */
const POSITION_KEYS = new Set(["span", "operatorSpan", "countSpan", "periodsSpan"]);

/**
 * A copy of a syntax tree without positions (and without keys whose value is undefined), so two
 * trees parsed from differently laid-out text compare equal when they mean the same. The file's
 * comment list is dropped too unless `keepComments` is set (comments carry no meaning).
 */
export function stripSpans(node: unknown, keepComments = false): unknown {
  if (Array.isArray(node)) return node.map((n) => stripSpans(n, keepComments));
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (POSITION_KEYS.has(k) || v === undefined) continue;
    if (k === "comments" && (node as { kind?: string }).kind === "File") {
      if (keepComments) out[k] = (v as Array<{ text: string }>).map((c) => c.text.replace(/\s+$/, ""));
      continue;
    }
    out[k] = stripSpans(v, keepComments);
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Two trees mean the same: equal ignoring positions and comments. */
export function sameMeaning(a: FileNode, b: FileNode): boolean {
  return deepEqual(stripSpans(a), stripSpans(b));
}

/** The same comments in the same order (trailing blanks ignored). */
export function sameComments(a: FileNode, b: FileNode): boolean {
  const ta = a.comments.map((c) => c.text.replace(/\s+$/, ""));
  const tb = b.comments.map((c) => c.text.replace(/\s+$/, ""));
  return deepEqual(ta, tb);
}
