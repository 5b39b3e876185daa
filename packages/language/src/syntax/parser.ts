import { EmbeddedActionsParser, type IOrAlt, type IToken, type TokenType } from "chevrotain";
import type { Span } from "@yardstick/model";
import * as T from "./tokens.js";
import type * as A from "./ast.js";
import { errorMessages } from "./parse-errors.js";
import { splitTableRow } from "./table-row.js";
import { unquote } from "./strings.js";

const NO_SPAN: Span = { start: 0, end: 0 };

/** A placeholder operand, replaced before the node is returned. */
const HOLE: A.Expr = { kind: "ErrorExpr", span: NO_SPAN };

const PRECEDENCE: Partial<Record<A.BinaryOp, number>> = { or: 1, and: 2, "+": 3, "-": 3, "*": 4, "/": 4, "%": 4 };

/** Builds a left-associative tree from a flat list of operands and binary operators. */
function buildByPrecedence(operands: A.Expr[], ops: Array<[A.BinaryOp, Span]>): A.Expr {
  const out: A.Expr[] = [operands[0]!];
  const stack: Array<[A.BinaryOp, Span]> = [];
  const reduce = () => {
    const [operator, operatorSpan] = stack.pop()!;
    const right = out.pop()!;
    const left = out.pop()!;
    out.push({ kind: "BinaryExpr", operator, left, right, operatorSpan, span: { start: sp(left).start, end: sp(right).end } });
  };
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const p = PRECEDENCE[op[0]] ?? 0;
    while (stack.length && (PRECEDENCE[stack[stack.length - 1]![0]] ?? 0) >= p) reduce();
    stack.push(op);
    out.push(operands[i + 1]!);
  }
  while (stack.length) reduce();
  return out[0]!;
}

/** Null-safe span of a node: during grammar recording and after recovery a node may be missing. */
function sp(n: { span?: Span } | undefined | null): Span {
  const s = n?.span;
  return s && Number.isFinite(s.start) ? s : NO_SPAN;
}

function tokSpan(t: IToken): Span {
  return Number.isFinite(t.startOffset) && t.startOffset >= 0
    ? { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 }
    : NO_SPAN;
}

function nameOf(t: IToken): A.Name {
  const image = t.image ?? "";
  const name = image.startsWith("`") ? image.slice(1, -1) : image;
  return { name, span: tokSpan(t) };
}

const COMPARATORS: Record<string, A.ComparatorOp> = { ">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "=", "==": "=", "!=": "!=", "<>": "!=" };

/**
 * The `.kpi` parser: chevrotain with error recovery, building the AST directly. Built once and
 * reused (`parser.input = tokens` resets it).
 */
export class KpiParser extends EmbeddedActionsParser {
  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: errorMessages });
    this.performSelfAnalysis();
  }

  /** Span from `start` to the end of the last consumed token. */
  private span(start: number): Span {
    const last = this.LA(0);
    const end = Number.isFinite(last.endOffset) && last.endOffset! >= start ? last.endOffset! + 1 : start;
    return Number.isFinite(start) && start >= 0 ? { start, end } : NO_SPAN;
  }

  private startOf(): number {
    return this.LA(1).startOffset;
  }

  // Cached alternatives: OR with a fresh array of closures on every call allocates heavily, and
  // these rules run for every definition, clause and value in a spec (chevrotain's performance
  // guide). So the alternatives of the frequent rules are built once; they read what they need
  // from the parser (a clause's start offset: `this.startOf()` before consuming), not from the
  // locals of one call.
  private topLevelAlts?: IOrAlt<A.TopLevel>[];
  private datasetMemberAlts?: IOrAlt<A.DatasetMember>[];
  private columnModifierAlts?: IOrAlt<A.ColumnModifier>[];
  private unitNameAlts?: IOrAlt<A.Name>[];
  private kpiClauseAlts?: IOrAlt<A.KpiClause>[];
  private statusArmAlts?: IOrAlt<A.Expr | null>[];
  private ruleClauseAlts?: IOrAlt<A.RuleClause>[];
  private rangeBoundAlts?: IOrAlt<A.Expr>[];
  private literalAlts?: IOrAlt<A.Expr>[];
  private logicalOps?: IOrAlt<[A.BinaryOp, Span]>[];
  private notAlts?: IOrAlt<A.Expr>[];
  private comparisonAlts?: IOrAlt<A.BinaryExpr | A.InExpr | A.BetweenExpr | A.IsNullExpr>[];
  private arithOps?: IOrAlt<[A.BinaryOp, Span]>[];
  private unaryAlts?: IOrAlt<A.Expr>[];
  private primaryAlts?: IOrAlt<A.Expr>[];

  /**
   * The length in characters of the longest expression read since the caller last set it to 0.
   * Definitions hold expressions read by `expression`, `comparison` and `additive` (which record
   * their length here), by `literal` and `rangeBound` (at most two levels deep), or recovery's
   * ErrorExpr: an expression can nest N levels deep only if one of these is at least N
   * characters long, so while this stays short the depth check can skip the tree.
   */
  longestExpression = 0;

  private measured(e: A.Expr): A.Expr {
    const span = e?.span; // undefined while chevrotain records the grammar
    const length = span ? span.end - span.start : Infinity;
    if (!(length <= this.longestExpression)) this.longestExpression = Number.isNaN(length) ? Infinity : length;
    return e;
  }

  private err = (): A.ErrorExpr => ({ kind: "ErrorExpr", span: tokSpan(this.LA(0)) });

  // ---------------------------------------------------------------- file

  /** The items of the file being parsed: when its last definition runs into the end of the file, recovery keeps them. */
  private fileItems: A.TopLevel[] = [];

  public file = this.RULE(
    "file",
    (): A.FileNode => {
      const items: A.TopLevel[] = [];
      this.ACTION(() => {
        this.fileItems = items;
      });
      this.MANY(() => {
        const item = this.SUBRULE(this.topLevel);
        this.ACTION(() => {
          if (item && (item as A.TopLevel).kind) items.push(item);
        });
      });
      return { kind: "File", items, comments: [], span: NO_SPAN };
    },
    {
      recoveryValueFunc: (): A.FileNode => {
        const partial = this.takePartial();
        return { kind: "File", items: partial ? [...this.fileItems, partial] : this.fileItems, comments: [], span: NO_SPAN };
      },
    },
  );

  private topLevel = this.RULE(
    "topLevel",
    (): A.TopLevel =>
      this.OR((this.topLevelAlts ??= [
        { ALT: () => this.SUBRULE(this.header) },
        { ALT: () => this.SUBRULE(this.importDecl) },
        { ALT: () => this.SUBRULE(this.datasetDecl) },
        { ALT: () => this.SUBRULE(this.kpiDecl) },
        { ALT: () => this.SUBRULE(this.ruleDecl) },
        { ALT: () => this.SUBRULE(this.testDecl) },
      ])),
    { recoveryValueFunc: () => this.takePartial() as never },
  );

  /**
   * The definition being read. When a mistake inside it cannot be recovered locally, recovery
   * returns what was read so far (marked `recovered`), so its name stays defined and the checker
   * does not report everything that refers to it.
   */
  private partial: { node: A.DatasetDecl | A.KpiDecl | A.RuleDecl | A.TestDecl; start: number } | undefined;

  private takePartial(kind?: string): A.TopLevel | undefined {
    const p = this.partial;
    this.partial = undefined;
    if (!p || (kind !== undefined && p.node.kind !== kind)) return undefined;
    p.node.recovered = true;
    p.node.span = this.span(p.start);
    return p.node;
  }

  private header = this.RULE("header", (): A.HeaderDecl => {
    const s = this.startOf();
    this.CONSUME(T.KwYardstick);
    const v = this.CONSUME(T.NumberLiteral);
    return { kind: "HeaderDecl", version: Number(v.image), span: this.span(s) };
  });

  private importDecl = this.RULE("importDecl", (): A.ImportDecl => {
    const s = this.startOf();
    this.CONSUME(T.Import);
    const path = this.SUBRULE(this.stringValue);
    return { kind: "ImportDecl", path, span: this.span(s) };
  });

  private stringValue = this.RULE("stringValue", (): A.StringValue => {
    const t = this.CONSUME(T.StringLiteral);
    return { value: unquote(t.image ?? ""), span: tokSpan(t) };
  });

  private name = this.RULE("name", (): A.Name => nameOf(this.CONSUME(T.Identifier)));

  // ---------------------------------------------------------------- datasets

  private datasetDecl = this.RULE("datasetDecl", (): A.DatasetDecl => {
    const s = this.startOf();
    this.CONSUME(T.Dataset);
    const name = this.SUBRULE(this.name);
    const node: A.DatasetDecl = { kind: "DatasetDecl", name, members: [], span: NO_SPAN };
    this.ACTION(() => { this.partial = { node, start: s }; });
    this.OPTION(() => {
      node.label = this.SUBRULE1(this.stringValue);
    });
    this.OPTION1(() => {
      this.CONSUME(T.From);
      node.source = this.SUBRULE2(this.stringValue);
      this.OPTION2(() => {
        this.CONSUME(T.KwAs);
        node.sourceFormat = this.SUBRULE1(this.name);
      });
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const m = this.SUBRULE(this.datasetMember);
      this.ACTION(() => {
        if (m && m.kind) node.members.push(m);
      });
    });
    this.CONSUME(T.RCurly);
    node.span = this.span(s);
    this.ACTION(() => { this.partial = undefined; });
    return node;
  }, { recoveryValueFunc: () => this.takePartial("DatasetDecl") as never });

  private datasetMember = this.RULE(
    "datasetMember",
    (): A.DatasetMember =>
      this.OR((this.datasetMemberAlts ??= [
        { GATE: () => this.LA(2).tokenType === T.StringLiteral, ALT: () => this.SUBRULE(this.zoneClause) },
        { GATE: () => this.LA(2).tokenType === T.KwBad, ALT: () => this.SUBRULE(this.badRowsClause) },
        { ALT: () => this.SUBRULE(this.derivedDecl) },
        { ALT: () => this.SUBRULE(this.columnDecl) },
      ])),
    { recoveryValueFunc: () => undefined as never },
  );

  private zoneClause = this.RULE("zoneClause", (): A.ZoneClause => {
    const s = this.startOf();
    this.CONSUME(T.KwZone);
    const zone = this.SUBRULE(this.stringValue);
    return { kind: "ZoneClause", zone, span: this.span(s) };
  });

  private badRowsClause = this.RULE("badRowsClause", (): A.BadRowsClause => {
    const s = this.startOf();
    this.CONSUME(T.KwOn);
    this.CONSUME(T.KwBad);
    this.CONSUME(T.KwRows);
    const policy = this.SUBRULE(this.name);
    return { kind: "BadRowsClause", policy, span: this.span(s) };
  });

  private derivedDecl = this.RULE("derivedDecl", (): A.DerivedDecl => {
    const s = this.startOf();
    this.CONSUME(T.Let);
    const name = this.SUBRULE(this.name);
    let type: A.TypeRef | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.typeRef);
    });
    this.CONSUME(T.Equals);
    const expr = this.SUBRULE(this.expression);
    const node: A.DerivedDecl = { kind: "DerivedDecl", name, expr, span: this.span(s) };
    if (type) node.type = type;
    return node;
  });

  private typeRef = this.RULE("typeRef", (): A.TypeRef => {
    const s = this.startOf();
    const name = this.SUBRULE(this.name);
    let nullable = false;
    this.OPTION(() => {
      this.CONSUME(T.Question);
      nullable = true;
    });
    return { name, nullable, span: this.span(s) };
  });

  private columnDecl = this.RULE("columnDecl", (): A.ColumnDecl => {
    const s = this.startOf();
    const name = this.SUBRULE(this.name);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeRef);
    const modifiers: A.ColumnModifier[] = [];
    // A modifier word followed by ':' starts the next column, not a modifier.
    this.MANY({
      GATE: () => this.LA(2).tokenType !== T.Colon,
      DEF: () => {
        const m = this.SUBRULE(this.columnModifier);
        this.ACTION(() => {
          if (m && m.kind) modifiers.push(m);
        });
      },
    });
    return { kind: "ColumnDecl", name, type, modifiers, span: this.span(s) };
  });

  private columnModifier = this.RULE("columnModifier", (): A.ColumnModifier => {
    return this.OR((this.columnModifierAlts ??= [
      { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwKey); return { kind: "KeyModifier", span: this.span(s) }; } },
      { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwTime); return { kind: "TimeModifier", span: this.span(s) }; } },
      {
        ALT: () => {
          const s = this.startOf();
          this.CONSUME(T.In);
          return this.OR1([
            {
              ALT: () => {
                this.CONSUME(T.LParen);
                const values: A.Expr[] = [];
                this.MANY_SEP({ SEP: T.Comma, DEF: () => { values.push(this.SUBRULE(this.literal)); } });
                this.CONSUME(T.RParen);
                return { kind: "InSetModifier", values, span: this.span(s) };
              },
            },
            {
              ALT: () => {
                const node: A.ColumnModifier & { kind: "InRangeModifier" } = { kind: "InRangeModifier", span: NO_SPAN };
                this.OPTION(() => { node.min = this.SUBRULE1(this.rangeBound); });
                this.CONSUME(T.DotDot);
                this.OPTION1(() => { node.max = this.SUBRULE2(this.rangeBound); });
                node.span = this.span(s);
                return node;
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const s = this.startOf();
          this.CONSUME(T.Arrow);
          const target = this.SUBRULE(this.name);
          const node: A.ColumnModifier & { kind: "RelationModifier" } = { kind: "RelationModifier", target, span: NO_SPAN };
          this.OPTION2(() => {
            this.CONSUME(T.KwAs);
            node.alias = this.SUBRULE1(this.name);
          });
          node.span = this.span(s);
          return node;
        },
      },
      {
        ALT: () => {
          const s = this.startOf();
          this.CONSUME(T.KwUnit);
          const unit = this.SUBRULE(this.unitName);
          return { kind: "UnitModifier", unit, span: this.span(s) };
        },
      },
      {
        ALT: () => {
          const s = this.startOf();
          this.CONSUME(T.At);
          const perspective = this.SUBRULE2(this.name);
          return { kind: "PerspectiveModifier", perspective, span: this.span(s) };
        },
      },
    ]));
  });

  private unitName = this.RULE("unitName", (): A.Name =>
    this.OR((this.unitNameAlts ??= [
      { ALT: () => this.SUBRULE(this.name) },
      { ALT: () => { const t = this.CONSUME(T.StringLiteral); return { name: unquote(t.image ?? ""), span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.PercentSign); return { name: "%", span: tokSpan(t) }; } },
    ])),
  );

  // ---------------------------------------------------------------- KPIs

  private kpiDecl = this.RULE("kpiDecl", (): A.KpiDecl => {
    const s = this.startOf();
    this.CONSUME(T.Kpi);
    const name = this.SUBRULE(this.name);
    const node: A.KpiDecl = { kind: "KpiDecl", name, clauses: [], span: NO_SPAN };
    this.ACTION(() => { this.partial = { node, start: s }; });
    this.OPTION(() => { node.label = this.SUBRULE(this.stringValue); });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const c = this.SUBRULE(this.kpiClause);
      this.ACTION(() => { if (c && c.kind) node.clauses.push(c); });
    });
    this.CONSUME(T.RCurly);
    node.span = this.span(s);
    this.ACTION(() => { this.partial = undefined; });
    return node;
  }, { recoveryValueFunc: () => this.takePartial("KpiDecl") as never });

  private kpiClause = this.RULE(
    "kpiClause",
    (): A.KpiClause => {
      return this.OR((this.kpiClauseAlts ??= [
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwDescription); const text = this.SUBRULE(this.stringValue); return { kind: "DescriptionClause", text, span: this.span(s) }; } },
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwOwner); const text = this.SUBRULE1(this.stringValue); return { kind: "OwnerClause", text, span: this.span(s) }; } },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.KwTags);
            const tags: A.StringValue[] = [];
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { tags.push(this.SUBRULE2(this.stringValue)); } });
            return { kind: "TagsClause", tags, span: this.span(s) };
          },
        },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.From);
            const dataset = this.SUBRULE(this.name);
            const node: A.KpiClause & { kind: "FromClause" } = { kind: "FromClause", dataset, span: NO_SPAN };
            this.OPTION(() => {
              this.CONSUME(T.Where);
              node.where = this.SUBRULE(this.expression);
            });
            node.span = this.span(s);
            return node;
          },
        },
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwValue); const expr = this.SUBRULE1(this.expression); return { kind: "ValueClause", expr, span: this.span(s) }; } },
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.By); const dims = this.SUBRULE(this.dimList); return { kind: "ByClause", dims, span: this.span(s) }; } },
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwUnit); const unit = this.SUBRULE(this.unitName); return { kind: "UnitClause", unit, span: this.span(s) }; } },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.KwFormat);
            const format = this.SUBRULE1(this.name);
            const node: A.KpiClause & { kind: "FormatClause" } = { kind: "FormatClause", format, span: NO_SPAN };
            this.OPTION1(() => {
              this.CONSUME(T.KwDecimals);
              node.decimals = Number(this.CONSUME(T.NumberLiteral).image);
            });
            node.span = this.span(s);
            return node;
          },
        },
        {
          ALT: () => {
            const s = this.startOf();
            const d = this.OR1([
              { ALT: () => { this.CONSUME(T.KwHigher); return "higher" as const; } },
              { ALT: () => { this.CONSUME(T.KwLower); return "lower" as const; } },
            ]);
            this.CONSUME(T.Is);
            this.CONSUME(T.KwBetter);
            return { kind: "DirectionClause", direction: d, span: this.span(s) };
          },
        },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.KwMin);
            this.CONSUME(T.KwSamples);
            const n = this.CONSUME1(T.NumberLiteral);
            return { kind: "MinSamplesClause", count: Number(n.image), countSpan: tokSpan(n), span: this.span(s) };
          },
        },
        { ALT: () => this.SUBRULE(this.zoneClause) },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.KwTarget);
            const arms: A.TargetArm[] = [];
            this.SUBRULE(this.targetArms, { ARGS: [arms] });
            return { kind: "TargetClause", arms, span: this.span(s) };
          },
        },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.KwStatus);
            this.CONSUME(T.LCurly);
            const arms: A.StatusArm[] = [];
            this.MANY(() => {
              const a = this.SUBRULE(this.statusArm);
              this.ACTION(() => { if (a && a.label) arms.push(a); });
            });
            this.CONSUME(T.RCurly);
            return { kind: "StatusClause", arms, span: this.span(s) };
          },
        },
      ]));
    },
    { recoveryValueFunc: () => undefined as never },
  );

  /** `>= 0.7 when channel = "phone" else >= 0.6`: arms in order, the last one without `when`. */
  private targetArms = this.RULE("targetArms", (arms: A.TargetArm[]) => {
    const s = this.startOf();
    const arm: A.TargetArm = { value: this.err(), span: NO_SPAN };
    this.OPTION(() => {
      const c = this.CONSUME(T.Comparator);
      arm.comparator = COMPARATORS[c.image];
    });
    arm.value = this.SUBRULE(this.additive);
    this.ACTION(() => arms.push(arm));
    this.OPTION1(() => {
      this.CONSUME(T.When);
      arm.when = this.SUBRULE(this.expression);
      arm.span = this.span(s);
      this.CONSUME(T.Else);
      this.SUBRULE(this.targetArms, { ARGS: [arms] });
    });
    if (arm.span === NO_SPAN) arm.span = this.span(s);
  });

  private statusArm = this.RULE("statusArm", (): A.StatusArm => {
    const s = this.startOf();
    const label = this.SUBRULE(this.name);
    const arm: A.StatusArm = { label, otherwise: false, span: NO_SPAN };
    // `when <condition>`, or `otherwise` (null).
    const when = this.OR((this.statusArmAlts ??= [
      { ALT: () => { this.CONSUME(T.When); return this.SUBRULE(this.expression); } },
      { ALT: () => { this.CONSUME(T.KwOtherwise); return null; } },
    ]));
    if (when === null) arm.otherwise = true;
    else arm.when = when;
    arm.span = this.span(s);
    return arm;
  });

  private dimList = this.RULE("dimList", (): A.Expr[] => {
    const dims: A.Expr[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { dims.push(this.SUBRULE(this.additive)); } });
    return dims;
  }, { recoveryValueFunc: (): A.Expr[] => [] });

  // ---------------------------------------------------------------- rules

  private ruleDecl = this.RULE("ruleDecl", (): A.RuleDecl => {
    const s = this.startOf();
    this.CONSUME(T.Rule);
    const name = this.SUBRULE(this.name);
    const node: A.RuleDecl = { kind: "RuleDecl", name, clauses: [], span: NO_SPAN };
    this.ACTION(() => { this.partial = { node, start: s }; });
    this.OPTION(() => { node.label = this.SUBRULE(this.stringValue); });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const c = this.SUBRULE(this.ruleClause);
      this.ACTION(() => { if (c && c.kind) node.clauses.push(c); });
    });
    this.CONSUME(T.RCurly);
    node.span = this.span(s);
    this.ACTION(() => { this.partial = undefined; });
    return node;
  }, { recoveryValueFunc: () => this.takePartial("RuleDecl") as never });

  private ruleClause = this.RULE(
    "ruleClause",
    (): A.RuleClause => {
      return this.OR((this.ruleClauseAlts ??= [
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.When);
            const condition = this.SUBRULE(this.expression);
            const node: A.RuleClause & { kind: "WhenClause" } = { kind: "WhenClause", condition, span: NO_SPAN };
            this.OPTION(() => {
              this.CONSUME(T.KwFor);
              const n = this.CONSUME(T.NumberLiteral);
              node.periods = Number(n.image);
              node.periodsSpan = tokSpan(n);
              this.OR1([{ ALT: () => this.CONSUME(T.KwPeriods) }, { ALT: () => this.CONSUME(T.KwPeriod) }]);
            });
            node.span = this.span(s);
            return node;
          },
        },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.KwRecover);
            this.CONSUME1(T.When);
            const condition = this.SUBRULE1(this.expression);
            return { kind: "RecoverClause", condition, span: this.span(s) };
          },
        },
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwSeverity); const severity = this.SUBRULE(this.name); return { kind: "SeverityClause", severity, span: this.span(s) }; } },
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwMessage); const text = this.SUBRULE(this.stringValue); return { kind: "MessageClause", text, span: this.span(s) }; } },
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.KwDescription); const text = this.SUBRULE1(this.stringValue); return { kind: "DescriptionClause", text, span: this.span(s) }; } },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.KwOn);
            this.CONSUME(T.KwNo);
            this.CONSUME(T.KwData);
            this.OPTION1(() => this.CONSUME(T.Colon));
            const policy = this.SUBRULE1(this.name);
            return { kind: "NoDataClause", policy, span: this.span(s) };
          },
        },
        { ALT: () => { const s = this.startOf(); this.CONSUME(T.By); const dims = this.SUBRULE(this.dimList); return { kind: "ByClause", dims, span: this.span(s) }; } },
      ]));
    },
    { recoveryValueFunc: () => undefined as never },
  );

  // ---------------------------------------------------------------- tests

  private testDecl = this.RULE("testDecl", (): A.TestDecl => {
    const s = this.startOf();
    this.CONSUME(T.Test);
    const name = this.SUBRULE(this.stringValue);
    const node: A.TestDecl = { kind: "TestDecl", name, clauses: [], span: NO_SPAN };
    this.ACTION(() => { this.partial = { node, start: s }; });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const c = this.SUBRULE(this.testClause);
      this.ACTION(() => { if (c && c.kind) node.clauses.push(c); });
    });
    this.CONSUME(T.RCurly);
    node.span = this.span(s);
    this.ACTION(() => { this.partial = undefined; });
    return node;
  }, { recoveryValueFunc: () => this.takePartial("TestDecl") as never });

  private testClause = this.RULE(
    "testClause",
    (): A.TestClause =>
      this.OR([
        { ALT: () => this.SUBRULE(this.givenClause) },
        { ALT: () => this.SUBRULE(this.expectClause) },
        {
          ALT: () => {
            const s = this.startOf();
            this.CONSUME(T.KwAs);
            this.CONSUME(T.KwOf);
            const at = this.SUBRULE(this.literal);
            return { kind: "AsOfClause", at, span: this.span(s) };
          },
        },
      ]),
    { recoveryValueFunc: () => undefined as never },
  );

  private givenClause = this.RULE("givenClause", (): A.GivenClause => {
    const s = this.startOf();
    this.CONSUME(T.Given);
    const dataset = this.SUBRULE(this.name);
    const node: A.GivenClause = { kind: "GivenClause", dataset, rows: [], span: NO_SPAN };
    this.MANY(() => {
      const t = this.CONSUME(T.TableRow);
      this.ACTION(() => {
        const row = splitTableRow(t.image, t.startOffset);
        if (node.header === undefined) node.header = row;
        else node.rows.push(row);
      });
    });
    node.span = this.span(s);
    return node;
  });

  private expectClause = this.RULE("expectClause", (): A.ExpectClause => {
    const s = this.startOf();
    this.CONSUME(T.Expect);
    return this.OR([
      {
        GATE: () => this.LA(2).tokenType === T.KwOf,
        ALT: () => {
          this.CONSUME(T.KwStatus);
          this.CONSUME(T.KwOf);
          const kpi = this.SUBRULE(this.name);
          const tail = this.SUBRULE(this.expectTail);
          return { kind: "ExpectStatus", kpi, ...tail, span: this.span(s) } as A.ExpectClause;
        },
      },
      {
        GATE: () =>
          (this.LA(1).tokenType === T.KwNo && this.LA(2).tokenType === T.KwAlert) ||
          (this.LA(1).tokenType === T.KwAlert && this.LA(2).tokenType !== T.Equals && this.LA(2).tokenType !== T.By && this.LA(2).tokenType !== T.Where && this.LA(2).tokenType !== T.Is),
        ALT: () => this.SUBRULE(this.expectAlert, { ARGS: [s] }),
      },
      {
        ALT: () => {
          const kpi = this.SUBRULE1(this.name);
          const tail = this.SUBRULE1(this.expectTail);
          return { kind: "ExpectValue", kpi, ...tail, span: this.span(s) } as A.ExpectClause;
        },
      },
    ]);
  });

  private expectAlert = this.RULE("expectAlert", (s: number): A.ExpectClause => {
    let negated = false;
    this.OPTION(() => { this.CONSUME(T.KwNo); negated = true; });
    this.CONSUME(T.KwAlert);
    const rule = this.SUBRULE(this.name);
    const node: A.ExpectClause & { kind: "ExpectAlert" } = { kind: "ExpectAlert", rule, negated, firing: false, span: NO_SPAN };
    this.OPTION1(() => { this.CONSUME(T.KwFiring); node.firing = true; });
    this.OPTION2(() => { this.CONSUME(T.From); node.from = this.SUBRULE(this.literal); });
    this.OPTION3(() => { this.CONSUME(T.KwTo); node.to = this.SUBRULE1(this.literal); });
    node.span = this.span(s);
    return node;
  });

  private expectTail = this.RULE("expectTail", () => {
    const tail: { by: A.Expr[]; where?: A.Expr; expected: A.ExpectedValue } = { by: [], expected: { kind: "NullExpected", span: NO_SPAN } };
    this.OPTION(() => { this.CONSUME(T.By); tail.by = this.SUBRULE(this.dimList); });
    this.OPTION1(() => { this.CONSUME(T.Where); tail.where = this.SUBRULE(this.comparison); });
    const s = this.startOf();
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.CONSUME(T.Null);
          tail.expected = { kind: "NullExpected", span: this.span(s) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          const vs = this.startOf();
          this.OR1([
            {
              ALT: () => {
                this.CONSUME(T.LCurly);
                const entries: A.MapEntry[] = [];
                this.MANY(() => {
                  const e = this.SUBRULE(this.mapEntry);
                  this.ACTION(() => { if (e) entries.push(e); });
                  this.OPTION2(() => this.CONSUME(T.Comma));
                });
                this.CONSUME(T.RCurly);
                tail.expected = { kind: "MapExpected", entries, span: this.span(vs) };
              },
            },
            {
              ALT: () => {
                const value = this.SUBRULE(this.literal);
                const node: A.ExpectedValue & { kind: "ScalarExpected" } = { kind: "ScalarExpected", value, span: NO_SPAN };
                this.OPTION3(() => { node.tolerance = this.SUBRULE(this.tolerance); });
                node.span = this.span(vs);
                tail.expected = node;
              },
            },
          ]);
        },
      },
    ]);
    return tail;
  });

  private mapEntry = this.RULE("mapEntry", (): A.MapEntry => {
    const s = this.startOf();
    const keys: A.Expr[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { keys.push(this.SUBRULE(this.literal)); } });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => { keys.push(this.SUBRULE1(this.literal)); } },
    ]);
    this.CONSUME(T.Colon);
    const value = this.SUBRULE2(this.literal);
    const entry: A.MapEntry = { keys, value, span: NO_SPAN };
    this.OPTION(() => { entry.tolerance = this.SUBRULE(this.tolerance); });
    entry.span = this.span(s);
    return entry;
  });

  private tolerance = this.RULE("tolerance", (): A.Tolerance => {
    const s = this.startOf();
    this.CONSUME(T.PlusMinus);
    const n = this.CONSUME(T.NumberLiteral);
    let relative = false;
    this.OPTION(() => { this.CONSUME(T.PercentSign); relative = true; });
    return { amount: Number(n.image), relative, span: this.span(s) };
  });

  // ---------------------------------------------------------------- expressions

  /** A bound of a range constraint: a signed number or a date. */
  private rangeBound = this.RULE("rangeBound", (): A.Expr => {
    const s = this.startOf();
    let negative = false;
    this.OPTION(() => { this.CONSUME(T.Minus); negative = true; });
    const e: A.Expr = this.OR((this.rangeBoundAlts ??= [
      { ALT: () => { const t = this.CONSUME(T.NumberLiteral); return { kind: "NumberLit", value: Number(t.image), text: t.image, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.TemporalLiteral); return { kind: "TemporalLit", text: t.image, span: tokSpan(t) }; } },
    ]));
    return negative ? { kind: "UnaryExpr", operator: "-", operand: e, span: this.span(s) } : e;
  }, { recoveryValueFunc: () => this.err() });

  /** A constant: constraint values, expected values, group keys. */
  public literal = this.RULE("literal", (): A.Expr => {
    const s = this.startOf();
    let negative = false;
    this.OPTION(() => { this.CONSUME(T.Minus); negative = true; });
    const e: A.Expr = this.OR((this.literalAlts ??= [
      { ALT: () => { const t = this.CONSUME(T.NumberLiteral); return { kind: "NumberLit", value: Number(t.image), text: t.image, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.StringLiteral); return { kind: "StringLit", value: unquote(t.image ?? ""), span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.TemporalLiteral); return { kind: "TemporalLit", text: t.image, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.True); return { kind: "BoolLit", value: true, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.False); return { kind: "BoolLit", value: false, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.Null); return { kind: "NullLit", span: tokSpan(t) }; } },
      { ALT: () => { const n = this.SUBRULE(this.name); return { kind: "NameRef", name: n.name, span: n.span }; } },
    ]));
    return negative ? { kind: "UnaryExpr", operator: "-", operand: e, span: this.span(s) } : e;
  }, { recoveryValueFunc: () => this.err() });

  public expression = this.RULE("expression", (): A.Expr => this.measured(this.SUBRULE(this.logical)), { recoveryValueFunc: () => this.err() });

  /**
   * `a or b and c`: operands and operators are read flat and the tree is built by precedence
   * (`and` binds tighter than `or`). Fewer grammar levels make the parser markedly faster.
   */
  private logical = this.RULE("logical", (): A.Expr => {
    const first = this.SUBRULE(this.notExpr);
    // Most expressions have no operator: the lists are made at the first one.
    let operands: A.Expr[] | undefined;
    let ops: Array<[A.BinaryOp, Span]> | undefined;
    this.MANY(() => {
      const op = this.OR(
        (this.logicalOps ??= [
          { ALT: () => ["or", tokSpan(this.CONSUME(T.Or))] as [A.BinaryOp, Span] },
          { ALT: () => ["and", tokSpan(this.CONSUME(T.And))] as [A.BinaryOp, Span] },
        ]),
      );
      const right = this.SUBRULE1(this.notExpr);
      this.ACTION(() => {
        (ops ??= []).push(op);
        (operands ??= [first]).push(right);
      });
    });
    return ops === undefined ? first : buildByPrecedence(operands!, ops);
  }, { recoveryValueFunc: () => this.err() });

  private notExpr = this.RULE("notExpr", (): A.Expr =>
    this.OR((this.notAlts ??= [
      {
        ALT: () => {
          const s = this.startOf();
          this.CONSUME(T.Not);
          const operand = this.SUBRULE(this.notExpr);
          return { kind: "UnaryExpr", operator: "not", operand, span: this.span(s) };
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ])),
    { recoveryValueFunc: () => this.err() },
  );

  /** Comparisons do not chain: `a = b = c` is an error, which keeps `expect x where a = 1 = 2` readable. */
  public comparison = this.RULE("comparison", (): A.Expr => {
    const s = this.startOf();
    const left = this.SUBRULE(this.additive);
    const tail = this.OPTION(this.comparisonTail);
    if (tail === undefined) return this.measured(left);
    this.ACTION(() => {
      if (tail.kind === "BinaryExpr") tail.left = left;
      else tail.operand = left;
      tail.span = this.span(s);
    });
    return this.measured(tail);
  }, { recoveryValueFunc: () => this.err() });

  /**
   * What follows the left operand of a comparison. Built once and shared by every call, so it
   * cannot see the operand: it returns the node with a placeholder operand and span, which
   * `comparison` fills in.
   */
  private comparisonTail = (): A.BinaryExpr | A.InExpr | A.BetweenExpr | A.IsNullExpr =>
    this.OR(
      (this.comparisonAlts ??= [
        {
          ALT: () => {
            const c = this.CONSUME(T.Comparator);
            const right = this.SUBRULE1(this.additive);
            return { kind: "BinaryExpr", operator: COMPARATORS[c.image] ?? "=", left: HOLE, right, operatorSpan: tokSpan(c), span: NO_SPAN };
          },
        },
        {
          ALT: () => {
            let negated = false;
            this.OPTION1(() => { this.CONSUME(T.Not); negated = true; });
            return this.OR1([
              {
                ALT: (): A.InExpr => {
                  this.CONSUME(T.In);
                  this.CONSUME(T.LParen);
                  const values: A.Expr[] = [];
                  this.MANY_SEP({ SEP: T.Comma, DEF: () => { values.push(this.SUBRULE(this.expression)); } });
                  this.CONSUME(T.RParen);
                  return { kind: "InExpr", operand: HOLE, values, negated, span: NO_SPAN };
                },
              },
              {
                ALT: (): A.BetweenExpr => {
                  this.CONSUME(T.Between);
                  const low = this.SUBRULE2(this.additive);
                  this.CONSUME(T.And);
                  const high = this.SUBRULE3(this.additive);
                  return { kind: "BetweenExpr", operand: HOLE, low, high, negated, span: NO_SPAN };
                },
              },
            ]);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Is);
            let negated = false;
            this.OPTION2(() => { this.CONSUME1(T.Not); negated = true; });
            this.CONSUME(T.Null);
            return { kind: "IsNullExpr", operand: HOLE, negated, span: NO_SPAN };
          },
        },
      ]),
    );

  /** Arithmetic, read flat and built by precedence (`*`, `/`, `%` before `+`, `-`). */
  public additive = this.RULE("additive", (): A.Expr => {
    const first = this.SUBRULE(this.unary);
    // Most operands have no operator: the lists are made at the first one.
    let operands: A.Expr[] | undefined;
    let ops: Array<[A.BinaryOp, Span]> | undefined;
    this.MANY(() => {
      const op = this.OR(
        (this.arithOps ??= [
          { ALT: () => ["+", tokSpan(this.CONSUME(T.Plus))] as [A.BinaryOp, Span] },
          { ALT: () => ["-", tokSpan(this.CONSUME(T.Minus))] as [A.BinaryOp, Span] },
          { ALT: () => ["*", tokSpan(this.CONSUME(T.Star))] as [A.BinaryOp, Span] },
          { ALT: () => ["/", tokSpan(this.CONSUME(T.Slash))] as [A.BinaryOp, Span] },
          { ALT: () => ["%", tokSpan(this.CONSUME(T.PercentSign))] as [A.BinaryOp, Span] },
        ]),
      );
      const right = this.SUBRULE1(this.unary);
      this.ACTION(() => {
        (ops ??= []).push(op);
        (operands ??= [first]).push(right);
      });
    });
    return this.measured(ops === undefined ? first : buildByPrecedence(operands!, ops));
  }, { recoveryValueFunc: () => this.err() });

  public unary = this.RULE("unary", (): A.Expr =>
    this.OR(
      (this.unaryAlts ??= [
        {
          ALT: () => {
            const s = this.CONSUME(T.Minus).startOffset;
            const operand = this.SUBRULE(this.unary);
            return { kind: "UnaryExpr", operator: "-", operand, span: this.span(s) };
          },
        },
        { ALT: () => this.SUBRULE(this.primary) },
      ]),
    ),
    { recoveryValueFunc: () => this.err() },
  );

  /** A value with its postfix parts: calls, `.member` paths, `over last N unit` windows. */
  public primary = this.RULE("primary", (): A.Expr => {
    const s = this.startOf();
    const e: A.Expr = this.OR((this.primaryAlts ??= [
      { ALT: () => { const t = this.CONSUME(T.NumberLiteral); return { kind: "NumberLit", value: Number(t.image), text: t.image, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.StringLiteral); return { kind: "StringLit", value: unquote(t.image ?? ""), span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.TemporalLiteral); return { kind: "TemporalLit", text: t.image, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.True); return { kind: "BoolLit", value: true, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.False); return { kind: "BoolLit", value: false, span: tokSpan(t) }; } },
      { ALT: () => { const t = this.CONSUME(T.Null); return { kind: "NullLit", span: tokSpan(t) }; } },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      {
        ALT: () => {
          const s = this.CONSUME(T.LParen).startOffset;
          const expr = this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
          return { kind: "ParenExpr", expr, span: this.span(s) };
        },
      },
      {
        ALT: () => {
          const callee = nameOf(this.CONSUME(T.Identifier));
          this.callee = callee;
          return this.OPTION(this.callArguments) ?? { kind: "NameRef", name: callee.name, span: callee.span };
        },
      },
    ]));
    this.postfixed = e;
    this.postfixStart = s;
    this.MANY(this.pathSuffix);
    this.OPTION3(this.windowSuffix);
    return this.postfixed;
  }, { recoveryValueFunc: () => this.err() });

  // The parts after a primary value, built once and shared by every call (closures made on every
  // call are a large share of the parser's garbage). They take what they need from fields set
  // just before: `callArguments` reads its callee before it reads the (nested) arguments, and the
  // suffixes read no subrules, so no nested primary changes the fields under them.
  private callee: A.Name = { name: "", span: NO_SPAN };
  private postfixed: A.Expr = HOLE;
  private postfixStart = 0;

  /** `(args where … per …)` after a function name. */
  private callArguments = (): A.CallExpr => {
    const callee = this.callee;
    this.CONSUME1(T.LParen);
    const call: A.CallExpr = { kind: "CallExpr", callee, args: [], span: NO_SPAN };
    this.MANY_SEP({ SEP: T.Comma, DEF: () => { call.args.push(this.SUBRULE1(this.expression)); } });
    this.OPTION1(() => { this.CONSUME(T.Where); call.where = this.SUBRULE2(this.expression); });
    this.OPTION2(() => { this.CONSUME(T.Per); call.per = this.SUBRULE(this.dimList); });
    this.CONSUME1(T.RParen);
    call.span = this.span(callee.span.start);
    return call;
  };

  /** `.member` */
  private pathSuffix = (): void => {
    this.CONSUME(T.Dot);
    const member = nameOf(this.CONSUME2(T.Identifier));
    this.postfixed = { kind: "PathExpr", base: this.postfixed, member, span: this.span(this.postfixStart) };
  };

  /** `over last N unit` */
  private windowSuffix = (): void => {
    this.CONSUME(T.Over);
    this.CONSUME(T.Last);
    const n = this.CONSUME1(T.NumberLiteral);
    const unit = nameOf(this.CONSUME3(T.Identifier));
    this.postfixed = { kind: "WindowExpr", expr: this.postfixed, count: Number(n.image), unit, span: this.span(this.postfixStart) };
  };

  private caseExpr = this.RULE("caseExpr", (): A.Expr => {
    const s = this.startOf();
    this.CONSUME(T.Case);
    const node: A.CaseExpr = { kind: "CaseExpr", whens: [], span: NO_SPAN };
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.When);
      const when = this.SUBRULE(this.expression);
      this.CONSUME(T.Then);
      const then = this.SUBRULE1(this.expression);
      node.whens.push({ when, then });
    });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      node.else = this.SUBRULE2(this.expression);
    });
    this.CONSUME(T.End);
    node.span = this.span(s);
    return node;
  }, { recoveryValueFunc: () => this.err() });
}

/** Token types the tests and tools may want by name. */
export const TOKEN_TYPES: Record<string, TokenType> = Object.fromEntries(T.ALL_TOKENS.map((t) => [t.name, t]));

export { sp as spanOrEmpty };
