import type {
  AggregateFn, BinaryOperator, Column, ColumnType, Comparator, Dataset, Dim, Expectation, Expr, Fixture, Format,
  GroupValue, Kpi, Literal, Model, Origin, Ratio, RelatedSource, Relation, Rule, Span, StatusArm, TargetArm,
  TemplatePart, Test, TimeUnit, Tolerance, ValueType, Window,
} from "@yardstick/model";
import type { ColumnInfo, DatasetSymbol } from "./context.js";

/**
 * Constructors of what the checker builds and keeps: the model's nodes and records, and the
 * dataset symbols. Object literals here would be pretenured by V8 for the reason syntax/nodes.ts
 * gives (a compile's model outlives young collections until the next compile replaces it), and
 * so would array literals: lists kept in the model are made by builtins (`emptyList`,
 * `exactList`, `map`, `Array.from`). Without this a compile of the benchmark's spec took about
 * twice as long.
 *
 * Node fields are the constructor's parameters in the order of the model's interfaces, `op`
 * first, so an instance serializes exactly like the literal it stands for. Optional fields (an
 * aggregate's `per`, `p`, `filter`, `window`) are set after construction, as on literals.
 */

export class OriginNode implements Origin {
  constructor(public file: string, public start: number, public end: number) {}
}

/** The origin of `span` in `file`. */
export function originOf(file: string, span: Span): Origin {
  return new OriginNode(file, span.start, span.end);
}

export class LitNode<T extends ValueType> {
  constructor(public op: "lit", public type: T, public value: Literal, public origin: Origin) {}
}

/** `col`, `kpi` and `group_key`: a name and its type. */
export class NamedNode<O extends "col" | "kpi" | "group_key", T extends ValueType> {
  constructor(public op: O, public name: string, public type: T, public origin: Origin) {}
}

export class LookupNode {
  constructor(public op: "lookup", public relation: string, public dataset: string, public arg: Expr, public type: ValueType, public origin: Origin) {}
}

export class CallNode {
  constructor(public op: "call", public fn: string, public args: Expr[], public type: ValueType, public origin: Origin) {}
}

export class UnaryNode<O extends "neg" | "not"> {
  constructor(public op: O, public arg: Expr, public type: ValueType, public origin: Origin) {}
}

export class BinaryNode {
  constructor(public op: "binary", public operator: BinaryOperator, public left: Expr, public right: Expr, public type: ValueType, public origin: Origin) {}
}

export class InNode {
  constructor(public op: "in", public arg: Expr, public values: Expr[], public negated: boolean, public type: "bool", public origin: Origin) {}
}

export class BetweenNode {
  constructor(public op: "between", public arg: Expr, public low: Expr, public high: Expr, public negated: boolean, public type: "bool", public origin: Origin) {}
}

export class IsNullNode {
  constructor(public op: "is_null", public arg: Expr, public negated: boolean, public type: "bool", public origin: Origin) {}
}

export class CaseWhen {
  constructor(public when: Expr, public then: Expr) {}
}

export class CaseNode {
  op: "case";
  whens: CaseWhen[];
  else: Expr | null;
  type: ValueType;
  origin: Origin;

  constructor(op: "case", whens: CaseWhen[], otherwise: Expr | null, type: ValueType, origin: Origin) {
    this.op = op;
    this.whens = whens;
    this.else = otherwise;
    this.type = type;
    this.origin = origin;
  }
}

export class BucketNode {
  constructor(public op: "bucket", public unit: TimeUnit, public arg: Expr, public zone: string, public type: "period", public origin: Origin) {}
}

export class AggNode {
  constructor(public op: "agg", public fn: AggregateFn, public arg: Expr | null, public type: ValueType, public origin: Origin) {}
}

/** An aggregate over related rows: `source` between `arg` and `type`. */
export class RelatedAggNode {
  constructor(public op: "agg", public fn: AggregateFn, public arg: Expr | null, public source: RelatedSource, public type: ValueType, public origin: Origin) {}
}

export class RelatedSourceNode implements RelatedSource {
  constructor(public dataset: string, public relation: string, public column: string, public key: string) {}
}

export class TimeCompareNode<O extends "previous" | "change" | "pct_change"> {
  constructor(public op: O, public arg: Expr, public period: TimeUnit | null, public type: "number", public origin: Origin) {}
}

export class FieldNode<F extends "value" | "target" | "n"> {
  constructor(public op: "field", public field: F, public kpi: string, public type: "number", public origin: Origin) {}
}

export class WindowNode implements Window {
  constructor(public count: number, public unit: TimeUnit) {}
}

export class DimNode implements Dim {
  constructor(public name: string, public expr: Expr, public origin: Origin) {}
}

export class TargetArmNode implements TargetArm {
  constructor(public when: Expr | null, public comparator: Comparator, public value: Expr, public origin: Origin) {}
}

export class StatusArmNode implements StatusArm {
  constructor(public label: string, public when: Expr | null, public origin: Origin) {}
}

export class TemplatePartNode implements TemplatePart {
  constructor(public text: string, public expr: Expr | null, public kpi: string | null) {}
}

export { emptyList, exactList } from "../syntax/nodes.js";

/**
 * A class for records with many fields (a KPI, a column, a dataset): its constructor copies the
 * fields of the object it is given, in that object's order. The object given is dropped at once,
 * so its literal site is never pretenured; the record, an instance of a class, never is either.
 */
function record<T extends object>(): new (fields: T) => T {
  return class {
    constructor(fields: T) {
      Object.assign(this, fields);
    }
  } as new (fields: T) => T;
}

export const KpiRecord = record<Kpi>();
export const RuleRecord = record<Rule>();
export const ModelRecord = record<Model>();
export const TestRecord = record<Test>();
export const FixtureRecord = record<Fixture>();
export const ExpectationRecord = record<Expectation>();
export const GroupValueRecord = record<GroupValue<number | string | null>>();
export const ToleranceRecord = record<Tolerance>();
export const DatasetRecord = record<Dataset>();
export const ColumnRecord = record<Column>();
export const RelationRecord = record<Relation>();
export const RatioRecord = record<Ratio>();
export const DatasetSymbolRecord = record<DatasetSymbol>();

export class FormatNode implements Format {
  constructor(public kind: Format["kind"], public decimals: number | null) {}
}

export class SourceNode {
  constructor(public path: string, public format: "csv" | "json" | "ndjson" | "parquet") {}
}

export class AllowedSetNode {
  constructor(public kind: "set", public values: Literal[]) {}
}

export class AllowedRangeNode {
  constructor(public kind: "range", public min: Literal, public max: Literal) {}
}

export class ColumnInfoNode implements ColumnInfo {
  constructor(public type: ColumnType, public perspective: "customer" | "company" | null, public span: Span, public derived: boolean) {}
}
