import type { Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { printFileChecked } from "../format/printer.js";
import { RESERVED_KEYWORDS, SOFT_KEYWORDS } from "../syntax/tokens.js";
import { deepCopy, shiftSpans } from "./tree.js";

const word = (t: { LABEL?: string }) => String(t.LABEL).slice(1, -1);
const RESERVED = new Set(RESERVED_KEYWORDS.map(word));
const SOFT = new Set(SOFT_KEYWORDS.map(word));
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Prints parts of a `.kpi` syntax tree as `.kpi` text for YAML strings, with the formatter's
 * printer: one line (expressions never break in YAML), unless comments inside the expression
 * force line breaks. Numbers keep their spelling and comments their place, read from `source`.
 */
export class ExprText {
  /** Comments printed inside expressions (the YAML writer places the others). */
  readonly used = new Set<A.Comment>();

  constructor(private readonly source: string, private readonly comments: readonly A.Comment[]) {}

  /** A name as `.kpi` writes it: backquoted when it is not a plain word or is reserved. */
  name(n: A.Name): string {
    if (IDENT.test(n.name) && !RESERVED.has(n.name)) {
      if (SOFT.has(n.name) && this.source[n.span.start] === "`") return "`" + n.name + "`";
      return n.name;
    }
    return "`" + n.name + "`";
  }

  /** A name as a YAML key or value: as written, backquoted only for a soft keyword written so. */
  key(n: A.Name): string {
    return SOFT.has(n.name) && this.source[n.span.start] === "`" ? "`" + n.name + "`" : n.name;
  }

  /** A number as written in the source. */
  number(span: Span | undefined, value: number): string {
    if (span && Number.isFinite(span.start)) {
      const t = this.source.slice(span.start, span.end).trim();
      if (/^\d/.test(t)) return t;
    }
    return String(value);
  }

  expr(e: A.Expr): string {
    const { start, end } = e.span;
    const local = this.source.slice(start, end);
    const inside = this.comments.filter((c) => c.span.start >= start && c.span.end <= end);
    const clone = shiftSpans(deepCopy(e), -start);
    const whole = { start: 0, end: local.length };
    const file: A.FileNode = {
      kind: "File",
      items: [{ kind: "KpiDecl", name: { name: "_", span: { start: 0, end: 0 } }, clauses: [{ kind: "ValueClause", expr: clone, span: whole }], span: whole }],
      comments: inside.map((c) => ({ text: c.text, span: { start: c.span.start - start, end: c.span.end - start } })),
      span: whole,
    };
    const printed = printFileChecked(file, { source: local, lineWidth: 1_000_000_000 });
    if (printed.missedComments.length === 0) for (const c of inside) this.used.add(c);
    const lines = printed.text.split("\n").slice(1, -2);
    return lines.map((l, i) => (i === 0 ? l.replace(/^ {2}value /, "") : l.slice(2))).join("\n");
  }

  /** Grouping dimensions, `channel, customer.segment, month`. */
  dims(dims: A.Expr[]): string {
    return dims.map((d) => this.expr(d)).join(", ");
  }

  /** One target arm: `>= 0.7 when channel = "phone"`. */
  targetArm(arm: A.TargetArm): string {
    return `${arm.comparator ? arm.comparator + " " : ""}${this.expr(arm.value)}${arm.when ? ` when ${this.expr(arm.when)}` : ""}`;
  }

  tolerance(t: A.Tolerance | undefined): string {
    return t ? ` ± ${this.number(numberSpan(this.source, t.span), t.amount)}${t.relative ? "%" : ""}` : "";
  }

  /** What an expectation is about: `status of nps by month where customer.segment = "smb"`. */
  expectHead(c: A.ExpectClause & { kind: "ExpectValue" | "ExpectStatus" }): string {
    const by = c.by.length > 0 ? ` by ${this.dims(c.by)}` : "";
    const where = c.where ? ` where ${this.expr(c.where)}` : "";
    return `${c.kind === "ExpectStatus" ? "status of " : ""}${this.name(c.kpi)}${by}${where}`;
  }

  /** A whole expectation as `.kpi` text after `expect`. */
  expectation(c: A.ExpectClause): string {
    if (c.kind === "ExpectAlert") {
      const from = c.from ? ` from ${this.expr(c.from)}` : "";
      const to = c.to ? ` to ${this.expr(c.to)}` : "";
      return `${c.negated ? "no " : ""}alert ${this.name(c.rule)}${c.firing ? " firing" : ""}${from}${to}`;
    }
    const e = c.expected;
    if (e.kind === "NullExpected") return `${this.expectHead(c)} is null`;
    if (e.kind === "ScalarExpected") return `${this.expectHead(c)} = ${this.expr(e.value)}${this.tolerance(e.tolerance)}`;
    const entries = e.entries.map((en) => {
      const keys = en.keys.length === 1 ? this.expr(en.keys[0]!) : `(${en.keys.map((k) => this.expr(k)).join(", ")})`;
      return `${keys}: ${this.expr(en.value)}${this.tolerance(en.tolerance)}`;
    });
    return `${this.expectHead(c)} = { ${entries.join(", ")} }`;
  }
}

/** The number inside a tolerance's span (`± 0.5%` → the span of `0.5`). */
function numberSpan(source: string, span: Span): Span {
  const m = /\d[\d.eE+-]*/.exec(source.slice(span.start, span.end));
  return m ? { start: span.start + m.index, end: span.start + m.index + m[0].length } : span;
}
