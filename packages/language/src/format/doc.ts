/**
 * A small Wadler-style document algebra (the idea behind Prettier's printer), used to lay out one
 * clause at a time: groups print on one line when they fit and break all their lines otherwise,
 * outermost group first. That ordering is what makes line breaking predictable: the top-level
 * `and`/`or` chain breaks before the arithmetic inside it, which breaks before call arguments.
 *
 * Comments have three shapes here:
 * - `suffix` (sticky): an end-of-line comment after a node. It is printed at the end of the line;
 *   if anything other than punctuation or an operator would follow on the same line, the line
 *   is broken first, so the comment stays right after the code it followed.
 * - `suffix` (lazy): printed at the end of whatever line it lands on.
 * - `comment`: an own-line comment; printed on a line of its own.
 */

export type Doc = string | Doc[] | Group | Indent | Line | Suffix | BreakParent | OwnLine;

export interface Group {
  t: "group";
  c: Doc;
  broken: boolean;
  /** The group opens with a bracket (`(`, `{`) that may share a line with a preceding comment. */
  bracket?: boolean;
}
export interface Indent {
  t: "indent";
  c: Doc;
  n: number;
}
export interface Line {
  t: "line";
  kind: "line" | "soft" | "hard";
}
export interface Suffix {
  t: "suffix";
  text: string;
  sticky: boolean;
  /** The comment object, handed back in `Printed.end`. */
  ref?: unknown;
}
export interface BreakParent {
  t: "break";
}
export interface OwnLine {
  t: "comment";
  text: string;
  /** The comment object, handed back in `Printed.tail`. */
  ref?: unknown;
}

/** A space when the enclosing group is flat, a line break when it is broken. */
export const line: Line = { t: "line", kind: "line" };
/** Nothing when flat, a line break when broken. */
export const softline: Line = { t: "line", kind: "soft" };
export const hardline: Line = { t: "line", kind: "hard" };
export const breakParent: BreakParent = { t: "break" };

export const group = (c: Doc): Group => ({ t: "group", c, broken: false });
/** A group that starts with an opening bracket: `(` args `)`, `{` entries `}`. */
export const bracketGroup = (c: Doc): Group => ({ t: "group", c, broken: false, bracket: true });
export const indent = (c: Doc, n = 4): Indent => ({ t: "indent", c, n });
export const lineSuffix = (text: string, sticky: boolean, ref?: unknown): Suffix => ({ t: "suffix", text, sticky, ref });
export const ownLine = (text: string, ref?: unknown): OwnLine => ({ t: "comment", text, ref });

export function join(sep: Doc, docs: Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(sep);
    out.push(d);
  });
  return out;
}

/** Display width: code points, East Asian wide characters and emoji count two, combining marks zero. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x300) w += 1;
    else if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) w += 0;
    else if (
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1f300 && cp <= 0x1faff) ||
      (cp >= 0x20000 && cp <= 0x3fffd)
    )
      w += 2;
    else w += 1;
  }
  return w;
}

/**
 * The document has an end-of-line comment with more code after it: a group like that breaks, so
 * the comment ends one of the group's own lines.
 */
function commentInside(doc: Doc): boolean {
  let seen = false;
  const walk = (d: Doc): boolean => {
    if (typeof d === "string") return seen && !MAY_PRECEDE_COMMENT.test(d);
    if (Array.isArray(d)) return d.some(walk);
    switch (d.t) {
      case "group":
      case "indent":
        return walk(d.c);
      case "suffix":
        if (d.sticky) seen = true;
        return false;
      default:
        return false;
    }
  };
  return walk(doc);
}

/** Marks every group that contains a hard line, an own-line comment or a breakParent as broken. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc) if (propagateBreaks(d)) any = true;
    return any;
  }
  switch (doc.t) {
    case "group": {
      const inner = propagateBreaks(doc.c);
      if (inner || commentInside(doc.c)) doc.broken = true;
      return inner;
    }
    case "indent":
      return propagateBreaks(doc.c);
    case "line":
      return doc.kind === "hard";
    case "break":
    case "comment":
      return true;
    case "suffix":
      return false;
  }
}

const FLAT = 0;
const BREAK = 1;
type Mode = typeof FLAT | typeof BREAK;
type Cmd = [indent: number, mode: Mode, doc: Doc];

function fits(next: Cmd, rest: Cmd[], width: number): boolean {
  let restIdx = rest.length;
  const cmds: Cmd[] = [next];
  while (width >= 0) {
    if (cmds.length === 0) {
      if (restIdx === 0) return true;
      cmds.push(rest[--restIdx]!);
      continue;
    }
    const [ind, mode, doc] = cmds.pop()!;
    if (typeof doc === "string") {
      width -= textWidth(doc);
    } else if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) cmds.push([ind, mode, doc[i]!]);
    } else {
      switch (doc.t) {
        case "indent":
          cmds.push([ind + doc.n, mode, doc.c]);
          break;
        case "group":
          cmds.push([ind, doc.broken ? BREAK : mode, doc.c]);
          break;
        case "line":
          if (mode === BREAK || doc.kind === "hard") return true;
          if (doc.kind === "line") width -= 1;
          break;
        case "comment":
          return true;
        case "suffix":
        case "break":
          break;
      }
    }
  }
  return false;
}

/** What may stay on a line after a sticky end-of-line comment's node: brackets, commas, one binary operator. */
const MAY_PRECEDE_COMMENT = /^(?:[\s,(){}[\]]*|\s+(?:[-+*/%]|[<>=!]=?|and|or)\s*)$/;

function hasText(doc: Doc): boolean {
  if (typeof doc === "string") return doc.trim() !== "";
  if (Array.isArray(doc)) return doc.some(hasText);
  if (doc.t === "group" || doc.t === "indent") return hasText(doc.c);
  return false;
}

export interface Printed {
  text: string;
  /** The last line ends with (or is) a comment: nothing more may be appended to it. */
  lastLineHasComment: boolean;
  /**
   * Own-line comments printed after the last code of the document (the final lines of `text`),
   * by their `ref`: a block may move them out to lead the next item.
   */
  tail: unknown[];
  /**
   * End-of-line comments that belong at the end of the last line, left out of `text` so the
   * caller can align them (by `ref`, or text when there is none); see `withEnd`.
   */
  end: Suffix[];
}

/** `Printed` with its end comments written out. */
export function withEnd(p: Printed, base: number): Printed {
  if (p.end.length === 0) return p;
  const [first, ...more] = p.end;
  const text = p.text + " " + first!.text + more.map((s) => "\n" + " ".repeat(base) + s.text).join("");
  return { text, lastLineHasComment: true, tail: p.tail, end: [] };
}

/**
 * Lays out a document. `base` is the indentation of the first line (included in the output) and
 * of lines broken at the top level; `width` the target line width.
 */
export function printDoc(doc: Doc, width: number, base: number): Printed {
  propagateBreaks(doc);
  const out: string[] = [" ".repeat(base)];
  let pos = base;
  let lineHasContent = false;
  let lastIsComment = false;
  /** Set after an own-line comment: the next text starts a new line at this indentation. */
  let pendingNewline: number | null = null;
  let suffixes: Suffix[] = [];
  let tail: unknown[] = [];
  let lineNo = 0;
  const cmds: Cmd[] = [[base, BREAK, doc]];
  const deeper = (ind: number) => (ind === base ? base + 4 : ind);
  const stickyPending = () => suffixes.some((x) => x.sticky);

  /** End-of-line comments go at the end of the current line, or on lines of their own after it. */
  const flushSuffixes = (ind: number) => {
    for (const sfx of suffixes) {
      if (lastIsComment) out.push("\n" + " ".repeat(ind) + sfx.text);
      else {
        // One space between code and comment: drop the blanks a flat line may have left.
        while (lineHasContent && out.length > 0 && !out[out.length - 1]!.startsWith("\n") && /[ \t]$/.test(out[out.length - 1]!)) {
          const t = out[out.length - 1]!.replace(/[ \t]+$/, "");
          if (t === "") out.pop();
          else out[out.length - 1] = t;
        }
        out.push((lineHasContent ? " " : "") + sfx.text);
      }
      lineHasContent = true;
      lastIsComment = true;
      tail = [];
    }
    suffixes = [];
  };
  const newline = (ind: number) => {
    flushSuffixes(ind);
    out.push("\n" + " ".repeat(ind));
    lineNo++;
    pos = ind;
    lineHasContent = false;
    lastIsComment = false;
    pendingNewline = null;
  };
  const emit = (s: string, ind: number) => {
    if (s === "") return;
    if (pendingNewline !== null) {
      newline(pendingNewline);
      s = s.trimStart();
    } else if (stickyPending() && !MAY_PRECEDE_COMMENT.test(s)) {
      newline(deeper(ind));
      s = s.trimStart();
    }
    if (s === "") return;
    out.push(s);
    pos += textWidth(s);
    lineHasContent = true;
    lastIsComment = false;
    if (s.trim() !== "") tail = [];
  };

  while (cmds.length > 0) {
    const [ind, mode, d] = cmds.pop()!;
    if (typeof d === "string") {
      emit(d, ind);
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) cmds.push([ind, mode, d[i]!]);
      continue;
    }
    switch (d.t) {
      case "indent":
        cmds.push([ind + d.n, mode, d.c]);
        break;
      case "group":
        if (stickyPending()) {
          if (d.bracket) {
            // A group that opens with a bracket right after an end-of-line comment breaks, so the
            // comment ends the line at the bracket.
            cmds.push([ind, BREAK, d.c]);
            break;
          }
          // Otherwise the comment ends the line before the group, which is then laid out anew.
          newline(deeper(ind));
        }
        if (mode === FLAT && !d.broken) cmds.push([ind, FLAT, d.c]);
        else {
          const next: Cmd = [ind, FLAT, d.c];
          cmds.push(!d.broken && fits(next, cmds, width - pos) ? next : [ind, BREAK, d.c]);
        }
        break;
      case "line":
        if (mode === FLAT && d.kind !== "hard") {
          if (d.kind === "line" && pendingNewline === null) emit(" ", ind);
        } else newline(ind);
        break;
      case "suffix":
        suffixes.push(d);
        break;
      case "break":
        break;
      case "comment": {
        // Nothing printable after it: the comment closes the clause and sits at its indentation.
        const last = !cmds.some((cmd) => hasText(cmd[2]));
        const at = last ? base : deeper(ind);
        if (lineHasContent || suffixes.length > 0 || pendingNewline !== null) newline(pendingNewline ?? at);
        out.push(d.text);
        lineHasContent = true;
        lastIsComment = true;
        pendingNewline = at;
        if (last && lineNo > 0) tail.push(d.ref);
        else tail = [];
        break;
      }
    }
  }
  let end: Suffix[] = [];
  if (suffixes.length > 0 && lineHasContent && !lastIsComment && pendingNewline === null) {
    end = suffixes;
    suffixes = [];
  }
  flushSuffixes(base);
  const text = out.join("").replace(/[ \t]+$/gm, "");
  return { text, lastLineHasComment: lastIsComment, tail, end };
}
