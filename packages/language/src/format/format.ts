import { diagnostic, hasErrors, type Diagnostic } from "@yardstick/model";
import { parse } from "../syntax/parse.js";
import { sameComments, sameMeaning } from "./ast-equal.js";
import { printFileChecked } from "./printer.js";

export interface FormatOptions {
  /** File name for diagnostics. */
  file?: string;
  /** Target line width; longer lines are broken where the grammar allows. Default 100. */
  lineWidth?: number;
}

export interface FormatResult {
  /** The formatted text, or the input unchanged when the formatter refused. */
  text: string;
  /** `text` differs from the input. */
  changed: boolean;
  /** Why the formatter refused: the file's syntax errors (or an internal error). Empty on success. */
  diagnostics: Diagnostic[];
}

/**
 * Formats `.kpi` text in the one canonical layout behind `yardstick fmt` (rules: printer.ts).
 *
 * - A file with syntax errors is returned unchanged with its parse diagnostics: nothing is lost.
 * - Output uses `\n` line endings (CRLF input comes back with LF, so `changed` is true for it),
 *   no trailing blanks, no tabs, exactly one final newline (none for an empty file); a leading
 *   byte-order mark is dropped.
 * - The result is checked before it is returned: it must parse to the same tree (ignoring
 *   positions) with the same comments in the same order; otherwise the input is returned
 *   unchanged with an `internal-error` diagnostic. Formatting is idempotent.
 */
export function format(text: string, options: FormatOptions = {}): FormatResult {
  const file = options.file ?? "<input>";
  const parsed = parse(text, file);
  if (hasErrors(parsed.diagnostics)) return { text, changed: false, diagnostics: parsed.diagnostics };
  const refuse = (why: string): FormatResult => ({
    text,
    changed: false,
    diagnostics: [diagnostic("internal-error", { text: `the formatter ${why}; the file was left unchanged` }, { file })],
  });
  let out: string;
  try {
    const printed = printFileChecked(parsed.ast, { source: text, lineWidth: options.lineWidth ?? 100 });
    if (printed.missedComments.length > 0) return refuse(`could not place the comment ${JSON.stringify(printed.missedComments[0])}`);
    out = printed.text;
  } catch (e) {
    return refuse(`failed (${(e as Error).message})`);
  }
  const again = parse(out, file);
  if (hasErrors(again.diagnostics)) return refuse("produced text that does not parse");
  if (!sameMeaning(parsed.ast, again.ast)) return refuse("would have changed the meaning of the file");
  if (!sameComments(parsed.ast, again.ast)) return refuse("would have lost or reordered a comment");
  return { text: out, changed: out !== text, diagnostics: [] };
}

/**
 * The formatter's contract checked on one input, as a list of problems (empty when it holds):
 * a file without syntax errors formats without diagnostics, formatting twice equals once, and the
 * result parses to the same tree (ignoring positions) with the same comments in the same order.
 * A file with syntax errors must come back unchanged with its diagnostics.
 */
export function formatProblems(text: string, options: FormatOptions = {}): string[] {
  const problems: string[] = [];
  const parsed = parse(text, options.file);
  const once = format(text, options);
  if (hasErrors(parsed.diagnostics)) {
    if (once.text !== text || once.changed) problems.push("a file with syntax errors was changed");
    if (once.diagnostics.length === 0) problems.push("a file with syntax errors gave no diagnostics");
    return problems;
  }
  if (once.diagnostics.length > 0) return [`format failed: ${once.diagnostics.map((d) => d.message).join("; ")}`];
  const twice = format(once.text, options);
  if (twice.diagnostics.length > 0) problems.push(`formatting the output failed: ${twice.diagnostics.map((d) => d.message).join("; ")}`);
  else if (twice.text !== once.text) problems.push(`not idempotent:\n--- once\n${once.text}\n--- twice\n${twice.text}`);
  const after = parse(once.text, options.file);
  if (hasErrors(after.diagnostics)) problems.push("the output does not parse");
  else {
    if (!sameMeaning(parsed.ast, after.ast)) problems.push("the output means something else");
    if (!sameComments(parsed.ast, after.ast)) problems.push("the output lost or reordered comments");
  }
  return problems;
}
