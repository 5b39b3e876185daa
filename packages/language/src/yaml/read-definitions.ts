import { isMap, isScalar, isSeq, type Node } from "yaml";
import { diagnostic, type Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import type { Entry, ReadContext } from "./read-context.js";
import { contentRange, valueText } from "./scalar-text.js";
import { KEYS } from "./schema.js";

/** Reports a key given twice where `.kpi` has no clause to repeat (a label, a column's type). */
function onceEach(ctx: ReadContext): (e: Entry) => boolean {
  const seen = new Map<string, Span>();
  return (e) => {
    const first = seen.get(e.key);
    const span = ctx.entrySpan(e);
    if (first) {
      ctx.diagnostics.push(diagnostic("duplicate-clause", { clause: e.key }, { file: ctx.file, span, related: [{ file: ctx.file, span: first, message: "first given here" }] }));
      return false;
    }
    seen.set(e.key, span);
    return true;
  };
}

/**
 * Joins a clause with a key that completes it (`from` + `where`, `format` + `decimals`, `when` +
 * `for`) when the two keys are next to each other; apart, the clause keeps its own key's span, so
 * that it does not take in the clauses between them.
 */
function extend(span: Span, other: Span, entries?: Entry[], a?: Entry, b?: Entry): Span {
  if (entries && a && b && Math.abs(entries.indexOf(a) - entries.indexOf(b)) !== 1) return span;
  return { start: Math.min(span.start, other.start), end: Math.max(span.end, other.end) };
}

const NOT_REPEATABLE = new Set(["label", "from", "format", "columns", "type", "let", "as", "where", "decimals", "for"]);

// ------------------------------------------------------------------ datasets

export function readDataset(ctx: ReadContext, e: Entry, name: A.Name): A.DatasetDecl {
  const decl: A.DatasetDecl = { kind: "DatasetDecl", name, members: [], span: ctx.entrySpan(e) };
  const once = onceEach(ctx);
  for (const f of ctx.entries(e.value, KEYS.dataset)) {
    if (NOT_REPEATABLE.has(f.key) && !once(f)) continue;
    const span = ctx.entrySpan(f);
    switch (f.key) {
      case "label": decl.label = ctx.stringValue(f.value); break;
      case "from": decl.source = ctx.stringValue(f.value); break;
      case "format": decl.sourceFormat = ctx.name(f.value); break;
      case "zone": {
        const zone = ctx.stringValue(f.value);
        if (zone) decl.members.push({ kind: "ZoneClause", zone, span });
        break;
      }
      case "on_bad_rows": {
        const policy = ctx.name(f.value);
        if (policy) decl.members.push({ kind: "BadRowsClause", policy, span });
        break;
      }
      case "columns":
        for (const c of ctx.entries(f.value)) {
          const m = readColumn(ctx, c);
          if (m) decl.members.push(m);
          else ctx.damaged = true;
        }
        break;
    }
  }
  return decl;
}

/** `int?` as a type reference. */
function typeRef(ctx: ReadContext, node: Node | null): A.TypeRef | undefined {
  const s = ctx.scalar(node);
  if (!s) return undefined;
  const text = valueText(s, ctx.source);
  const r = contentRange(s, ctx.source);
  const m = /^(\s*)(.*?)(\s*)(\?)?\s*$/.exec(text)!;
  const start = r.start + m[1]!.length;
  const name = ctx.nameFrom(m[2]!, { start, end: start + m[2]!.length });
  return { name, nullable: m[4] === "?", span: r };
}

const BARE_TYPE = /^\s*(`[^`\n]*`|[^\s`?]+)\s*\??\s*$/;

function readColumn(ctx: ReadContext, c: Entry): A.DatasetMember | undefined {
  const name = ctx.keyName(c);
  if (!name) return undefined;
  const span = ctx.entrySpan(c);
  if (isScalar(c.value) && typeof c.value.value === "string") {
    if (BARE_TYPE.test(c.value.value)) {
      const type = typeRef(ctx, c.value);
      return type ? { kind: "ColumnDecl", name, type, modifiers: [], span } : undefined;
    }
    // A whole `.kpi` column declaration after the colon: `string key`, `int? in 0..10 @customer`.
    const ds = ctx.clause<A.DatasetDecl>(c.value, "dataset _ {\n  _: ", "a column type and its modifiers");
    const col = ds?.members[0];
    if (!col || col.kind !== "ColumnDecl") return undefined;
    return { kind: "ColumnDecl", name, type: col.type, modifiers: col.modifiers, span };
  }
  if (!isMap(c.value)) return undefined; // reported by the validator
  const entries = ctx.entries(c.value, KEYS.column);
  const once = onceEach(ctx);
  const letEntry = entries.find((f) => f.key === "let");
  if (letEntry) {
    const others = entries.filter((f) => f.key !== "let" && f.key !== "type");
    for (const o of others) ctx.report(`A derived column (\`let\`) takes only \`type\`, not ${JSON.stringify(o.key)}.`, ctx.entrySpan(o), ["Constraints apply to source columns: put them on the columns it is computed from."]);
    const typeEntry = entries.find((f) => f.key === "type");
    const expr = ctx.expr(letEntry.value);
    if (!expr) return undefined;
    const decl: A.DerivedDecl = { kind: "DerivedDecl", name, expr, span };
    const type = typeEntry ? typeRef(ctx, typeEntry.value) : undefined;
    if (type) decl.type = type;
    return decl;
  }
  let type: A.TypeRef | undefined;
  const modifiers: A.ColumnModifier[] = [];
  let relation: (A.ColumnModifier & { kind: "RelationModifier" }) | undefined;
  let alias: Entry | undefined;
  for (const f of entries) {
    if (NOT_REPEATABLE.has(f.key) && !once(f)) continue;
    const fs = ctx.entrySpan(f);
    switch (f.key) {
      case "type": type = typeRef(ctx, f.value); break;
      case "key":
      case "time":
        if (isScalar(f.value) && f.value.value === true) modifiers.push({ kind: f.key === "key" ? "KeyModifier" : "TimeModifier", span: fs });
        break;
      case "in": {
        const m = readIn(ctx, f.value, fs);
        if (m) modifiers.push(m);
        break;
      }
      case "relation": {
        const target = ctx.name(f.value);
        if (target) modifiers.push((relation = { kind: "RelationModifier", target, span: fs }));
        break;
      }
      case "as": alias = f; break;
      case "unit": {
        const unit = ctx.name(f.value);
        if (unit) modifiers.push({ kind: "UnitModifier", unit, span: fs });
        break;
      }
      case "perspective": {
        const perspective = ctx.name(f.value);
        if (perspective) modifiers.push({ kind: "PerspectiveModifier", perspective, span: fs });
        break;
      }
    }
  }
  if (alias) {
    const a = ctx.name(alias.value);
    if (!relation) ctx.report("`as` names a relation: add `relation: <dataset>`.", ctx.entrySpan(alias));
    else if (a) {
      relation.alias = a;
      relation.span = extend(relation.span, ctx.entrySpan(alias), entries, entries.find((x) => x.key === "relation"), alias);
    }
  }
  if (!type) {
    const t = entries.find((f) => f.key === "type");
    if (!t) ctx.report(`Column ${JSON.stringify(name.name)} needs a \`type\` (or \`let\` for a derived column).`, name.span, ["Write `type: string`, `type: int?`, ..."]);
    return undefined;
  }
  return { kind: "ColumnDecl", name, type, modifiers, span };
}

/** `in: [a, b]` (allowed values) or `in: 0..10` (a range, in `.kpi` syntax). */
function readIn(ctx: ReadContext, node: Node | null, span: Span): A.ColumnModifier | undefined {
  if (isSeq(node)) {
    const values: A.Expr[] = [];
    for (const item of node.items) {
      const v = ctx.literal(item as Node);
      if (v) values.push(v);
    }
    return { kind: "InSetModifier", values, span };
  }
  const ds = ctx.clause<A.DatasetDecl>(node, "dataset _ {\n  _: string in ", "a range such as 0..10, or a list of values");
  const col = ds?.members[0];
  const m = col?.kind === "ColumnDecl" ? col.modifiers[0] : undefined;
  if (!m || (m.kind !== "InRangeModifier" && m.kind !== "InSetModifier")) return undefined;
  return { ...m, span };
}

// ------------------------------------------------------------------ KPIs

/** `by: channel, month` (the `.kpi` list) or `by: [channel, month]`. */
function readDims(ctx: ReadContext, node: Node | null): A.Expr[] | undefined {
  if (isSeq(node)) {
    const dims: A.Expr[] = [];
    for (const item of node.items) {
      const d = ctx.expr(item as Node, "additive");
      if (d) dims.push(d);
    }
    return dims;
  }
  const k = ctx.clause<A.KpiDecl>(node, "kpi _ {\n  by ", "dimensions such as `channel, month`");
  const c = k?.clauses[0];
  return c?.kind === "ByClause" ? c.dims : undefined;
}

/** `target: ">= 0.7 when channel = \"phone\" else >= 0.6"` (the `.kpi` clause), or a list of arms. */
function readTarget(ctx: ReadContext, node: Node | null): A.TargetArm[] | undefined {
  if (isSeq(node)) {
    const arms: A.TargetArm[] = [];
    for (const item of node.items) {
      const arm = ctx.targetArm(item as Node);
      if (!arm) return undefined;
      arms.push(arm);
    }
    const last = arms[arms.length - 1];
    if (last?.when) {
      // As in `.kpi`, where the last arm follows `else`: a group no condition matches gets it.
      ctx.diagnostics.push(diagnostic("invalid-target", { text: "The last target applies to every other group: it has no `when`.", hint: 'End the list with a target such as ">= 0.6".' }, { file: ctx.file, span: last.when.span }));
      ctx.damaged = true;
    }
    return arms;
  }
  const k = ctx.clause<A.KpiDecl>(node, "kpi _ {\n  target ", 'a target such as ">= 30"');
  const c = k?.clauses[0];
  return c?.kind === "TargetClause" ? c.arms : undefined;
}

function readStatus(ctx: ReadContext, node: Node | null): A.StatusArm[] {
  const arms: A.StatusArm[] = [];
  for (const f of ctx.entries(node)) {
    const label = ctx.keyName(f);
    if (!label) continue;
    const span = ctx.entrySpan(f);
    if (isScalar(f.value) && f.value.value === "otherwise") {
      arms.push({ label, otherwise: true, span });
      continue;
    }
    const when = ctx.expr(f.value);
    if (when) arms.push({ label, when, otherwise: false, span });
  }
  return arms;
}

function stringList(ctx: ReadContext, node: Node | null): A.StringValue[] {
  const items = isSeq(node) ? (node.items as Node[]) : [node];
  return items.map((n) => ctx.stringValue(n)).filter((s): s is A.StringValue => s !== undefined);
}

export function readKpi(ctx: ReadContext, e: Entry, name: A.Name): A.KpiDecl {
  const decl: A.KpiDecl = { kind: "KpiDecl", name, clauses: [], span: ctx.entrySpan(e) };
  const once = onceEach(ctx);
  const entries = ctx.entries(e.value, KEYS.kpi);
  if (!isMap(e.value)) ctx.damaged = true; // reported by the validator
  let from: (A.KpiClause & { kind: "FromClause" }) | undefined;
  let format: (A.KpiClause & { kind: "FormatClause" }) | undefined;
  let where: Entry | undefined;
  let decimals: Entry | undefined;
  let fromEntry: Entry | undefined;
  let formatEntry: Entry | undefined;
  const push = (c: A.KpiClause | undefined, required = false) => {
    if (c) decl.clauses.push(c);
    else if (required) ctx.damaged = true;
  };
  for (const f of entries) {
    if (NOT_REPEATABLE.has(f.key) && !once(f)) continue;
    const span = ctx.entrySpan(f);
    switch (f.key) {
      case "label": decl.label = ctx.stringValue(f.value); break;
      case "description": case "owner": {
        const text = ctx.stringValue(f.value);
        push(text && { kind: f.key === "owner" ? "OwnerClause" : "DescriptionClause", text, span });
        break;
      }
      case "tags": push({ kind: "TagsClause", tags: stringList(ctx, f.value), span }); break;
      case "from": {
        const dataset = ctx.name(f.value);
        fromEntry = f;
        push(dataset && (from = { kind: "FromClause", dataset, span }), true);
        break;
      }
      case "where": where = f; break;
      case "value": {
        const expr = ctx.expr(f.value);
        push(expr && { kind: "ValueClause", expr, span }, true);
        break;
      }
      case "by": {
        const dims = readDims(ctx, f.value);
        push(dims && { kind: "ByClause", dims, span }, true);
        break;
      }
      case "unit": {
        const unit = ctx.name(f.value);
        push(unit && { kind: "UnitClause", unit, span });
        break;
      }
      case "format": {
        const fmt = ctx.name(f.value);
        formatEntry = f;
        push(fmt && (format = { kind: "FormatClause", format: fmt, span }));
        break;
      }
      case "decimals": decimals = f; break;
      case "direction": {
        const v = isScalar(f.value) ? f.value.value : undefined;
        if (v === "higher" || v === "lower") push({ kind: "DirectionClause", direction: v, span });
        break;
      }
      case "min_samples": {
        const n = ctx.number(f.value);
        push(n && { kind: "MinSamplesClause", count: n.value, countSpan: n.span, span });
        break;
      }
      case "zone": {
        const zone = ctx.stringValue(f.value);
        push(zone && { kind: "ZoneClause", zone, span });
        break;
      }
      case "target": {
        const arms = readTarget(ctx, f.value);
        push(arms && { kind: "TargetClause", arms, span }, true);
        break;
      }
      case "status": push({ kind: "StatusClause", arms: readStatus(ctx, f.value), span }); break;
    }
  }
  if (where) {
    const expr = ctx.expr(where.value);
    if (!from) ctx.report("`where` filters the rows of `from`: add `from: <dataset>`.", ctx.entrySpan(where));
    else if (expr) {
      from.where = expr;
      from.span = extend(from.span, ctx.entrySpan(where), entries, fromEntry, where);
    }
  }
  if (decimals) {
    const n = ctx.number(decimals.value);
    if (!format) ctx.report("`decimals` goes with `format`: add `format: number` (or percent, currency, ...).", ctx.entrySpan(decimals));
    else if (n) {
      format.decimals = n.value;
      format.span = extend(format.span, ctx.entrySpan(decimals), entries, formatEntry, decimals);
    }
  }
  return decl;
}

// ------------------------------------------------------------------ rules

export function readRule(ctx: ReadContext, e: Entry, name: A.Name): A.RuleDecl {
  const decl: A.RuleDecl = { kind: "RuleDecl", name, clauses: [], span: ctx.entrySpan(e) };
  const once = onceEach(ctx);
  const entries = ctx.entries(e.value, KEYS.rule);
  if (!isMap(e.value)) ctx.damaged = true; // reported by the validator
  let when: (A.RuleClause & { kind: "WhenClause" }) | undefined;
  let whenEntry: Entry | undefined;
  let periods: Entry | undefined;
  const push = (c: A.RuleClause | undefined, required = false) => {
    if (c) decl.clauses.push(c);
    else if (required) ctx.damaged = true;
  };
  for (const f of entries) {
    if (NOT_REPEATABLE.has(f.key) && !once(f)) continue;
    const span = ctx.entrySpan(f);
    switch (f.key) {
      case "label": decl.label = ctx.stringValue(f.value); break;
      case "description": case "message": {
        const text = ctx.stringValue(f.value);
        push(text && { kind: f.key === "message" ? "MessageClause" : "DescriptionClause", text, span });
        break;
      }
      case "when": {
        const condition = ctx.expr(f.value);
        whenEntry = f;
        push(condition && (when = { kind: "WhenClause", condition, span }), true);
        break;
      }
      case "for": periods = f; break;
      case "recover_when": {
        const condition = ctx.expr(f.value);
        push(condition && { kind: "RecoverClause", condition, span }, true);
        break;
      }
      case "severity": {
        const severity = ctx.name(f.value);
        push(severity && { kind: "SeverityClause", severity, span });
        break;
      }
      case "on_no_data": {
        const policy = ctx.name(f.value);
        push(policy && { kind: "NoDataClause", policy, span });
        break;
      }
      case "by": {
        const dims = readDims(ctx, f.value);
        push(dims && { kind: "ByClause", dims, span }, true);
        break;
      }
    }
  }
  if (periods) {
    const n = ctx.number(periods.value);
    if (!when) ctx.report("`for` counts the periods `when` must hold: add `when: <condition>`.", ctx.entrySpan(periods));
    else if (n) {
      when.periods = n.value;
      when.periodsSpan = n.span;
      when.span = extend(when.span, ctx.entrySpan(periods), entries, whenEntry, periods);
    }
  }
  return decl;
}
