/**
 * The `.kpi` printer behind `yardstick fmt` (and `convert --to kpi`): syntax tree to canonical text.
 *
 * Layout rules
 * - Top level: items in the order written (never reordered: a misplaced `yardstick` header stays
 *   where it is); exactly one blank line between items, except between two imports, which keep
 *   their spacing (none or one blank line).
 * - Blocks: `head {`, one member/clause per line indented two spaces, `}`; `head {}` when empty.
 *   Single blank lines between members are kept, runs of them collapse to one, none after `{` or
 *   before `}`. Status arms are labels padded to the longest label (`on_track  when ...`).
 * - Clauses: canonical keyword spellings (`on no data: keep`, `for 1 period`/`for 2 periods`,
 *   `higher is better`), single spaces, `name: type? modifiers` with modifiers in the order written.
 * - Expressions: `a >= 9`, `f(a, b)`, `-x`, `not x`, `x.y`; `!=` for `<>`, `=` for `==`, `±` for
 *   `+-`; every parenthesis written is kept (ParenExpr) and none is added for parsed trees (a tree
 *   built by hand gets the minimal parentheses it needs); strings re-escaped canonically; numbers,
 *   dates and periods exactly as written (from the source's tokens).
 * - Names bare unless they need backquotes (not a plain word, or a reserved word); a backquoted soft
 *   keyword (`` `value` ``) stays backquoted. Units bare when they are a word, else quoted; `%` bare.
 * - Long lines: an expression that does not fit breaks at its outermost operator chain first
 *   (`and`/`or`, then arithmetic), one operand per line with the operator at the line end, then
 *   inside brackets (call arguments, `in (...)` lists, map entries) one item per line. Continuation
 *   lines are four spaces deeper than the clause (`{ }` map entries two); a first operand that is
 *   itself a chain continues four spaces deeper still, so the nesting shows. Lines that fit never
 *   break. Target arms break before `else`, `case` before `when`/`else`/`end`.
 * - Tables: rows four spaces under `given` (two deeper than the clause), every column padded to
 *   its widest cell (display width), cells trimmed but otherwise as written (quotes and escapes
 *   kept), `| a | b |` with a closing pipe, a row's trailing comment one space after it.
 * - Comments (see comments.ts for where each one attaches): own-line comments stay above what
 *   follows them, at its indentation; end-of-line comments stay at the end of their line, one space
 *   after the code; in a dataset the end-of-line comments of consecutive column lines are aligned
 *   one space after the longest of those lines.
 */
import { quoteString, type Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { lex } from "../syntax/lexer.js";
import { NumberLiteral, RESERVED_KEYWORDS, SOFT_KEYWORDS } from "../syntax/tokens.js";
import { CommentMap, type Attached, type AttachedComment } from "./comments.js";
import { bracketGroup, breakParent, group, hardline, indent, join, line, lineSuffix, ownLine, printDoc, softline, textWidth, withEnd, type Doc, type Printed } from "./doc.js";

export interface PrintOptions {
  /** Target line width; default 100. */
  lineWidth?: number;
  /**
   * The text the tree was parsed from. With it the printer keeps numbers as written, keeps
   * comments, quoted table cells and single blank lines inside blocks; without it (a tree built
   * by a converter) it prints every node from the tree alone.
   */
  source?: string;
}

const word = (t: { LABEL?: string }) => String(t.LABEL).slice(1, -1);
const RESERVED = new Set(RESERVED_KEYWORDS.map(word));
const SOFT = new Set(SOFT_KEYWORDS.map(word));
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Binding strength of each expression form; an operand weaker than its slot needs parentheses. */
const BINARY_PREC: Record<A.BinaryOp, number> = {
  or: 1, and: 2, "=": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
};
const PREC_NOT = 3;
const PREC_COMPARISON = 4;
const PREC_ADDITIVE = 5;
const PREC_UNARY = 7;
const PREC_WINDOW = 8;
/** Path operands: a path or a primary (not a window). */
const PREC_POSTFIX_BASE = 8.5;

function precOf(e: A.Expr): number {
  switch (e.kind) {
    case "BinaryExpr": return BINARY_PREC[e.operator];
    case "UnaryExpr": return e.operator === "not" ? PREC_NOT : PREC_UNARY;
    case "InExpr": case "BetweenExpr": case "IsNullExpr": return PREC_COMPARISON;
    case "WindowExpr": return PREC_WINDOW;
    case "PathExpr": return PREC_POSTFIX_BASE;
    default: return 9;
  }
}

interface Item {
  node: { span: Span; kind?: string };
  render: (indent: number, attached: Attached) => Printed;
}

interface BlockOptions {
  dangling?: AttachedComment[];
  /** Own-line comments before the first item (comments from the block's head line). */
  lead?: AttachedComment[];
  /** Blank lines before item `next` (after `prev`); default: as in the source, at most one. */
  separation?: (prev: Item, next: Item, sourceBlank: boolean) => number;
  /** Items whose end-of-line comments align with those of their neighbours (dataset columns). */
  alignTrailing?: (item: Item) => boolean;
}

/** Prints a syntax tree as canonical `.kpi` text (see format.ts for the rules). */
export function printFile(file: A.FileNode, options: PrintOptions = {}): string {
  return printFileChecked(file, options).text;
}

/** As printFile, plus the comments the printer failed to place (always empty unless there is a bug). */
export function printFileChecked(file: A.FileNode, options: PrintOptions = {}): { text: string; missedComments: string[] } {
  const p = new Printer(file, options);
  const text = p.file();
  return { text, missedComments: p.missedComments().map((c) => c.text) };
}

class Printer {
  private readonly width: number;
  private readonly source: string | undefined;
  private readonly cm: CommentMap;
  private readonly numbers: Array<{ start: number; end: number; text: string }> = [];

  constructor(private readonly root: A.FileNode, options: PrintOptions) {
    this.width = options.lineWidth ?? 100;
    this.source = options.source;
    this.cm = new CommentMap(root, this.source ?? "");
    if (this.source !== undefined) {
      for (const t of lex(this.source, "<format>").tokens) {
        if (t.tokenType === NumberLiteral) this.numbers.push({ start: t.startOffset, end: t.endOffset! + 1, text: t.image });
      }
    }
  }

  /** Comments the printer attached but did not print: a printer bug if any. */
  missedComments(): AttachedComment[] {
    return this.cm.missed();
  }

  // ------------------------------------------------------------------ helpers

  /** A number as written in the source between two offsets, or the value printed plainly. */
  private numberIn(start: number, end: number, value: number): string {
    for (const t of this.numbers) if (t.start >= start && t.end <= end) return t.text;
    return String(value);
  }

  private spanText(span: Span | undefined, value: number): string {
    if (this.source !== undefined && span && Number.isFinite(span.start)) {
      const t = this.source.slice(span.start, span.end);
      if (/^\d/.test(t)) return t;
    }
    return String(value);
  }

  /** The source has an empty line between offsets `a` and `b`. */
  private blankBetween(a: number, b: number): boolean {
    if (this.source === undefined || !(a < b)) return false;
    return /\n[ \t\r\f\v\u00a0\ufeff]*\n/.test(this.source.slice(a, b));
  }

  private print(doc: Doc, indentation: number): Printed {
    return withEnd(printDoc(doc, this.width, indentation), indentation);
  }

  /** Wraps a node's printed form with the comments attached to it. */
  private c(node: object | undefined, doc: Doc): Doc {
    const a = this.cm.take(node);
    if (!a) return doc;
    const parts: Doc[] = [];
    for (const l of a.leading) parts.push(l.ownLine ? ownLine(l.text, l) : lineSuffix(l.text, true, l));
    parts.push(doc);
    for (const t of [...a.open, ...a.dangling, ...a.trailing]) parts.push(t.ownLine ? ownLine(t.text, t) : lineSuffix(t.text, true, t));
    return parts;
  }

  private nameText(name: string, span: Span | undefined): string {
    if (IDENT.test(name) && !RESERVED.has(name)) {
      // A backquoted soft keyword stays backquoted: it is never read as the keyword.
      if (SOFT.has(name) && span && this.source?.[span.start] === "`") return "`" + name + "`";
      return name;
    }
    return "`" + name + "`";
  }

  private name(n: A.Name): Doc {
    return this.c(n, this.nameText(n.name, n.span));
  }

  private str(s: A.StringValue): Doc {
    return this.c(s, quoteString(s.value));
  }

  /** `unit USD`, `unit %`, `unit "bags per 1000 passengers"`. */
  private unitName(n: A.Name): Doc {
    const text = n.name === "%" ? "%" : IDENT.test(n.name) && !RESERVED.has(n.name) ? n.name : quoteString(n.name);
    return this.c(n, text);
  }

  // ------------------------------------------------------------------ blocks

  /**
   * Lays out the items of a block, one under the other at `indentation`: own-line comments above
   * their item, end-of-line comments after it, blank lines kept (at most one) or as `separation`
   * says, dangling comments at the end.
   */
  private block(items: Item[], indentation: number, opts: BlockOptions = {}): string[] {
    const pad = " ".repeat(indentation);
    interface Entry {
      /** Comment lines before the item, each with the blank lines before it. */
      leading: Array<{ comment: AttachedComment; blank: number }>;
      blank: number;
      printed: Printed;
      trailing: AttachedComment[];
      aligns: boolean;
      alignTo?: number;
    }
    const entries: Entry[] = [];
    let prevEnd: number | undefined;
    let prevItem: Item | undefined;
    /** Own-line comments that ended the previous item's text: they lead the next item. */
    let carry: AttachedComment[] = opts.lead ?? [];
    const gapBefore = (start: number, first: boolean, next: Item | undefined): number => {
      const srcBlank = prevEnd !== undefined && this.blankBetween(prevEnd, start);
      if (prevItem === undefined && first) return 0;
      if (first && prevItem && next && opts.separation) return opts.separation(prevItem, next, srcBlank);
      return srcBlank ? 1 : 0;
    };
    for (const item of items) {
      const a = this.cm.take(item.node) ?? { leading: [], trailing: [], dangling: [], open: [] };
      const printed = item.render(indentation, a);
      const leading: Entry["leading"] = [];
      let first = true;
      for (const l of [...carry, ...a.leading]) {
        leading.push({ comment: l, blank: gapBefore(l.span.start, first, item) });
        first = false;
        prevEnd = l.span.end;
      }
      const blank = gapBefore(item.node.span.start, first, item);
      const end: AttachedComment[] = printed.end.map((x) => (x.ref as AttachedComment | undefined) ?? { text: x.text, span: item.node.span, ownLine: false });
      printed.end = [];
      let trailing = [...end, ...a.open, ...a.dangling, ...a.trailing];
      carry = [];
      if (printed.tail.length > 0) {
        // Own-line comments printed after the item's code: move them out of the item's lines.
        const lines = printed.text.split("\n");
        printed.text = lines.slice(0, lines.length - printed.tail.length).join("\n");
        printed.lastLineHasComment = false;
        carry = [...(printed.tail as AttachedComment[]), ...trailing.map((t) => ({ ...t, ownLine: true }))];
        trailing = [];
      } else {
        // Own-line comments after the item (from inside it) lead the next item too.
        const k = trailing.findIndex((t) => t.ownLine);
        if (k >= 0) {
          carry = trailing.slice(k).map((t) => ({ ...t, ownLine: true }));
          trailing = trailing.slice(0, k);
        }
      }
      entries.push({ leading, blank, printed, trailing, aligns: opts.alignTrailing?.(item) ?? false });
      prevEnd = Math.max(item.node.span.end, ...trailing.map((t) => t.span.end));
      prevItem = item;
    }

    if (opts.alignTrailing) {
      // Runs of consecutive aligning items (no blank line, no comment line, no other item between)
      // put their end-of-line comments in one column, one space after the longest line.
      let run: Entry[] = [];
      const flush = () => {
        const alignable = run.filter((e) => !e.printed.text.includes("\n") && !e.printed.lastLineHasComment && e.trailing.length === 1 && !e.trailing[0]!.ownLine);
        const col = Math.max(0, ...alignable.map((e) => textWidth(e.printed.text)));
        for (const e of alignable) e.alignTo = col + 1;
        run = [];
      };
      for (const e of entries) {
        if (e.blank > 0 || e.leading.length > 0 || !e.aligns) flush();
        if (e.aligns) run.push(e);
      }
      flush();
    }

    const lines: string[] = [];
    const blanks = (n: number) => {
      for (let i = 0; i < n; i++) lines.push("");
    };
    for (const e of entries) {
      for (const l of e.leading) {
        blanks(l.blank);
        lines.push(pad + l.comment.text);
      }
      blanks(e.blank);
      const itemLines = e.printed.text.split("\n");
      let lastHasComment = e.printed.lastLineHasComment;
      for (const t of e.trailing) {
        if (!lastHasComment && !t.ownLine) {
          const last = itemLines[itemLines.length - 1]!;
          const spaces = e.alignTo !== undefined ? Math.max(1, e.alignTo - textWidth(last)) : 1;
          itemLines[itemLines.length - 1] = last + " ".repeat(spaces) + t.text;
        } else itemLines.push(pad + t.text);
        lastHasComment = true;
      }
      lines.push(...itemLines);
    }
    for (const d of [...carry, ...(opts.dangling ?? [])]) {
      const srcBlank = prevEnd !== undefined && this.blankBetween(prevEnd, d.span.start);
      blanks(srcBlank && lines.length > 0 ? 1 : 0);
      lines.push(pad + d.text);
      prevEnd = d.span.end;
    }
    return lines;
  }

  /** `head {` + items + `}`, or `head {}` when there is nothing inside. */
  private braced(head: Doc, items: Item[], indentation: number, a: Attached, opts: BlockOptions = {}): Printed {
    const open = a.open;
    const dangling = a.dangling;
    a.open = [];
    a.dangling = [];
    if (items.length === 0 && open.length === 0 && dangling.length === 0) {
      const empty = printDoc([head, " {}"], this.width, indentation);
      // A comment on the head line stays inside the braces: `kpi k { // later`, `}`.
      if (empty.end.length === 0 && !empty.lastLineHasComment && empty.tail.length === 0) return empty;
    }
    const raw = printDoc([head, " {", ...open.map((o) => lineSuffix(o.text, false, o))], this.width, indentation);
    // One end-of-line comment fits on the `{` line; more go on lines of their own inside the block.
    const [onLine, ...more] = raw.end;
    const first = withEnd({ ...raw, end: onLine ? [onLine] : [] }, indentation);
    const lead = more.map((x) => ({ ...((x.ref as AttachedComment | undefined) ?? { text: x.text, span: { start: -1, end: -1 } }), ownLine: true }));
    const body = this.block(items, indentation + 2, { ...opts, dangling, lead });
    return { text: [first.text, ...body, " ".repeat(indentation) + "}"].join("\n"), lastLineHasComment: false, tail: [], end: [] };
  }

  /** An item printed from one document; end-of-line comments at its end are left to the block. */
  private simple(node: Item["node"], doc: () => Doc): Item {
    return { node, render: (ind) => printDoc(doc(), this.width, ind) };
  }

  // ------------------------------------------------------------------ file

  file(): string {
    const a = this.cm.take(this.root) ?? { leading: [], trailing: [], dangling: [], open: [] };
    const items = this.root.items.map((it) => this.topLevel(it));
    const lines = this.block(items, 0, {
      dangling: [...a.leading, ...a.dangling, ...a.trailing, ...a.open],
      separation: (prev, next, srcBlank) => (prev.node.kind === "ImportDecl" && next.node.kind === "ImportDecl" ? (srcBlank ? 1 : 0) : 1),
    });
    return lines.length === 0 ? "" : lines.join("\n") + "\n";
  }

  private topLevel(it: A.TopLevel): Item {
    switch (it.kind) {
      case "HeaderDecl":
        return this.simple(it, () => ["yardstick ", this.numberIn(it.span.start, it.span.end, it.version)]);
      case "ImportDecl":
        return this.simple(it, () => ["import ", this.str(it.path)]);
      case "DatasetDecl":
        return {
          node: it,
          render: (ind, a) => {
            const head: Doc[] = ["dataset ", this.name(it.name)];
            if (it.label) head.push(" ", this.str(it.label));
            if (it.source) {
              head.push(" from ", this.str(it.source));
              if (it.sourceFormat) head.push(" as ", this.name(it.sourceFormat));
            }
            return this.braced(head, it.members.map((m) => this.simple(m, () => this.member(m))), ind, a, { alignTrailing: (m) => m.node.kind === "ColumnDecl" });
          },
        };
      case "KpiDecl":
        return {
          node: it,
          render: (ind, a) => {
            const head: Doc[] = ["kpi ", this.name(it.name)];
            if (it.label) head.push(" ", this.str(it.label));
            return this.braced(head, it.clauses.map((c) => this.kpiClause(c)), ind, a);
          },
        };
      case "RuleDecl":
        return {
          node: it,
          render: (ind, a) => {
            const head: Doc[] = ["rule ", this.name(it.name)];
            if (it.label) head.push(" ", this.str(it.label));
            return this.braced(head, it.clauses.map((c) => this.simple(c, () => this.ruleClause(c))), ind, a);
          },
        };
      case "TestDecl":
        return {
          node: it,
          render: (ind, a) => this.braced(["test ", this.str(it.name)], it.clauses.map((c) => this.testClause(c)), ind, a),
        };
    }
  }

  // ------------------------------------------------------------------ datasets

  private typeRef(t: A.TypeRef): Doc {
    return this.c(t, [this.name(t.name), t.nullable ? "?" : ""]);
  }

  private member(m: A.DatasetMember): Doc {
    switch (m.kind) {
      case "ColumnDecl":
        return [this.name(m.name), ": ", this.typeRef(m.type), ...m.modifiers.map((mod) => [" ", this.c(mod, this.modifier(mod))])];
      case "DerivedDecl":
        return ["let ", this.name(m.name), m.type ? [": ", this.typeRef(m.type)] : "", " = ", this.expr(m.expr)];
      case "ZoneClause":
        return ["zone ", this.str(m.zone)];
      case "BadRowsClause":
        return ["on bad rows ", this.name(m.policy)];
    }
  }

  private modifier(m: A.ColumnModifier): Doc {
    switch (m.kind) {
      case "KeyModifier": return "key";
      case "TimeModifier": return "time";
      case "InSetModifier": return ["in ", this.parenList(m.values.map((v) => this.expr(v)))];
      case "InRangeModifier": return ["in ", m.min ? this.expr(m.min) : "", "..", m.max ? this.expr(m.max) : ""];
      case "RelationModifier": return ["-> ", this.name(m.target), m.alias ? [" as ", this.name(m.alias)] : ""];
      case "UnitModifier": return ["unit ", this.unitName(m.unit)];
      case "PerspectiveModifier": return ["@", this.name(m.perspective)];
    }
  }

  // ------------------------------------------------------------------ KPIs

  private kpiClause(c: A.KpiClause): Item {
    if (c.kind === "StatusClause") return { node: c, render: (ind, a) => this.statusBlock(c, ind, a) };
    return this.simple(c, () => {
      switch (c.kind) {
        case "DescriptionClause": return ["description ", this.str(c.text)];
        case "OwnerClause": return ["owner ", this.str(c.text)];
        case "TagsClause": return ["tags ", this.list(c.tags.map((t) => this.str(t)))];
        case "FromClause": return ["from ", this.name(c.dataset), c.where ? [" where ", this.expr(c.where)] : ""];
        case "ValueClause": return ["value ", this.expr(c.expr)];
        case "ByClause": return ["by ", this.dims(c.dims)];
        case "UnitClause": return ["unit ", this.unitName(c.unit)];
        case "FormatClause":
          return ["format ", this.name(c.format), c.decimals !== undefined ? [" decimals ", this.numberIn(c.format.span.end, c.span.end, c.decimals)] : ""];
        case "DirectionClause": return [c.direction, " is better"];
        case "MinSamplesClause": return ["min samples ", this.spanText(c.countSpan, c.count)];
        case "ZoneClause": return ["zone ", this.str(c.zone)];
        case "TargetClause": {
          const arms = c.arms.map((arm) => this.c(arm, this.targetArm(arm)));
          return ["target ", group([arms[0] ?? "", indent(arms.slice(1).map((a) => [line, "else ", a]))])];
        }
      }
    });
  }

  private targetArm(arm: A.TargetArm): Doc {
    return [arm.comparator ? arm.comparator + " " : "", this.expr(arm.value, PREC_ADDITIVE), arm.when ? [" when ", this.expr(arm.when)] : ""];
  }

  private statusBlock(c: Extract<A.KpiClause, { kind: "StatusClause" }>, ind: number, a: Attached): Printed {
    const labels = c.arms.map((arm) => this.nameText(arm.label.name, arm.label.span));
    const widest = Math.max(0, ...labels.map(textWidth));
    const items: Item[] = c.arms.map((arm, i) =>
      this.simple(arm, () => [
        this.c(arm.label, labels[i]! + " ".repeat(widest - textWidth(labels[i]!) + 1)),
        arm.otherwise || !arm.when ? "otherwise" : ["when ", this.expr(arm.when)],
      ]),
    );
    return this.braced("status", items, ind, a);
  }

  // ------------------------------------------------------------------ rules

  private ruleClause(c: A.RuleClause): Doc {
    switch (c.kind) {
      case "WhenClause":
        return [
          "when ",
          this.expr(c.condition),
          c.periods !== undefined ? [" for ", this.spanText(c.periodsSpan, c.periods), c.periods === 1 ? " period" : " periods"] : "",
        ];
      case "RecoverClause": return ["recover when ", this.expr(c.condition)];
      case "SeverityClause": return ["severity ", this.name(c.severity)];
      case "MessageClause": return ["message ", this.str(c.text)];
      case "NoDataClause": return ["on no data: ", this.name(c.policy)];
      case "ByClause": return ["by ", this.dims(c.dims)];
      case "DescriptionClause": return ["description ", this.str(c.text)];
    }
  }

  // ------------------------------------------------------------------ tests

  private testClause(c: A.TestClause): Item {
    switch (c.kind) {
      case "GivenClause":
        return { node: c, render: (ind) => this.given(c, ind) };
      case "AsOfClause":
        return this.simple(c, () => ["as of ", this.expr(c.at)]);
      case "ExpectAlert":
        return this.simple(c, () => [
          "expect ",
          c.negated ? "no " : "",
          "alert ",
          this.name(c.rule),
          c.firing ? " firing" : "",
          c.from ? [" from ", this.expr(c.from)] : "",
          c.to ? [" to ", this.expr(c.to)] : "",
        ]);
      case "ExpectValue":
      case "ExpectStatus":
        return this.simple(c, () => [
          "expect ",
          c.kind === "ExpectStatus" ? "status of " : "",
          this.name(c.kpi),
          c.by.length > 0 ? [" by ", this.dims(c.by)] : "",
          c.where ? [" where ", this.expr(c.where, PREC_COMPARISON)] : "",
          this.c(c.expected, this.expected(c.expected)),
        ]);
    }
  }

  private tolerance(t: A.Tolerance | undefined): Doc {
    if (!t) return "";
    return this.c(t, [" ± ", this.numberIn(t.span.start, t.span.end, t.amount), t.relative ? "%" : ""]);
  }

  private expected(e: A.ExpectedValue): Doc {
    switch (e.kind) {
      case "NullExpected":
        return " is null";
      case "ScalarExpected":
        return [" = ", this.expr(e.value), this.tolerance(e.tolerance)];
      case "MapExpected": {
        // Comments after `{` and inside an empty map stay inside the braces.
        const inner = this.cm.takeInner(e);
        const open: Doc[] = inner.open.map((o) => [lineSuffix(o.text, true), breakParent]);
        if (e.entries.length === 0) {
          if (inner.dangling.length === 0) return [" = {", open, "}"];
          return [" = {", open, indent(inner.dangling.map((d) => (d.ownLine ? ownLine(d.text, d) : [lineSuffix(d.text, true), breakParent])), 2), hardline, "}"];
        }
        const entries = e.entries.map((en) =>
          this.c(en, [
            en.keys.length === 1 ? this.expr(en.keys[0]!) : ["(", join(", ", en.keys.map((k) => this.expr(k))), ")"],
            ": ",
            this.expr(en.value),
            this.tolerance(en.tolerance),
          ]),
        );
        return [" = ", bracketGroup(["{", open, indent([line, join([",", line], entries)], 2), line, "}"])];
      }
    }
  }

  /** The rows of a fixture table as written, each column padded to its widest cell. */
  private given(g: A.GivenClause, ind: number): Printed {
    const head = this.print(["given ", this.name(g.dataset)], ind);
    const rows = [...(g.header ? [g.header] : []), ...g.rows];
    const cells = rows.map((r) => r.cells.map((cell) => this.cellText(cell)));
    const widths: number[] = [];
    for (const row of cells) row.forEach((t, i) => (widths[i] = Math.max(widths[i] ?? 0, textWidth(t))));
    const pad = " ".repeat(ind + 2);
    const lines = [head.text];
    let lastHasComment = head.lastLineHasComment;
    rows.forEach((r, i) => {
      const a = this.cm.take(r);
      for (const l of [...(a?.leading ?? [])]) lines.push(pad + l.text);
      const row = cells[i]!;
      let text = row.length === 0 ? "|" : "| " + row.map((t, j) => t + " ".repeat(widths[j]! - textWidth(t))).join(" | ") + " |";
      const comment = this.rowComment(r);
      if (comment) text += " " + comment;
      lines.push(pad + text);
      lastHasComment = comment !== undefined;
      for (const t of [...(a?.dangling ?? []), ...(a?.trailing ?? [])]) {
        lines.push(pad + t.text);
        lastHasComment = true;
      }
    });
    return { text: lines.join("\n"), lastLineHasComment: lastHasComment, tail: [], end: [] };
  }

  private cellText(cell: A.TableCell): string {
    if (this.source !== undefined) return this.source.slice(cell.span.start, cell.span.end);
    return cell.quoted ? '"' + cell.text.replace(/["\\]/g, "\\$&") + '"' : cell.text;
  }

  /** A `// comment` after the last cell of a row is part of the row's token. */
  private rowComment(r: A.TableRowNode): string | undefined {
    if (this.source === undefined || r.cells.length === 0) return undefined;
    let i = r.cells[r.cells.length - 1]!.span.end;
    while (i < r.span.end && /[ \t]/.test(this.source[i]!)) i++;
    if (this.source[i] === "|") i++;
    const rest = this.source.slice(i, r.span.end).trim();
    return rest.startsWith("//") ? rest.replace(/\s+$/, "") : undefined;
  }

  // ------------------------------------------------------------------ expressions

  private list(docs: Doc[]): Doc {
    return group(indent([docs[0] ?? "", ...docs.slice(1).map((d) => [",", line, d])]));
  }

  private dims(dims: A.Expr[]): Doc {
    return this.list(dims.map((d) => this.expr(d, PREC_ADDITIVE)));
  }

  /** `(a, b, c)`: one per line when it does not fit. */
  private parenList(docs: Doc[]): Doc {
    if (docs.length === 0) return "()";
    return bracketGroup(["(", indent([softline, join([",", line], docs)]), softline, ")"]);
  }

  /** An expression in a slot that needs at least binding strength `min`; adds parentheses only if needed. */
  private expr(e: A.Expr, min = 0): Doc {
    const doc = this.c(e, this.exprBody(e));
    return precOf(e) < min ? ["(", doc, ")"] : doc;
  }

  private exprBody(e: A.Expr): Doc {
    switch (e.kind) {
      case "NumberLit": return e.text || String(e.value);
      case "StringLit": return quoteString(e.value);
      case "TemporalLit": return e.text;
      case "BoolLit": return e.value ? "true" : "false";
      case "NullLit": return "null";
      case "NameRef": return this.nameText(e.name, e.span);
      case "PathExpr": return [this.expr(e.base, PREC_POSTFIX_BASE), ".", this.name(e.member)];
      case "CallExpr": return this.call(e);
      case "UnaryExpr": return e.operator === "-" ? ["-", this.expr(e.operand, PREC_UNARY)] : ["not ", this.expr(e.operand, PREC_NOT)];
      case "BinaryExpr":
        if (BINARY_PREC[e.operator] === PREC_COMPARISON) {
          return [this.expr(e.left, PREC_ADDITIVE), " " + e.operator + " ", this.expr(e.right, PREC_ADDITIVE)];
        }
        return this.chain(e);
      case "InExpr":
        return [this.expr(e.operand, PREC_ADDITIVE), e.negated ? " not in " : " in ", this.parenList(e.values.map((v) => this.expr(v)))];
      case "BetweenExpr":
        return [
          this.expr(e.operand, PREC_ADDITIVE),
          e.negated ? " not between " : " between ",
          this.expr(e.low, PREC_ADDITIVE),
          " and ",
          this.expr(e.high, PREC_ADDITIVE),
        ];
      case "IsNullExpr": return [this.expr(e.operand, PREC_ADDITIVE), e.negated ? " is not null" : " is null"];
      case "CaseExpr":
        return group([
          "case",
          indent([
            ...e.whens.map((w) => [line, "when ", this.expr(w.when), " then ", this.expr(w.then)]),
            e.else ? [line, "else ", this.expr(e.else)] : "",
          ]),
          line,
          "end",
        ]);
      case "WindowExpr":
        return [this.expr(e.expr, PREC_POSTFIX_BASE), " over last ", this.numberIn(e.expr.span.end, e.span.end, e.count), " ", this.name(e.unit)];
      case "ParenExpr": return ["(", this.expr(e.expr), ")"];
      case "ErrorExpr": throw new Error("cannot print a tree with syntax errors");
    }
  }

  /**
   * `a and b and c`, `a + b - c`: a left-nested run of operators of one precedence printed as one
   * group that breaks after every operator, continuation lines four spaces deeper.
   */
  private chain(root: A.BinaryExpr): Doc {
    const level = BINARY_PREC[root.operator];
    const first: Doc[] = [];
    const rest: Array<{ op: string; doc: Doc[] }> = [];
    const lastDoc = () => (rest.length > 0 ? rest[rest.length - 1]!.doc : first);
    let firstOperand: A.Expr | undefined;
    const walk = (n: A.Expr, isRoot: boolean): void => {
      if (n.kind === "BinaryExpr" && BINARY_PREC[n.operator] === level) {
        // Comments of an inner link of the chain go around its operands.
        const a = isRoot ? undefined : this.cm.take(n);
        if (a) for (const l of a.leading) first.push(l.ownLine ? ownLine(l.text, l) : lineSuffix(l.text, true, l));
        walk(n.left, false);
        rest.push({ op: n.operator, doc: [this.expr(n.right, level + 1)] });
        if (a) for (const t of [...a.dangling, ...a.trailing]) lastDoc().push(t.ownLine ? ownLine(t.text, t) : lineSuffix(t.text, true, t));
        return;
      }
      firstOperand = n;
      first.push(this.expr(n, level));
    };
    walk(root, true);
    // A first operand that is itself an operator chain continues deeper than this chain's own
    // operands, so the nesting shows when both break.
    const inner = firstOperand?.kind === "ParenExpr" ? firstOperand.expr : firstOperand;
    const head = inner?.kind === "BinaryExpr" ? indent(first) : first;
    return group([head, indent(rest.map((r) => [" " + r.op, line, r.doc]))]);
  }

  private call(e: A.CallExpr): Doc {
    const callee = this.name(e.callee);
    const body: Doc[] = [];
    e.args.forEach((arg, i) => {
      if (i > 0) body.push(",", line);
      body.push(this.expr(arg));
    });
    if (e.where) {
      if (body.length > 0) body.push(line);
      body.push("where ", this.expr(e.where));
    }
    if (e.per && e.per.length > 0) {
      if (body.length > 0) body.push(line);
      body.push("per ", join(", ", e.per.map((d) => this.expr(d, PREC_ADDITIVE))));
    }
    if (body.length === 0) return [callee, "()"];
    return [callee, bracketGroup(["(", indent([softline, body]), softline, ")"])];
  }
}
