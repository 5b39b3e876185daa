import { FUNCTIONS, tokens as T } from "@yardstick/language";
import type { Column, Kpi } from "@yardstick/model";
import { analyze, projectOf, type Analysis } from "./analysis.js";
import { functionDoc } from "./complete.js";
import { cursorContext, end, isIdentifier, kpiDataset, pathBefore, type CursorContext, type Token } from "./context.js";
import { columnsOf, followPath, membersOf } from "./symbols.js";
import type { Document, Hover, KpiValues } from "./types.js";

/**
 * What the name at `offset` is: a function's signature and documentation, a column's type and
 * constraints, a KPI's label, description, target and (given `values`) current value, or a
 * dataset's source. Null over anything else.
 */
export function hover(doc: Document, offset: number, project?: readonly Document[], values?: KpiValues): Hover | null {
  const ctx = cursorContext(doc.text, offset);
  if (ctx.inText) return null;
  const token = ctx.tokens.find((t) => t.startOffset <= offset && offset < end(t)) ?? ctx.tokens.find((t) => end(t) === offset);
  if (!token || !isIdentifier(token)) return null;
  const a = analyze(projectOf(doc, project));
  const markdown = describe(token, cursorContext(doc.text, token.startOffset), a, values);
  return markdown ? { start: token.startOffset, end: end(token), markdown } : null;
}

function describe(token: Token, ctx: CursorContext, a: Analysis, values: KpiValues | undefined): string | null {
  const name = token.tokenType === T.QuotedIdentifier ? token.image.slice(1, -1) : token.image;
  const i = ctx.tokens.findIndex((t) => t.startOffset === token.startOffset);
  const next = ctx.tokens[i + 1];
  const prev = ctx.tokens[i - 1];
  const fn = FUNCTIONS.get(name);
  if (fn && next?.tokenType === T.LParen) return functionDoc(fn);
  if (prev && (prev.tokenType === T.From || prev.tokenType === T.Arrow || prev.tokenType === T.Given || prev.tokenType === T.Dataset)) {
    return datasetHover(a, name);
  }
  if (prev?.tokenType === T.Kpi || (prev?.tokenType === T.KwOf && ctx.tokens[i - 2]?.tokenType === T.KwStatus)) return kpiHover(a, name, values);

  const scope = ctx.block.kind === "dataset" ? ctx.block.name : kpiDataset(ctx);
  const path = pathBefore(ctx);
  const base = scope && path ? followPath(a, scope, path) : path ? undefined : scope;
  if (base) {
    const col = columnsOf(a, base).find((c) => c.name === name);
    if (col) return columnHover(base, col.column, col.type, col.nullable);
    const member = membersOf(a, base).find((m) => m.name === name);
    if (member) {
      const what = member.kind === "relation" ? `relation of \`${base}\` to \`${member.dataset}\`` : `the related rows of \`${member.dataset}\``;
      return `**${name}**: ${what}\n\n${datasetHover(a, member.dataset) ?? ""}`.trim();
    }
  }
  if (path) return null;
  if (a.program.kpis.has(name) || a.kpiDecl(name)) return kpiHover(a, name, values);
  if (a.program.datasets.has(name)) return datasetHover(a, name);
  return null;
}

function columnHover(dataset: string, c: Column | undefined, type: string, nullable: boolean): string {
  const lines = [`**${c?.name ?? ""}**: \`${type}${nullable ? "?" : ""}\` column of \`${dataset}\``];
  if (!c) return lines.join("\n\n");
  const facts: string[] = [nullable ? "nullable" : "not nullable"];
  if (c.key) facts.push("key");
  if (c.time) facts.push("default time column");
  if (c.perspective) facts.push(`perspective: ${c.perspective}`);
  if (c.unit) facts.push(`unit: ${c.unit}`);
  if (c.allowed?.kind === "set") facts.push(`allowed: ${c.allowed.values.map((v) => JSON.stringify(v)).join(", ")}`);
  if (c.allowed?.kind === "range") facts.push(`range: ${c.allowed.min ?? ""}..${c.allowed.max ?? ""}`);
  if (c.derived) facts.push("derived (`let`)");
  lines.push(facts.map((f) => `- ${f}`).join("\n"));
  return lines.join("\n\n");
}

function datasetHover(a: Analysis, name: string): string | null {
  const sym = a.program.datasets.get(name);
  if (!sym) return a.datasetDecl(name) ? `**${name}**: dataset` : null;
  const m = sym.model;
  const lines = [`**${name}**${m.label ? ` — ${m.label}` : ""}`];
  lines.push(m.source ? `Source: \`${m.source.path}\` (${m.source.format})` : "No source file: bind data to it.");
  const facts = [`${m.columns.length} column${m.columns.length === 1 ? "" : "s"}`];
  if (m.timeColumn) facts.push(`time column \`${m.timeColumn}\``);
  if (m.keys.length) facts.push(`key ${m.keys.map((k) => `\`${k}\``).join(", ")}`);
  lines.push(facts.join(" · "));
  return lines.join("\n\n");
}

function kpiHover(a: Analysis, name: string, values: KpiValues | undefined): string | null {
  const k = a.program.kpis.get(name);
  const found = a.kpiDecl(name);
  if (!k && !found) return null;
  const label = k?.label ?? found?.decl.label?.value;
  const lines = [`**${name}**${label ? ` — ${label}` : ""}`];
  const description = k?.description ?? descriptionOf(found?.decl);
  if (description) lines.push(description);
  if (k) {
    const facts: string[] = [];
    if (k.from) facts.push(`from \`${k.from}\``);
    if (k.unit) facts.push(`unit: ${k.unit}`);
    if (k.format) facts.push(`format: ${k.format.kind}${k.format.decimals !== null ? ` (${k.format.decimals} decimals)` : ""}`);
    facts.push(`${k.direction} is better`);
    lines.push(facts.join(" · "));
  }
  const target = found && targetText(a, found.decl, found.path);
  if (target) lines.push(`Target: \`${target}\``);
  const v = values?.[name];
  if (v) {
    const shown = v.value === null ? "no value" : formatValue(v.value, k);
    lines.push(`Current value: **${shown}**${v.period ? ` (${v.period})` : ""}${v.status ? ` · status \`${v.status}\`` : ""}`);
  }
  return lines.join("\n\n");
}

function descriptionOf(decl: { clauses: Array<{ kind: string }> } | undefined): string | undefined {
  const c = decl?.clauses.find((x) => x.kind === "DescriptionClause") as { text?: { value: string } } | undefined;
  return c?.text?.value;
}

function targetText(a: Analysis, decl: { clauses: Array<{ kind: string; span: { start: number; end: number } }> }, path: string): string | undefined {
  const c = decl.clauses.find((x) => x.kind === "TargetClause");
  const text = a.result.files.find((f) => f.path === path)?.text;
  if (!c || text === undefined) return undefined;
  return text.slice(c.span.start, c.span.end).replace(/^target\s*/, "").replace(/\s+/g, " ");
}

/** A value as the results table shows it: the KPI's format and unit applied. */
export function formatValue(v: number, k: Kpi | undefined): string {
  const f = k?.format;
  const unit = k?.unit ? ` ${k.unit}` : "";
  if (!f) return `${Number.isInteger(v) ? v : Number(v.toPrecision(6))}${unit}`;
  switch (f.kind) {
    case "percent":
      return `${(v * 100).toFixed(f.decimals ?? 1)}%`;
    case "integer":
      return `${Math.round(v)}${unit}`;
    case "currency":
      return `${v.toFixed(f.decimals ?? 2)}${unit}`;
    default:
      return `${f.decimals !== null ? v.toFixed(f.decimals) : Number(v.toPrecision(6))}${unit}`;
  }
}
