import type { Span } from "@yardstick/model";

/** Syntax-tree utilities of the YAML surface: moving spans, copying trees. */

const POSITION_KEYS = new Set(["span", "operatorSpan", "countSpan", "periodsSpan"]);

/** Adds `delta` to every span in a tree (each span object once, shared or not). */
export function shiftSpans<T>(root: T, delta: number, seen = new Set<object>()): T {
  const walk = (n: unknown) => {
    if (n === null || typeof n !== "object") return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    for (const [k, v] of Object.entries(n)) {
      if (POSITION_KEYS.has(k) && v && typeof v === "object" && !seen.has(v)) {
        seen.add(v);
        const s = v as Span;
        s.start += delta;
        s.end += delta;
      } else if (v && typeof v === "object") walk(v);
    }
  };
  if (delta !== 0) walk(root);
  return root;
}

/** A copy of a syntax tree (plain objects and arrays; no cycles). */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
  return out as T;
}
