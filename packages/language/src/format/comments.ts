import type { Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { lex } from "../syntax/lexer.js";
import { LCurly } from "../syntax/tokens.js";

/**
 * Comment attachment. The parser keeps comments in one flat list; the printer needs to know, for
 * each comment, which node it belongs to. Each comment goes to the deepest node whose span
 * contains it (its enclosing node), then to one of that node's children:
 *
 * - an own-line comment (only blanks before it on its line) leads the next child; with no next
 *   child it dangles at the end of a block, or trails the previous child;
 * - an end-of-line comment trails the previous child; with none, it opens a `status {` block or
 *   leads the next child (printed at the end of that child's first line).
 */

export interface AttachedComment {
  text: string;
  span: Span;
  /** The comment had a line of its own. */
  ownLine: boolean;
}

export interface Attached {
  leading: AttachedComment[];
  trailing: AttachedComment[];
  /** Inside an otherwise empty stretch: the end of a block, an empty call. */
  dangling: AttachedComment[];
  /** End-of-line comments right after a block's `{` (status blocks). */
  open: AttachedComment[];
}

/** Nodes that print as a block of lines: own-line comments at their end stay inside them. */
const BLOCKS = new Set(["File", "DatasetDecl", "KpiDecl", "RuleDecl", "TestDecl", "StatusClause"]);

/** Nodes that start with `{`: an end-of-line comment before their first child stays after the `{`. */
const OPENERS = new Set(["StatusClause", "MapExpected"]);

/** The children before the `{` of definitions. */
const HEADERS: Record<string, (n: any) => Array<AnyNode | undefined>> = {
  DatasetDecl: (n) => [n.name, n.label, n.source, n.sourceFormat],
  KpiDecl: (n) => [n.name, n.label],
  RuleDecl: (n) => [n.name, n.label],
  TestDecl: (n) => [n.name],
};

// Any AST node: the formatter walks shapes the AST types describe as unions.
type AnyNode = { span: Span; kind?: string; [k: string]: unknown };

/** The children of a node that carry spans, in source order. */
export function childrenOf(node: object): AnyNode[] {
  const n = node as AnyNode & Record<string, any>;
  const out: unknown[] = [];
  const add = (...xs: unknown[]) => {
    for (const x of xs) if (x && typeof x === "object" && "span" in (x as object)) out.push(x);
  };
  switch (n.kind) {
    case "File": add(...n.items); break;
    case "HeaderDecl": break;
    case "ImportDecl": add(n.path); break;
    case "DatasetDecl": add(n.name, n.label, n.source, n.sourceFormat, ...n.members); break;
    case "ColumnDecl": add(n.name, n.type, ...n.modifiers); break;
    case "KeyModifier": case "TimeModifier": break;
    case "InSetModifier": add(...n.values); break;
    case "InRangeModifier": add(n.min, n.max); break;
    case "RelationModifier": add(n.target, n.alias); break;
    case "UnitModifier": add(n.unit); break;
    case "PerspectiveModifier": add(n.perspective); break;
    case "DerivedDecl": add(n.name, n.type, n.expr); break;
    case "ZoneClause": add(n.zone); break;
    case "BadRowsClause": add(n.policy); break;
    case "KpiDecl": case "RuleDecl": add(n.name, n.label, ...n.clauses); break;
    case "DescriptionClause": case "OwnerClause": case "MessageClause": add(n.text); break;
    case "TagsClause": add(...n.tags); break;
    case "FromClause": add(n.dataset, n.where); break;
    case "ValueClause": add(n.expr); break;
    case "ByClause": add(...n.dims); break;
    case "UnitClause": add(n.unit); break;
    case "FormatClause": add(n.format); break;
    case "DirectionClause": case "MinSamplesClause": break;
    case "TargetClause": case "StatusClause": add(...n.arms); break;
    case "WhenClause": case "RecoverClause": add(n.condition); break;
    case "SeverityClause": add(n.severity); break;
    case "NoDataClause": add(n.policy); break;
    case "TestDecl": add(n.name, ...n.clauses); break;
    case "AsOfClause": add(n.at); break;
    case "GivenClause": add(n.dataset, n.header, ...n.rows); break;
    case "ExpectValue": case "ExpectStatus": add(n.kpi, ...n.by, n.where, n.expected); break;
    case "ExpectAlert": add(n.rule, n.from, n.to); break;
    case "ScalarExpected": add(n.value, n.tolerance); break;
    case "NullExpected": break;
    case "MapExpected": add(...n.entries); break;
    case "PathExpr": add(n.base, n.member); break;
    case "CallExpr": add(n.callee, ...n.args, n.where, ...(n.per ?? [])); break;
    case "UnaryExpr": case "IsNullExpr": add(n.operand); break;
    case "BinaryExpr": add(n.left, n.right); break;
    case "InExpr": add(n.operand, ...n.values); break;
    case "BetweenExpr": add(n.operand, n.low, n.high); break;
    case "CaseExpr":
      for (const w of n.whens as Array<{ when: A.Expr; then: A.Expr }>) add(w.when, w.then);
      add(n.else);
      break;
    case "WindowExpr": add(n.expr, n.unit); break;
    case "ParenExpr": add(n.expr); break;
    case undefined:
      // Nodes without a kind, told apart by shape.
      if ("cells" in n) break; // table row: one token, comments cannot be inside
      else if ("keys" in n) add(...n.keys, n.value, n.tolerance); // map entry
      else if ("otherwise" in n) add(n.label, n.when); // status arm
      else if ("nullable" in n) add(n.name); // type reference
      else if ("value" in n && typeof n.value === "object") add(n.value, n.when); // target arm
      break;
    default:
      break;
  }
  const kids = out as AnyNode[];
  return kids.filter((k) => Number.isFinite(k.span?.start)).sort((a, b) => a.span.start - b.span.start);
}

const BLANK = /[ \t\r\f\v\u00a0\ufeff]/;

function isOwnLine(source: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const ch = source[i]!;
    if (ch === "\n") return true;
    if (!BLANK.test(ch)) return false;
  }
  return true;
}

export class CommentMap {
  private readonly map = new Map<object, Attached>();
  private readonly printed = new Set<AttachedComment>();
  readonly all: AttachedComment[] = [];

  /** Offsets of every `{` token, in order. */
  private readonly braces: number[] = [];

  constructor(file: A.FileNode, source: string) {
    if ((file.comments ?? []).length > 0) {
      for (const t of lex(source, "<format>").tokens) if (t.tokenType === LCurly) this.braces.push(t.startOffset);
    }
    for (const c of file.comments ?? []) {
      const comment: AttachedComment = { text: c.text.replace(/\s+$/, ""), span: c.span, ownLine: isOwnLine(source, c.span.start) };
      this.all.push(comment);
      this.attach(file, comment);
    }
  }

  private slot(node: object): Attached {
    let a = this.map.get(node);
    if (!a) {
      a = { leading: [], trailing: [], dangling: [], open: [] };
      this.map.set(node, a);
    }
    return a;
  }

  private attach(file: A.FileNode, c: AttachedComment): void {
    let enclosing: AnyNode = file as unknown as AnyNode;
    let kids = childrenOf(enclosing);
    for (;;) {
      const inside = kids.find((k) => k.span.start <= c.span.start && c.span.end <= k.span.end && k.span.start < k.span.end);
      if (!inside) break;
      enclosing = inside;
      kids = childrenOf(inside);
    }
    let preceding: AnyNode | undefined;
    let following: AnyNode | undefined;
    for (const k of kids) {
      if (k.span.end <= c.span.start) preceding = k;
      else if (k.span.start >= c.span.end && !following) following = k;
    }
    const isBlock = BLOCKS.has(enclosing.kind ?? "");
    if (preceding && HEADERS[enclosing.kind ?? ""]) {
      // Between a definition's head (`kpi name "label"`) and its `{`: the comment goes on the
      // head line, which is where the `{` goes.
      const head = HEADERS[enclosing.kind!]!(enclosing).filter((k) => k !== undefined);
      const headEnd = Math.max(...head.map((k) => k.span.end));
      const brace = this.braces.find((b) => b >= headEnd);
      if (head.includes(preceding) && brace !== undefined && c.span.start < brace) {
        c.ownLine = false;
        this.slot(preceding).trailing.push(c);
        return;
      }
    }
    if (c.ownLine) {
      if (following) this.slot(following).leading.push(c);
      else if (isBlock) this.slot(enclosing).dangling.push(c);
      else if (preceding) this.slot(preceding).trailing.push(c);
      else this.slot(enclosing).dangling.push(c);
    } else {
      if (preceding) this.slot(preceding).trailing.push(c);
      else if (OPENERS.has(enclosing.kind ?? "")) this.slot(enclosing).open.push(c);
      else if (following) this.slot(following).leading.push(c);
      else this.slot(enclosing).dangling.push(c);
    }
  }

  /** The comments attached to a node; marks them printed (each may be taken once). */
  take(node: object | undefined): Attached | undefined {
    if (!node) return undefined;
    const a = this.map.get(node);
    if (!a) return undefined;
    this.map.delete(node);
    for (const list of [a.leading, a.trailing, a.dangling, a.open]) for (const c of list) this.printed.add(c);
    return a;
  }

  /** Only the `open` and `dangling` comments of a node (leading and trailing stay for `take`). */
  takeInner(node: object): { open: AttachedComment[]; dangling: AttachedComment[] } {
    const a = this.map.get(node);
    if (!a) return { open: [], dangling: [] };
    const inner = { open: a.open, dangling: a.dangling };
    a.open = [];
    a.dangling = [];
    for (const c of [...inner.open, ...inner.dangling]) this.printed.add(c);
    return inner;
  }

  /** Comments attached but never taken by the printer: a printer bug if any. */
  missed(): AttachedComment[] {
    return this.all.filter((c) => !this.printed.has(c));
  }
}
