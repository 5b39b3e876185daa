import type { Span } from "./span.js";
import { aOrAn } from "./words.js";

export type Severity = "error" | "warning" | "info";

/** A place in a source file a diagnostic points at besides its main span. */
export interface RelatedInfo {
  file?: string;
  span?: Span;
  message: string;
}

/**
 * A problem found in user input. `span` is in UTF-16 offsets of `file`; data-file diagnostics,
 * whose files are too large to index, carry `line` and `column` (one-based) directly.
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file?: string;
  span?: Span;
  line?: number;
  column?: number;
  hints: string[];
  related: RelatedInfo[];
  /** Extra machine-readable facts: the dataset column of a data error, a suggested name... */
  data?: Record<string, string | number | boolean | null | string[]>;
}

type Args = Record<string, string | number>;
interface Entry {
  severity: Severity;
  message: (a: Args) => string;
  hint?: (a: Args) => string;
}

const q = (s: string | number) => `"${s}"`;

/**
 * The registry of every diagnostic code: one place for severities, message wording and hints.
 * Messages are one sentence; user names are quoted.
 */
export const DIAGNOSTICS = {
  // lexing and parsing
  "unexpected-character": { severity: "error", message: (a) => `Unexpected character ${q(a.text)}.`, hint: () => "Remove it, or put it inside a string." },
  "unterminated-string": { severity: "error", message: () => "This string is never closed.", hint: () => 'Add the closing double quote (").' },
  "syntax-error": { severity: "error", message: (a) => `${a.text}` },
  "invalid-literal": { severity: "error", message: (a) => `${q(a.text)} is not a valid ${a.kind}.`, hint: (a) => `${a.hint}` },
  "unsupported-version": { severity: "error", message: (a) => `This file declares format version ${a.version}, but only version 1 exists.`, hint: () => "Write `yardstick 1` as the first line." },
  "misplaced-header": { severity: "error", message: () => "The `yardstick` header must be the first line of the file.", hint: () => "Move it to the top, or remove it." },
  "table-row-outside-fixture": { severity: "error", message: () => "A table row must follow `given <dataset>` inside a test.", hint: () => "Write `given <dataset>` before the header row." },
  "bad-table-row": { severity: "error", message: (a) => `${a.text}`, hint: (a) => `${a.hint}` },
  // names
  "unknown-dataset": { severity: "error", message: (a) => `Unknown dataset ${q(a.name)}.` },
  "unknown-column": { severity: "error", message: (a) => `Dataset ${q(a.dataset)} has no column ${q(a.name)}.` },
  "unknown-relation": { severity: "error", message: (a) => `Dataset ${q(a.dataset)} has no relation ${q(a.name)}.` },
  "unknown-kpi": { severity: "error", message: (a) => `Unknown KPI ${q(a.name)}.` },
  "unknown-name": { severity: "error", message: (a) => `${q(a.name)} is neither a column of ${q(a.dataset)} nor a KPI.` },
  "unknown-function": { severity: "error", message: (a) => `Unknown function ${q(a.name)}.` },
  "unknown-status": { severity: "error", message: (a) => `KPI ${q(a.kpi)} has no status ${q(a.name)}.` },
  "unknown-rule": { severity: "error", message: (a) => `Unknown rule ${q(a.name)}.` },
  "unknown-time-zone": { severity: "error", message: (a) => `${q(a.name)} is not an IANA time zone.`, hint: () => 'Use a name such as "UTC", "Europe/Berlin" or "America/Los_Angeles".' },
  "unknown-time-unit": { severity: "error", message: (a) => `${q(a.name)} is not a time unit.`, hint: () => "Use day, week, month, quarter or year." },
  "unknown-format": { severity: "error", message: (a) => `${q(a.name)} is not a format.`, hint: () => "Use percent, number, integer, currency or duration." },
  "unknown-type": { severity: "error", message: (a) => `${q(a.name)} is not a type.`, hint: () => "Use string, int, number, bool, date, timestamp or duration." },
  "duplicate-definition": { severity: "error", message: (a) => `${a.kind} ${q(a.name)} is defined more than once.`, hint: () => "Names are global to a project: rename one of them." },
  "duplicate-column": { severity: "error", message: (a) => `Column ${q(a.name)} is declared more than once in ${q(a.dataset)}.` },
  "duplicate-clause": { severity: "error", message: (a) => `${q(a.clause)} is given more than once.`, hint: () => "Keep one." },
  "duplicate-status": { severity: "error", message: (a) => `Status ${q(a.name)} appears more than once.` },
  "reserved-status": { severity: "error", message: (a) => `${q(a.name)} is a built-in status and cannot be redefined.` },
  // types
  "type-mismatch": { severity: "error", message: (a) => `${a.text}` },
  "condition-not-boolean": { severity: "error", message: (a) => `${a.where} needs a true/false condition, but this is ${aOrAn(String(a.type))}.`, hint: () => "Compare it with something, for example `x > 0` or `x is not null`." },
  "wrong-argument-count": { severity: "error", message: (a) => `${q(a.name)} takes ${a.expected}, but got ${a.actual}.`, hint: (a) => `Write ${a.signature}.` },
  "invalid-argument": { severity: "error", message: (a) => `${a.text}`, hint: (a) => `${a.hint}` },
  "constraint-type-mismatch": { severity: "error", message: (a) => `${a.text}` },
  "relation-key-mismatch": { severity: "error", message: (a) => `Relation ${q(a.name)} joins a ${a.from} column to the ${a.to} key ${q(a.key)} of ${q(a.dataset)}.`, hint: () => "Both sides of a relation must have the same type." },
  "relation-target-without-key": { severity: "error", message: (a) => `Dataset ${q(a.dataset)} has no single \`key\` column, so ${q(a.name)} cannot point to it.`, hint: () => "Mark the identifying column of the target dataset with `key`." },
  "ambiguous-relation": { severity: "error", message: (a) => `Dataset ${q(a.dataset)} relates to ${q(a.target)} more than once, so ${q(a.name)} is ambiguous.`, hint: (a) => `${a.hint}` },
  "multiple-time-columns": { severity: "error", message: (a) => `Dataset ${q(a.dataset)} marks more than one column with \`time\`.`, hint: () => "Keep `time` on the default time column; bucket others explicitly, e.g. `month(sent_at)`." },
  "invalid-time-column": { severity: "error", message: (a) => `The time column ${q(a.name)} must be a date or timestamp, not ${a.type}.` },
  "no-time-column": { severity: "error", message: (a) => `${a.what} needs a time column, but dataset ${q(a.dataset)} has none.`, hint: (a) => `Mark a date or timestamp column of ${q(a.dataset)} with \`time\`, or name one, e.g. \`month(${a.example})\`.` },
  // aggregates
  "row-level-outside-aggregate": { severity: "error", message: (a) => `Column ${q(a.name)} is read row by row, but a KPI value must be an aggregate.`, hint: (a) => `Wrap it in an aggregate, for example \`avg(${a.name})\`, or group by it.` },
  "aggregate-in-where": { severity: "error", message: (a) => `The aggregate ${q(a.name)} cannot be used in ${a.where}: it filters rows one by one.`, hint: () => "Filter inside the aggregate instead (`sum(x where ...)`), or use a status or rule for conditions on values." },
  "nested-aggregate-without-per": { severity: "error", message: (a) => `${q(a.inner)} is an aggregate inside ${q(a.outer)}, with nothing to aggregate it per.`, hint: (a) => `Say what to aggregate it per, e.g. \`${a.outer}(${a.inner}(...) per customer_id)\`, or aggregate over a related dataset.` },
  "kpi-in-aggregate": { severity: "error", message: (a) => `KPI ${q(a.name)} is already an aggregate and cannot be used inside ${q(a.outer)}.`, hint: () => "Use KPIs at the top level of a value, e.g. `nps - benchmark`." },
  "invalid-per": { severity: "error", message: (a) => `${a.text}`, hint: () => "`per` takes columns, related columns or time buckets such as `day`." },
  "aggregate-in-row-expression": { severity: "error", message: (a) => `The aggregate ${q(a.name)} cannot be used in ${a.where}.`, hint: () => "Derived columns and dimensions are computed row by row." },
  // KPIs
  "circular-kpi": { severity: "error", message: (a) => `KPIs reference each other in a cycle: ${a.cycle}.`, hint: () => "Break the cycle: one of these KPIs must be computed without the others." },
  "missing-clause": { severity: "error", message: (a) => `${a.what} has no ${q(a.clause)}.`, hint: (a) => `${a.hint}` },
  "missing-from": { severity: "error", message: (a) => `KPI ${q(a.kpi)} reads columns but has no \`from\`.`, hint: () => "Add `from <dataset>`, or build the value only from other KPIs." },
  "invalid-target": { severity: "error", message: (a) => `${a.text}`, hint: (a) => `${a.hint}` },
  "target-without-target": { severity: "error", message: (a) => `${a.where} uses \`target\`, but KPI ${q(a.kpi)} has no target.`, hint: () => "Add a `target` clause, or compare with a number." },
  "status-without-otherwise": { severity: "warning", message: () => "This status block has no `otherwise`, so a value that matches no line gets no status.", hint: () => "Add a last line such as `off_track otherwise`." },
  "unreachable-status": { severity: "warning", message: (a) => `Status ${q(a.name)} can never be chosen: it comes after \`otherwise\`.` },
  "company-over-customer": { severity: "warning", message: (a) => `KPI ${q(a.kpi)} divides a company-side measure by a customer-side one.`, hint: () => "Customer-centric ratios put what the customer perceives over what the company spends or offers: consider inverting it." },
  "shadowed-kpi": { severity: "warning", message: (a) => `${q(a.name)} is both a column of ${q(a.dataset)} and a KPI; the column is used.`, hint: () => "Rename the column or the KPI to make the meaning clear." },
  // rules and tests
  "rule-without-kpi": { severity: "error", message: (a) => `Rule ${q(a.rule)} does not refer to any KPI.`, hint: () => "Write a condition on a KPI, e.g. `when nps < 20`." },
  "ambiguous-target": { severity: "error", message: (a) => `\`${a.name}\` is ambiguous: this rule refers to several KPIs (${a.kpis}).`, hint: (a) => `Name the KPI: \`${a.name}(${a.first})\`.` },
  "invalid-template": { severity: "error", message: (a) => `${a.text}`, hint: () => "Placeholders look like {nps}, {change(nps)} or {customer.segment}; write {{ for a literal brace." },
  "test-expects-nothing": { severity: "error", message: (a) => `Test ${q(a.name)} has no \`expect\`.`, hint: () => "Add at least one expectation, e.g. `expect nps = 25`." },
  "fixture-unknown-column": { severity: "error", message: (a) => `Dataset ${q(a.dataset)} has no column ${q(a.name)}.` },
  "fixture-row-width": { severity: "error", message: (a) => `This row has ${a.actual} cells, but the header has ${a.expected}.`, hint: () => "Every row of a table needs one cell per header column; leave a cell empty for null." },
  "fixture-derived-column": { severity: "error", message: (a) => `${q(a.name)} is a derived column of ${q(a.dataset)}; fixtures give only source columns.`, hint: () => "Remove this column from the table: it is computed." },
  "invalid-fixture-value": { severity: "error", message: (a) => `${q(a.text)} is not a valid ${a.type} for column ${q(a.column)}.`, hint: (a) => `${a.hint}` },
  "empty-list": { severity: "error", message: (a) => `${a.text}`, hint: (a) => `${a.hint}` },
  "empty-group-map": { severity: "error", message: () => "This expectation lists no groups.", hint: () => "Write at least one entry, e.g. `{ 2025-01: 25 }`." },
  // imports
  "import-not-found": { severity: "error", message: (a) => `Cannot read ${q(a.path)}.`, hint: () => "Paths are relative to the importing file." },
  "unsupported-file": { severity: "error", message: (a) => `${q(a.path)} cannot be imported: only .kpi and .kpi.yaml files can be.` },
  // YAML surface
  "yaml-syntax": { severity: "error", message: (a) => `${a.text}` },
  "yaml-unknown-key": { severity: "error", message: (a) => `Unknown key ${q(a.name)} in ${a.where}.` },
  "yaml-invalid": { severity: "error", message: (a) => `${a.text}` },
  // data loading and evaluation
  "file-not-found": { severity: "error", message: (a) => `Cannot read data file ${q(a.path)} for dataset ${q(a.dataset)}.`, hint: () => "Paths are relative to the spec file; bind another file with `--data dataset=path`." },
  "unsupported-format": { severity: "error", message: (a) => `Cannot tell the format of ${q(a.path)}.`, hint: () => 'Use .csv, .json, .ndjson or .parquet, or say it: `from "file" as csv`.' },
  "missing-data-column": { severity: "error", message: (a) => `Data for ${q(a.dataset)} has no column ${q(a.column)}.`, hint: () => "Declared columns must be present in the data; extra columns are ignored." },
  "malformed-data": { severity: "error", message: (a) => `${a.text}` },
  "invalid-value": { severity: "error", message: (a) => `${q(a.text)} is not a valid ${a.type} for column ${q(a.column)}.` },
  "null-value": { severity: "error", message: (a) => `Column ${q(a.column)} is empty, but it is not nullable.`, hint: (a) => `Declare it as \`${a.column}: ${a.type}?\` if empty values are expected.` },
  "duplicate-key": { severity: "error", message: (a) => `Key ${q(a.value)} of column ${q(a.column)} appears more than once (first ${a.firstRow !== undefined ? `in row ${a.firstRow}` : `on line ${a.first}`}).` },
  "value-not-allowed": { severity: "error", message: (a) => `${q(a.value)} is not one of the allowed values of ${q(a.column)}.` },
  "value-out-of-range": { severity: "error", message: (a) => `${a.value} is outside the range ${a.range} of ${q(a.column)}.` },
  "dangling-relation": { severity: "error", message: (a) => `${q(a.value)} in ${q(a.column)} matches no row of ${q(a.target)}.` },
  "rows-skipped": { severity: "warning", message: (a) => `${a.count} rows of ${q(a.dataset)} were skipped: ${a.reasons}.` },
  "no-data": { severity: "info", message: (a) => `${a.text}` },
  // tests at run time
  "expectation-failed": { severity: "error", message: (a) => `${a.text}` },
  // evaluation (engine planner and evaluators)
  "unsupported-expression": { severity: "error", message: (a) => `${a.what} cannot be used in ${a.where}.` },
  "kpi-skipped": { severity: "warning", message: (a) => `KPI ${q(a.kpi)} was skipped: ${a.reason}.` },
  "dimension-dropped": { severity: "info", message: (a) => `KPI ${q(a.kpi)} cannot be grouped by ${q(a.dim)}, so its value covers every ${a.dim}.`, hint: () => "Group by a column its dataset has, or a time bucket." },
  "bounds-ignored": { severity: "warning", message: (a) => `KPI ${q(a.kpi)} has no time column, so the date bounds do not apply to it.` },
  "needs-time-grouping": { severity: "warning", message: (a) => `${a.what} in KPI ${q(a.kpi)} needs a time bucket in the grouping.`, hint: () => "Group by day, week, month, quarter or year." },
  "internal-error": { severity: "error", message: (a) => `Internal error: ${a.text}`, hint: () => "This is a bug in Yardstick; please report it with the input that caused it." },
  // data loading (appended)
  "more-data-problems": { severity: "error", message: (a) => `${a.count} more ${q(a.code)} problems in the data of ${q(a.dataset)} are not listed.` },
  "unsupported-data-type": { severity: "error", message: (a) => `Column ${q(a.column)} holds ${a.found} data, which cannot be read as ${a.type}.` },
} satisfies Record<string, Entry>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;

export interface DiagnosticOptions {
  file?: string;
  span?: Span;
  line?: number;
  column?: number;
  hints?: string[];
  related?: RelatedInfo[];
  data?: Diagnostic["data"];
  severity?: Severity;
}

/** Builds a diagnostic from the registry: message and default hint come from its code. */
export function diagnostic(code: DiagnosticCode, args: Args, options: DiagnosticOptions = {}): Diagnostic {
  const entry: Entry = DIAGNOSTICS[code];
  const hints = [...(options.hints ?? [])];
  if (entry.hint) hints.push(entry.hint(args));
  const d: Diagnostic = {
    code,
    severity: options.severity ?? entry.severity,
    message: entry.message(args),
    hints: hints.filter((h) => h && h !== "undefined"),
    related: options.related ?? [],
  };
  if (options.file !== undefined) d.file = options.file;
  if (options.span !== undefined) d.span = { start: options.span.start, end: options.span.end };
  if (options.line !== undefined) d.line = options.line;
  if (options.column !== undefined) d.column = options.column;
  if (options.data !== undefined) d.data = options.data;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorts by file, then offset (or line), errors before warnings at the same place. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return diagnostics.sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.span?.start ?? 0) - (b.span?.start ?? 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      rank[a.severity] - rank[b.severity],
  );
}

/**
 * One copy of each diagnostic (same code, message and place), in order. Passes that evaluate the
 * same KPI twice (values, then rules on their own grouping) report the same problem twice.
 */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.message}|${d.file ?? ""}|${d.span?.start ?? ""}|${d.line ?? ""}|${d.column ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
