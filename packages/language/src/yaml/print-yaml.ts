import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from "yaml";
import { diagnostic, type Diagnostic, type Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { lex } from "../syntax/lexer.js";
import { TemporalLiteral } from "../syntax/tokens.js";
import { ExprText } from "./expr-text.js";
import { placeComments, plain, quoted, type Unit } from "./yaml-units.js";

export interface PrintYamlOptions {
  /** File name for diagnostics. */
  file?: string;
  /** Rewrites import paths (`datasets.kpi` → `datasets.kpi.yaml` when converting a whole project). */
  importPath?: (path: string) => string;
}

/**
 * A `.kpi` syntax tree (and the text it was parsed from) as `.kpi.yaml` text: the shape described
 * in README.md, comments and blank lines carried over (yaml-units.ts). Reading the result back
 * with parseYaml gives the same tree; what YAML cannot say (a clause given twice) is reported
 * with the checker's code instead. An unquoted fixture cell that YAML cannot write plain (`null`,
 * `[x`) is written quoted (`requoted`): the fixture's rows, and so the model, stay the same.
 */
export function printYaml(ast: A.FileNode, source: string, options: PrintYamlOptions = {}): { text: string; diagnostics: Diagnostic[]; requoted: A.TableCell[] } {
  const w = new YamlWriter(ast, source, options);
  const text = w.print();
  return { text, diagnostics: w.diagnostics, requoted: w.requoted };
}

/** The YAML 1.2 core schema reads these plain scalars as something other than a string. */
const CORE_NON_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))?$/;

/** Text that YAML reads back as the same string, quoted only when it must be. */
function text(s: string): Scalar {
  return CORE_NON_STRING.test(s) ? quoted(s) : new Scalar(s);
}

const isTemporal = (s: string) => {
  const t = lex(s, "").tokens;
  return t.length === 1 && t[0]!.tokenType === TemporalLiteral && t[0]!.image === s;
};

const NULL_LIKE = /^(?:~|null|Null|NULL)?$/;

/** Text YAML reads as the same plain scalar inside a flow list (`[a, b]`). */
const flowPlain = (s: string) =>
  /^(?:[^\s\-?:,[\]{}#&*!|>'"%@`]|-\S)[^,[\]{}\n]*$/.test(s) && !/\s$/.test(s) && !/:(\s|$)/.test(s) && !/\s#/.test(s) && !NULL_LIKE.test(s);

/** A number as written between two offsets of the source. */
function numberIn(source: string, span: Span, value: number): string {
  const m = /\d[\d.eE+-]*/.exec(source.slice(span.start, span.end));
  return m ? m[0] : String(value);
}

class YamlWriter {
  readonly diagnostics: Diagnostic[] = [];
  readonly requoted: A.TableCell[] = [];
  private readonly t: ExprText;
  private readonly root: Unit;
  private readonly doc = new Document(undefined, { schema: "failsafe" });
  private readonly map = new YAMLMap();

  constructor(private readonly ast: A.FileNode, private readonly source: string, private readonly options: PrintYamlOptions) {
    this.t = new ExprText(source, ast.comments);
    this.root = { span: ast.span, block: this.map, children: [] };
    this.doc.contents = this.map as unknown as Document["contents"];
  }

  print(): string {
    this.file();
    placeComments(this.root, this.ast.comments.filter((c) => !this.t.used.has(c)), this.source);
    return this.doc.toString({ lineWidth: 0, flowCollectionPadding: false, indentSeq: true });
  }

  // ---------------------------------------------------------------- helpers

  private pair(map: YAMLMap, key: string, value: Node, clauseSpan?: Span): Pair<Scalar, Node> {
    const existing = map.items.find((p) => (p.key as Scalar).value === key);
    if (existing && clauseSpan) {
      this.diagnostics.push(diagnostic("duplicate-clause", { clause: key.replace(/_/g, " ") }, { file: this.options.file, span: clauseSpan, hints: ["YAML cannot repeat a key: keep one."] }));
    }
    const p = new Pair(text(key), value) as Pair<Scalar, Node>;
    map.items.push(p);
    return p;
  }

  /** A unit for a pair: comments above its key, at the end of its value. */
  private unit(parent: Unit, span: Span, p: Pair<Scalar, Node>, extra: Partial<Unit> = {}): Unit {
    const u: Unit = { span, head: p.key, tail: p.value ?? undefined, children: [], ...extra };
    if (parent.children.length === 0 && parent !== this.root) u.first = true;
    parent.children.push(u);
    return u;
  }

  /** An expression: plain where YAML allows (`30` and `true` are read as written), else quoted. */
  private expr(e: A.Expr): Scalar {
    const s = this.t.expr(e);
    if (s.includes("\n")) {
      const b = new Scalar(s);
      b.type = Scalar.BLOCK_LITERAL;
      return b;
    }
    return NULL_LIKE.test(s) ? quoted(s) : new Scalar(s);
  }

  /** Constants YAML writes as themselves (a name, `in (a, b)`, is not one: it is written in `.kpi` syntax). */
  private isLiteral(e: A.Expr): boolean {
    return ["StringLit", "NumberLit", "TemporalLit", "BoolLit", "NullLit"].includes(e.kind) || (e.kind === "UnaryExpr" && e.operand.kind === "NumberLit");
  }

  /** A constant in a list or a group key: strings plain where YAML reads them back as strings. */
  private literal(e: A.Expr): Scalar {
    switch (e.kind) {
      case "StringLit":
        return isTemporal(e.value) || CORE_NON_STRING.test(e.value) || e.value === "" ? quoted(e.value) : new Scalar(e.value);
      case "NullLit": return plain("null");
      default: return plain(this.t.expr(e));
    }
  }

  /** An expected value: a number, `25 ± 0.5`, a status label; strings always quoted. */
  private expected(value: A.Expr, tolerance: A.Tolerance | undefined): Scalar {
    if (value.kind === "StringLit") return quoted(value.value);
    const s = this.t.expr(value) + this.t.tolerance(tolerance);
    return tolerance ? text(s) : plain(s);
  }

  private flowList(items: Node[]): YAMLSeq {
    const seq = new YAMLSeq();
    seq.flow = true;
    seq.items.push(...items);
    return seq;
  }

  // ---------------------------------------------------------------- file

  private file(): void {
    const items = this.ast.items;
    const defs = items.filter((i) => i.kind !== "HeaderDecl" && i.kind !== "ImportDecl");
    // Sections (`kpis:`) when each kind of definition comes in one run; else one key per definition.
    const runs = defs.map((d) => d.kind).filter((k, i, all) => i === 0 || all[i - 1] !== k);
    const sections = new Set(runs).size === runs.length;
    const sectionMaps = new Map<string, { map: YAMLMap; key: Scalar }>();
    let imports: { pair: Pair<Scalar, Node>; unit: Unit; seq?: YAMLSeq } | undefined;
    const top = (span: Span, p: Pair<Scalar, Node>): Unit => {
      const u = this.unit(this.root, span, p);
      u.spaced = this.map.items.length > 1;
      return u;
    };
    for (const item of items) {
      switch (item.kind) {
        case "HeaderDecl":
          if (item !== items[0]) {
            // YAML keys have no order that means anything: the header can only be first.
            this.diagnostics.push(diagnostic("misplaced-header", {}, { file: this.options.file, span: item.span }));
          }
          top(item.span, this.pair(this.map, "yardstick", plain(numberIn(this.source, item.span, item.version)), item.span));
          break;
        case "ImportDecl": {
          const path = this.options.importPath ? this.options.importPath(item.path.value) : item.path.value;
          if (!imports) {
            const p = this.pair(this.map, "import", text(path));
            imports = { pair: p, unit: top(item.span, p) };
            break;
          }
          if (!imports.seq) {
            // A second import: a list, the first one its first item.
            const first = imports.pair.value as Scalar;
            imports.seq = new YAMLSeq();
            imports.seq.items.push(first);
            imports.pair.value = imports.seq;
            const firstUnit: Unit = { span: imports.unit.span, head: first, tail: first, children: [], first: true };
            imports.unit.children.push(firstUnit);
            imports.unit.head = imports.pair.key;
            imports.unit.tail = undefined;
          }
          const s = text(path);
          imports.seq.items.push(s);
          imports.unit.span = { start: imports.unit.span.start, end: item.span.end };
          imports.unit.children.push({ span: item.span, head: s, tail: s, children: [] });
          break;
        }
        default: {
          const kind = item.kind === "DatasetDecl" ? "dataset" : item.kind === "KpiDecl" ? "kpi" : item.kind === "RuleDecl" ? "rule" : "test";
          const name = item.kind === "TestDecl" ? item.name.value : this.t.key(item.name);
          const value = new YAMLMap();
          let u: Unit;
          if (sections) {
            const section = { dataset: "datasets", kpi: "kpis", rule: "rules", test: "tests" }[kind];
            let s = sectionMaps.get(section);
            const p = new Pair(text(name), value) as Pair<Scalar, Node>;
            if (!s) {
              const sp = this.pair(this.map, section, new YAMLMap());
              s = { map: sp.value as YAMLMap, key: sp.key };
              sectionMaps.set(section, s);
              u = this.unit(this.root, item.span, p, { head: s.key, spaced: this.map.items.length > 1 });
              u.tail = p.key;
            } else {
              u = this.unit(this.root, item.span, p, { spaced: true });
              u.tail = p.key;
            }
            if (s.map.items.some((x) => (x.key as Scalar).value === name)) this.duplicate(item);
            s.map.items.push(p);
          } else {
            const key = `${kind} ${name}`;
            if (this.map.items.some((x) => (x.key as Scalar).value === key)) this.duplicate(item);
            const p = new Pair(text(key), value) as Pair<Scalar, Node>;
            this.map.items.push(p);
            u = top(item.span, p);
            u.tail = p.key;
          }
          u.block = value;
          this.definition(item, value, u);
        }
      }
    }
  }

  private duplicate(item: A.TopLevel): void {
    const n = (item as { name?: A.Name | A.StringValue }).name;
    const name = n && "name" in n ? n.name : n?.value ?? "";
    const kind = item.kind === "DatasetDecl" ? "Dataset" : item.kind === "KpiDecl" ? "KPI" : item.kind === "RuleDecl" ? "Rule" : "Test";
    this.diagnostics.push(diagnostic("duplicate-definition", { kind, name }, { file: this.options.file, span: n?.span ?? item.span }));
  }

  private definition(item: A.TopLevel, map: YAMLMap, u: Unit): void {
    switch (item.kind) {
      case "DatasetDecl": return this.dataset(item, map, u);
      case "KpiDecl": return this.kpi(item, map, u);
      case "RuleDecl": return this.rule(item, map, u);
      case "TestDecl": return this.test(item, map, u);
      default: return;
    }
  }

  // ---------------------------------------------------------------- datasets

  private dataset(d: A.DatasetDecl, map: YAMLMap, u: Unit): void {
    if (d.label) this.unit(u, d.label.span, this.pair(map, "label", text(d.label.value)));
    if (d.source) this.unit(u, d.source.span, this.pair(map, "from", text(d.source.value)));
    if (d.sourceFormat) this.unit(u, d.sourceFormat.span, this.pair(map, "format", text(d.sourceFormat.name)));
    let columns: { map: YAMLMap; unit: Unit } | undefined;
    for (const m of d.members) {
      switch (m.kind) {
        case "ZoneClause":
          this.unit(u, m.span, this.pair(map, "zone", text(m.zone.value), m.span));
          break;
        case "BadRowsClause":
          this.unit(u, m.span, this.pair(map, "on_bad_rows", text(m.policy.name), m.span));
          break;
        default: {
          if (!columns) {
            const p = this.pair(map, "columns", new YAMLMap());
            columns = { map: p.value as YAMLMap, unit: this.unit(u, m.span, p, { tail: p.key }) };
            columns.unit.block = columns.map;
          }
          columns.unit.span = { start: columns.unit.span.start, end: m.span.end };
          const value = m.kind === "ColumnDecl" ? this.column(m) : this.derived(m);
          const p = this.pair(columns.map, this.t.key(m.name), value);
          if (columns.map.items.filter((x) => (x.key as Scalar).value === (p.key as Scalar).value).length > 1) {
            this.diagnostics.push(diagnostic("duplicate-column", { name: m.name.name, dataset: d.name.name }, { file: this.options.file, span: m.name.span }));
          }
          const cu = this.unit(columns.unit, m.span, p);
          // A derived column's comment goes at the end of its `let` line.
          if (m.kind === "DerivedDecl") cu.tail = (value as YAMLMap).items[(value as YAMLMap).items.length - 1]!.value as Node;
        }
      }
    }
  }

  private typeText(t: A.TypeRef): string {
    return this.t.key(t.name) + (t.nullable ? "?" : "");
  }

  private column(c: A.ColumnDecl): Node {
    if (c.modifiers.length === 0) return text(this.typeText(c.type));
    const m = new YAMLMap();
    m.flow = true;
    this.pair(m, "type", text(this.typeText(c.type)));
    for (const mod of c.modifiers) {
      switch (mod.kind) {
        case "KeyModifier": this.pair(m, "key", plain("true"), mod.span); break;
        case "TimeModifier": this.pair(m, "time", plain("true"), mod.span); break;
        case "InSetModifier": {
          const list = mod.values.every((v) => this.isLiteral(v))
            ? this.flowList(mod.values.map((v) => this.literal(v)))
            : text(`(${mod.values.map((v) => this.t.expr(v)).join(", ")})`);
          this.pair(m, "in", list, mod.span);
          break;
        }
        case "InRangeModifier": {
          const range = `${mod.min ? this.t.expr(mod.min) : ""}..${mod.max ? this.t.expr(mod.max) : ""}`;
          this.pair(m, "in", text(range), mod.span);
          break;
        }
        case "RelationModifier":
          this.pair(m, "relation", text(this.t.key(mod.target)), mod.span);
          if (mod.alias) this.pair(m, "as", text(this.t.key(mod.alias)), mod.span);
          break;
        case "UnitModifier": this.pair(m, "unit", text(mod.unit.name), mod.span); break;
        case "PerspectiveModifier": this.pair(m, "perspective", text(mod.perspective.name), mod.span); break;
      }
    }
    return m;
  }

  private derived(d: A.DerivedDecl): Node {
    const m = new YAMLMap();
    if (d.type) this.pair(m, "type", text(this.typeText(d.type)));
    this.pair(m, "let", this.expr(d.expr));
    return m;
  }

  // ---------------------------------------------------------------- KPIs

  private kpi(k: A.KpiDecl, map: YAMLMap, u: Unit): void {
    if (k.label) this.unit(u, k.label.span, this.pair(map, "label", text(k.label.value)));
    for (const c of k.clauses) {
      const add = (key: string, value: Node) => this.unit(u, c.span, this.pair(map, key, value, c.span));
      switch (c.kind) {
        case "DescriptionClause": add("description", text(c.text.value)); break;
        case "OwnerClause": add("owner", text(c.text.value)); break;
        case "TagsClause": add("tags", this.flowList(c.tags.map((t) => text(t.value)))); break;
        case "FromClause": {
          const unit = add("from", text(this.t.key(c.dataset)));
          if (c.where) unit.tail = this.pair(map, "where", this.expr(c.where), c.span).value ?? undefined;
          break;
        }
        case "ValueClause": add("value", this.expr(c.expr)); break;
        case "ByClause": add("by", text(this.t.dims(c.dims))); break;
        case "UnitClause": add("unit", text(c.unit.name)); break;
        case "FormatClause": {
          const unit = add("format", text(c.format.name));
          if (c.decimals !== undefined) {
            const at = { start: c.format.span.end, end: c.span.end };
            unit.tail = this.pair(map, "decimals", plain(numberIn(this.source, at, c.decimals)), c.span).value ?? undefined;
          }
          break;
        }
        case "DirectionClause": add("direction", plain(c.direction)); break;
        case "MinSamplesClause": add("min_samples", plain(this.t.number(c.countSpan, c.count))); break;
        case "ZoneClause": add("zone", text(c.zone.value)); break;
        case "TargetClause": {
          if (c.arms.length === 1) {
            add("target", text(this.t.targetArm(c.arms[0]!)));
            break;
          }
          const seq = new YAMLSeq();
          const unit = add("target", seq);
          unit.tail = unit.head;
          unit.block = seq;
          for (const arm of c.arms) {
            const s = text(this.t.targetArm(arm));
            seq.items.push(s);
            unit.children.push({ span: arm.span, head: s, tail: s, children: [], first: unit.children.length === 0 });
          }
          break;
        }
        case "StatusClause": {
          const m = new YAMLMap();
          const unit = add("status", m);
          unit.tail = unit.head;
          unit.block = m;
          for (const arm of c.arms) {
            const key = this.t.key(arm.label);
            if (m.items.some((x) => (x.key as Scalar).value === key)) {
              this.diagnostics.push(diagnostic("duplicate-status", { name: arm.label.name }, { file: this.options.file, span: arm.label.span }));
            }
            const value = arm.otherwise || !arm.when ? plain("otherwise") : this.expr(arm.when);
            this.unit(unit, arm.span, this.pair(m, key, value));
          }
          break;
        }
      }
    }
  }

  // ---------------------------------------------------------------- rules

  private rule(r: A.RuleDecl, map: YAMLMap, u: Unit): void {
    if (r.label) this.unit(u, r.label.span, this.pair(map, "label", text(r.label.value)));
    for (const c of r.clauses) {
      const add = (key: string, value: Node) => this.unit(u, c.span, this.pair(map, key, value, c.span));
      switch (c.kind) {
        case "WhenClause": {
          const unit = add("when", this.expr(c.condition));
          if (c.periods !== undefined) unit.tail = this.pair(map, "for", plain(this.t.number(c.periodsSpan, c.periods)), c.span).value ?? undefined;
          break;
        }
        case "RecoverClause": add("recover_when", this.expr(c.condition)); break;
        case "SeverityClause": add("severity", text(c.severity.name)); break;
        case "MessageClause": add("message", text(c.text.value)); break;
        case "NoDataClause": add("on_no_data", text(c.policy.name)); break;
        case "ByClause": add("by", text(this.t.dims(c.dims))); break;
        case "DescriptionClause": add("description", text(c.text.value)); break;
      }
    }
  }

  // ---------------------------------------------------------------- tests

  private test(t: A.TestDecl, map: YAMLMap, u: Unit): void {
    let given: { map: YAMLMap; unit: Unit } | undefined;
    let expects: { seq: YAMLSeq; unit: Unit } | undefined;
    for (const c of t.clauses) {
      switch (c.kind) {
        case "AsOfClause":
          this.unit(u, c.span, this.pair(map, "as_of", plain(this.t.expr(c.at)), c.span));
          break;
        case "GivenClause": {
          if (!given) {
            const p = this.pair(map, "given", new YAMLMap());
            given = { map: p.value as YAMLMap, unit: this.unit(u, c.span, p, { tail: p.key }) };
            given.unit.block = given.map;
          }
          given.unit.span = { start: given.unit.span.start, end: c.span.end };
          this.table(c, given.map, given.unit);
          break;
        }
        default: {
          if (!expects) {
            const p = this.pair(map, "expect", new YAMLSeq());
            expects = { seq: p.value as YAMLSeq, unit: this.unit(u, c.span, p, { tail: p.key }) };
            expects.unit.block = expects.seq;
          }
          expects.unit.span = { start: expects.unit.span.start, end: c.span.end };
          const node = this.expectation(c);
          expects.seq.items.push(node);
          // A map item's comment goes after its value, on the item's line.
          const tail = node instanceof YAMLMap ? ((node.items[0]!.value as Node | null) ?? node) : node;
          expects.unit.children.push({ span: c.span, head: node, tail, children: [], first: expects.unit.children.length === 0 });
        }
      }
    }
  }

  /** A fixture cell: unquoted text stays plain (read back as written), quoted text stays quoted. */
  private cell(c: A.TableCell): Scalar {
    if (c.quoted) return quoted(c.text);
    if (c.text === "") return plain("null");
    if (flowPlain(c.text)) return plain(c.text);
    this.requoted.push(c);
    return quoted(c.text);
  }

  private table(g: A.GivenClause, given: YAMLMap, parent: Unit): void {
    const table = new YAMLMap();
    const p = this.pair(given, this.t.key(g.dataset), table);
    const u = this.unit(parent, g.span, p, { tail: p.key, block: table });
    if (g.header) {
      const header = this.flowList(g.header.cells.map((c) => this.cell(c)));
      const comment = this.rowComment(g.header);
      if (comment !== undefined) header.comment = comment;
      this.unit(u, g.header.span, this.pair(table, "columns", header));
    }
    const rows = new YAMLSeq();
    const rp = this.pair(table, "rows", rows);
    const ru = this.unit(u, { start: g.rows[0]?.span.start ?? g.span.end, end: g.span.end }, rp, { tail: rp.key, block: rows });
    for (const r of g.rows) {
      const row = this.flowList(r.cells.map((c) => this.cell(c)));
      const comment = this.rowComment(r);
      if (comment !== undefined) row.comment = comment;
      rows.items.push(row);
      ru.children.push({ span: r.span, head: row, tail: row, children: [], first: ru.children.length === 0 });
    }
  }

  /** The comment after a row's last `|` (part of the row in `.kpi`). */
  private rowComment(r: A.TableRowNode): string | undefined {
    const last = r.cells[r.cells.length - 1];
    if (!last) return undefined;
    let i = last.span.end;
    while (i < r.span.end && /[ \t]/.test(this.source[i]!)) i++;
    if (this.source[i] === "|") i++;
    const rest = this.source.slice(i, r.span.end).trim();
    if (!rest.startsWith("//")) return undefined;
    const b = rest.replace(/\s+$/, "").slice(2);
    return b === "" ? " " : b;
  }

  private expectation(c: A.ExpectClause): Node {
    if (c.kind === "ExpectAlert" || c.expected.kind === "NullExpected") return text(this.t.expectation(c));
    const e = c.expected;
    // Group keys YAML cannot write as constants (`{ smb: 25 }` names a group), or a status label
    // in backquotes: the `.kpi` text.
    const values = e.kind === "MapExpected" ? e.entries.map((en) => en.value) : [e.value];
    const keys = e.kind === "MapExpected" ? e.entries.flatMap((en) => en.keys) : [];
    if (!keys.every((k) => this.isLiteral(k)) || values.some((v) => v.kind === "NameRef" && this.t.expr(v).startsWith("`"))) return text(this.t.expectation(c));
    let value: Node;
    if (e.kind === "ScalarExpected") value = this.expected(e.value, e.tolerance);
    else if (e.entries.every((en) => en.keys.length === 1)) {
      const m = new YAMLMap();
      m.flow = true;
      for (const en of e.entries) m.items.push(new Pair(this.literal(en.keys[0]!), this.expected(en.value, en.tolerance)));
      value = m;
    } else {
      value = this.flowList(e.entries.map((en) => this.flowList([...en.keys.map((k) => this.literal(k)), this.expected(en.value, en.tolerance)])));
    }
    const m = new YAMLMap();
    m.items.push(new Pair(text(this.t.expectHead(c)), value));
    return m;
  }
}
