import {
  diagnostic, type AggExpr, type Dataset, type Diagnostic, type DiagnosticCode, type Expr, type LookupExpr, type Model, type Origin,
  type Severity, type ValueType,
} from "@yardstick/model";
import type { ColumnData, Table } from "../table/table.js";
import { exprKey } from "../plan/expr-key.js";
import { runTasks } from "./aggregate.js";
import { Gen } from "./gen.js";
import { gather, materialize, selectRows } from "./materialize.js";
import { RowCompiler, type ColumnRt, type RowEnv } from "./row-compiler.js";

type Args = Record<string, string | number>;

/** Evaluation-wide state: datasets at run time, key indexes, diagnostics (deduplicated). */
export class Engine {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private readonly rts = new Map<string, DatasetRt | null>();
  private readonly indexes = new Map<string, Int32Array>();
  private readonly declared: Map<string, Dataset>;

  constructor(readonly model: Model, readonly tables: Map<string, Table>, readonly asOfMs: number) {
    this.declared = new Map(model.datasets.map((d) => [d.name, d]));
  }

  report(code: DiagnosticCode, args: Args, origin?: Origin | null, severity?: Severity): void {
    const d = diagnostic(code, args, {
      ...(origin ? { file: origin.file, span: { start: origin.start, end: origin.end } } : {}),
      ...(severity ? { severity } : {}),
    });
    const key = `${d.code}|${d.message}|${d.file ?? ""}|${d.span?.start ?? ""}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(d);
  }

  /** The run-time view of a dataset, or null (with a diagnostic) when it has no table. */
  dataset(name: string, origin?: Origin): DatasetRt | null {
    let rt = this.rts.get(name);
    if (rt !== undefined) return rt;
    const decl = this.declared.get(name);
    const table = this.tables.get(name);
    if (!decl) this.report("unknown-dataset", { name }, origin);
    else if (!table) this.report("no-data", { text: `No data was given for dataset "${name}".` }, decl.origin, "error");
    rt = decl && table ? new DatasetRt(this, decl, table) : null;
    this.rts.set(name, rt);
    return rt;
  }

  /** For each row of `from`, the row of `to` whose `keyCol` equals its `fkCol` (-1 when none). */
  refIndex(from: DatasetRt, fkCol: string, to: DatasetRt, keyCol: string, origin: Origin): Int32Array {
    const id = JSON.stringify([from.decl.name, fkCol, to.decl.name, keyCol]);
    let idx = this.indexes.get(id);
    if (idx) return idx;
    idx = new Int32Array(from.rowCount).fill(-1);
    const fk = from.column(fkCol, origin), key = to.column(keyCol, origin);
    if (fk && key) buildRefIndex(fk, key, idx);
    this.indexes.set(id, idx);
    return idx;
  }
}

function buildRefIndex(fk: ColumnRt, key: ColumnRt, out: Int32Array): void {
  if (fk.kind === "code" && key.kind === "code") {
    const rows = new Map<string, number>();
    const kc = key.data as Int32Array;
    for (let r = 0; r < kc.length; r++) {
      const c = kc[r]!;
      if (c >= 0 && !rows.has(key.dict![c]!)) rows.set(key.dict![c]!, r);
    }
    const codeToRow = new Int32Array(fk.dict!.length);
    fk.dict!.forEach((s, c) => (codeToRow[c] = rows.get(s) ?? -1));
    const fc = fk.data as Int32Array;
    for (let i = 0; i < fc.length; i++) { const c = fc[i]!; out[i] = c < 0 ? -1 : codeToRow[c]!; }
    return;
  }
  const asNumber = fk.kind === "num" && key.kind === "num";
  const val = (c: ColumnRt, i: number): string | number | null => {
    if (c.kind === "num") { const v = (c.data as Float64Array)[i]!; return v !== v ? null : asNumber ? v : String(v); }
    if (c.kind === "code") { const v = (c.data as Int32Array)[i]!; return v < 0 ? null : c.dict![v]!; }
    return (c.data as Array<string | null>)[i]!;
  };
  const rows = new Map<string | number, number>();
  for (let r = 0; r < key.data.length; r++) { const v = val(key, r); if (v !== null && !rows.has(v)) rows.set(v, r); }
  for (let i = 0; i < fk.data.length; i++) { const v = val(fk, i); out[i] = v === null ? -1 : rows.get(v) ?? -1; }
}

const normalized = new WeakMap<ColumnData, ColumnRt>();

/**
 * A loaded column as generated code reads it: nulls become NaN (numbers, bools with nulls) or
 * code -1 (strings). Per the Table contract, a column without a null mask has no nulls. Cached
 * per column, so repeated evaluations over the same tables do not copy again.
 */
function normalize(c: ColumnData, rowCount: number): ColumnRt {
  let out = normalized.get(c);
  if (!out) {
    out = c.type === "string" ? normalizeCodes(c.codes, c.dict, c.nulls, rowCount)
      : c.type === "bool" ? normalizeBools(c.values, c.nulls, rowCount)
      : normalizeNumbers(c.values, c.nulls, rowCount, c.type);
    normalized.set(c, out);
  }
  return out;
}

function anySet(mask: Uint8Array | null, n: number): boolean {
  if (!mask) return false;
  for (let i = 0; i < n; i++) if (mask[i] === 1) return true;
  return false;
}

/**
 * True when every row the mask marks null already holds `NaN` (numbers) or -1 (codes), as the
 * loaders write them: the column can then be read in place instead of copied.
 */
function nullsInPlace(values: Float64Array | Int32Array, mask: Uint8Array, n: number): boolean {
  if (values instanceof Float64Array) {
    for (let i = 0; i < n; i++) if (mask[i] === 1 && values[i] === values[i]) return false;
  } else {
    for (let i = 0; i < n; i++) if (mask[i] === 1 && values[i] !== -1) return false;
  }
  return true;
}

function normalizeCodes(codes: Int32Array, dict: string[], mask: Uint8Array | null, n: number): ColumnRt {
  if (!anySet(mask, n)) return { kind: "code", data: codes, dict, nullable: false, vtype: "string", unit: null };
  if (nullsInPlace(codes, mask!, n)) return { kind: "code", data: codes.length === n ? codes : codes.subarray(0, n), dict, nullable: true, vtype: "string", unit: null };
  const copy = codes.slice(0, n);
  for (let i = 0; i < n; i++) if (mask![i] === 1) copy[i] = -1;
  return { kind: "code", data: copy, dict, nullable: true, vtype: "string", unit: null };
}

function normalizeBools(values: Uint8Array, mask: Uint8Array | null, n: number): ColumnRt {
  if (!anySet(mask, n)) return { kind: "num", data: values, dict: null, nullable: false, vtype: "bool", unit: null };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mask![i] === 1 ? NaN : values[i]!;
  return { kind: "num", data: out, dict: null, nullable: true, vtype: "bool", unit: null };
}

function normalizeNumbers(values: Float64Array, mask: Uint8Array | null, n: number, vtype: ValueType): ColumnRt {
  if (anySet(mask, n)) {
    if (nullsInPlace(values, mask!, n)) return { kind: "num", data: values.length === n ? values : values.subarray(0, n), dict: null, nullable: true, vtype, unit: null };
    const data = values.slice(0, n);
    for (let i = 0; i < n; i++) if (mask![i] === 1) data[i] = NaN;
    return { kind: "num", data, dict: null, nullable: true, vtype, unit: null };
  }
  let nan = false;
  for (let i = 0; i < n; i++) if (values[i] !== values[i]) { nan = true; break; }
  return { kind: "num", data: values, dict: null, nullable: nan, vtype, unit: null };
}

/** A dataset at run time: its columns as generated code reads them, derived and related columns computed once. */
export class DatasetRt {
  private readonly cols = new Map<string, ColumnRt | null>();
  private readonly virtuals = new Map<string, ColumnRt | null>();
  private readonly computing = new Set<string>();
  private readonly envs = new Map<string, RowEnv>();
  private readonly selections = new Map<string, Int32Array | null>();

  constructor(readonly engine: Engine, readonly decl: Dataset, readonly table: Table) {}

  get rowCount(): number {
    return this.table.rowCount;
  }

  hasColumn(name: string): boolean {
    return this.table.columns.has(name) || this.decl.columns.some((c) => c.name === name);
  }

  /** The row environment for compiling expressions on this dataset, with `zone` for dates and literals. */
  env(zone: string): RowEnv {
    let env = this.envs.get(zone);
    if (!env) {
      env = {
        zone,
        asOfMs: this.engine.asOfMs,
        column: (name, origin) => this.column(name, origin),
        lookup: (e) => this.lookup(e, zone),
        related: (e) => this.related(e, zone),
        report: (code, args, origin) => this.engine.report(code, args, origin),
      };
      this.envs.set(zone, env);
    }
    return env;
  }

  /** Rows passing every filter (null = all rows), shared by every context with the same filters. */
  select(zone: string, filters: Expr[]): Int32Array | null {
    const key = `${zone}|${exprKey(filters)}`;
    let sel = this.selections.get(key);
    if (sel === undefined) {
      sel = selectRows(this.env(zone), filters, this.rowCount);
      this.selections.set(key, sel);
    }
    return sel;
  }

  column(name: string, origin: Origin): ColumnRt | null {
    const known = this.cols.get(name);
    if (known !== undefined) return known;
    const decl = this.decl.columns.find((c) => c.name === name);
    let col: ColumnRt | null = null;
    if (decl?.derived) {
      col = this.virtual(`derived:${name}`, origin, () => materialize(this.env(this.decl.zone), decl.derived!, null, this.rowCount));
      if (col && decl.type !== col.vtype && col.kind === "num" && decl.type !== "string") col = { ...col, vtype: decl.type };
    } else {
      const data = this.table.columns.get(name);
      if (data) col = normalize(data, this.rowCount);
      else if (decl) this.engine.report("missing-data-column", { dataset: this.decl.name, column: name }, decl.origin);
      else this.engine.report("unknown-column", { dataset: this.decl.name, name }, origin);
    }
    this.cols.set(name, col);
    return col;
  }

  /** A computed column, cached under `key`; a cycle (a derived column reading itself) gives null. */
  private virtual(key: string, origin: Origin, make: () => ColumnRt | null): ColumnRt | null {
    const known = this.virtuals.get(key);
    if (known !== undefined) return known;
    if (this.computing.has(key)) {
      this.engine.report("unsupported-expression", { what: "A derived column that reads itself", where: `dataset "${this.decl.name}"` }, origin);
      return null;
    }
    this.computing.add(key);
    const col = make();
    this.computing.delete(key);
    this.virtuals.set(key, col);
    return col;
  }

  lookup(e: LookupExpr, zone: string): ColumnRt | null {
    return this.virtual(`lookup:${zone}:${exprKey(e)}`, e.origin, () => {
      const rel = this.decl.relations.find((r) => r.name === e.relation);
      if (!rel) {
        this.engine.report("unknown-relation", { dataset: this.decl.name, name: e.relation }, e.origin);
        return null;
      }
      const target = this.engine.dataset(rel.dataset, e.origin);
      if (!target) return null;
      const idx = this.engine.refIndex(this, rel.column, target, rel.key, e.origin);
      return gather(materialize(target.env(zone), e.arg, null, target.rowCount), idx);
    });
  }

  related(e: AggExpr, zone: string): ColumnRt | null {
    return this.virtual(`related:${zone}:${exprKey(e)}`, e.origin, () => {
      const s = e.source!;
      if (e.per || e.window || e.fn === "retention") {
        this.engine.report("unsupported-expression", { what: e.per ? "`per`" : e.window ? "A window" : "retention()", where: "an aggregate over related rows" }, e.origin);
        return null;
      }
      const src = this.engine.dataset(s.dataset, e.origin);
      if (!src) return null;
      const gid = this.engine.refIndex(src, s.column, this, s.key, e.origin);
      const gen = new Gen();
      const rc = new RowCompiler(gen, src.env(zone));
      const task = {
        fn: e.fn, ...(e.p !== undefined ? { p: e.p } : {}),
        value: e.arg ? rc.compile(e.arg) : null,
        filter: e.filter ? rc.toNum(rc.compile(e.filter)) : null,
      };
      const [out] = runTasks(gen, [task], { sel: null, m: src.rowCount, gid, G: this.rowCount, skipNegative: true });
      return out!.kind === "num"
        ? { kind: "num", data: out!.num!, dict: null, nullable: true, vtype: e.type, unit: null }
        : { kind: "str", data: out!.str!, dict: null, nullable: true, vtype: e.type, unit: null };
    });
  }
}
