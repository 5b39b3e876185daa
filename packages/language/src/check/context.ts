import { diagnostic, type Diagnostic, type DiagnosticCode, type DiagnosticOptions, type Dataset, type Relation, type Span, type ColumnType } from "@yardstick/model";
import type * as A from "../syntax/ast.js";

/** A dataset as the checker sees it: the model under construction plus lookup tables. */
export interface DatasetSymbol {
  decl: A.DatasetDecl;
  file: string;
  model: Dataset;
  columns: Map<string, ColumnInfo>;
  relations: Map<string, Relation>;
  /** Relations of other datasets that point to this one (one-to-many collections), by dataset name. */
  incoming: Map<string, Relation[]>;
}

/** What the checker knows of a column of a dataset. */
export interface ColumnInfo {
  type: ColumnType;
  perspective: "customer" | "company" | null;
  span: Span;
  derived: boolean;
}

export interface KpiSymbol {
  decl: A.KpiDecl;
  file: string;
}

/** Collects diagnostics for one file at a time. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  file = "";

  report(code: DiagnosticCode, args: Record<string, string | number>, span: Span | undefined, options: DiagnosticOptions = {}): void {
    const d = diagnostic(code, args, { file: this.file, ...(span ? { span } : {}), ...options });
    this.diagnostics.push(d);
    if (d.severity === "error") this.errors++;
  }

  /** Errors reported, and errors counted by `fail`. */
  private errors = 0;

  /** Counts an error without reporting it: the definition is unusable, the cause is reported elsewhere. */
  fail(): void {
    this.errors++;
  }

  /** Read before and after each definition: kept as a count, not recounted from the diagnostics. */
  get errorCount(): number {
    return this.errors;
  }
}

/** The first clause of `kind` in a definition; a later one of the same kind is a duplicate. */
export function firstOfKind<C extends { kind: string }>(clauses: readonly C[], kind: string): C | undefined {
  for (const c of clauses) if (c.kind === kind) return c;
  return undefined;
}
