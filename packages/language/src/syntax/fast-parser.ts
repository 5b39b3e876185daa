import type { TokenType } from "chevrotain";
import type { Span } from "@yardstick/model";
import type * as A from "./ast.js";
import * as T from "./tokens.js";
import { TOKEN_TYPES, type TokenStream } from "./lexer.js";
import {
  ArmsNode, AtNode, BetweenExprNode, BinaryExprNode, CallExprNode, CaseWhenNode, ColumnNode,
  ConditionNode, DatasetNode, DatasetRefNode, DefinitionNode, DerivedNode, DimsNode, DirectionNode,
  emptyList, EntriesNode, exactList, ExpectAlertNode, ExpectNode, ExprNode, FileNodeImpl,
  FormatNode, GivenNode, InExprNode, IsNullExprNode, LeafNode, MapEntryNode, MinSamplesNode,
  NameNode, NameRefNode, NumberLitNode, PathExprNode, PathNode, PerspectiveNode, PolicyNode,
  SeverityNode, SourceSpan, StatusArmNode, StringValueNode, TagsNode, TargetArmNode, TargetNode,
  TextNode, ToleranceNode, TypeRefNode, UnaryExprNode, UnitNode, ValueNode, ValuesNode,
  VersionNode, WhensNode, WindowExprNode, ZoneNode,
} from "./nodes.js";
import { unquote } from "./strings.js";
import { splitTableRow } from "./table-row.js";

/**
 * The fast path of the parser: a recursive-descent reading of valid input.
 *
 * Contract: `fastParse(tokens, maxDepth)` returns exactly the tree `KpiParser.file()` builds from
 * the same tokens (same nodes, fields in the same order, same spans; nodes and spans are instances
 * of the classes in nodes.ts, which serialize as the literals they stand for do), or null. It
 * returns null as soon as it meets anything it does not expect: a syntax error, a token where the
 * chevrotain parser would need error recovery, an expression nested more than `maxDepth` levels
 * deep, input nested so deeply that this parser would run out of stack. `parse` then reads the tokens again
 * with `KpiParser`, so syntax errors, their messages and recovered partial trees only ever come
 * from chevrotain; this path never reports anything. A tree from here therefore has no
 * `recovered` flags, no `ErrorExpr` and no expression deeper than `maxDepth`.
 *
 * The functions below mirror the rules of parser.ts one by one, with the same names and the same
 * decisions: the same alternatives in the same order, chosen by the same one- or two-token
 * lookahead (soft keywords are names wherever a name is expected; a column modifier word followed
 * by `:` starts the next column), and the same flat reading of `or`/`and` and arithmetic chains,
 * built by precedence into left-associative trees. `fast-parser.test.ts` compares the two parsers
 * on the corpus, the examples, generated specs and mutated input.
 */
export function fastParse(tokens: TokenStream, maxDepth: number): A.FileNode | null {
  try {
    return new FastParser(tokens, maxDepth).file();
  } catch (e) {
    // UNEXPECTED: not valid input, or not input this path reads; RangeError: nested too deeply
    // for the stack. Either way the chevrotain parser reads the tokens.
    if (e === UNEXPECTED || e instanceof RangeError) return null;
    throw e;
  }
}

/**
 * The fast path of `parseFragment`: the tree `KpiParser.expression()` (or `additive()`) builds
 * from all of `tokens`, or null, under the same contract as `fastParse`.
 */
export function fastParseFragment(tokens: TokenStream, rule: "expression" | "additive", maxDepth: number): A.Expr | null {
  try {
    return new FastParser(tokens, maxDepth).fragment(rule);
  } catch (e) {
    if (e === UNEXPECTED || e instanceof RangeError) return null;
    throw e;
  }
}

/** Thrown to give up on the fast path; caught in `fastParse` and `fastParseFragment`. */
const UNEXPECTED = { fastPath: "unexpected input" };

const NO_SPAN: Span = { start: 0, end: 0 };

const COMPARATORS: Record<string, A.ComparatorOp> = { ">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "=", "==": "=", "!=": "!=", "<>": "!=" };

/** Token types by `tokenTypeIdx`: `Identifier` and its category (quoted names, soft keywords). */
const NAME_TYPES: boolean[] = [];
for (const t of [T.Identifier, T.QuotedIdentifier, ...T.SOFT_KEYWORDS]) NAME_TYPES[t.tokenTypeIdx!] = true;

/** Token types in the `Comparator` category. */
const COMPARATOR_TYPES: boolean[] = [];
for (const t of [T.GreaterEq, T.LessEq, T.NotEq, T.Equals, T.Greater, T.Less]) COMPARATOR_TYPES[t.tokenTypeIdx!] = true;

/** The words that start a column modifier. */
const MODIFIER_STARTS = new Set<TokenType>([T.KwKey, T.KwTime, T.In, T.Arrow, T.KwUnit, T.At]);

/** The expression kinds, as parse.ts counts nesting depth. */
const EXPR_KINDS = new Set([
  "NumberLit", "StringLit", "TemporalLit", "BoolLit", "NullLit", "NameRef", "PathExpr", "CallExpr", "UnaryExpr",
  "BinaryExpr", "InExpr", "BetweenExpr", "IsNullExpr", "CaseExpr", "WindowExpr", "ParenExpr", "ErrorExpr",
]);


function binary(operator: A.BinaryOp, left: A.Expr, right: A.Expr, operatorSpan: Span): A.BinaryExpr {
  return new BinaryExprNode("BinaryExpr", operator, left, right, operatorSpan, new SourceSpan(left.span.start, right.span.end));
}

/**
 * True when `node` holds a chain of more than `room` nested expressions. Only an expression whose
 * text is longer than the room left can nest that deep, so shorter ones are skipped, and the
 * recursion stops at the limit.
 */
function nestsDeeper(node: object, room: number): boolean {
  const holder = node as Record<string, unknown>;
  for (const key in holder) {
    const v = holder[key];
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === "object" && childNestsDeeper(x as object, room)) return true;
    } else if (childNestsDeeper(v, room)) return true;
  }
  return false;
}

function childNestsDeeper(x: object, room: number): boolean {
  const kind = (x as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !EXPR_KINDS.has(kind)) return nestsDeeper(x, room);
  if (room === 0) return true;
  const span = (x as A.Expr).span;
  return span.end - span.start > room && nestsDeeper(x, room - 1);
}

class FastParser {
  private readonly stream: TokenStream;
  /** Token types (`tokenTypeIdx`), start and end offsets (end exclusive), as in the stream. */
  private readonly types: Uint16Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** The number of tokens. */
  private readonly count: number;
  private readonly maxDepth: number;
  /** Index of the next token. */
  private pos = 0;
  /** Nested `unary` and `not` readings: each is one more expression level around the next. */
  private nesting = 0;
  /** The length of the longest expression read (see `KpiParser.longestExpression`). */
  private longestExpression = 0;

  constructor(stream: TokenStream, maxDepth: number) {
    this.stream = stream;
    this.types = stream.types;
    this.starts = stream.starts;
    this.ends = stream.ends;
    this.count = stream.count;
    this.maxDepth = maxDepth;
  }

  // ---------------------------------------------------------------- tokens

  /** The type of the token `k` ahead of the next one (0: the next), undefined past the end. */
  private la(k = 0): TokenType | undefined {
    const i = this.pos + k;
    return i < this.count ? TOKEN_TYPES[this.types[i]!] : undefined;
  }

  private at(type: TokenType): boolean {
    return this.pos < this.count && this.types[this.pos] === type.tokenTypeIdx;
  }

  private atName(k = 0): boolean {
    const i = this.pos + k;
    return i < this.count && NAME_TYPES[this.types[i]!] === true;
  }

  private atComparator(): boolean {
    return this.pos < this.count && COMPARATOR_TYPES[this.types[this.pos]!] === true;
  }

  /** The next token, which must be of `type`; returns its index. */
  private consume(type: TokenType): number {
    if (!this.at(type)) throw UNEXPECTED;
    return this.pos++;
  }

  private consumeName(): number {
    if (!this.atName()) throw UNEXPECTED;
    return this.pos++;
  }

  private startOf(): number {
    if (this.pos >= this.count) throw UNEXPECTED;
    return this.starts[this.pos]!;
  }

  /** Span from `start` to the end of the last consumed token. */
  private span(start: number): Span {
    return new SourceSpan(start, this.ends[this.pos - 1]!);
  }

  private image(t: number): string {
    return this.stream.image(t);
  }

  private tokSpan(t: number): Span {
    return new SourceSpan(this.starts[t]!, this.ends[t]!);
  }

  /** A name token as a name. */
  private nameOf(t: number): A.Name {
    return new NameNode(this.nameText(t), this.tokSpan(t));
  }

  /** The name a name token stands for: a quoted name without its backquotes. */
  private nameText(t: number): string {
    const start = this.starts[t]! - this.stream.offset;
    const end = this.ends[t]! - this.stream.offset;
    const text = this.stream.text;
    return text.charCodeAt(start) === 96 /* ` */ ? text.substring(start + 1, end - 1) : text.substring(start, end);
  }

  private measured<E extends A.Expr>(e: E): E {
    const length = e.span.end - e.span.start;
    if (length > this.longestExpression) this.longestExpression = length;
    return e;
  }

  // ---------------------------------------------------------------- file

  file(): A.FileNode {
    const items: A.TopLevel[] = [];
    while (this.pos < this.count) items.push(this.topLevel());
    const file: A.FileNode = new FileNodeImpl("File", exactList(items), emptyList(), NO_SPAN);
    if (this.longestExpression >= this.maxDepth && nestsDeeper(file, this.maxDepth)) throw UNEXPECTED;
    return file;
  }

  /** One expression that is the whole input. */
  fragment(rule: "expression" | "additive"): A.Expr {
    const e = rule === "expression" ? this.expression() : this.additive();
    if (this.pos < this.count) throw UNEXPECTED;
    if (this.longestExpression >= this.maxDepth && nestsDeeper({ e }, this.maxDepth)) throw UNEXPECTED;
    return e;
  }

  private topLevel(): A.TopLevel {
    switch (this.la()) {
      case T.KwYardstick: return this.header();
      case T.Import: return this.importDecl();
      case T.Dataset: return this.datasetDecl();
      case T.Kpi: return this.kpiDecl();
      case T.Rule: return this.ruleDecl();
      case T.Test: return this.testDecl();
      default: throw UNEXPECTED;
    }
  }

  private header(): A.HeaderDecl {
    const s = this.startOf();
    this.consume(T.KwYardstick);
    const v = this.consume(T.NumberLiteral);
    return new VersionNode("HeaderDecl", Number(this.image(v)), this.span(s));
  }

  private importDecl(): A.ImportDecl {
    const s = this.startOf();
    this.consume(T.Import);
    const path = this.stringValue();
    return new PathNode("ImportDecl", path, this.span(s));
  }

  private stringValue(): A.StringValue {
    const t = this.consume(T.StringLiteral);
    return new StringValueNode(unquote(this.image(t)), this.tokSpan(t));
  }

  private name(): A.Name {
    return this.nameOf(this.consumeName());
  }

  // ---------------------------------------------------------------- datasets

  private datasetDecl(): A.DatasetDecl {
    const s = this.startOf();
    this.consume(T.Dataset);
    const name = this.name();
    const label = this.at(T.StringLiteral) ? this.stringValue() : undefined;
    let source: A.StringValue | undefined;
    let sourceFormat: A.Name | undefined;
    if (this.at(T.From)) {
      this.pos++;
      source = this.stringValue();
      if (this.at(T.KwAs)) {
        this.pos++;
        sourceFormat = this.name();
      }
    }
    this.consume(T.LCurly);
    const members: A.DatasetMember[] = [];
    while (!this.at(T.RCurly)) members.push(this.datasetMember());
    this.pos++;
    const node: A.DatasetDecl = new DatasetNode("DatasetDecl", name, exactList(members), this.span(s));
    if (label) node.label = label;
    if (source) node.source = source;
    if (sourceFormat) node.sourceFormat = sourceFormat;
    return node;
  }

  private datasetMember(): A.DatasetMember {
    const type = this.la();
    if (type === T.KwZone && this.la(1) === T.StringLiteral) return this.zoneClause();
    if (type === T.KwOn && this.la(1) === T.KwBad) return this.badRowsClause();
    if (type === T.Let) return this.derivedDecl();
    if (this.atName() && this.la(1) === T.Colon) return this.columnDecl();
    throw UNEXPECTED;
  }

  private zoneClause(): A.ZoneClause {
    const s = this.startOf();
    this.consume(T.KwZone);
    const zone = this.stringValue();
    return new ZoneNode("ZoneClause", zone, this.span(s));
  }

  private badRowsClause(): A.BadRowsClause {
    const s = this.startOf();
    this.consume(T.KwOn);
    this.consume(T.KwBad);
    this.consume(T.KwRows);
    const policy = this.name();
    return new PolicyNode("BadRowsClause", policy, this.span(s));
  }

  private derivedDecl(): A.DerivedDecl {
    const s = this.startOf();
    this.consume(T.Let);
    const name = this.name();
    let type: A.TypeRef | undefined;
    if (this.at(T.Colon)) {
      this.pos++;
      type = this.typeRef();
    }
    this.consume(T.Equals);
    const expr = this.expression();
    const node: A.DerivedDecl = new DerivedNode("DerivedDecl", name, expr, this.span(s));
    if (type) node.type = type;
    return node;
  }

  private typeRef(): A.TypeRef {
    const s = this.startOf();
    const name = this.name();
    let nullable = false;
    if (this.at(T.Question)) {
      this.pos++;
      nullable = true;
    }
    return new TypeRefNode(name, nullable, this.span(s));
  }

  private columnDecl(): A.ColumnDecl {
    const s = this.startOf();
    const name = this.name();
    this.consume(T.Colon);
    const type = this.typeRef();
    const modifiers: A.ColumnModifier[] = [];
    // A modifier word followed by ':' starts the next column, not a modifier.
    while (MODIFIER_STARTS.has(this.la()!) && this.la(1) !== T.Colon) modifiers.push(this.columnModifier());
    return new ColumnNode("ColumnDecl", name, type, exactList(modifiers), this.span(s));
  }

  private columnModifier(): A.ColumnModifier {
    const s = this.startOf();
    switch (this.la()) {
      case T.KwKey:
        this.pos++;
        return new LeafNode("KeyModifier", this.span(s));
      case T.KwTime:
        this.pos++;
        return new LeafNode("TimeModifier", this.span(s));
      case T.In: {
        this.pos++;
        if (this.at(T.LParen)) {
          this.pos++;
          const values: A.Expr[] = [];
          if (!this.at(T.RParen)) {
            values.push(this.literal());
            while (this.at(T.Comma)) {
              this.pos++;
              values.push(this.literal());
            }
          }
          this.consume(T.RParen);
          return new ValuesNode("InSetModifier", exactList(values), this.span(s));
        }
        const min = this.atRangeBound() ? this.rangeBound() : undefined;
        this.consume(T.DotDot);
        const max = this.atRangeBound() ? this.rangeBound() : undefined;
        const node: A.ColumnModifier & { kind: "InRangeModifier" } = new LeafNode("InRangeModifier", this.span(s));
        if (min) node.min = min;
        if (max) node.max = max;
        return node;
      }
      case T.Arrow: {
        this.pos++;
        const target = this.name();
        const alias = this.at(T.KwAs) ? (this.pos++, this.name()) : undefined;
        const node: A.ColumnModifier & { kind: "RelationModifier" } = new TargetNode("RelationModifier", target, this.span(s));
        if (alias) node.alias = alias;
        return node;
      }
      case T.KwUnit: {
        this.pos++;
        const unit = this.unitName();
        return new UnitNode("UnitModifier", unit, this.span(s));
      }
      case T.At: {
        this.pos++;
        const perspective = this.name();
        return new PerspectiveNode("PerspectiveModifier", perspective, this.span(s));
      }
      default:
        throw UNEXPECTED;
    }
  }

  private atRangeBound(): boolean {
    const type = this.la();
    return type === T.Minus || type === T.NumberLiteral || type === T.TemporalLiteral;
  }

  private unitName(): A.Name {
    if (this.atName()) return this.name();
    const t = this.pos;
    if (this.at(T.StringLiteral)) {
      this.pos++;
      return new NameNode(unquote(this.image(t)), this.tokSpan(t));
    }
    if (this.at(T.PercentSign)) {
      this.pos++;
      return new NameNode("%", this.tokSpan(t));
    }
    throw UNEXPECTED;
  }

  // ---------------------------------------------------------------- KPIs

  private kpiDecl(): A.KpiDecl {
    const s = this.startOf();
    this.consume(T.Kpi);
    const name = this.name();
    const label = this.at(T.StringLiteral) ? this.stringValue() : undefined;
    this.consume(T.LCurly);
    const clauses: A.KpiClause[] = [];
    while (!this.at(T.RCurly)) clauses.push(this.kpiClause());
    this.pos++;
    const node: A.KpiDecl = new DefinitionNode("KpiDecl", name, exactList(clauses), this.span(s));
    if (label) node.label = label;
    return node;
  }

  private kpiClause(): A.KpiClause {
    const s = this.startOf();
    switch (this.la()) {
      case T.KwDescription: {
        this.pos++;
        const text = this.stringValue();
        return new TextNode("DescriptionClause", text, this.span(s));
      }
      case T.KwOwner: {
        this.pos++;
        const text = this.stringValue();
        return new TextNode("OwnerClause", text, this.span(s));
      }
      case T.KwTags: {
        this.pos++;
        const tags = [this.stringValue()];
        while (this.at(T.Comma)) {
          this.pos++;
          tags.push(this.stringValue());
        }
        return new TagsNode("TagsClause", exactList(tags), this.span(s));
      }
      case T.From: {
        this.pos++;
        const dataset = this.name();
        const where = this.at(T.Where) ? (this.pos++, this.expression()) : undefined;
        const node: A.KpiClause & { kind: "FromClause" } = new DatasetRefNode("FromClause", dataset, this.span(s));
        if (where) node.where = where;
        return node;
      }
      case T.KwValue: {
        this.pos++;
        const expr = this.expression();
        return new ExprNode("ValueClause", expr, this.span(s));
      }
      case T.By: {
        this.pos++;
        const dims = this.dimList();
        return new DimsNode("ByClause", dims, this.span(s));
      }
      case T.KwUnit: {
        this.pos++;
        const unit = this.unitName();
        return new UnitNode("UnitClause", unit, this.span(s));
      }
      case T.KwFormat: {
        this.pos++;
        const format = this.name();
        const decimals = this.at(T.KwDecimals) ? (this.pos++, Number(this.image(this.consume(T.NumberLiteral)))) : undefined;
        const node: A.KpiClause & { kind: "FormatClause" } = new FormatNode("FormatClause", format, this.span(s));
        if (decimals !== undefined) node.decimals = decimals;
        return node;
      }
      case T.KwHigher:
      case T.KwLower: {
        const direction = this.la() === T.KwHigher ? "higher" : "lower";
        this.pos++;
        this.consume(T.Is);
        this.consume(T.KwBetter);
        return new DirectionNode("DirectionClause", direction, this.span(s));
      }
      case T.KwMin: {
        this.pos++;
        this.consume(T.KwSamples);
        const n = this.consume(T.NumberLiteral);
        return new MinSamplesNode("MinSamplesClause", Number(this.image(n)), this.tokSpan(n), this.span(s));
      }
      case T.KwZone:
        return this.zoneClause();
      case T.KwTarget: {
        this.pos++;
        const arms: A.TargetArm[] = [];
        this.targetArms(arms);
        return new ArmsNode("TargetClause", exactList(arms), this.span(s));
      }
      case T.KwStatus: {
        this.pos++;
        this.consume(T.LCurly);
        const arms: A.StatusArm[] = [];
        while (!this.at(T.RCurly)) arms.push(this.statusArm());
        this.pos++;
        return new ArmsNode("StatusClause", exactList(arms), this.span(s));
      }
      default:
        throw UNEXPECTED;
    }
  }

  /** `>= 0.7 when channel = "phone" else >= 0.6`: arms in order, the last one without `when`. */
  private targetArms(arms: A.TargetArm[]): void {
    const s = this.startOf();
    let comparator: A.ComparatorOp | undefined;
    if (this.atComparator()) comparator = COMPARATORS[this.image(this.pos++)];
    const arm: A.TargetArm = new TargetArmNode(this.additive(), NO_SPAN);
    if (comparator !== undefined) arm.comparator = comparator;
    arms.push(arm);
    if (this.at(T.When)) {
      this.pos++;
      arm.when = this.expression();
      arm.span = this.span(s);
      this.consume(T.Else);
      this.targetArms(arms);
    } else arm.span = this.span(s);
  }

  private statusArm(): A.StatusArm {
    const s = this.startOf();
    const label = this.name();
    // `when <condition>`, or `otherwise`.
    let when: A.Expr | undefined;
    if (this.at(T.When)) {
      this.pos++;
      when = this.expression();
    } else this.consume(T.KwOtherwise);
    const arm: A.StatusArm = new StatusArmNode(label, when === undefined, this.span(s));
    if (when) arm.when = when;
    return arm;
  }

  private dimList(): A.Expr[] {
    const dims = [this.additive()];
    while (this.at(T.Comma)) {
      this.pos++;
      dims.push(this.additive());
    }
    return exactList(dims);
  }

  // ---------------------------------------------------------------- rules

  private ruleDecl(): A.RuleDecl {
    const s = this.startOf();
    this.consume(T.Rule);
    const name = this.name();
    const label = this.at(T.StringLiteral) ? this.stringValue() : undefined;
    this.consume(T.LCurly);
    const clauses: A.RuleClause[] = [];
    while (!this.at(T.RCurly)) clauses.push(this.ruleClause());
    this.pos++;
    const node: A.RuleDecl = new DefinitionNode("RuleDecl", name, exactList(clauses), this.span(s));
    if (label) node.label = label;
    return node;
  }

  private ruleClause(): A.RuleClause {
    const s = this.startOf();
    switch (this.la()) {
      case T.When: {
        this.pos++;
        const condition = this.expression();
        let n: number | undefined;
        if (this.at(T.KwFor)) {
          this.pos++;
          n = this.consume(T.NumberLiteral);
          if (this.at(T.KwPeriods) || this.at(T.KwPeriod)) this.pos++;
          else throw UNEXPECTED;
        }
        const node: A.RuleClause & { kind: "WhenClause" } = new ConditionNode("WhenClause", condition, this.span(s));
        if (n !== undefined) {
          node.periods = Number(this.image(n));
          node.periodsSpan = this.tokSpan(n);
        }
        return node;
      }
      case T.KwRecover: {
        this.pos++;
        this.consume(T.When);
        const condition = this.expression();
        return new ConditionNode("RecoverClause", condition, this.span(s));
      }
      case T.KwSeverity: {
        this.pos++;
        const severity = this.name();
        return new SeverityNode("SeverityClause", severity, this.span(s));
      }
      case T.KwMessage: {
        this.pos++;
        const text = this.stringValue();
        return new TextNode("MessageClause", text, this.span(s));
      }
      case T.KwDescription: {
        this.pos++;
        const text = this.stringValue();
        return new TextNode("DescriptionClause", text, this.span(s));
      }
      case T.KwOn: {
        this.pos++;
        this.consume(T.KwNo);
        this.consume(T.KwData);
        if (this.at(T.Colon)) this.pos++;
        const policy = this.name();
        return new PolicyNode("NoDataClause", policy, this.span(s));
      }
      case T.By: {
        this.pos++;
        const dims = this.dimList();
        return new DimsNode("ByClause", dims, this.span(s));
      }
      default:
        throw UNEXPECTED;
    }
  }

  // ---------------------------------------------------------------- tests

  private testDecl(): A.TestDecl {
    const s = this.startOf();
    this.consume(T.Test);
    const name = this.stringValue();
    this.consume(T.LCurly);
    const clauses: A.TestClause[] = [];
    while (!this.at(T.RCurly)) clauses.push(this.testClause());
    this.pos++;
    return new DefinitionNode("TestDecl", name, exactList(clauses), this.span(s));
  }

  private testClause(): A.TestClause {
    switch (this.la()) {
      case T.Given:
        return this.givenClause();
      case T.Expect:
        return this.expectClause();
      case T.KwAs: {
        const s = this.startOf();
        this.pos++;
        this.consume(T.KwOf);
        const at = this.literal();
        return new AtNode("AsOfClause", at, this.span(s));
      }
      default:
        throw UNEXPECTED;
    }
  }

  private givenClause(): A.GivenClause {
    const s = this.startOf();
    this.consume(T.Given);
    const dataset = this.name();
    let header: A.TableRowNode | undefined;
    const rows: A.TableRowNode[] = [];
    while (this.at(T.TableRow)) {
      const t = this.pos++;
      const row = splitTableRow(this.image(t), this.starts[t]!);
      if (header === undefined) header = row;
      else rows.push(row);
    }
    const node: A.GivenClause = new GivenNode("GivenClause", dataset, exactList(rows), this.span(s));
    if (header) node.header = header;
    return node;
  }

  private expectClause(): A.ExpectClause {
    const s = this.startOf();
    this.consume(T.Expect);
    const first = this.la();
    const second = this.la(1);
    if (first === T.KwStatus && second === T.KwOf) {
      this.pos += 2;
      const kpi = this.name();
      const tail = this.expectTail();
      return new ExpectNode("ExpectStatus", kpi, tail.by, tail.expected, tail.where, this.span(s));
    }
    if ((first === T.KwNo && second === T.KwAlert) || (first === T.KwAlert && this.atName(1))) return this.expectAlert(s);
    if (this.atName() && (second === T.By || second === T.Where || second === T.Is || second === T.Equals)) {
      const kpi = this.name();
      const tail = this.expectTail();
      return new ExpectNode("ExpectValue", kpi, tail.by, tail.expected, tail.where, this.span(s));
    }
    throw UNEXPECTED;
  }

  private expectAlert(s: number): A.ExpectClause {
    const negated = this.at(T.KwNo);
    if (negated) this.pos++;
    this.consume(T.KwAlert);
    const rule = this.name();
    const firing = this.at(T.KwFiring);
    if (firing) this.pos++;
    const from = this.at(T.From) ? (this.pos++, this.literal()) : undefined;
    const to = this.at(T.KwTo) ? (this.pos++, this.literal()) : undefined;
    const node: A.ExpectClause & { kind: "ExpectAlert" } = new ExpectAlertNode("ExpectAlert", rule, negated, firing, this.span(s));
    if (from) node.from = from;
    if (to) node.to = to;
    return node;
  }

  private expectTail(): { by: A.Expr[]; where?: A.Expr; expected: A.ExpectedValue } {
    const by = this.at(T.By) ? (this.pos++, this.dimList()) : emptyList<A.Expr>();
    const where = this.at(T.Where) ? (this.pos++, this.comparison()) : undefined;
    const s = this.startOf();
    let expected: A.ExpectedValue;
    if (this.at(T.Is)) {
      this.pos++;
      this.consume(T.Null);
      expected = new LeafNode("NullExpected", this.span(s));
    } else {
      this.consume(T.Equals);
      const vs = this.startOf();
      if (this.at(T.LCurly)) {
        this.pos++;
        const entries: A.MapEntry[] = [];
        while (!this.at(T.RCurly)) {
          entries.push(this.mapEntry());
          if (this.at(T.Comma)) this.pos++;
        }
        this.pos++;
        expected = new EntriesNode("MapExpected", exactList(entries), this.span(vs));
      } else {
        const value = this.literal();
        const tolerance = this.at(T.PlusMinus) ? this.tolerance() : undefined;
        const node: A.ExpectedValue & { kind: "ScalarExpected" } = new ValueNode("ScalarExpected", value, this.span(vs));
        if (tolerance) node.tolerance = tolerance;
        expected = node;
      }
    }
    const tail: { by: A.Expr[]; expected: A.ExpectedValue; where?: A.Expr } = { by, expected };
    if (where) tail.where = where;
    return tail;
  }

  private mapEntry(): A.MapEntry {
    const s = this.startOf();
    const keys: A.Expr[] = [];
    if (this.at(T.LParen)) {
      this.pos++;
      keys.push(this.literal());
      while (this.at(T.Comma)) {
        this.pos++;
        keys.push(this.literal());
      }
      this.consume(T.RParen);
    } else keys.push(this.literal());
    this.consume(T.Colon);
    const value = this.literal();
    const tolerance = this.at(T.PlusMinus) ? this.tolerance() : undefined;
    const entry: A.MapEntry = new MapEntryNode(exactList(keys), value, this.span(s));
    if (tolerance) entry.tolerance = tolerance;
    return entry;
  }

  private tolerance(): A.Tolerance {
    const s = this.startOf();
    this.consume(T.PlusMinus);
    const n = this.consume(T.NumberLiteral);
    const relative = this.at(T.PercentSign);
    if (relative) this.pos++;
    return new ToleranceNode(Number(this.image(n)), relative, this.span(s));
  }

  // ---------------------------------------------------------------- expressions

  /** A bound of a range constraint: a signed number or a date. */
  private rangeBound(): A.Expr {
    const s = this.startOf();
    const negative = this.at(T.Minus);
    if (negative) this.pos++;
    const t = this.pos;
    let e: A.Expr;
    if (this.at(T.NumberLiteral)) e = this.numberLit(t);
    else if (this.at(T.TemporalLiteral)) e = new TextNode("TemporalLit", this.image(t), this.tokSpan(t));
    else throw UNEXPECTED;
    this.pos++;
    return negative ? new UnaryExprNode("UnaryExpr", "-", e, this.span(s)) : e;
  }

  /** A constant: constraint values, expected values, group keys. */
  private literal(): A.Expr {
    const s = this.startOf();
    const negative = this.at(T.Minus);
    if (negative) this.pos++;
    const t = this.pos;
    let e = this.constant(t);
    if (e === undefined) {
      if (!this.atName()) throw UNEXPECTED;
      e = new NameRefNode("NameRef", this.nameText(t), this.tokSpan(t));
    }
    this.pos++;
    return negative ? new UnaryExprNode("UnaryExpr", "-", e, this.span(s)) : e;
  }

  /** Token `t` as a literal (number, string, date or period, true, false, null), or undefined. */
  private constant(t: number): A.Expr | undefined {
    if (t >= this.count) return undefined;
    switch (TOKEN_TYPES[this.types[t]!]) {
      case T.NumberLiteral: return this.numberLit(t);
      case T.StringLiteral: return new ValueNode("StringLit", unquote(this.image(t)), this.tokSpan(t));
      case T.TemporalLiteral: return new TextNode("TemporalLit", this.image(t), this.tokSpan(t));
      case T.True: return new ValueNode("BoolLit", true, this.tokSpan(t));
      case T.False: return new ValueNode("BoolLit", false, this.tokSpan(t));
      case T.Null: return new LeafNode("NullLit", this.tokSpan(t));
      default: return undefined;
    }
  }

  private numberLit(t: number): A.NumberLit {
    const text = this.image(t);
    return new NumberLitNode("NumberLit", Number(text), text, this.tokSpan(t));
  }

  private expression(): A.Expr {
    return this.measured(this.logical());
  }

  /** `a or b and c`: `and` binds tighter than `or`; both associate to the left. */
  private logical(): A.Expr {
    let and = this.notExpr();
    let or: A.Expr | undefined;
    let orSpan = NO_SPAN;
    for (;;) {
      const t = this.pos;
      if (this.at(T.And)) {
        this.pos++;
        and = binary("and", and, this.notExpr(), this.tokSpan(t));
      } else if (this.at(T.Or)) {
        this.pos++;
        or = or === undefined ? and : binary("or", or, and, orSpan);
        orSpan = this.tokSpan(t);
        and = this.notExpr();
      } else break;
    }
    return or === undefined ? and : binary("or", or, and, orSpan);
  }

  private notExpr(): A.Expr {
    if (!this.at(T.Not)) return this.comparison();
    const s = this.startOf();
    this.pos++;
    if (++this.nesting > this.maxDepth) throw UNEXPECTED;
    const operand = this.notExpr();
    this.nesting--;
    return new UnaryExprNode("UnaryExpr", "not", operand, this.span(s));
  }

  /** Comparisons do not chain: `a = b = c` is an error. */
  private comparison(): A.Expr {
    const s = this.startOf();
    const left = this.additive();
    const t = this.pos;
    if (t >= this.count) return this.measured(left);
    if (COMPARATOR_TYPES[this.types[t]!]) {
      this.pos++;
      const right = this.additive();
      return this.measured(new BinaryExprNode("BinaryExpr", COMPARATORS[this.image(t)] ?? "=", left, right, this.tokSpan(t), this.span(s)));
    }
    const type = TOKEN_TYPES[this.types[t]!];
    switch (type) {
      case T.Not:
      case T.In:
      case T.Between: {
        const negated = type === T.Not;
        if (negated) this.pos++;
        if (this.at(T.In)) {
          this.pos++;
          this.consume(T.LParen);
          const values: A.Expr[] = [];
          if (!this.at(T.RParen)) {
            values.push(this.expression());
            while (this.at(T.Comma)) {
              this.pos++;
              values.push(this.expression());
            }
          }
          this.consume(T.RParen);
          return this.measured(new InExprNode("InExpr", left, exactList(values), negated, this.span(s)));
        }
        this.consume(T.Between);
        const low = this.additive();
        this.consume(T.And);
        const high = this.additive();
        return this.measured(new BetweenExprNode("BetweenExpr", left, low, high, negated, this.span(s)));
      }
      case T.Is: {
        this.pos++;
        const negated = this.at(T.Not);
        if (negated) this.pos++;
        this.consume(T.Null);
        return this.measured(new IsNullExprNode("IsNullExpr", left, negated, this.span(s)));
      }
      default:
        return this.measured(left);
    }
  }

  /** Arithmetic: `*`, `/`, `%` bind tighter than `+`, `-`; all associate to the left. */
  private additive(): A.Expr {
    let product = this.unary();
    let sum: A.Expr | undefined;
    let sumOperator: A.BinaryOp = "+";
    let sumSpan = NO_SPAN;
    for (;;) {
      const t = this.pos;
      const type = this.la();
      if (type === T.Star || type === T.Slash || type === T.PercentSign) {
        this.pos++;
        product = binary(type === T.Star ? "*" : type === T.Slash ? "/" : "%", product, this.unary(), this.tokSpan(t));
      } else if (type === T.Plus || type === T.Minus) {
        this.pos++;
        sum = sum === undefined ? product : binary(sumOperator, sum, product, sumSpan);
        sumOperator = type === T.Plus ? "+" : "-";
        sumSpan = this.tokSpan(t);
        product = this.unary();
      } else break;
    }
    return this.measured(sum === undefined ? product : binary(sumOperator, sum, product, sumSpan));
  }

  private unary(): A.Expr {
    if (++this.nesting > this.maxDepth) throw UNEXPECTED;
    let e: A.Expr;
    if (this.at(T.Minus)) {
      const s = this.startOf();
      this.pos++;
      const operand = this.unary();
      e = new UnaryExprNode("UnaryExpr", "-", operand, this.span(s));
    } else e = this.primary();
    this.nesting--;
    return e;
  }

  /** A value with its postfix parts: calls, `.member` paths, `over last N unit` windows. */
  private primary(): A.Expr {
    const t = this.pos;
    const s = this.startOf();
    let e = this.constant(t);
    if (e !== undefined) this.pos++;
    else if (this.at(T.Case)) e = this.caseExpr();
    else if (this.at(T.LParen)) {
      this.pos++;
      const expr = this.expression();
      this.consume(T.RParen);
      e = new ExprNode("ParenExpr", expr, this.span(s));
    } else {
      if (!this.atName()) throw UNEXPECTED;
      this.pos++;
      if (this.at(T.LParen)) e = this.callArguments(this.nameOf(t));
      else e = new NameRefNode("NameRef", this.nameText(t), this.tokSpan(t));
    }
    while (this.at(T.Dot)) e = this.pathSuffix(e, s);
    if (this.at(T.Over)) e = this.windowSuffix(e, s);
    return e;
  }

  /** `(args where … per …)` after a function name. */
  private callArguments(callee: A.Name): A.CallExpr {
    this.consume(T.LParen);
    const args: A.Expr[] = [];
    if (!this.at(T.RParen) && !this.at(T.Where) && !this.at(T.Per)) {
      args.push(this.expression());
      while (this.at(T.Comma)) {
        this.pos++;
        args.push(this.expression());
      }
    }
    const where = this.at(T.Where) ? (this.pos++, this.expression()) : undefined;
    const per = this.at(T.Per) ? (this.pos++, this.dimList()) : undefined;
    this.consume(T.RParen);
    const call: A.CallExpr = new CallExprNode("CallExpr", callee, exactList(args), this.span(callee.span.start));
    if (where) call.where = where;
    if (per) call.per = per;
    return call;
  }

  /** `.member` */
  private pathSuffix(base: A.Expr, start: number): A.PathExpr {
    this.consume(T.Dot);
    const member = this.nameOf(this.consumeName());
    return new PathExprNode("PathExpr", base, member, this.span(start));
  }

  /** `over last N unit` */
  private windowSuffix(expr: A.Expr, start: number): A.WindowExpr {
    this.consume(T.Over);
    this.consume(T.Last);
    const n = this.consume(T.NumberLiteral);
    const unit = this.nameOf(this.consumeName());
    return new WindowExprNode("WindowExpr", expr, Number(this.image(n)), unit, this.span(start));
  }

  private caseExpr(): A.Expr {
    const s = this.startOf();
    this.consume(T.Case);
    const whens: A.CaseExpr["whens"] = [];
    do {
      this.consume(T.When);
      const when = this.expression();
      this.consume(T.Then);
      const then = this.expression();
      whens.push(new CaseWhenNode(when, then));
    } while (this.at(T.When));
    const otherwise = this.at(T.Else) ? (this.pos++, this.expression()) : undefined;
    this.consume(T.End);
    const node: A.CaseExpr = new WhensNode("CaseExpr", exactList(whens), this.span(s));
    if (otherwise) node.else = otherwise;
    return node;
  }
}
