import { diagnostic, type Dataset, type Diagnostic, type DiagnosticCode, type Span } from "@yardstick/model";

/** Where a cell is: a line and column of a data file, a span of a spec file (fixtures), or a row number (Parquet). */
export interface Loc {
  line?: number;
  column?: number;
  span?: Span;
  /** One-based row number, for sources without lines. */
  row?: number;
}

/** At most this many diagnostics per code and dataset are listed; the rest are counted. */
export const DEFAULT_CAP = 100;

/**
 * Collects the data diagnostics of one dataset load: errors under `on bad rows fail`, warnings
 * under `skip`, at most `cap` per code, then one `more-data-problems` line per code with the count.
 */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly counts = new Map<DiagnosticCode, number>();
  readonly severity: "error" | "warning";

  constructor(
    readonly dataset: Dataset,
    readonly file: string | undefined,
    readonly cap = DEFAULT_CAP,
  ) {
    this.severity = dataset.onBadRows === "skip" ? "warning" : "error";
  }

  /** A problem with one row: severity follows the load policy. */
  row(code: DiagnosticCode, args: Record<string, string | number>, loc: Loc, column: string | null, data: Record<string, string | number> = {}, hints: string[] = []): void {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n > this.cap) return;
    this.diagnostics.push(this.make(code, args, loc, column, data, this.severity, hints));
  }

  /** A problem with the whole file (a missing column, an unreadable file): always an error. */
  fatal(code: DiagnosticCode, args: Record<string, string | number>, loc: Loc = {}, column: string | null = null): void {
    this.diagnostics.push(this.make(code, args, loc, column, {}, "error"));
  }

  private make(code: DiagnosticCode, args: Record<string, string | number>, loc: Loc, column: string | null, extra: Record<string, string | number>, severity: "error" | "warning", hints: string[] = []): Diagnostic {
    const data: Record<string, string | number> = { dataset: this.dataset.name, ...extra };
    if (column !== null) data.column = column;
    if (loc.row !== undefined) data.row = loc.row;
    return diagnostic(code, args, {
      file: this.file,
      line: loc.line,
      column: loc.column,
      span: loc.span,
      data,
      severity,
      hints,
    });
  }

  /** Adds the "N more" lines; call once at the end. */
  finish(): void {
    for (const [code, n] of this.counts) {
      if (n > this.cap) {
        this.diagnostics.push(diagnostic("more-data-problems", { count: n - this.cap, code, dataset: this.dataset.name }, {
          file: this.file,
          severity: this.severity,
          data: { dataset: this.dataset.name, code, total: n },
        }));
      }
    }
  }

  hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }
}
