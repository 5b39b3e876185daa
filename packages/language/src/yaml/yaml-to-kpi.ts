import type { Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { printFileChecked } from "../format/printer.js";
import type { YamlParseResult } from "./parse-yaml.js";
import { deepCopy } from "./tree.js";

/**
 * Prints a tree read from YAML as `.kpi` text with the formatter's printer. The printer reads a
 * few things from the source text, at the tree's spans: numbers as written, blank lines, whether a
 * comment has a line of its own, a name's backquotes, fixture cells as written. The tree's spans
 * point into the YAML text, so the printer is given a copy of the YAML text in which those things
 * read as they would in `.kpi`:
 *
 * - strings whose YAML spelling differs from their value (escapes) are masked, so that a number
 *   is never read from the wrong place (the printer then prints the value);
 * - the quotes around expression strings are blanked, so the expression's numbers are tokens;
 * - braces are blanked: in `.kpi` they only open blocks;
 * - fixture rows are appended as `.kpi` table rows, and the copied tree's rows point there.
 *
 * Everything else (line breaks, blank lines, the text before a comment on its line) is the YAML
 * text itself, so comments and blank lines come out where they were.
 */
export function printYamlTree(r: YamlParseResult, yaml: string, lineWidth = 100): { text: string; missedComments: string[] } {
  const chars = yaml.split("");
  const mask = (s: Span, ch: string) => {
    for (let i = s.start; i < s.end && i < chars.length; i++) if (chars[i] !== "\n" && chars[i] !== "\r") chars[i] = ch;
  };
  for (const s of r.layout.opaque) mask(s, "_");
  for (const q of r.layout.quotes) if (q >= 0 && q < chars.length) chars[q] = " ";
  for (let i = 0; i < chars.length; i++) if (chars[i] === "{" || chars[i] === "}") chars[i] = " ";
  let source = chars.join("");

  const ast = deepCopy(r.ast);
  const rows: string[] = [];
  let at = source.length + 1;
  const relocate = (orig: A.TableRowNode, copy: A.TableRowNode) => {
    let line = "|";
    copy.cells.forEach((cell, i) => {
      if (!cell.quoted && /["|]/.test(cell.text)) {
        // Unquoted, a `"` or `|` would split the `.kpi` row: the cell is written quoted (same
        // text, same fixture), in the tree read from YAML too, which the result is checked against.
        cell.quoted = true;
        orig.cells[i]!.quoted = true;
      }
      const text = cell.quoted ? '"' + cell.text.replace(/["\\]/g, "\\$&") + '"' : cell.text;
      line += " ";
      cell.span = { start: at + line.length, end: at + line.length + text.length };
      line += text + " |";
    });
    const comment = r.rowComments.get(orig);
    if (comment) line += " " + comment.text;
    copy.span = { start: at, end: at + line.length };
    rows.push(line);
    at += line.length + 1;
  };
  r.ast.items.forEach((item, i) => {
    if (item.kind !== "TestDecl") return;
    const copyItem = ast.items[i] as A.TestDecl;
    item.clauses.forEach((c, j) => {
      if (c.kind !== "GivenClause") return;
      const cc = copyItem.clauses[j] as A.GivenClause;
      if (c.header && cc.header) relocate(c.header, cc.header);
      c.rows.forEach((row, k) => relocate(row, cc.rows[k]!));
    });
  });
  if (rows.length > 0) source += "\n" + rows.join("\n");
  moveHeadComments(ast, source);
  return printFileChecked(ast, { source, lineWidth });
}

/**
 * `tickets:  # the desk's export` sits on the name's line in YAML; in `.kpi` the name is followed
 * by the label and the path on the same line, so the comment moves after the last of them and
 * prints at the end of the head line (`dataset tickets from "tickets.csv" {  // …`).
 */
function moveHeadComments(ast: A.FileNode, source: string): void {
  for (const item of ast.items) {
    if (item.kind !== "DatasetDecl" && item.kind !== "KpiDecl" && item.kind !== "RuleDecl") continue;
    const parts: Array<{ span: Span } | undefined> = [item.label, item.kind === "DatasetDecl" ? item.source : undefined, item.kind === "DatasetDecl" ? item.sourceFormat : undefined];
    const head = parts.filter((x): x is { span: Span } => x !== undefined);
    if (head.length === 0) continue;
    let end = Math.max(...head.map((h) => h.span.end));
    // On the line of that last part (a string's span takes in the blank after it).
    while (end > 0 && /\s/.test(source[end - 1]!)) end--;
    for (const c of ast.comments) {
      const onNameLine = c.span.start >= item.name.span.end && !source.slice(item.name.span.end, c.span.start).includes("\n");
      if (onNameLine && c.span.start < end) c.span = { start: end, end };
    }
  }
  ast.comments.sort((a, b) => a.span.start - b.span.start);
}
