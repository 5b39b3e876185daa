import type { Expr } from "@yardstick/model";
import { Gen } from "./gen.js";
import { RowCompiler, type ColumnRt, type RowEnv } from "./row-compiler.js";

/**
 * Evaluates a row-level expression for the rows `sel[0..m)` (all rows when `sel` is null) into a
 * column: one generated loop, no per-row allocation.
 */
export function materialize(env: RowEnv, expr: Expr, sel: Int32Array | null, m: number): ColumnRt {
  const gen = new Gen();
  const c = new RowCompiler(gen, env).compile(expr);
  const data: Float64Array | Int32Array | Array<string | null> =
    c.kind === "num" ? new Float64Array(m) : c.kind === "code" ? new Int32Array(m) : new Array<string | null>(m).fill(null);
  if (c.constant !== undefined) {
    if (c.kind === "num") (data as Float64Array).fill(c.constant as number);
    else (data as Array<string | null>).fill(c.constant as string | null);
  } else {
    const body = `for (let k = 0; k < m; k++) {\n  const i = ${sel ? `${gen.slot(sel)}[k]` : "k"};\n  out[k] = ${c.code};\n}`;
    gen.build<(out: unknown, m: number) => void>(["out", "m"], body)(data, m);
  }
  return { kind: c.kind, data, dict: c.dict, nullable: c.nullable, vtype: c.vtype, unit: c.unit };
}

/** Rows for which every filter is true (null = false), or null when there are no filters. */
export function selectRows(env: RowEnv, filters: Expr[], rowCount: number): Int32Array | null {
  if (filters.length === 0) return null;
  const gen = new Gen();
  const rc = new RowCompiler(gen, env);
  const conds = filters.map((f) => rc.toNum(rc.compile(f)));
  const sel = new Int32Array(rowCount);
  const test = conds.map((c) => `${c.code} === 1`).join(" && ");
  const body = `let m = 0;\nfor (let i = 0; i < n; i++) {\n  if (${test}) sel[m++] = i;\n}\nreturn m;`;
  const m = gen.build<(sel: Int32Array, n: number) => number>(["sel", "n"], body)(sel, rowCount);
  return m < rowCount / 2 ? sel.slice(0, m) : sel.subarray(0, m);
}

/** Picks `values[idx[i]]` for every i, null where idx is negative. */
export function gather(c: ColumnRt, idx: Int32Array): ColumnRt {
  const n = idx.length;
  if (c.kind === "num") {
    const src = c.data as Float64Array | Uint8Array, out = new Float64Array(n);
    for (let i = 0; i < n; i++) { const j = idx[i]!; out[i] = j < 0 ? NaN : src[j]!; }
    return { ...c, data: out, nullable: true };
  }
  if (c.kind === "code") {
    const src = c.data as Int32Array, out = new Int32Array(n);
    for (let i = 0; i < n; i++) { const j = idx[i]!; out[i] = j < 0 ? -1 : src[j]!; }
    return { ...c, data: out, nullable: true };
  }
  const src = c.data as Array<string | null>, out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) { const j = idx[i]!; out[i] = j < 0 ? null : src[j]!; }
  return { ...c, data: out, nullable: true };
}
