import { printExpr, printName, quoteString, type Dataset, type Dim, type Expectation, type Expr, type Kpi, type Model, type Rule, type Test } from "@yardstick/model";
import { printExpr as structureText } from "../debug/print.js";
import {
  COLUMN_COSMETIC,
  DATASET_COSMETIC,
  KPI_COSMETIC,
  KPI_META,
  RULE_META,
  columnFields,
  datasetFields,
  kpiFields,
  normExpectation,
  normFixture,
  ruleFields,
  stable,
  testFields,
  type Renames,
} from "./normalize.js";
import {
  columnText,
  dimsText,
  directionText,
  expectationText,
  formatText,
  messageText,
  relationText,
  ruleContext,
  ruleWhenText,
  statusText,
  targetText,
} from "./text.js";

/**
 * The semantic diff of two models: which datasets, KPIs, rules and tests were added, removed,
 * renamed or changed in meaning, and what changed, as spec text. Origins, formatting, comments,
 * declaration order and the file a definition lives in are not compared.
 */

export type EntityKind = "dataset" | "kpi" | "rule" | "test";

/** One changed part of a definition, as spec text; `old: null` = added, `new: null` = removed. */
export interface FieldChange {
  /** The clause or member: `where`, `target`, `column contacts`, `expect`, `given tickets`. */
  field: string;
  old: string | null;
  new: string | null;
  /** Extra detail, e.g. `2 rows added, 1 removed`. */
  note?: string;
}

export interface EntityChange {
  kind: EntityKind;
  change: "added" | "removed" | "changed" | "renamed";
  /** The new name; for a removed definition, the old one. */
  name: string;
  /** The old name of a renamed definition. */
  oldName?: string;
  /** The label (new side, or old side when removed). */
  label: string | null;
  /** For added and removed definitions: what it is, in one line. */
  summary?: string;
  /** For changed and renamed definitions: what changed (a rename may come with label changes). */
  changes: FieldChange[];
  /** Whether the change can move values: false when only labels, descriptions, owners, tags, units or formats changed. */
  affectsValues: boolean;
}

/** A definition that did not change but reads one that did (its values or alerts may move). */
export interface Affected {
  kind: "kpi" | "rule";
  name: string;
  because: string[];
}

export interface ModelDiff {
  datasets: EntityChange[];
  kpis: EntityChange[];
  rules: EntityChange[];
  tests: EntityChange[];
  affected: Affected[];
  /** Old name → new name. */
  renames: { datasets: Record<string, string>; kpis: Record<string, string>; rules: Record<string, string>; tests: Record<string, string> };
  /** True when nothing changed in meaning. */
  identical: boolean;
}

const EMPTY: Renames = { datasets: new Map(), kpis: new Map(), rules: new Map() };

/** Compares two models. Pure: no I/O, the inputs are not modified. */
export function diffModels(oldModel: Model, newModel: Model): ModelDiff {
  const renames: Renames = { datasets: new Map(), kpis: new Map(), rules: new Map() };

  // Renames, in reference order: datasets (KPIs read them), KPIs (rules read them), rules (tests read them).
  pairRenames(oldModel.datasets, newModel.datasets, renames.datasets, (o, n, strict) =>
    sameFields(datasetFields(o, renames), datasetFields(n, EMPTY), strict ? null : DATASET_COSMETIC));
  pairRenames(oldModel.kpis, newModel.kpis, renames.kpis, (o, n, strict) =>
    sameFields(kpiFields(o, oldModel, renames), kpiFields(n, newModel, EMPTY), strict ? null : KPI_META));
  pairRenames(oldModel.rules, newModel.rules, renames.rules, (o, n, strict) =>
    sameFields(ruleFields(o, oldModel, renames), ruleFields(n, newModel, EMPTY), strict ? null : RULE_META));
  const testRenames = new Map<string, string>();
  pairRenames(oldModel.tests, newModel.tests, testRenames, (o, n, strict) =>
    strict && sameFields(testFields(o, oldModel, renames), testFields(n, newModel, EMPTY), null));

  const datasets = diffEntities("dataset", oldModel.datasets, newModel.datasets, renames.datasets, (o, n) => datasetChanges(o, n, renames), datasetSummary);
  const kpis = diffEntities("kpi", oldModel.kpis, newModel.kpis, renames.kpis, (o, n) => kpiChanges(o, n, oldModel, newModel, renames), kpiSummary);
  const rules = diffEntities("rule", oldModel.rules, newModel.rules, renames.rules, (o, n) => ruleChanges(o, n, oldModel, newModel, renames), (r) => `when ${ruleWhenText(r)}`);
  const tests = diffEntities("test", oldModel.tests, newModel.tests, testRenames, (o, n) => testChanges(o, n, oldModel, newModel, renames), testSummary);
  const affected = affectedBy(newModel, datasets, kpis, rules);
  const obj = (m: Map<string, string>) => Object.fromEntries(m);
  return {
    datasets,
    kpis,
    rules,
    tests,
    affected,
    renames: { datasets: obj(renames.datasets), kpis: obj(renames.kpis), rules: obj(renames.rules), tests: obj(testRenames) },
    identical: datasets.length + kpis.length + rules.length + tests.length === 0,
  };
}

function sameFields(a: Record<string, unknown>, b: Record<string, unknown>, ignore: Set<string> | null): boolean {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (ignore?.has(k)) continue;
    if (stable(a[k]) !== stable(b[k])) return false;
  }
  return true;
}

/**
 * Pairs removed and added definitions that mean the same apart from the name: first exactly, then
 * (`strict` false) ignoring labels and documentation. Repeats until no new pair is found, since a
 * pair can make another match (a KPI that reads a renamed KPI).
 */
function pairRenames<T extends { name: string }>(olds: T[], news: T[], out: Map<string, string>, same: (o: T, n: T, strict: boolean) => boolean): void {
  const newNames = new Set(news.map((n) => n.name));
  const oldNames = new Set(olds.map((o) => o.name));
  for (;;) {
    const taken = new Set(out.values());
    const removed = olds.filter((o) => !newNames.has(o.name) && !out.has(o.name));
    const added = news.filter((n) => !oldNames.has(n.name) && !taken.has(n.name));
    let found = false;
    for (const strict of [true, false]) {
      for (const o of removed) {
        if (out.has(o.name)) continue;
        const n = added.find((a) => !taken.has(a.name) && same(o, a, strict));
        if (!n) continue;
        out.set(o.name, n.name);
        taken.add(n.name);
        found = true;
      }
      if (found) break;
    }
    if (!found) return;
  }
}

function diffEntities<T extends { name: string }>(
  kind: EntityKind,
  olds: T[],
  news: T[],
  renames: Map<string, string>,
  changesOf: (o: T, n: T) => { changes: FieldChange[]; affectsValues: boolean },
  summary: (x: T) => string,
): EntityChange[] {
  const label = (x: T) => ((x as { label?: string | null }).label ?? null);
  const byOldName = new Map(olds.map((o) => [o.name, o]));
  const renamedTo = new Map([...renames].map(([o, n]) => [n, o]));
  const out: EntityChange[] = [];
  for (const n of news) {
    const oldName = renamedTo.get(n.name) ?? n.name;
    const o = byOldName.get(oldName);
    if (!o || (oldName === n.name && renames.has(oldName))) {
      out.push({ kind, change: "added", name: n.name, label: label(n), summary: summary(n), changes: [], affectsValues: true });
      continue;
    }
    const { changes, affectsValues } = changesOf(o, n);
    if (oldName !== n.name) out.push({ kind, change: "renamed", name: n.name, oldName, label: label(n), changes, affectsValues });
    else if (changes.length > 0) out.push({ kind, change: "changed", name: n.name, label: label(n), changes, affectsValues });
  }
  const newNames = new Set(news.map((n) => n.name));
  for (const o of olds) {
    if (renames.has(o.name) || newNames.has(o.name)) continue;
    out.push({ kind, change: "removed", name: o.name, label: label(o), summary: summary(o), changes: [], affectsValues: true });
  }
  return out;
}

// ------------------------------------------------------------------------------------- KPIs

const str = (s: string | null) => (s === null ? null : quoteString(s));
const orNull = (s: string) => (s === "" ? null : s);

function kpiChanges(o: Kpi, n: Kpi, om: Model, nm: Model, renames: Renames): { changes: FieldChange[]; affectsValues: boolean } {
  const a = kpiFields(o, om, renames), b = kpiFields(n, nm, EMPTY);
  const oc = { self: o.name, bareValue: true }, nc = { self: n.name, bareValue: true };
  const text: Record<string, (k: Kpi, ctx: typeof oc) => string | null> = {
    label: (k) => str(k.label),
    description: (k) => str(k.description),
    owner: (k) => str(k.owner),
    tags: (k) => orNull(k.tags.map(quoteString).join(", ")),
    from: (k) => k.from,
    where: (k, c) => (k.where ? printExpr(k.where, c) : null),
    value: (k, c) => printExpr(k.value, c),
    by: (k) => orNull(dimsText(k.by)),
    unit: (k) => k.unit,
    format: (k) => orNull(formatText(k.format)),
    direction: (k) => directionText(k.direction),
    minSamples: (k) => (k.minSamples === null ? null : String(k.minSamples)),
    zone: (k) => quoteString(k.zone),
    target: (k) => orNull(targetText(k)),
    status: (k) => orNull(statusText(k)),
  };
  const detail: Record<string, (k: Kpi) => string | null> = {
    where: (k) => (k.where ? structureText(k.where) : null),
    value: (k) => structureText(k.value),
    by: (k) => orNull(dimsDetail(k.by)),
    target: (k) => orNull(k.target.map((t) => `${t.comparator} ${structureText(t.value)}${t.when ? ` when ${structureText(t.when)}` : ""}`).join(" else ")),
    status: (k) => orNull(k.status.map((s) => `${s.label} ${s.when ? structureText(s.when) : "otherwise"}`).join("; ")),
  };
  const names: Record<string, string> = { minSamples: "min samples" };
  const changes: FieldChange[] = [];
  let affectsValues = false;
  for (const f of Object.keys(text)) {
    if (stable(a[f]) === stable(b[f])) continue;
    if (!KPI_COSMETIC.has(f)) affectsValues = true;
    let ot = text[f]!(o, oc), nt = text[f]!(n, nc);
    if (ot === nt && detail[f]) [ot, nt] = [detail[f]!(o), detail[f]!(n)];
    changes.push({ field: names[f] ?? f, old: ot, new: nt });
  }
  return { changes, affectsValues };
}

const dimsDetail = (ds: readonly Dim[] | null) => (ds ? ds.map((d) => `${d.name} = ${structureText(d.expr)}`).join(", ") : "");

function kpiSummary(k: Kpi): string {
  const parts: string[] = [];
  if (k.from) parts.push(`from ${printName(k.from)}${k.where ? ` where ${printExpr(k.where)}` : ""}`);
  parts.push(`value ${printExpr(k.value, { self: k.name, bareValue: true })}`);
  if (k.by.length) parts.push(`by ${dimsText(k.by)}`);
  if (k.target.length) parts.push(`target ${targetText(k)}`);
  return parts.join(" · ");
}

// --------------------------------------------------------------------------------- datasets

function datasetChanges(o: Dataset, n: Dataset, renames: Renames): { changes: FieldChange[]; affectsValues: boolean } {
  const a = datasetFields(o, renames), b = datasetFields(n, EMPTY);
  const changes: FieldChange[] = [];
  let affectsValues = false;
  const simple: Array<[string, string, (d: Dataset) => string | null]> = [
    ["label", "label", (d) => str(d.label)],
    ["source", "from", (d) => (d.source ? `${quoteString(d.source.path)} as ${d.source.format}` : null)],
    ["zone", "zone", (d) => quoteString(d.zone)],
    ["timeColumn", "time column", (d) => d.timeColumn],
    ["onBadRows", "on bad rows", (d) => d.onBadRows],
  ];
  for (const [f, field, t] of simple) {
    if (stable(a[f]) === stable(b[f])) continue;
    if (!DATASET_COSMETIC.has(f)) affectsValues = true;
    changes.push({ field, old: t(o), new: t(n) });
  }
  const ctxO = { renames, self: null, timeColumn: o.timeColumn }, ctxN = { renames: EMPTY, self: null, timeColumn: n.timeColumn };
  const oCols = new Map(o.columns.map((c) => [c.name, c])), nCols = new Map(n.columns.map((c) => [c.name, c]));
  for (const name of union(o.columns.map((c) => c.name), n.columns.map((c) => c.name))) {
    const oc = oCols.get(name), nc = nCols.get(name);
    const field = `column ${name}`;
    if (!oc || !nc) {
      changes.push({ field, old: oc ? columnText(oc) : null, new: nc ? columnText(nc) : null });
      affectsValues = true;
      continue;
    }
    const fa = columnFields(oc, ctxO), fb = columnFields(nc, ctxN);
    const differing = Object.keys(fa).filter((k) => stable(fa[k]) !== stable(fb[k]));
    if (differing.length === 0) continue;
    if (differing.some((k) => !COLUMN_COSMETIC.has(k))) affectsValues = true;
    let ot = columnText(oc), nt = columnText(nc);
    if (ot === nt) [ot, nt] = [oc.derived ? structureText(oc.derived) : ot, nc.derived ? structureText(nc.derived) : nt];
    changes.push({ field, old: ot, new: nt });
  }
  const oRel = new Map(o.relations.map((r) => [r.name, r])), nRel = new Map(n.relations.map((r) => [r.name, r]));
  const ra = a["relations"] as Record<string, unknown>, rb = b["relations"] as Record<string, unknown>;
  for (const name of union(o.relations.map((r) => r.name), n.relations.map((r) => r.name))) {
    if (stable(ra[name]) === stable(rb[name])) continue;
    const or = oRel.get(name), nr = nRel.get(name);
    affectsValues = true;
    changes.push({ field: `relation ${name}`, old: or ? relationText(or) : null, new: nr ? relationText(nr) : null });
  }
  return { changes, affectsValues };
}

function datasetSummary(d: Dataset): string {
  const cols = d.columns.length;
  return `${cols} column${cols === 1 ? "" : "s"}${d.source ? ` from ${quoteString(d.source.path)}` : ""}`;
}

function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

// ------------------------------------------------------------------------------------ rules

function ruleChanges(o: Rule, n: Rule, om: Model, nm: Model, renames: Renames): { changes: FieldChange[]; affectsValues: boolean } {
  const a = ruleFields(o, om, renames), b = ruleFields(n, nm, EMPTY);
  const changes: FieldChange[] = [];
  let affectsValues = false;
  const differs = (...fs: string[]) => fs.some((f) => stable(a[f]) !== stable(b[f]));
  const push = (field: string, keys: string[], t: (r: Rule) => string | null, meta = false) => {
    if (!differs(...keys)) return;
    let ot = t(o), nt = t(n);
    if (ot === nt) [ot, nt] = [stable(keys.map((k) => a[k])), stable(keys.map((k) => b[k]))];
    changes.push({ field, old: ot, new: nt });
    if (!meta) affectsValues = true;
  };
  push("label", ["label"], (r) => str(r.label), true);
  push("description", ["description"], (r) => str(r.description), true);
  push("when", ["when", "for"], ruleWhenText);
  push("recover", ["recover"], (r) => (r.recover ? printExpr(r.recover, ruleContext(r)) : null));
  push("severity", ["severity"], (r) => r.severity);
  push("on no data", ["onNoData"], (r) => r.onNoData);
  push("by", ["by"], (r) => (r.by ? dimsText(r.by) : null));
  push("message", ["message"], (r) => orNull(messageText(r.message)), true);
  if (changes.length === 0) push("kpis", ["kpis"], (r) => r.kpis.join(", "));
  return { changes, affectsValues };
}

// ------------------------------------------------------------------------------------ tests

function testChanges(o: Test, n: Test, om: Model, nm: Model, renames: Renames): { changes: FieldChange[]; affectsValues: boolean } {
  const changes: FieldChange[] = [];
  if (o.asOf !== n.asOf) changes.push({ field: "as of", old: o.asOf, new: n.asOf });
  const of = new Map(o.fixtures.map((f) => [normFixture(f, renames).dataset, { f, n: normFixture(f, renames) }]));
  const nf = new Map(n.fixtures.map((f) => [f.dataset, { f, n: normFixture(f, EMPTY) }]));
  const rows = (k: number) => `${k} row${k === 1 ? "" : "s"}`;
  for (const ds of union([...of.keys()], [...nf.keys()])) {
    const x = of.get(ds), y = nf.get(ds);
    const field = `given ${ds}`;
    if (!x || !y) {
      changes.push({ field, old: x ? rows(x.f.rows.length) : null, new: y ? rows(y.f.rows.length) : null });
      continue;
    }
    if (stable(x.n) === stable(y.n)) continue;
    const note: string[] = [];
    if (stable(x.n.columns) !== stable(y.n.columns)) note.push(`columns ${x.f.columns.join(", ")} → ${y.f.columns.join(", ")}`);
    else {
      const { added, removed } = multisetDiff(x.n.rows, y.n.rows);
      if (added.length) note.push(`${rows(added.length)} added`);
      if (removed.length) note.push(`${rows(removed.length)} removed`);
    }
    changes.push({ field, old: rows(x.f.rows.length), new: rows(y.f.rows.length), note: note.join(", ") });
  }
  // Expectations: a multiset; a removed and an added one about the same thing pair up as a change.
  const keyed = (t: Test, m: Model, r: Renames) => t.expectations.map((x) => ({ key: normExpectation(x, m, r), subject: subjectKey(x, m, r), text: expectationText(x) }));
  const xs = keyed(o, om, renames), ys = keyed(n, nm, EMPTY);
  const { added, removed } = multisetDiff(xs.map((x) => x.key), ys.map((y) => y.key));
  const gone = removed.map((k) => xs.find((x) => x.key === k)!);
  const come = added.map((k) => ys.find((y) => y.key === k)!);
  for (const g of gone) {
    const i = come.findIndex((c) => c.subject === g.subject);
    if (i >= 0) {
      changes.push({ field: "expect", old: g.text, new: come[i]!.text });
      come.splice(i, 1);
    } else changes.push({ field: "expect", old: g.text, new: null });
  }
  for (const c of come) changes.push({ field: "expect", old: null, new: c.text });
  return { changes, affectsValues: false };
}

/** What an expectation is about (kind, KPI or rule, grouping, filter), without the expected value. */
function subjectKey(x: Expectation, m: Model, r: Renames): string {
  const full = JSON.parse(normExpectation(x, m, r)) as Record<string, unknown>;
  delete full["expected"];
  delete full["groups"];
  delete full["tolerance"];
  if (x.kind === "alert") for (const k of ["negated", "from", "to", "firing"]) delete full[k];
  return stable(full);
}

function multisetDiff(a: string[], b: string[]): { added: string[]; removed: string[] } {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  const added: string[] = [];
  for (const y of b) {
    const c = count.get(y) ?? 0;
    if (c > 0) count.set(y, c - 1);
    else added.push(y);
  }
  const removed: string[] = [];
  for (const [x, c] of count) for (let i = 0; i < c; i++) removed.push(x);
  return { added, removed };
}

function testSummary(t: Test): string {
  const k = t.expectations.length;
  const given = t.fixtures.map((f) => f.dataset);
  return `${k} expectation${k === 1 ? "" : "s"}${given.length ? `, given ${given.join(", ")}` : ""}`;
}

// ---------------------------------------------------------------------------------- affected

/** Datasets an expression reads besides the scope dataset: relation targets and related-row sources. */
function datasetsIn(e: Expr | null | undefined, out: Set<string>): void {
  if (!e) return;
  const walk = (x: Expr | null | undefined) => datasetsIn(x, out);
  switch (e.op) {
    case "lookup": out.add(e.dataset); walk(e.arg); return;
    case "call": e.args.forEach(walk); return;
    case "neg": case "not": walk(e.arg); return;
    case "binary": walk(e.left); walk(e.right); return;
    case "in": walk(e.arg); e.values.forEach(walk); return;
    case "between": walk(e.arg); walk(e.low); walk(e.high); return;
    case "is_null": walk(e.arg); return;
    case "case": e.whens.forEach((w) => { walk(w.when); walk(w.then); }); walk(e.else); return;
    case "bucket": walk(e.arg); return;
    case "agg":
      if (e.source) out.add(e.source.dataset);
      walk(e.arg); walk(e.filter); e.per?.forEach((d) => walk(d.expr));
      return;
    case "previous": case "change": case "pct_change": walk(e.arg); return;
    default: return;
  }
}

/** The datasets a KPI reads directly: its `from`, relation targets and related-row sources. */
export function kpiDatasets(k: Kpi): Set<string> {
  const out = new Set<string>();
  if (k.from) out.add(k.from);
  datasetsIn(k.where, out);
  datasetsIn(k.value, out);
  for (const d of k.by) datasetsIn(d.expr, out);
  for (const t of k.target) { datasetsIn(t.when, out); datasetsIn(t.value, out); }
  return out;
}

function affectedBy(nm: Model, datasets: EntityChange[], kpis: EntityChange[], rules: EntityChange[]): Affected[] {
  const moved = (xs: EntityChange[]) => new Set(xs.filter((x) => (x.change === "changed" || x.change === "renamed") && x.affectsValues).map((x) => x.name));
  const changedDs = moved(datasets);
  const changedKpis = moved(kpis);
  const touched = new Set(kpis.filter((x) => x.change !== "removed" && (x.change === "added" || changedKpis.has(x.name))).map((x) => x.name));
  const out: Affected[] = [];
  const affected = new Set<string>();
  // Fixpoint over the dependency graph: a KPI reading an affected KPI is affected too.
  let grew = true;
  while (grew) {
    grew = false;
    for (const k of nm.kpis) {
      if (touched.has(k.name) || affected.has(k.name)) continue;
      const because: string[] = [];
      for (const d of kpiDatasets(k)) if (changedDs.has(d)) because.push(`reads dataset ${d} (changed)`);
      for (const d of k.dependsOn) {
        if (changedKpis.has(d)) because.push(`reads KPI ${d} (changed)`);
        else if (affected.has(d)) because.push(`reads KPI ${d} (affected)`);
      }
      if (because.length === 0) continue;
      affected.add(k.name);
      out.push({ kind: "kpi", name: k.name, because });
      grew = true;
    }
  }
  const order = new Map(nm.kpis.map((k, i) => [k.name, i]));
  out.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  const touchedRules = new Set(rules.filter((r) => r.change !== "removed" && (r.change === "added" || r.affectsValues)).map((r) => r.name));
  for (const r of nm.rules) {
    if (touchedRules.has(r.name)) continue;
    const because = r.kpis.flatMap((k) => (changedKpis.has(k) ? [`reads KPI ${k} (changed)`] : affected.has(k) ? [`reads KPI ${k} (affected)`] : []));
    if (because.length) out.push({ kind: "rule", name: r.name, because });
  }
  return out;
}
