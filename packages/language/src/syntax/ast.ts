import type { Span } from "@yardstick/model";

/**
 * The syntax tree of one `.kpi` file. Nodes carry `kind` and the span of their source text.
 * After error recovery a node may be partial: optional fields are then missing, and
 * expressions that could not be read are `ErrorExpr`.
 */

export interface Name {
  name: string;
  span: Span;
}

export interface Comment {
  text: string;
  span: Span;
}

export interface FileNode {
  kind: "File";
  items: TopLevel[];
  comments: Comment[];
  span: Span;
}

export type TopLevel = HeaderDecl | ImportDecl | DatasetDecl | KpiDecl | RuleDecl | TestDecl;

export interface HeaderDecl {
  kind: "HeaderDecl";
  version: number;
  span: Span;
}

export interface ImportDecl {
  kind: "ImportDecl";
  path: StringValue;
  span: Span;
}

export interface StringValue {
  value: string;
  span: Span;
}

// ------------------------------------------------------------------ datasets

export interface DatasetDecl {
  kind: "DatasetDecl";
  /** Set when a syntax error cut this definition short: it holds what was read before the error. */
  recovered?: boolean;
  name: Name;
  label?: StringValue;
  source?: StringValue;
  sourceFormat?: Name;
  members: DatasetMember[];
  span: Span;
}

export type DatasetMember = ColumnDecl | DerivedDecl | ZoneClause | BadRowsClause;

export interface TypeRef {
  name: Name;
  nullable: boolean;
  span: Span;
}

export interface ColumnDecl {
  kind: "ColumnDecl";
  name: Name;
  type: TypeRef;
  modifiers: ColumnModifier[];
  span: Span;
}

export type ColumnModifier =
  | { kind: "KeyModifier"; span: Span }
  | { kind: "TimeModifier"; span: Span }
  | { kind: "InSetModifier"; values: Expr[]; span: Span }
  | { kind: "InRangeModifier"; min?: Expr; max?: Expr; span: Span }
  | { kind: "RelationModifier"; target: Name; alias?: Name; span: Span }
  | { kind: "UnitModifier"; unit: Name; span: Span }
  | { kind: "PerspectiveModifier"; perspective: Name; span: Span };

export interface DerivedDecl {
  kind: "DerivedDecl";
  name: Name;
  type?: TypeRef;
  expr: Expr;
  span: Span;
}

export interface ZoneClause {
  kind: "ZoneClause";
  zone: StringValue;
  span: Span;
}

export interface BadRowsClause {
  kind: "BadRowsClause";
  policy: Name;
  span: Span;
}

// ------------------------------------------------------------------ KPIs

export interface KpiDecl {
  kind: "KpiDecl";
  /** Set when a syntax error cut this definition short: it holds what was read before the error. */
  recovered?: boolean;
  name: Name;
  label?: StringValue;
  clauses: KpiClause[];
  span: Span;
}

export type KpiClause =
  | { kind: "DescriptionClause"; text: StringValue; span: Span }
  | { kind: "OwnerClause"; text: StringValue; span: Span }
  | { kind: "TagsClause"; tags: StringValue[]; span: Span }
  | { kind: "FromClause"; dataset: Name; where?: Expr; span: Span }
  | { kind: "ValueClause"; expr: Expr; span: Span }
  | { kind: "ByClause"; dims: Expr[]; span: Span }
  | { kind: "UnitClause"; unit: Name; span: Span }
  | { kind: "FormatClause"; format: Name; decimals?: number; span: Span }
  | { kind: "DirectionClause"; direction: "higher" | "lower"; span: Span }
  | { kind: "MinSamplesClause"; count: number; countSpan: Span; span: Span }
  | ZoneClause
  | { kind: "TargetClause"; arms: TargetArm[]; span: Span }
  | { kind: "StatusClause"; arms: StatusArm[]; span: Span };

export interface TargetArm {
  /** Missing: the comparator follows the KPI's direction (>= when higher is better). */
  comparator?: ComparatorOp;
  value: Expr;
  when?: Expr;
  span: Span;
}

export type ComparatorOp = ">=" | ">" | "<=" | "<" | "=" | "!=";

export interface StatusArm {
  label: Name;
  /** Missing for the `otherwise` arm. */
  when?: Expr;
  otherwise: boolean;
  span: Span;
}

// ------------------------------------------------------------------ rules

export interface RuleDecl {
  kind: "RuleDecl";
  /** Set when a syntax error cut this definition short: it holds what was read before the error. */
  recovered?: boolean;
  name: Name;
  label?: StringValue;
  clauses: RuleClause[];
  span: Span;
}

export type RuleClause =
  | { kind: "WhenClause"; condition: Expr; periods?: number; periodsSpan?: Span; span: Span }
  | { kind: "RecoverClause"; condition: Expr; span: Span }
  | { kind: "SeverityClause"; severity: Name; span: Span }
  | { kind: "MessageClause"; text: StringValue; span: Span }
  | { kind: "NoDataClause"; policy: Name; span: Span }
  | { kind: "ByClause"; dims: Expr[]; span: Span }
  | { kind: "DescriptionClause"; text: StringValue; span: Span };

// ------------------------------------------------------------------ tests

export interface TestDecl {
  kind: "TestDecl";
  /** Set when a syntax error cut this definition short: it holds what was read before the error. */
  recovered?: boolean;
  name: StringValue;
  clauses: TestClause[];
  span: Span;
}

export type TestClause = GivenClause | ExpectClause | AsOfClause;

export interface AsOfClause {
  kind: "AsOfClause";
  at: Expr;
  span: Span;
}

export interface TableCell {
  /** Cell text trimmed; quoted cells are unquoted and `quoted` is set. */
  text: string;
  quoted: boolean;
  span: Span;
}

export interface TableRowNode {
  cells: TableCell[];
  span: Span;
}

export interface GivenClause {
  kind: "GivenClause";
  dataset: Name;
  header?: TableRowNode;
  rows: TableRowNode[];
  span: Span;
}

export type ExpectClause =
  | { kind: "ExpectValue"; kpi: Name; by: Expr[]; where?: Expr; expected: ExpectedValue; span: Span }
  | { kind: "ExpectStatus"; kpi: Name; by: Expr[]; where?: Expr; expected: ExpectedValue; span: Span }
  | { kind: "ExpectAlert"; rule: Name; negated: boolean; firing: boolean; from?: Expr; to?: Expr; span: Span };

export interface Tolerance {
  amount: number;
  relative: boolean;
  span: Span;
}

export type ExpectedValue =
  | { kind: "ScalarExpected"; value: Expr; tolerance?: Tolerance; span: Span }
  | { kind: "NullExpected"; span: Span }
  | { kind: "MapExpected"; entries: MapEntry[]; span: Span };

export interface MapEntry {
  keys: Expr[];
  value: Expr;
  tolerance?: Tolerance;
  span: Span;
}

// ------------------------------------------------------------------ expressions

export type Expr =
  | NumberLit
  | StringLit
  | TemporalLit
  | BoolLit
  | NullLit
  | NameRef
  | PathExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | InExpr
  | BetweenExpr
  | IsNullExpr
  | CaseExpr
  | WindowExpr
  | ParenExpr
  | ErrorExpr;

export interface NumberLit { kind: "NumberLit"; value: number; text: string; span: Span }
export interface StringLit { kind: "StringLit"; value: string; span: Span }
export interface TemporalLit { kind: "TemporalLit"; text: string; span: Span }
export interface BoolLit { kind: "BoolLit"; value: boolean; span: Span }
export interface NullLit { kind: "NullLit"; span: Span }
export interface NameRef { kind: "NameRef"; name: string; span: Span }
/** `customer.segment`, `orders.amount`. */
export interface PathExpr { kind: "PathExpr"; base: Expr; member: Name; span: Span }
export interface CallExpr {
  kind: "CallExpr";
  callee: Name;
  args: Expr[];
  where?: Expr;
  per?: Expr[];
  span: Span;
}
export interface UnaryExpr { kind: "UnaryExpr"; operator: "-" | "not"; operand: Expr; span: Span }
export type BinaryOp = "+" | "-" | "*" | "/" | "%" | ComparatorOp | "and" | "or";
export interface BinaryExpr { kind: "BinaryExpr"; operator: BinaryOp; left: Expr; right: Expr; operatorSpan: Span; span: Span }
export interface InExpr { kind: "InExpr"; operand: Expr; values: Expr[]; negated: boolean; span: Span }
export interface BetweenExpr { kind: "BetweenExpr"; operand: Expr; low: Expr; high: Expr; negated: boolean; span: Span }
export interface IsNullExpr { kind: "IsNullExpr"; operand: Expr; negated: boolean; span: Span }
export interface CaseExpr { kind: "CaseExpr"; whens: Array<{ when: Expr; then: Expr }>; else?: Expr; span: Span }
/** `count_distinct(customer_id) over last 30 days`. */
export interface WindowExpr { kind: "WindowExpr"; expr: Expr; count: number; unit: Name; span: Span }
export interface ParenExpr { kind: "ParenExpr"; expr: Expr; span: Span }
/** A hole left by error recovery. */
export interface ErrorExpr { kind: "ErrorExpr"; span: Span }

export type Node = FileNode | TopLevel | Expr;
