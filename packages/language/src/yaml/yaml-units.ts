import { Scalar, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import type { Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";

/**
 * Comments and blank lines of `.kpi` text carried over to YAML. The writer records a unit for
 * every part of the tree it writes as a YAML line of its own (a definition, a clause, a column, a
 * status line, a fixture row, an expectation), with the `.kpi` span it came from; each comment is
 * then placed by position, the way the formatter attaches comments (comments.ts):
 *
 * - an own-line comment goes above the next unit in the innermost unit around it (YAML
 *   `commentBefore`), or at the end of that unit's block when nothing follows;
 * - an end-of-line comment goes at the end of the line of the unit just before it on its line
 *   (YAML `comment`), otherwise above the next unit;
 * - a blank line before a unit or between comments is kept (at most one, none at the start of a
 *   block), as the formatter keeps them.
 */
export interface Unit {
  span: Span;
  /** Takes comments above the unit and a blank line before it. */
  head?: Node;
  /** Takes the comment at the end of the unit's (last) line. */
  tail?: Node;
  /** Takes comments at the end of the unit's block. */
  block?: YAMLMap | YAMLSeq;
  /** A blank line before this unit is always written (top-level definitions). */
  spaced?: boolean;
  /** Blank lines before this unit are never written (the first unit of a block). */
  first?: boolean;
  children: Unit[];
}

interface Note {
  body: string;
  /** A blank line before it in the source. */
  blank: boolean;
  end: number;
}

interface Placed {
  leading: Note[];
  trailing: string[];
  dangling: Note[];
}

/** `// text` as the body of a YAML comment (`#` + body); an empty body would be a blank line. */
const body = (c: A.Comment) => {
  const b = c.text.replace(/\s+$/, "").slice(2);
  return b === "" ? " " : b;
};

export function placeComments(root: Unit, comments: readonly A.Comment[], source: string): void {
  const placed = new Map<Unit, Placed>();
  const slot = (u: Unit): Placed => {
    let p = placed.get(u);
    if (!p) placed.set(u, (p = { leading: [], trailing: [], dangling: [] }));
    return p;
  };
  const blankBetween = (a: number, b: number) => a >= 0 && a < b && /\n[ \t\r\f\v]*\n/.test(source.slice(a, b));
  const ownLine = (at: number) => /(^|\n)[ \t]*$/.test(source.slice(Math.max(0, source.lastIndexOf("\n", at - 1)), at));
  /** The end of the last comment placed in a container, for blank lines between comments. */
  const lastComment = new Map<Unit, number>();

  for (const c of comments) {
    let container: Unit = root;
    let leaf: Unit | undefined;
    for (;;) {
      const inside = container.children.find((u) => u.span.start <= c.span.start && c.span.end <= u.span.end);
      if (!inside) break;
      if (inside.children.length === 0) {
        leaf = inside;
        break;
      }
      container = inside;
    }
    if (leaf) {
      // Inside a unit written as one YAML value: above it, or at the end of its line.
      if (ownLine(c.span.start)) slot(leaf).leading.push({ body: body(c), blank: false, end: c.span.end });
      else slot(leaf).trailing.push(body(c));
      continue;
    }
    let prev: Unit | undefined;
    let next: Unit | undefined;
    for (const k of container.children) {
      if (k.span.end <= c.span.start) prev = k;
      else if (k.span.start >= c.span.end && !next) next = k;
    }
    const from = Math.max(lastComment.get(container) ?? -1, prev?.span.end ?? -1);
    const note = { body: body(c), blank: blankBetween(from, c.span.start), end: c.span.end };
    lastComment.set(container, c.span.end);
    const sameLine = prev !== undefined && !source.slice(prev.span.end, c.span.start).includes("\n");
    // At the end of a block's first line (`kpi nps {  // …`, `status {  // …`): after its head.
    const onHeadLine = prev === undefined && container !== root && !source.slice(container.span.start, c.span.start).includes("\n");
    if (!ownLine(c.span.start) && sameLine) {
      // At the end of the line of a unit's last part: on that part's line.
      let at = prev!;
      while (at.children.length > 0 && !source.slice(at.children[at.children.length - 1]!.span.end, c.span.start).includes("\n")) at = at.children[at.children.length - 1]!;
      slot(at).trailing.push(note.body);
    }
    else if (!ownLine(c.span.start) && onHeadLine) slot(container).trailing.push(note.body);
    else if (next) slot(next).leading.push(note);
    else slot(container).dangling.push(note);
  }

  const apply = (u: Unit, prevSibling: Unit | undefined) => {
    const p = placed.get(u);
    const leading = p?.leading ?? [];
    if (u.head) {
      let spaceBefore = leading.length > 0 ? leading[0]!.blank : prevSibling !== undefined && blankBetween(prevSibling.span.end, u.span.start);
      const lines: string[] = [];
      leading.forEach((l, i) => {
        if (i > 0 && l.blank) lines.push("");
        lines.push(l.body);
      });
      if (leading.length > 0 && blankBetween(leading[leading.length - 1]!.end, u.span.start)) lines.push("");
      if (lines.length > 0) u.head.commentBefore = [u.head.commentBefore, lines.join("\n")].filter((x) => x).join("\n");
      if (u.spaced) spaceBefore = true;
      if (u.first) spaceBefore = false;
      if (spaceBefore) u.head.spaceBefore = true;
    }
    if (p && p.trailing.length > 0) {
      const target = u.tail ?? u.head;
      if (target) target.comment = [target.comment, ...p.trailing].filter((x) => x).join("\n");
    }
    if (p && p.dangling.length > 0) {
      const text = p.dangling.map((d) => (d.blank ? "\n" : "") + d.body).join("\n");
      const target = u.block ?? u.tail ?? u.head;
      if (target) target.comment = [target.comment, text].filter((x) => x).join("\n");
    }
    u.children.forEach((k, i) => apply(k, u.children[i - 1]));
  };
  apply(root, undefined);
}

/** A scalar that keeps its plain spelling (numbers as written, names, dates). */
export function plain(text: string): Scalar {
  const s = new Scalar(text);
  s.type = Scalar.PLAIN;
  return s;
}

export function quoted(text: string): Scalar {
  const s = new Scalar(text);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}
