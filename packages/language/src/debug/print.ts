import {
  LineIndex,
  type Column,
  type Dataset,
  type Diagnostic,
  type Dim,
  type Expectation,
  type Expr,
  type Kpi,
  type Model,
  type Rule,
  type Span,
  type Test,
} from "@yardstick/model";
import type * as A from "../syntax/ast.js";

/**
 * Compact, stable text dumps of the front end's products, for golden tests and debugging: one
 * node per line, indented by depth. Nothing here is a user-facing format; it changes with the AST.
 */

// ---------------------------------------------------------------------------------------- AST

const at = (s: Span | undefined): string => (s && Number.isFinite(s.start) ? `@${s.start}-${s.end}` : "@?");
const str = (s: string | undefined): string => (s === undefined ? "?" : JSON.stringify(s));
const nm = (n: A.Name | undefined): string => (n && typeof n.name === "string" ? n.name : "?");

class Out {
  readonly lines: string[] = [];
  line(depth: number, text: string): void {
    this.lines.push("  ".repeat(depth) + text);
  }
}

/** The syntax tree of one file, one node per line: `Kind details @start-end`, children indented. */
export function printAst(file: A.FileNode): string {
  const o = new Out();
  o.line(0, `File ${at(file.span)}`);
  for (const item of file.items ?? []) topLevel(o, 1, item);
  for (const c of file.comments ?? []) o.line(1, `Comment ${str(c.text)} ${at(c.span)}`);
  return o.lines.join("\n") + "\n";
}

function topLevel(o: Out, d: number, item: A.TopLevel): void {
  switch (item.kind) {
    case "HeaderDecl":
      o.line(d, `Header ${item.version} ${at(item.span)}`);
      return;
    case "ImportDecl":
      o.line(d, `Import ${str(item.path?.value)} ${at(item.span)}`);
      return;
    case "DatasetDecl": {
      let head = `Dataset ${nm(item.name)}`;
      if (item.label) head += ` label=${str(item.label.value)}`;
      if (item.source) head += ` from=${str(item.source.value)}`;
      if (item.sourceFormat) head += ` as=${nm(item.sourceFormat)}`;
      o.line(d, `${head} ${at(item.span)}`);
      for (const m of item.members ?? []) datasetMember(o, d + 1, m);
      return;
    }
    case "KpiDecl":
      o.line(d, `Kpi ${nm(item.name)}${item.label ? ` label=${str(item.label.value)}` : ""} ${at(item.span)}`);
      for (const c of item.clauses ?? []) kpiClause(o, d + 1, c);
      return;
    case "RuleDecl":
      o.line(d, `Rule ${nm(item.name)}${item.label ? ` label=${str(item.label.value)}` : ""} ${at(item.span)}`);
      for (const c of item.clauses ?? []) ruleClause(o, d + 1, c);
      return;
    case "TestDecl":
      o.line(d, `Test ${str(item.name?.value)} ${at(item.span)}`);
      for (const c of item.clauses ?? []) testClause(o, d + 1, c);
      return;
    default:
      o.line(d, `? ${JSON.stringify((item as { kind?: string }).kind)}`);
  }
}

const typeText = (t: A.TypeRef | undefined): string => (t ? `${nm(t.name)}${t.nullable ? "?" : ""}` : "?");

function datasetMember(o: Out, d: number, m: A.DatasetMember): void {
  switch (m.kind) {
    case "ColumnDecl":
      o.line(d, `Column ${nm(m.name)}: ${typeText(m.type)} ${at(m.span)}`);
      for (const mod of m.modifiers ?? []) modifier(o, d + 1, mod);
      return;
    case "DerivedDecl":
      o.line(d, `Let ${nm(m.name)}${m.type ? `: ${typeText(m.type)}` : ""} ${at(m.span)}`);
      expr(o, d + 1, m.expr);
      return;
    case "ZoneClause":
      o.line(d, `Zone ${str(m.zone?.value)} ${at(m.span)}`);
      return;
    case "BadRowsClause":
      o.line(d, `OnBadRows ${nm(m.policy)} ${at(m.span)}`);
      return;
  }
}

function modifier(o: Out, d: number, m: A.ColumnModifier): void {
  switch (m.kind) {
    case "KeyModifier":
      o.line(d, `Key ${at(m.span)}`);
      return;
    case "TimeModifier":
      o.line(d, `Time ${at(m.span)}`);
      return;
    case "InSetModifier":
      o.line(d, `InSet ${at(m.span)}`);
      for (const v of m.values ?? []) expr(o, d + 1, v);
      return;
    case "InRangeModifier":
      o.line(d, `InRange ${at(m.span)}`);
      if (m.min) expr(o, d + 1, m.min, "min");
      if (m.max) expr(o, d + 1, m.max, "max");
      return;
    case "RelationModifier":
      o.line(d, `Relation -> ${nm(m.target)}${m.alias ? ` as ${nm(m.alias)}` : ""} ${at(m.span)}`);
      return;
    case "UnitModifier":
      o.line(d, `Unit ${str(m.unit?.name)} ${at(m.span)}`);
      return;
    case "PerspectiveModifier":
      o.line(d, `Perspective @${nm(m.perspective)} ${at(m.span)}`);
      return;
  }
}

function kpiClause(o: Out, d: number, c: A.KpiClause): void {
  switch (c.kind) {
    case "DescriptionClause":
      o.line(d, `Description ${str(c.text?.value)} ${at(c.span)}`);
      return;
    case "OwnerClause":
      o.line(d, `Owner ${str(c.text?.value)} ${at(c.span)}`);
      return;
    case "TagsClause":
      o.line(d, `Tags ${(c.tags ?? []).map((t) => str(t?.value)).join(", ")} ${at(c.span)}`);
      return;
    case "FromClause":
      o.line(d, `From ${nm(c.dataset)} ${at(c.span)}`);
      if (c.where) expr(o, d + 1, c.where, "where");
      return;
    case "ValueClause":
      o.line(d, `Value ${at(c.span)}`);
      expr(o, d + 1, c.expr);
      return;
    case "ByClause":
      o.line(d, `By ${at(c.span)}`);
      for (const x of c.dims ?? []) expr(o, d + 1, x);
      return;
    case "UnitClause":
      o.line(d, `Unit ${str(c.unit?.name)} ${at(c.span)}`);
      return;
    case "FormatClause":
      o.line(d, `Format ${nm(c.format)}${c.decimals !== undefined ? ` decimals=${c.decimals}` : ""} ${at(c.span)}`);
      return;
    case "DirectionClause":
      o.line(d, `Direction ${c.direction} ${at(c.span)}`);
      return;
    case "MinSamplesClause":
      o.line(d, `MinSamples ${c.count} ${at(c.span)}`);
      return;
    case "ZoneClause":
      o.line(d, `Zone ${str(c.zone?.value)} ${at(c.span)}`);
      return;
    case "TargetClause":
      o.line(d, `Target ${at(c.span)}`);
      for (const a of c.arms ?? []) {
        o.line(d + 1, `Arm ${a.comparator ?? "(direction)"} ${at(a.span)}`);
        expr(o, d + 2, a.value, "value");
        if (a.when) expr(o, d + 2, a.when, "when");
      }
      return;
    case "StatusClause":
      o.line(d, `Status ${at(c.span)}`);
      for (const a of c.arms ?? []) {
        o.line(d + 1, `Arm ${nm(a.label)}${a.otherwise ? " otherwise" : ""} ${at(a.span)}`);
        if (a.when) expr(o, d + 2, a.when, "when");
      }
      return;
  }
}

function ruleClause(o: Out, d: number, c: A.RuleClause): void {
  switch (c.kind) {
    case "WhenClause":
      o.line(d, `When${c.periods !== undefined ? ` for=${c.periods}` : ""} ${at(c.span)}`);
      expr(o, d + 1, c.condition);
      return;
    case "RecoverClause":
      o.line(d, `RecoverWhen ${at(c.span)}`);
      expr(o, d + 1, c.condition);
      return;
    case "SeverityClause":
      o.line(d, `Severity ${nm(c.severity)} ${at(c.span)}`);
      return;
    case "MessageClause":
      o.line(d, `Message ${str(c.text?.value)} ${at(c.span)}`);
      return;
    case "NoDataClause":
      o.line(d, `OnNoData ${nm(c.policy)} ${at(c.span)}`);
      return;
    case "ByClause":
      o.line(d, `By ${at(c.span)}`);
      for (const x of c.dims ?? []) expr(o, d + 1, x);
      return;
    case "DescriptionClause":
      o.line(d, `Description ${str(c.text?.value)} ${at(c.span)}`);
      return;
  }
}

const cellText = (c: A.TableCell): string => (c.quoted ? str(c.text) : c.text === "" ? "_" : c.text);
const rowText = (r: A.TableRowNode): string => `| ${r.cells.map(cellText).join(" | ")} | ${at(r.span)}`;

function testClause(o: Out, d: number, c: A.TestClause): void {
  switch (c.kind) {
    case "AsOfClause":
      o.line(d, `AsOf ${at(c.span)}`);
      expr(o, d + 1, c.at);
      return;
    case "GivenClause":
      o.line(d, `Given ${nm(c.dataset)} ${at(c.span)}`);
      if (c.header) o.line(d + 1, `header ${rowText(c.header)}`);
      for (const r of c.rows ?? []) o.line(d + 1, `row ${rowText(r)}`);
      return;
    case "ExpectValue":
    case "ExpectStatus":
      o.line(d, `${c.kind === "ExpectValue" ? "ExpectValue" : "ExpectStatus"} ${nm(c.kpi)} ${at(c.span)}`);
      for (const x of c.by ?? []) expr(o, d + 1, x, "by");
      if (c.where) expr(o, d + 1, c.where, "where");
      expected(o, d + 1, c.expected);
      return;
    case "ExpectAlert":
      o.line(d, `ExpectAlert ${c.negated ? "no " : ""}${nm(c.rule)}${c.firing ? " firing" : ""} ${at(c.span)}`);
      if (c.from) expr(o, d + 1, c.from, "from");
      if (c.to) expr(o, d + 1, c.to, "to");
      return;
  }
}

const tol = (t: A.Tolerance | undefined): string => (t ? ` ±${t.amount}${t.relative ? "%" : ""}` : "");

function expected(o: Out, d: number, e: A.ExpectedValue | undefined): void {
  if (!e) return;
  switch (e.kind) {
    case "NullExpected":
      o.line(d, `= null ${at(e.span)}`);
      return;
    case "ScalarExpected":
      o.line(d, `=${tol(e.tolerance)} ${at(e.span)}`);
      expr(o, d + 1, e.value);
      return;
    case "MapExpected":
      o.line(d, `= map ${at(e.span)}`);
      for (const en of e.entries ?? []) {
        o.line(d + 1, `Entry${tol(en.tolerance)} ${at(en.span)}`);
        for (const k of en.keys ?? []) expr(o, d + 2, k, "key");
        expr(o, d + 2, en.value, "value");
      }
      return;
  }
}

/** Expressions; `role` labels a child by its place in the parent (where, min, then...). */
function expr(o: Out, d: number, e: A.Expr | undefined, role?: string): void {
  const p = role ? `${role}: ` : "";
  if (!e || typeof e !== "object") {
    o.line(d, `${p}<missing>`);
    return;
  }
  switch (e.kind) {
    case "NumberLit":
      o.line(d, `${p}Number ${e.text} ${at(e.span)}`);
      return;
    case "StringLit":
      o.line(d, `${p}String ${str(e.value)} ${at(e.span)}`);
      return;
    case "TemporalLit":
      o.line(d, `${p}Temporal ${e.text} ${at(e.span)}`);
      return;
    case "BoolLit":
      o.line(d, `${p}Bool ${e.value} ${at(e.span)}`);
      return;
    case "NullLit":
      o.line(d, `${p}Null ${at(e.span)}`);
      return;
    case "NameRef":
      o.line(d, `${p}Name ${e.name} ${at(e.span)}`);
      return;
    case "PathExpr":
      o.line(d, `${p}Path .${nm(e.member)} ${at(e.span)}`);
      expr(o, d + 1, e.base);
      return;
    case "CallExpr":
      o.line(d, `${p}Call ${nm(e.callee)} ${at(e.span)}`);
      for (const a of e.args ?? []) expr(o, d + 1, a);
      if (e.where) expr(o, d + 1, e.where, "where");
      for (const x of e.per ?? []) expr(o, d + 1, x, "per");
      return;
    case "UnaryExpr":
      o.line(d, `${p}Unary ${e.operator} ${at(e.span)}`);
      expr(o, d + 1, e.operand);
      return;
    case "BinaryExpr":
      o.line(d, `${p}Binary ${e.operator} ${at(e.span)}`);
      expr(o, d + 1, e.left);
      expr(o, d + 1, e.right);
      return;
    case "InExpr":
      o.line(d, `${p}${e.negated ? "NotIn" : "In"} ${at(e.span)}`);
      expr(o, d + 1, e.operand);
      for (const v of e.values ?? []) expr(o, d + 1, v, "value");
      return;
    case "BetweenExpr":
      o.line(d, `${p}${e.negated ? "NotBetween" : "Between"} ${at(e.span)}`);
      expr(o, d + 1, e.operand);
      expr(o, d + 1, e.low, "low");
      expr(o, d + 1, e.high, "high");
      return;
    case "IsNullExpr":
      o.line(d, `${p}${e.negated ? "IsNotNull" : "IsNull"} ${at(e.span)}`);
      expr(o, d + 1, e.operand);
      return;
    case "CaseExpr":
      o.line(d, `${p}Case ${at(e.span)}`);
      for (const w of e.whens ?? []) {
        expr(o, d + 1, w.when, "when");
        expr(o, d + 1, w.then, "then");
      }
      if (e.else) expr(o, d + 1, e.else, "else");
      return;
    case "WindowExpr":
      o.line(d, `${p}Window last ${e.count} ${nm(e.unit)} ${at(e.span)}`);
      expr(o, d + 1, e.expr);
      return;
    case "ParenExpr":
      o.line(d, `${p}Paren ${at(e.span)}`);
      expr(o, d + 1, e.expr);
      return;
    case "ErrorExpr":
      o.line(d, `${p}Error ${at(e.span)}`);
      return;
    default:
      o.line(d, `${p}? ${JSON.stringify((e as { kind?: string }).kind)}`);
  }
}

// -------------------------------------------------------------------------------------- model

/** One model expression as a compact formula: `agg:share(binary:>=(col:recommend, lit:9))`. */
export function printExpr(e: Expr | null | undefined): string {
  if (!e) return "none";
  const list = (xs: Expr[]) => xs.map(printExpr).join(", ");
  switch (e.op) {
    case "lit": {
      if (e.value === null) return e.type === "null" ? "lit:null" : `lit:${e.type}:null`;
      if (e.type === "string") return `lit:${JSON.stringify(e.value)}`;
      if (e.type === "date" || e.type === "timestamp" || e.type === "period" || e.type === "duration") return `lit:${e.type}:${String(e.value)}`;
      if (e.type === "number" && Number.isInteger(e.value)) return `lit:${String(e.value)}.0`;
      return `lit:${String(e.value)}`;
    }
    case "col":
      return `col:${e.name}`;
    case "lookup":
      return `lookup:${e.relation}->${e.dataset}(${printExpr(e.arg)})`;
    case "call":
      return `call:${e.fn}(${list(e.args)})`;
    case "neg":
    case "not":
      return `${e.op}(${printExpr(e.arg)})`;
    case "binary":
      return `binary:${e.operator}(${printExpr(e.left)}, ${printExpr(e.right)})`;
    case "in":
      return `${e.negated ? "not-in" : "in"}(${printExpr(e.arg)}; ${list(e.values)})`;
    case "between":
      return `${e.negated ? "not-between" : "between"}(${printExpr(e.arg)}; ${printExpr(e.low)}, ${printExpr(e.high)})`;
    case "is_null":
      return `${e.negated ? "is-not-null" : "is-null"}(${printExpr(e.arg)})`;
    case "case":
      return `case(${e.whens.map((w) => `when ${printExpr(w.when)} then ${printExpr(w.then)}`).join("; ")}${e.else ? `; else ${printExpr(e.else)}` : ""})`;
    case "bucket":
      return `bucket:${e.unit}${e.zone !== "UTC" ? `[${e.zone}]` : ""}(${printExpr(e.arg)})`;
    case "agg": {
      const args = [e.arg ? printExpr(e.arg) : "", e.p !== undefined ? `p=${e.p}` : ""].filter(Boolean).join(", ");
      const parts = [args];
      if (e.filter) parts.push(`where ${printExpr(e.filter)}`);
      if (e.per) parts.push(`per ${e.per.map(printDim).join(", ")}`);
      const inner = parts.filter(Boolean).join(" ");
      const src = e.source ? `[${e.source.dataset}.${e.source.column}->${e.source.key} as ${e.source.relation}]` : "";
      const win = e.window ? ` over last ${e.window.count} ${e.window.unit}` : "";
      return `agg:${e.fn}${src}(${inner})${win}`;
    }
    case "kpi":
      return `kpi:${e.name}`;
    case "previous":
    case "change":
    case "pct_change":
      return `${e.op}(${printExpr(e.arg)}${e.period ? `, ${e.period}` : ""})`;
    case "field":
      return `field:${e.field}(${e.kpi})`;
    case "group_key":
      return `group_key:${e.name}`;
    default:
      return `?${JSON.stringify((e as { op?: string }).op)}`;
  }
}

/** A dimension: its name, then its expression unless it is just the column of that name. */
export function printDim(d: Dim): string {
  if (d.expr.op === "col" && d.expr.name === d.name) return d.name;
  return `${d.name}=${printExpr(d.expr)}`;
}

const typed = (e: Expr) => `${e.type} ${printExpr(e)}`;

/** The whole model: datasets, KPIs, rules and tests; origins left out except the file of each definition. */
export function printModel(model: Model): string {
  const o = new Out();
  const many = model.files.length > 1;
  const from = (file: string) => (many ? `  # ${file}` : "");
  o.line(0, `model v${model.version} files=[${model.files.join(", ")}]`);
  for (const ds of model.datasets) dataset(o, ds, from(ds.origin.file));
  for (const k of model.kpis) kpi(o, k, from(k.origin.file));
  for (const r of model.rules) rule(o, r, from(r.origin.file));
  for (const t of model.tests) test(o, t, from(t.origin.file));
  return o.lines.join("\n") + "\n";
}

function literal(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function column(c: Column): string {
  let s = `${c.derived ? "let" : "column"} ${c.name}: ${c.type}${c.nullable ? "?" : ""}`;
  if (c.key) s += " key";
  if (c.time) s += " time";
  if (c.allowed?.kind === "set") s += ` in (${c.allowed.values.map(literal).join(", ")})`;
  if (c.allowed?.kind === "range") s += ` in ${c.allowed.min === null ? "" : literal(c.allowed.min)}..${c.allowed.max === null ? "" : literal(c.allowed.max)}`;
  if (c.unit !== null) s += ` unit ${JSON.stringify(c.unit)}`;
  if (c.perspective) s += ` @${c.perspective}`;
  if (c.derived) s += ` = ${printExpr(c.derived)}`;
  return s;
}

function dataset(o: Out, ds: Dataset, file: string): void {
  o.line(0, `dataset ${ds.name}${ds.label !== null ? ` ${JSON.stringify(ds.label)}` : ""}${file}`);
  o.line(1, `source ${ds.source ? `${JSON.stringify(ds.source.path)} as ${ds.source.format}` : "none"}; zone ${ds.zone}; time ${ds.timeColumn ?? "none"}; keys [${ds.keys.join(", ")}]; on bad rows ${ds.onBadRows}`);
  for (const c of ds.columns) o.line(1, column(c));
  for (const r of ds.relations) o.line(1, `relation ${r.name}: ${r.column} -> ${r.dataset}.${r.key}`);
}

function kpi(o: Out, k: Kpi, file: string): void {
  o.line(0, `kpi ${k.name}${k.label !== null ? ` ${JSON.stringify(k.label)}` : ""}${file}`);
  if (k.description !== null) o.line(1, `description ${JSON.stringify(k.description)}`);
  if (k.owner !== null) o.line(1, `owner ${JSON.stringify(k.owner)}`);
  if (k.tags.length) o.line(1, `tags ${k.tags.map((t) => JSON.stringify(t)).join(", ")}`);
  o.line(1, `from ${k.from ?? "none"}; zone ${k.zone}; time ${k.timeColumn ?? "none"}`);
  if (k.where) o.line(1, `where ${typed(k.where)}`);
  o.line(1, `value ${typed(k.value)}`);
  if (k.by.length) o.line(1, `by ${k.by.map(printDim).join(", ")}`);
  const meta = [`direction ${k.direction}`];
  if (k.unit !== null) meta.push(`unit ${JSON.stringify(k.unit)}`);
  if (k.format) meta.push(`format ${k.format.kind}${k.format.decimals !== null ? ` decimals ${k.format.decimals}` : ""}`);
  if (k.minSamples !== null) meta.push(`min samples ${k.minSamples}`);
  o.line(1, meta.join("; "));
  for (const t of k.target) o.line(1, `target ${t.comparator} ${printExpr(t.value)}${t.when ? ` when ${printExpr(t.when)}` : ""}`);
  for (const s of k.status) o.line(1, `status ${s.label} ${s.when ? `when ${printExpr(s.when)}` : "otherwise"}`);
  if (k.ratio) {
    const r = k.ratio;
    o.line(1, `ratio ${r.orientation} (numerator ${r.numeratorPerspective ?? "none"}, denominator ${r.denominatorPerspective ?? "none"})`);
  }
  if (k.dependsOn.length) o.line(1, `depends on ${k.dependsOn.join(", ")}`);
}

function rule(o: Out, r: Rule, file: string): void {
  o.line(0, `rule ${r.name}${r.label !== null ? ` ${JSON.stringify(r.label)}` : ""}${file}`);
  if (r.description !== null) o.line(1, `description ${JSON.stringify(r.description)}`);
  o.line(1, `kpis ${r.kpis.join(", ")}`);
  o.line(1, `when ${printExpr(r.when)} for ${r.for}`);
  if (r.recover) o.line(1, `recover when ${printExpr(r.recover)}`);
  o.line(1, `severity ${r.severity}; on no data ${r.onNoData}`);
  o.line(1, `by ${r.by === null ? "(the KPI's)" : r.by.map(printDim).join(", ")}`);
  if (r.message) {
    o.line(1, "message");
    for (const p of r.message) o.line(2, p.expr ? `${JSON.stringify(p.text)} = ${printExpr(p.expr)}${p.kpi ? ` (kpi ${p.kpi})` : ""}` : JSON.stringify(p.text));
  }
}

const tolText = (t: { kind: string; amount: number }) => `± ${t.kind} ${t.amount}`;
const groupText = (g: Record<string, string>) => `{${Object.entries(g).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")}}`;

function expectation(o: Out, e: Expectation): void {
  if (e.kind === "alert") {
    o.line(1, `expect ${e.negated ? "no " : ""}alert ${e.rule}${e.firing ? " firing" : ""}${e.from !== null ? ` from ${e.from}` : ""}${e.to !== null ? ` to ${e.to}` : ""}`);
    return;
  }
  let head = `expect ${e.kind === "status" ? "status of " : ""}${e.kpi}`;
  if (e.by.length) head += ` by ${e.by.map(printDim).join(", ")}`;
  if (e.where) head += ` where ${printExpr(e.where)}`;
  const t = e.kind === "value" ? ` ${tolText(e.tolerance)}` : "";
  if (e.groups) {
    o.line(1, `${head}${t}`);
    for (const g of e.groups) {
      o.line(2, `${groupText(g.group)} = ${literal(g.value)}${g.tolerance ? ` ${tolText(g.tolerance)}` : ""}`);
    }
  } else {
    o.line(1, `${head} = ${literal(e.expected)}${t}`);
  }
}

function test(o: Out, t: Test, file: string): void {
  o.line(0, `test ${JSON.stringify(t.name)}${file}`);
  if (t.asOf !== null) o.line(1, `as of ${t.asOf}`);
  for (const f of t.fixtures) {
    o.line(1, `given ${f.dataset} [${f.columns.join(", ")}]`);
    for (const row of f.rows) o.line(2, `| ${row.map((c) => (c === null ? "null" : JSON.stringify(c))).join(" | ")} |`);
  }
  for (const e of t.expectations) expectation(o, e);
}

// -------------------------------------------------------------------------------- diagnostics

/**
 * Diagnostics as `line:col-line:col severity[code] message`, with hints and related places
 * indented below. `text` is the source the spans point into; pass a map by file name when the
 * diagnostics come from several files (each line then starts with the file).
 */
export function printDiagnostics(diagnostics: readonly Diagnostic[], text: string | Readonly<Record<string, string>>): string {
  const indexes = new Map<string, LineIndex>();
  const many = typeof text !== "string";
  const indexOf = (file: string | undefined): LineIndex | undefined => {
    const src = typeof text === "string" ? text : file !== undefined ? text[file] : undefined;
    if (src === undefined) return undefined;
    const key = typeof text === "string" ? "" : file!;
    let idx = indexes.get(key);
    if (!idx) indexes.set(key, (idx = new LineIndex(src)));
    return idx;
  };
  const place = (file: string | undefined, span: Span | undefined, line?: number, column?: number): string => {
    const prefix = many ? `${file ?? "?"}:` : "";
    const idx = indexOf(file);
    if (span && idx) {
      const a = idx.position(span.start);
      const b = idx.position(span.end);
      return `${prefix}${a.line}:${a.column}-${b.line}:${b.column}`;
    }
    if (line !== undefined) return `${prefix}${line}:${column ?? 1}`;
    return `${prefix}-`;
  };
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(`${place(d.file, d.span, d.line, d.column)} ${d.severity}[${d.code}] ${d.message}`);
    for (const h of d.hints) lines.push(`  hint: ${h}`);
    for (const r of d.related) lines.push(`  related ${place(r.file ?? d.file, r.span)}: ${r.message}`);
  }
  return lines.length ? lines.join("\n") + "\n" : "(no diagnostics)\n";
}
