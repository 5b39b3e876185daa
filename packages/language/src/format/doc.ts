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
}
export interface BreakParent {
  t: "break";
}
export interface OwnLine {
  t: "comment";
  text: string;
}

/** A space when the enclosing group is flat, a line break when it is broken. */
export const line: Line = { t: "line", kind: "line" };
/** Nothing when flat, a line break when broken. */
export const softline: Line = { t: "line", kind: "soft" };
export const hardline: Line = { t: "line", kind: "hard" };
export const breakParent: BreakParent = { t: "break" };

export const group = (c: Doc): Group => ({ t: "group", c, broken: false });
export const indent = (c: Doc, n = 4): Indent => ({ t: "indent", c, n });
export const lineSuffix = (text: string, sticky: boolean): Suffix => ({ t: "suffix", text, sticky });
export const ownLine = (text: string): OwnLine => ({ t: "comment", text });

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
      if (inner) doc.broken = true;
      return doc.broken;
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
  const cmds: Cmd[] = [[base, BREAK, doc]];
  const deeper = (ind: number) => (ind === base ? base + 4 : ind);

  const newline = (ind: number) => {
    if (suffixes.length > 0) {
      const [first, ...more] = suffixes;
      out.push((lineHasContent ? " " : "") + first!.text);
      for (const s of more) out.push("\n" + " ".repeat(ind) + s.text);
      suffixes = [];
    }
    out.push("\n" + " ".repeat(ind));
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
    } else if (suffixes.some((x) => x.sticky) && !MAY_PRECEDE_COMMENT.test(s)) {
      newline(deeper(ind));
      s = s.trimStart();
    }
    if (s === "") return;
    out.push(s);
    pos += textWidth(s);
    lineHasContent = true;
    lastIsComment = false;
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
        if (mode === FLAT && !d.broken && !suffixes.some((x) => x.sticky)) cmds.push([ind, FLAT, d.c]);
        else if (suffixes.some((x) => x.sticky)) {
          // A group that starts after an end-of-line comment breaks, so the comment ends the line
          // at the group's first break point instead of splitting the group somewhere else.
          cmds.push([ind, BREAK, d.c]);
        } else {
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
        const at = cmds.some((cmd) => hasText(cmd[2])) ? deeper(ind) : base;
        if (lineHasContent || suffixes.length > 0 || pendingNewline !== null) newline(pendingNewline ?? at);
        out.push(d.text);
        lineHasContent = true;
        lastIsComment = true;
        pendingNewline = at;
        break;
      }
    }
  }
  if (suffixes.length > 0) {
    const [first, ...more] = suffixes;
    out.push((lineHasContent ? " " : "") + first!.text);
    for (const s of more) out.push("\n" + " ".repeat(base) + s.text);
    lastIsComment = true;
  }
  const text = out.join("").replace(/[ \t]+$/gm, "");
  return { text, lastLineHasComment: lastIsComment };
}
