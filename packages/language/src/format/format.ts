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
 * Formats `.kpi` text in the one canonical layout behind `yardstick fmt`.
 *
 * - A file with syntax errors is returned unchanged with its diagnostics: nothing is ever lost.
 * - Output uses `\n` line endings (CRLF input comes back with LF), no trailing blanks, no tabs,
 *   one final newline; a leading byte-order mark is dropped.
 * - Layout: one blank line between top-level definitions (consecutive imports keep their
 *   spacing), two-space indentation, one clause per line, blank lines inside blocks kept (at
 *   most one), pipe tables aligned, long expressions broken at `and`/`or`, then arithmetic, then
 *   call arguments; see printer.ts.
 * - Comments stay where they were: own-line comments above the thing they precede, end-of-line
 *   comments at the end of their line.
 * - The result is checked before it is returned: it must parse to the same tree (ignoring
 *   positions) with the same comments in the same order; otherwise the input is returned
 *   unchanged with an `internal-error` diagnostic.
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
