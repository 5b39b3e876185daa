import type { TableCell, TableRowNode } from "./ast.js";
import { SourceSpan, TableCellNode, TableRowNodeImpl } from "./nodes.js";

/**
 * Splits one pipe-table row (`| a | "b, c" | |`) into cells. A `|` inside double quotes does not
 * split; an empty cell is null (text ""), a quoted cell is a string even when empty.
 */
export function splitTableRow(image: string, offset: number): TableRowNode {
  const cells: TableCell[] = [];
  let i = image.indexOf("|") + 1;
  let end = image.length;
  while (end > 0 && /\s/.test(image[end - 1]!)) end--;
  // A trailing comment after the last pipe is not a cell.
  while (i < end) {
    let j = i;
    let inQuotes = false;
    while (j < end) {
      const ch = image[j]!;
      if (ch === '"') inQuotes = !inQuotes;
      else if (ch === "\\" && inQuotes) j++;
      else if (ch === "|" && !inQuotes) break;
      j++;
    }
    if (j >= end && image[end - 1] !== "|" && cells.length > 0 && image.slice(i, end).trim().startsWith("//")) break;
    const raw = image.slice(i, Math.min(j, end));
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    const start = offset + i + lead;
    const quoted = text.length >= 2 && text.startsWith('"') && text.endsWith('"');
    cells.push(new TableCellNode(quoted ? text.slice(1, -1).replace(/\\(.)/g, "$1") : text, quoted, new SourceSpan(start, start + text.length)));
    i = j + 1;
    if (j >= end) break;
  }
  return new TableRowNodeImpl(cells.slice(), new SourceSpan(offset, offset + end));
}
