import { isMap, isPair, isScalar, isSeq, Scalar, type Node } from "yaml";
import type { Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { RESERVED_KEYWORDS } from "../syntax/tokens.js";
import type { Entry, ReadContext } from "./read-context.js";
import { contentRange, valueText } from "./scalar-text.js";
import { KEYS } from "./schema.js";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(RESERVED_KEYWORDS.map((t) => String(t.LABEL).slice(1, -1)));

/** A comment after a fixture row on the row's line: `.kpi` keeps it inside the row. */
export type RowComments = Map<A.TableRowNode, { text: string; offset: number }>;

export function readTest(ctx: ReadContext, e: Entry, name: A.StringValue, rowComments: RowComments): A.TestDecl {
  const decl: A.TestDecl = { kind: "TestDecl", name, clauses: [], span: ctx.entrySpan(e) };
  const entries = ctx.entries(e.value, KEYS.test);
  if (!isMap(e.value)) ctx.damaged = true; // reported by the validator
  let expected = 0;
  for (const f of entries) {
    switch (f.key) {
      case "as_of": {
        const t = ctx.clause<A.TestDecl>(f.value, 'test "" {\n  as of ', "a date or timestamp such as 2025-03-01");
        const c = t?.clauses[0];
        if (c?.kind === "AsOfClause") decl.clauses.push({ ...c, span: ctx.entrySpan(f) });
        break;
      }
      case "given":
        for (const g of ctx.entries(f.value)) {
          const dataset = ctx.keyName(g);
          if (dataset) decl.clauses.push(readTable(ctx, g, dataset, rowComments));
        }
        break;
      case "expect": {
        const items = isSeq(f.value) ? (f.value.items as Node[]) : [f.value];
        for (const item of items) {
          expected++;
          const c = readExpectation(ctx, item);
          if (c) decl.clauses.push(c);
        }
        break;
      }
    }
  }
  // Expectations that could not be read are reported; a test left with none does not also expect nothing.
  if (expected > 0 && !decl.clauses.some((c) => c.kind !== "GivenClause" && c.kind !== "AsOfClause")) ctx.damaged = true;
  return decl;
}

// ------------------------------------------------------------------ fixtures

function cell(ctx: ReadContext, node: Node | null, fallback: number): A.TableCell {
  if (!isScalar(node)) {
    if (node) ctx.damaged = true;
    return { text: "", quoted: false, span: { start: fallback, end: fallback } };
  }
  const span = contentRange(node, ctx.source);
  if (node.value === null || node.value === undefined) return { text: "", quoted: false, span };
  const quoted = node.type !== Scalar.PLAIN;
  const text = valueText(node, ctx.source);
  if (/[\n\r]/.test(text)) {
    ctx.report("A table cell cannot hold a line break.", span, ["Fixture cells hold one line of text."]);
    ctx.damaged = true;
  }
  return { text, quoted, span };
}

function rowComment(ctx: ReadContext, row: A.TableRowNode, end: number, out: RowComments): void {
  const s = ctx.source;
  let i = end;
  while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  if (s[i] !== "#") return;
  let j = i;
  while (j < s.length && s[j] !== "\n" && s[j] !== "\r") j++;
  out.set(row, { text: "//" + s.slice(i + 1, j).replace(/\s+$/, ""), offset: i });
}

/** `given: { flights: { columns: [...], rows: [[...]] } }` or `given: { flights: [ {col: value}, ... ] }`. */
function readTable(ctx: ReadContext, g: Entry, dataset: A.Name, rowComments: RowComments): A.GivenClause {
  const clause: A.GivenClause = { kind: "GivenClause", dataset, rows: [], span: ctx.entrySpan(g) };
  if (isSeq(g.value)) {
    // Row maps: the header is every column named, in order of first appearance.
    const names: string[] = [];
    const headerCells: A.TableCell[] = [];
    for (const item of g.value.items) {
      for (const f of ctx.entries(item as Node)) {
        if (names.includes(f.key) || !f.keyNode) continue;
        names.push(f.key);
        headerCells.push({ text: f.key, quoted: f.keyNode.type !== Scalar.PLAIN, span: contentRange(f.keyNode, ctx.source) });
      }
    }
    if (names.length === 0) return clause;
    const first = ctx.span(g.value.items[0] as Node);
    clause.header = { cells: headerCells, span: first };
    for (const item of g.value.items) {
      const span = ctx.span(item as Node);
      if (!isMap(item)) {
        ctx.damaged = true;
        continue;
      }
      const byName = new Map(ctx.entries(item).map((f) => [f.key, f.value]));
      const row: A.TableRowNode = { cells: names.map((n) => cell(ctx, byName.has(n) ? byName.get(n)! : null, span.start)), span };
      rowComment(ctx, row, span.end, rowComments);
      clause.rows.push(row);
    }
    return clause;
  }
  const parts = new Map(ctx.entries(g.value, KEYS.table).map((f) => [f.key, f]));
  const columns = parts.get("columns")?.value ?? null;
  if (isSeq(columns)) {
    clause.header = { cells: columns.items.map((c) => cell(ctx, c as Node, ctx.span(columns).start)), span: ctx.span(columns) };
    rowComment(ctx, clause.header, clause.header.span.end, rowComments);
  }
  const rows = parts.get("rows")?.value ?? null;
  if (isSeq(rows) && rows.items.length > 0 && !clause.header) {
    ctx.report("A table with `rows` needs `columns`: the column of each value.", ctx.span(rows), ["Add `columns: [name, ...]` above `rows`."]);
    ctx.damaged = true;
  }
  if (isSeq(rows)) {
    for (const r of rows.items) {
      const span = ctx.span(r as Node);
      const row: A.TableRowNode = { cells: isSeq(r) ? r.items.map((c) => cell(ctx, c as Node, span.start)) : [], span };
      if (!isSeq(r)) ctx.damaged = true;
      rowComment(ctx, row, span.end, rowComments);
      clause.rows.push(row);
    }
  }
  return clause;
}

// ------------------------------------------------------------------ expectations

/**
 * `- nps = 25` (the `.kpi` expectation after `expect`), or
 * `- nps by month: { 2025-01: 25 }` (what is expected of what).
 */
function readExpectation(ctx: ReadContext, node: Node | null): A.ExpectClause | undefined {
  if (isScalar(node)) {
    const t = ctx.clause<A.TestDecl>(node, 'test "" {\n  expect ', "an expectation such as `nps = 25`");
    const c = t?.clauses[0];
    if (!c || (c.kind !== "ExpectValue" && c.kind !== "ExpectStatus" && c.kind !== "ExpectAlert")) return undefined;
    c.span = ctx.span(node);
    return c;
  }
  if (!isMap(node) || node.items.length !== 1 || !isPair(node.items[0])) {
    if (isMap(node)) ctx.report("An expectation map has one key: what is expected (`nps by month`), with its value.", ctx.span(node), ["Write `- nps: 25`, or a list item per expectation."]);
    return undefined;
  }
  const pair = node.items[0];
  const key = pair.key as Node | null;
  if (!isScalar(key)) return undefined;
  if (/^\s*(no\s+)?alert\b/.test(String(key.value))) {
    ctx.report("Write an alert expectation as a string: `- alert nps_falling from 2025-03`.", ctx.span(key));
    return undefined;
  }
  const head = ctx.clause<A.TestDecl>(key, 'test "" {\n  expect ', "what is expected, such as `nps by month` or `status of nps`", " is null");
  const c = head?.clauses[0];
  if (!c) return undefined;
  if (c.kind !== "ExpectValue" && c.kind !== "ExpectStatus") return undefined;
  const value = (pair.value as Node | null) ?? null;
  const span = { start: ctx.span(key).start, end: value ? ctx.end(value) : ctx.span(key).end };
  const expected = readExpected(ctx, value, span);
  if (!expected) return undefined;
  return { ...c, expected, span };
}

function readExpected(ctx: ReadContext, node: Node | null, span: Span): A.ExpectedValue | undefined {
  if (isMap(node)) {
    const entries: A.MapEntry[] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = item.key as Node | null;
      const keys = isSeq(k) ? k.items.map((x) => ctx.literal(x as Node)) : [ctx.literal(k)];
      const v = scalarExpected(ctx, (item.value as Node | null) ?? null);
      if (!v || keys.some((x) => x === undefined)) return undefined;
      const entrySpan = { start: ctx.span(k).start, end: item.value ? ctx.end(item.value as Node) : ctx.span(k).end };
      const entry: A.MapEntry = { keys: keys as A.Expr[], value: v.value, span: entrySpan };
      if (v.tolerance) entry.tolerance = v.tolerance;
      entries.push(entry);
    }
    return { kind: "MapExpected", entries, span: ctx.span(node) };
  }
  if (isSeq(node)) {
    // Rows: the group's parts, then the value: `- [smb, 2025-01, 25]`.
    const entries: A.MapEntry[] = [];
    for (const row of node.items) {
      const rspan = ctx.span(row as Node);
      if (!isSeq(row) || row.items.length < 2) {
        ctx.report("A row of an expectation lists the group, then the value: `[smb, 2025-01, 25]`.", rspan);
        return undefined;
      }
      const keys = row.items.slice(0, -1).map((x) => ctx.literal(x as Node));
      const v = scalarExpected(ctx, row.items[row.items.length - 1] as Node);
      if (!v || keys.some((x) => x === undefined)) return undefined;
      const entry: A.MapEntry = { keys: keys as A.Expr[], value: v.value, span: rspan };
      if (v.tolerance) entry.tolerance = v.tolerance;
      entries.push(entry);
    }
    return { kind: "MapExpected", entries, span: ctx.span(node) };
  }
  const v = scalarExpected(ctx, node, span.end);
  if (!v) return undefined;
  const out: A.ExpectedValue = { kind: "ScalarExpected", value: v.value, span: node ? ctx.span(node) : { start: span.end, end: span.end } };
  if (v.tolerance) out.tolerance = v.tolerance;
  return out;
}

/** An expected value: `25`, `-3.5`, `25 ± 0.5`, `10 ± 5%`, `on_target`, `null`, `"text"`. */
function scalarExpected(ctx: ReadContext, node: Node | null, at = 0): { value: A.Expr; tolerance?: A.Tolerance } | undefined {
  if (!node || (isScalar(node) && (node.value === null || node.value === undefined))) {
    const span = node ? contentRange(node as Scalar, ctx.source) : { start: at, end: at };
    return { value: { kind: "NullLit", span } };
  }
  if (!isScalar(node)) return undefined;
  const span = contentRange(node, ctx.source);
  if (node.type !== Scalar.PLAIN) return { value: { kind: "StringLit", value: valueText(node, ctx.source), span } };
  if (typeof node.value !== "string") {
    const v = ctx.literal(node);
    return v ? { value: v } : undefined;
  }
  if (IDENT.test(node.value) && !RESERVED.has(node.value)) return { value: { kind: "NameRef", name: node.value, span } };
  const t = ctx.clause<A.TestDecl>(node, 'test "" {\n  expect _ = ', "an expected value such as 25, 25 ± 0.5 or on_target");
  const c = t?.clauses[0];
  if (!c || c.kind !== "ExpectValue" || c.expected.kind !== "ScalarExpected") return undefined;
  return c.expected.tolerance ? { value: c.expected.value, tolerance: c.expected.tolerance } : { value: c.expected.value };
}
