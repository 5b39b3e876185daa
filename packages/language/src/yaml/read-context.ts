import { isMap, isPair, isScalar, isSeq, Scalar, type Node, type Pair } from "yaml";
import { diagnostic, suggest, type Diagnostic, type Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { lex } from "../syntax/lexer.js";
import { TemporalLiteral } from "../syntax/tokens.js";
import { parseClauseText, parseExprText, parseTargetArm, type Fragment } from "./fragments.js";
import { contentRange, scalarText, valueText, type ScalarText } from "./scalar-text.js";

/** A key and its value in a YAML map, with the key as a string. */
export interface Entry {
  key: string;
  keyNode: Scalar | null;
  value: Node | null;
  pair: Pair;
}

/**
 * What the YAML-to-AST readers share: the YAML text, the diagnostics and comments found so far,
 * and helpers that turn YAML nodes into AST parts with spans in the YAML text. Readers skip any
 * value of the wrong shape: the schema validation has reported it.
 */
export class ReadContext {
  readonly diagnostics: Diagnostic[] = [];
  /** `//` comments found inside expression strings (block scalars). */
  readonly fragmentComments: A.Comment[] = [];
  /** YAML regions whose text is not `.kpi` source at the same offsets (see yaml-to-kpi.ts). */
  readonly opaque: Span[] = [];
  /** Quote characters around strings read as `.kpi` source. */
  readonly quotes: number[] = [];
  /** Set by a reader when something in the current definition could not be read. */
  damaged = false;

  constructor(readonly source: string, readonly file: string) {}

  /**
   * The entries of a YAML map. With `known`, an unknown key close to a known one that the map
   * does not have is read as that key: the validator reports the misspelling, and the
   * definition does not also miss the clause (one mistake, one diagnostic).
   */
  entries(node: Node | null, known?: readonly string[]): Entry[] {
    if (!isMap(node)) return [];
    const out: Entry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = isScalar(pair.key) ? pair.key : null;
      const key = keyNode ? String(keyNode.value ?? "") : "";
      out.push({ key, keyNode, value: (pair.value as Node | null) ?? null, pair });
    }
    if (known) {
      const present = new Set(out.map((e) => e.key));
      for (const e of out) {
        if (known.includes(e.key)) continue;
        const meant = suggest(e.key, known, 1)[0];
        if (meant && !present.has(meant)) {
          e.key = meant;
          present.add(meant);
        }
      }
    }
    return out;
  }

  /** The span of a node's text (a map or list up to its last item, without what follows). */
  span(node: Node | null | undefined): Span {
    if (!node || !node.range) return { start: this.source.length, end: this.source.length };
    return { start: node.range[0], end: this.end(node) };
  }

  /** From a key to the end of its value. */
  entrySpan(e: Entry): Span {
    const start = e.keyNode?.range?.[0] ?? this.span(e.value).start;
    const end = e.value ? this.end(e.value) : e.keyNode?.range?.[1] ?? start;
    return { start, end: Math.max(start, end) };
  }

  /**
   * Where a node's text ends. For a block map or list: its last item, then comments indented as
   * its items that follow it (they belong inside, like the comments at the end of a `.kpi` block).
   */
  end(node: Node): number {
    const r = node.range;
    if (!r) return this.source.length;
    if (isScalar(node)) return node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED ? contentRange(node, this.source).end : r[1];
    if ((isMap(node) || isSeq(node)) && !node.flow) {
      const items = node.items as unknown[];
      const last = items[items.length - 1];
      if (last === undefined) return r[0];
      const lastNode = isPair(last) ? ((last.value as Node | null) ?? (last.key as Node)) : (last as Node);
      const end = lastNode ? this.end(lastNode) : r[1];
      const column = this.columnOf(isPair(items[0]) ? (items[0].key as Node) : (items[0] as Node));
      return this.extendOverComments(end, column);
    }
    return r[1];
  }

  /** The indentation of the line a node starts on (a list item's is its dash's). */
  private columnOf(node: Node | null | undefined): number {
    const at = node?.range?.[0] ?? 0;
    const lineStart = this.source.lastIndexOf("\n", at - 1) + 1;
    let col = 0;
    while (this.source[lineStart + col] === " " || this.source[lineStart + col] === "\t") col++;
    return col;
  }

  private extendOverComments(end: number, column: number): number {
    const s = this.source;
    // A comment on the same line as the last item belongs to it.
    let i = end;
    while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
    if (s[i] === "#") {
      while (i < s.length && s[i] !== "\n") i++;
      end = i;
    }
    for (;;) {
      let j = s.indexOf("\n", end);
      if (j < 0) return end;
      // Skip blank lines, then look at the next line's first character.
      let k = j + 1;
      for (;;) {
        let c = k;
        while (c < s.length && (s[c] === " " || s[c] === "\t")) c++;
        if (s[c] === "\n" || (s[c] === "\r" && s[c + 1] === "\n")) {
          k = s.indexOf("\n", c) + 1;
          continue;
        }
        if (s[c] === "#" && c - k >= column) {
          let e = c;
          while (e < s.length && s[e] !== "\n") e++;
          while (e > c && /\s/.test(s[e - 1]!)) e--;
          end = e;
          j = e;
          break;
        }
        return end;
      }
    }
  }

  report(text: string, span: Span, hints: string[] = []): void {
    this.diagnostics.push(diagnostic("yaml-invalid", { text }, { file: this.file, span, hints }));
  }

  // ---------------------------------------------------------------- scalars

  scalar(node: Node | null): Scalar | undefined {
    return isScalar(node) && node.value !== null && node.value !== undefined ? node : undefined;
  }

  /** A `.kpi` string from a YAML scalar (labels, descriptions, paths, messages). */
  stringValue(node: Node | null): A.StringValue | undefined {
    const s = this.scalar(node);
    if (!s) return undefined;
    const r = contentRange(s, this.source);
    // The span takes in the quotes, as in `.kpi`: the checker finds `{placeholders}` of a
    // message at `span.start + 1`. A plain scalar's span takes in the blanks around it.
    return { value: valueText(s, this.source), span: { start: r.start - 1, end: r.end + 1 } };
  }

  /** A name given as a YAML string: `from: tickets`, `unit: USD`. Backquotes are dropped, as in `.kpi`. */
  name(node: Node | null): A.Name | undefined {
    const s = this.scalar(node);
    if (!s) return undefined;
    return this.nameFrom(valueText(s, this.source), contentRange(s, this.source));
  }

  nameFrom(text: string, span: Span): A.Name {
    const m = /^`([^`\n]*)`$/.exec(text);
    const name = m ? m[1]! : text;
    if (/[`\n\r]/.test(name) || name === "") {
      // `.kpi` writes any name in backquotes, except one that holds a backquote or a line break.
      this.report(name === "" ? "A name cannot be empty." : `${JSON.stringify(name)} cannot be a name: names hold no backquote or line break.`, span);
      this.damaged = true;
    }
    return { name, span };
  }

  /** A map key as a name (a dataset, KPI, column or status label). */
  keyName(e: Entry): A.Name | undefined {
    if (!e.keyNode || e.keyNode.value === null || e.keyNode.value === undefined) {
      this.report("Expected a name as the key here.", this.span((e.pair.key as Node | null) ?? e.value));
      this.damaged = true;
      return undefined;
    }
    return this.nameFrom(e.key, contentRange(e.keyNode, this.source));
  }

  number(node: Node | null): { value: number; span: Span } | undefined {
    const s = this.scalar(node);
    if (!s || typeof s.value !== "number") return undefined;
    return { value: s.value, span: contentRange(s, this.source) };
  }

  text(node: Node): ScalarText | undefined {
    const s = this.scalar(node);
    if (!s) return undefined;
    const st = scalarText(s, this.source);
    const r = contentRange(s, this.source);
    if (!st.exact) this.opaque.push(r);
    else if (s.type === Scalar.QUOTE_DOUBLE || s.type === Scalar.QUOTE_SINGLE) this.quotes.push(r.start - 1, r.end);
    return st;
  }

  // ---------------------------------------------------------------- `.kpi` syntax in strings

  private take<T>(f: Fragment<T>): T | undefined {
    this.diagnostics.push(...f.diagnostics);
    this.fragmentComments.push(...f.comments);
    if (f.diagnostics.some((d) => d.severity === "error")) this.damaged = true;
    return f.node;
  }

  expr(node: Node | null, rule: "expression" | "additive" = "expression"): A.Expr | undefined {
    const st = node ? this.text(node) : undefined;
    if (!st) {
      this.damaged = true;
      return undefined;
    }
    return this.take(parseExprText(st, rule, this.file));
  }

  targetArm(node: Node | null): A.TargetArm | undefined {
    const st = node ? this.text(node) : undefined;
    if (!st) {
      this.damaged = true;
      return undefined;
    }
    return this.take(parseTargetArm(st, this.file));
  }

  /** Clause text read by the `.kpi` parser after `head` (see parseClauseText). */
  clause<T extends A.TopLevel>(node: Node | null, head: string, what: string, tail = ""): T | undefined {
    const st = node ? this.text(node) : undefined;
    if (!st) {
      this.damaged = true;
      return undefined;
    }
    const item = this.take(parseClauseText<T>(st, head, this.file, what, tail));
    if (!item) {
      this.report(`Expected ${what}.`, { start: st.offset, end: st.offset + st.text.length });
      this.damaged = true;
    }
    return item;
  }

  /**
   * A constant from a YAML scalar (allowed values, group keys): quoted text is a string; a plain
   * date or period (`2025-01`) is that literal; numbers, booleans and null are themselves.
   */
  literal(node: Node | null): A.Expr | undefined {
    const s = isScalar(node) ? node : undefined;
    if (!s) return undefined;
    const span = contentRange(s, this.source);
    if (s.value === null || s.value === undefined) return { kind: "NullLit", span };
    if (typeof s.value === "boolean") return { kind: "BoolLit", value: s.value, span };
    if (typeof s.value === "number") {
      const f = parseExprText(scalarText(s, this.source), "additive", this.file);
      const e = f.node;
      if (f.diagnostics.length === 0 && e && (e.kind === "NumberLit" || (e.kind === "UnaryExpr" && e.operator === "-" && e.operand.kind === "NumberLit"))) return e;
      this.report(`${valueText(s, this.source)} is not a number Yardstick can read.`, span, ["Write numbers such as 42, -1.5 or 1e-3."]);
      this.damaged = true;
      return undefined;
    }
    const text = String(s.value);
    if (s.type === Scalar.PLAIN) {
      const t = lex(text, this.file).tokens;
      if (t.length === 1 && t[0]!.tokenType === TemporalLiteral && t[0]!.image === text) return { kind: "TemporalLit", text, span };
    }
    return { kind: "StringLit", value: text, span };
  }
}
