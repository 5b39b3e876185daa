import type { Expr, Kpi, TemplatePart } from "@yardstick/model";
import { formatValue, type DisplaySpec } from "../format/format-value.js";
import { evalRuleExpr, type RuleValue, type SeriesAccess } from "./conditions.js";

const PERCENT: DisplaySpec = { format: { kind: "percent", decimals: null }, unit: null };
const COUNT: DisplaySpec = { format: { kind: "integer", decimals: null }, unit: null };
const PLAIN: DisplaySpec = { format: null, unit: null };

/**
 * How a placeholder's value is shown: a KPI, its target, `previous` and `change` of it with the
 * KPI's format and unit; `pct_change` as a percentage; `n` as a whole number; anything else as a
 * plain number.
 */
export function placeholderSpec(e: Expr, part: TemplatePart, kpis: ReadonlyMap<string, Kpi>): DisplaySpec {
  const of = (name: string | null): DisplaySpec => {
    const k = name ? kpis.get(name) : undefined;
    return k ? { format: k.format, unit: k.unit } : PLAIN;
  };
  switch (e.op) {
    case "kpi": return of(e.name);
    case "field": return e.field === "n" ? COUNT : of(e.kpi);
    case "pct_change": return PERCENT;
    case "previous": case "change": return e.arg.op === "kpi" ? of(e.arg.name) : e.arg.op === "field" ? placeholderSpec(e.arg, part, kpis) : of(part.kpi);
    default: return of(part.kpi);
  }
}

/**
 * Renders a message template at one period of one group. Numbers use formatValue with the KPI's
 * format and unit. When the message's own text already names the unit ("NPS fell {change(nps)}
 * points", "took {resolution_time} h"), placeholders show the number without it, so the unit is
 * not said twice.
 */
export function renderMessage(parts: readonly TemplatePart[], period: number, s: SeriesAccess, kpis: ReadonlyMap<string, Kpi>): string {
  const text = parts.filter((p) => !p.expr).map((p) => p.text).join(" ");
  let out = "";
  for (const part of parts) {
    if (!part.expr) {
      out += part.text;
      continue;
    }
    const v = evalRuleExpr(part.expr, period, s);
    let spec = placeholderSpec(part.expr, part, kpis);
    if (spec.unit && namesUnit(text, spec.unit)) spec = { ...spec, unit: null };
    out += show(v, spec);
  }
  return out;
}

/** Units written in several ways (the duration units formatValue knows). */
const UNIT_ALIASES: string[][] = [
  ["hours", "hour", "h", "hrs", "hr"],
  ["minutes", "minute", "min", "mins"],
  ["seconds", "second", "sec", "secs"],
  ["days", "day"],
  ["milliseconds", "millisecond", "ms"],
  ["points", "point", "pts", "pt"],
];

function namesUnit(text: string, unit: string): boolean {
  const u = unit.toLowerCase();
  const names = UNIT_ALIASES.find((g) => g.includes(u)) ?? [u];
  return names.some((n) => containsWord(text.toLowerCase(), n));
}

function show(v: RuleValue, spec: DisplaySpec): string {
  if (v === null) return formatValue(null, spec);
  if (typeof v === "number") return formatValue(v, spec);
  return String(v);
}

function containsWord(text: string, word: string): boolean {
  const isWordChar = (ch: string) => ch !== "" && /[\p{L}\p{N}_]/u.test(ch);
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = i > 0 ? text.charAt(i - 1) : "";
    const after = text.charAt(i + word.length);
    if ((!isWordChar(before) || !isWordChar(word.charAt(0))) && (!isWordChar(after) || !isWordChar(word.charAt(word.length - 1)))) return true;
  }
  return false;
}
