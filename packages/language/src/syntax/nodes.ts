import type { Span } from "@yardstick/model";
import type * as A from "./ast.js";

/**
 * Constructors of the syntax-tree nodes the fast parser builds.
 *
 * Why classes and not object literals: V8 watches every object-literal site, and a site whose
 * objects mostly survive a young-generation collection (as a file's syntax tree does while the
 * file is checked) is switched to allocating straight into the old generation ("pretenuring").
 * There each compile's tree lands on fresh pages and stays until a full collection; on a machine
 * where touching a page for the first time is slow, that was most of a compile's time. Class
 * instances are never pretenured: they stay young, and die young when an editor drops the
 * previous compile. With the checker's model built the same way (check/model-nodes.ts), a
 * compile of the benchmark's 10,000-line spec went from about 45 to about 20 ms; bench/README.md
 * ("Front end") has the measurements.
 *
 * Each class builds one shape of node, its fields in the order of the interface in ast.ts (the
 * constructor's parameters, kind first), so an instance serializes exactly like the object
 * literal it stands for; `fast-parser.test.ts` compares the trees as JSON with the chevrotain
 * parser's. A class serves every kind with the same field names, its type parameters keeping each
 * kind's own field types. Optional fields are not parameters: they are set after construction,
 * when present, as they were on literals.
 */

/**
 * An empty list to keep in a tree or model. Array literals are allocation sites that V8 may
 * pretenure as it does object literals; an array made by a builtin (`Array.of`, `slice`, `map`,
 * `Array.from`) is not one.
 */
export function emptyList<T>(): T[] {
  return Array.of<T>();
}

/**
 * `list` to keep in a tree or model: an exact-length copy made by a builtin (see `emptyList`).
 * An array grown by `push` also keeps room for at least 16 elements, and a tree holds thousands
 * of short lists (arguments, clauses, modifiers).
 */
export function exactList<T>(list: T[]): T[] {
  return list.slice();
}

/** A span of the tree; half the tree's objects are spans. */
export class SourceSpan implements Span {
  constructor(public start: number, public end: number) {}
}

export class CommentNode implements A.Comment {
  constructor(public text: string, public span: Span) {}
}

export class TableCellNode implements A.TableCell {
  constructor(public text: string, public quoted: boolean, public span: Span) {}
}

export class TableRowNodeImpl implements A.TableRowNode {
  constructor(public cells: A.TableCell[], public span: Span) {}
}

export class NameNode implements A.Name {
  constructor(public name: string, public span: Span) {}
}

export class StringValueNode implements A.StringValue {
  constructor(public value: string, public span: Span) {}
}

export class TypeRefNode implements A.TypeRef {
  constructor(public name: A.Name, public nullable: boolean, public span: Span) {}
}

export class TargetArmNode implements A.TargetArm {
  constructor(public value: A.Expr, public span: Span) {}
}

export class StatusArmNode implements A.StatusArm {
  constructor(public label: A.Name, public otherwise: boolean, public span: Span) {}
}

export class MapEntryNode implements A.MapEntry {
  constructor(public keys: A.Expr[], public value: A.Expr, public span: Span) {}
}

export class ToleranceNode implements A.Tolerance {
  constructor(public amount: number, public relative: boolean, public span: Span) {}
}

export class CaseWhenNode {
  constructor(public when: A.Expr, public then: A.Expr) {}
}

// ------------------------------------------------------------------ `{ kind, …, span }`

export class LeafNode<K extends string> {
  constructor(public kind: K, public span: Span) {}
}

export class FileNodeImpl implements A.FileNode {
  constructor(public kind: "File", public items: A.TopLevel[], public comments: A.Comment[], public span: Span) {}
}

export class DefinitionNode<K extends string, N, C> {
  constructor(public kind: K, public name: N, public clauses: C[], public span: Span) {}
}

export class DatasetNode {
  constructor(public kind: "DatasetDecl", public name: A.Name, public members: A.DatasetMember[], public span: Span) {}
}

export class ColumnNode {
  constructor(public kind: "ColumnDecl", public name: A.Name, public type: A.TypeRef, public modifiers: A.ColumnModifier[], public span: Span) {}
}

export class DerivedNode {
  constructor(public kind: "DerivedDecl", public name: A.Name, public expr: A.Expr, public span: Span) {}
}

export class GivenNode {
  constructor(public kind: "GivenClause", public dataset: A.Name, public rows: A.TableRowNode[], public span: Span) {}
}

/** `expect kpi …` and `expect status of kpi …`; `where` is undefined when not written. */
export class ExpectNode<K extends "ExpectValue" | "ExpectStatus"> {
  constructor(public kind: K, public kpi: A.Name, public by: A.Expr[], public expected: A.ExpectedValue, public where: A.Expr | undefined, public span: Span) {}
}

export class ExpectAlertNode {
  constructor(public kind: "ExpectAlert", public rule: A.Name, public negated: boolean, public firing: boolean, public span: Span) {}
}

export class MinSamplesNode {
  constructor(public kind: "MinSamplesClause", public count: number, public countSpan: Span, public span: Span) {}
}

// One field between kind and span, by the field's name.

export class ArmsNode<K extends string, T> {
  constructor(public kind: K, public arms: T[], public span: Span) {}
}
export class AtNode<K extends string> {
  constructor(public kind: K, public at: A.Expr, public span: Span) {}
}
export class ConditionNode<K extends string> {
  constructor(public kind: K, public condition: A.Expr, public span: Span) {}
}
export class DatasetRefNode<K extends string> {
  constructor(public kind: K, public dataset: A.Name, public span: Span) {}
}
export class DimsNode<K extends string> {
  constructor(public kind: K, public dims: A.Expr[], public span: Span) {}
}
export class DirectionNode<K extends string> {
  constructor(public kind: K, public direction: "higher" | "lower", public span: Span) {}
}
export class EntriesNode<K extends string> {
  constructor(public kind: K, public entries: A.MapEntry[], public span: Span) {}
}
export class ExprNode<K extends string> {
  constructor(public kind: K, public expr: A.Expr, public span: Span) {}
}
export class FormatNode<K extends string> {
  constructor(public kind: K, public format: A.Name, public span: Span) {}
}
export class PathNode<K extends string> {
  constructor(public kind: K, public path: A.StringValue, public span: Span) {}
}
export class PerspectiveNode<K extends string> {
  constructor(public kind: K, public perspective: A.Name, public span: Span) {}
}
export class PolicyNode<K extends string> {
  constructor(public kind: K, public policy: A.Name, public span: Span) {}
}
export class SeverityNode<K extends string> {
  constructor(public kind: K, public severity: A.Name, public span: Span) {}
}
export class TagsNode<K extends string> {
  constructor(public kind: K, public tags: A.StringValue[], public span: Span) {}
}
export class TargetNode<K extends string> {
  constructor(public kind: K, public target: A.Name, public span: Span) {}
}
export class TextNode<K extends string, T> {
  constructor(public kind: K, public text: T, public span: Span) {}
}
export class UnitNode<K extends string> {
  constructor(public kind: K, public unit: A.Name, public span: Span) {}
}
export class ValueNode<K extends string, V> {
  constructor(public kind: K, public value: V, public span: Span) {}
}
export class ValuesNode<K extends string> {
  constructor(public kind: K, public values: A.Expr[], public span: Span) {}
}
export class VersionNode<K extends string> {
  constructor(public kind: K, public version: number, public span: Span) {}
}
export class WhensNode<K extends string> {
  constructor(public kind: K, public whens: Array<{ when: A.Expr; then: A.Expr }>, public span: Span) {}
}
export class ZoneNode<K extends string> {
  constructor(public kind: K, public zone: A.StringValue, public span: Span) {}
}

// ------------------------------------------------------------------ expressions

export class NumberLitNode implements A.NumberLit {
  constructor(public kind: "NumberLit", public value: number, public text: string, public span: Span) {}
}

export class NameRefNode implements A.NameRef {
  constructor(public kind: "NameRef", public name: string, public span: Span) {}
}

export class PathExprNode implements A.PathExpr {
  constructor(public kind: "PathExpr", public base: A.Expr, public member: A.Name, public span: Span) {}
}

export class CallExprNode implements A.CallExpr {
  constructor(public kind: "CallExpr", public callee: A.Name, public args: A.Expr[], public span: Span) {}
}

export class UnaryExprNode implements A.UnaryExpr {
  constructor(public kind: "UnaryExpr", public operator: "-" | "not", public operand: A.Expr, public span: Span) {}
}

export class BinaryExprNode implements A.BinaryExpr {
  constructor(public kind: "BinaryExpr", public operator: A.BinaryOp, public left: A.Expr, public right: A.Expr, public operatorSpan: Span, public span: Span) {}
}

export class InExprNode implements A.InExpr {
  constructor(public kind: "InExpr", public operand: A.Expr, public values: A.Expr[], public negated: boolean, public span: Span) {}
}

export class BetweenExprNode implements A.BetweenExpr {
  constructor(public kind: "BetweenExpr", public operand: A.Expr, public low: A.Expr, public high: A.Expr, public negated: boolean, public span: Span) {}
}

export class IsNullExprNode implements A.IsNullExpr {
  constructor(public kind: "IsNullExpr", public operand: A.Expr, public negated: boolean, public span: Span) {}
}

export class WindowExprNode implements A.WindowExpr {
  constructor(public kind: "WindowExpr", public expr: A.Expr, public count: number, public unit: A.Name, public span: Span) {}
}
