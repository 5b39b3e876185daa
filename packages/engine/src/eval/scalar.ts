import type { V } from "./values.js";

/**
 * Scalar functions shared by row-level generated code (called through a slot) and group-level
 * closures. Arguments and results follow values.ts: numbers with NaN for null, strings or null.
 * Every function is null-propagating unless its documentation in the language says otherwise.
 */
export interface ScalarFn {
  /** "arg": the kind of the expression's declared type (greatest, least, coalesce, if). */
  kind: "num" | "str" | "arg";
  impl: (...args: V[]) => V;
}

const num = (v: V): number => (typeof v === "number" ? v : v === null ? NaN : Number(v));
const str = (v: V): string | null => (v === null ? null : typeof v === "number" ? (v !== v ? null : String(v)) : v);
const isNull = (v: V) => v === null || v !== v;

function codePoints(s: string): string[] {
  return Array.from(s);
}

/** Half away from zero, robust to binary representation (1.005 rounds to 1.01). */
export function roundHalfAway(x: number, digits: number): number {
  if (x !== x) return NaN;
  const f = 10 ** digits;
  const y = Number((Math.abs(x) * f).toPrecision(15));
  return (Math.sign(x) * Math.round(y)) / f;
}

function greatest(...args: V[]): V {
  let best: V = null;
  for (const a of args) if (!isNull(a) && (best === null || (a as number | string) > (best as number | string))) best = a;
  return best;
}
function least(...args: V[]): V {
  let best: V = null;
  for (const a of args) if (!isNull(a) && (best === null || (a as number | string) < (best as number | string))) best = a;
  return best;
}

export const SCALARS: Record<string, ScalarFn> = {
  abs: { kind: "num", impl: (x) => Math.abs(num(x)) },
  round: { kind: "num", impl: (x, d) => roundHalfAway(num(x), d === undefined || isNull(d) ? 0 : num(d)) },
  floor: { kind: "num", impl: (x) => Math.floor(num(x)) },
  ceil: { kind: "num", impl: (x) => Math.ceil(num(x)) },
  sqrt: { kind: "num", impl: (x) => (num(x) < 0 ? NaN : Math.sqrt(num(x))) },
  ln: { kind: "num", impl: (x) => (num(x) <= 0 ? NaN : Math.log(num(x))) },
  exp: { kind: "num", impl: (x) => Math.exp(num(x)) },
  pow: { kind: "num", impl: (x, y) => Math.pow(num(x), num(y)) },
  greatest: { kind: "arg", impl: greatest },
  least: { kind: "arg", impl: least },
  coalesce: { kind: "arg", impl: (...args) => { for (const a of args) if (!isNull(a)) return a; return null; } },
  lower: { kind: "str", impl: (s) => str(s)?.toLowerCase() ?? null },
  upper: { kind: "str", impl: (s) => str(s)?.toUpperCase() ?? null },
  trim: { kind: "str", impl: (s) => str(s)?.trim() ?? null },
  length: { kind: "num", impl: (s) => { const t = str(s); return t === null ? NaN : codePoints(t).length; } },
  concat: { kind: "str", impl: (...args) => args.map((a) => str(a) ?? "").join("") },
  contains: { kind: "num", impl: (s, p) => { const a = str(s), b = str(p); return a === null || b === null ? NaN : a.includes(b) ? 1 : 0; } },
  starts_with: { kind: "num", impl: (s, p) => { const a = str(s), b = str(p); return a === null || b === null ? NaN : a.startsWith(b) ? 1 : 0; } },
  ends_with: { kind: "num", impl: (s, p) => { const a = str(s), b = str(p); return a === null || b === null ? NaN : a.endsWith(b) ? 1 : 0; } },
  substr: {
    kind: "str",
    impl: (s, start, len) => {
      const t = str(s);
      if (t === null || isNull(start)) return null;
      const cps = codePoints(t);
      const from = Math.max(0, Math.floor(num(start)) - 1);
      if (len === undefined) return cps.slice(from).join("");
      if (isNull(len)) return null;
      return cps.slice(from, from + Math.max(0, Math.floor(num(len)))).join("");
    },
  },
};

/** Milliseconds per unit of the `*_between` functions. */
export const BETWEEN_UNITS: Record<string, number> = {
  hours_between: 3_600_000,
  days_between: 86_400_000,
  minutes_between: 60_000,
  seconds_between: 1000,
};
