import { FUNCTIONS, tokens as T, type FunctionInfo } from "@yardstick/language";
import { COLUMN_TYPES, TIME_UNITS } from "@yardstick/model";
import { analyze, projectOf, type Analysis } from "./analysis.js";
import { blockTokens, cursorContext, isIdentifier, kpiDataset, pathBefore, type CursorContext, type Token } from "./context.js";
import { columnsOf, datasetNames, followPath, kpiNames, membersOf, projectStatuses, projectUnits, ruleNames, statusesOf } from "./symbols.js";
import type { CompletionItem, CompletionKind, Document } from "./types.js";

type Item = Omit<CompletionItem, "replaceStart" | "replaceEnd">;
type Mode = "value" | "row" | "by" | "status" | "rule";

const FORMATS = ["percent", "number", "integer", "currency", "duration"] as const;
const COMMON_UNITS = ["EUR", "USD", "minutes", "hours", "days"];
const DEFAULT_STATUSES = ["on_track", "at_risk", "off_track"];

const KPI_CLAUSES: Array<[string, string, string?]> = [
  ["description", 'description "$1"', "What the KPI measures, in a sentence."],
  ["owner", 'owner "$1"', "Who answers for the KPI."],
  ["tags", 'tags "$1"', "Labels to group KPIs by."],
  ["from", "from $1", "The dataset the KPI reads, optionally `where` a row filter."],
  ["value", "value $1", "The aggregate the KPI computes."],
  ["by", "by $1", "Default grouping: columns, relation paths or time buckets."],
  ["unit", "unit $1", "The unit of the value."],
  ["format", "format ${1|percent,number,integer,currency,duration|}", "How values are shown."],
  ["higher is better", "higher is better", "Direction: the default."],
  ["lower is better", "lower is better", "Direction: smaller values are better."],
  ["min samples", "min samples $1", "Groups with fewer rows get `insufficient_data`."],
  ["zone", 'zone "$1"', "IANA time zone for time buckets."],
  ["target", "target >= $1", "The target the value is compared with."],
  ["status", "status {\n\t${1:on_track} when value >= target\n\t${2:off_track} otherwise\n}", "Named statuses, first matching line wins."],
];
const RULE_CLAUSES: Array<[string, string, string?]> = [
  ["when", "when $1", "The condition that fires the alert."],
  ["recover", "recover when $1", "The condition that ends an alert episode."],
  ["severity", "severity ${1|info,warning,critical|}", "How urgent the alert is."],
  ["message", 'message "$1"', "The alert text; `{kpi}` placeholders are filled in."],
  ["on no data", "on no data ${1:ignore}", "What a missing value does."],
  ["by", "by $1", "The grouping the rule watches."],
  ["description", 'description "$1"', "What the rule is for."],
];
const TEST_CLAUSES: Array<[string, string, string?]> = [
  ["given", "given $1", "A fixture table for a dataset."],
  ["expect", "expect $1", "An expected value, status or alert."],
  ["as of", "as of $1", "The evaluation instant of the test."],
];
const TOP_LEVEL: Array<[string, string, string?]> = [
  ["dataset", "dataset ${1:name} from \"${2:data.csv}\" {\n\t$0\n}", "A dataset: columns with types and constraints."],
  ["kpi", "kpi ${1:name} \"${2:Label}\" {\n\tfrom ${3:dataset}\n\tvalue $0\n}", "A KPI definition."],
  ["rule", "rule ${1:name} {\n\twhen $0\n}", "An alert rule on KPIs."],
  ["test", "test \"${1:what it checks}\" {\n\t$0\n}", "A fixture test."],
  ["import", 'import "$1"', "Another .kpi file of the project."],
];

/**
 * Completions at `offset`, from the context the tokens before it give and the names the project
 * declares. Items are not filtered by the word typed so far: the editor does that (fuzzily); the
 * replace range covers the whole word around the cursor.
 */
export function complete(doc: Document, offset: number, project?: readonly Document[]): CompletionItem[] {
  const ctx = cursorContext(doc.text, offset);
  if (ctx.inText) return [];
  const a = analyze(projectOf(doc, project));
  const items = itemsFor(ctx, a);
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const it of items) {
    const key = `${it.kind}:${it.label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...it, replaceStart: ctx.word.start, replaceEnd: ctx.word.end });
  }
  return out;
}

function itemsFor(ctx: CursorContext, a: Analysis): Item[] {
  switch (ctx.block.kind) {
    case "top":
      return ctx.lineStart && ctx.prev?.tokenType !== T.Dataset && ctx.prev?.tokenType !== T.Kpi ? clauses(TOP_LEVEL, []) : topTail(ctx);
    case "dataset":
      return inDataset(ctx, a);
    case "kpi":
      return inKpi(ctx, a);
    case "rule":
      return inRule(ctx, a);
    case "test":
      return inTest(ctx, a);
  }
}

function topTail(ctx: CursorContext): Item[] {
  // `dataset flights "Label" from "flights.csv" as |`
  if (ctx.prev?.tokenType === T.KwAs) return ["csv", "json", "ndjson", "parquet"].map((f) => kw(f, "data format"));
  return [];
}

// ------------------------------------------------------------------ per definition

function inDataset(ctx: CursorContext, a: Analysis): Item[] {
  const p = ctx.prev?.tokenType;
  if (p === T.Colon) return COLUMN_TYPES.map((t) => item(t, "type", "column type", typeDoc(t)));
  if (p === T.Arrow) return datasets(a);
  if (p === T.At) return ["customer", "company"].map((w) => kw(w, "perspective"));
  if (p === T.KwUnit) return units(a);
  if (p === T.KwRows) return ["skip", "fail"].map((w) => kw(w, "bad-rows policy"));
  if (ctx.lineStart) {
    return [
      snippet("let", "let ${1:name} = $0", "A derived column, computed row by row."),
      snippet("zone", 'zone "$1"', "IANA time zone of the dataset's times."),
      snippet("on bad rows", "on bad rows ${1|skip,fail|}", "What to do with rows that do not load."),
    ];
  }
  const line = lineTokens(ctx);
  if (line[0]?.tokenType === T.Let && line.some((t) => t.tokenType === T.Equals)) return expression(ctx, a, "row", ctx.block.name);
  if (line.some((t) => t.tokenType === T.Colon) && line.length >= 3) {
    return [
      kw("key", "the identifying column"),
      kw("time", "the default time column"),
      snippet("in", "in ($1)", "Allowed values: `in (\"a\", \"b\")` or a range `in 0..10`."),
      snippet("unit", "unit $1", "The unit of the values."),
      snippet("->", "-> ${1:dataset}", "A relation to the key of another dataset."),
      kw("@customer", "perspective: what the customer perceives"),
      kw("@company", "perspective: what the company spends or offers"),
    ];
  }
  return [];
}

function inKpi(ctx: CursorContext, a: Analysis): Item[] {
  const p = ctx.prev?.tokenType;
  const dataset = kpiDataset(ctx);
  if (ctx.depth > 1 && ctx.opener?.tokenType === T.KwStatus) return inStatus(ctx, a);
  if (ctx.lineStart && ctx.depth === 1) return kpiClauses(ctx);
  if (p === T.From && ctx.clause?.tokenType === T.From) return datasets(a);
  if (p === T.KwFormat) return FORMATS.map((f) => kw(f, "format"));
  if (ctx.prev2?.tokenType === T.KwFormat) return [snippet("decimals", "decimals $1", "Digits after the point.")];
  if (p === T.KwUnit) return units(a);
  if (p === T.KwHigher || p === T.KwLower) return [kw("is better", "direction")];
  if (p === T.KwMin) return [kw("samples", "minimum group size")];
  const c = ctx.clause?.tokenType;
  if (c === T.From) {
    if (ctx.before.slice(ctx.before.indexOf(ctx.clause!)).some((t) => t.tokenType === T.Where)) return expression(ctx, a, "row", dataset);
    return isIdentifier(ctx.prev) && ctx.prev !== ctx.clause ? [kw("where", "a row filter")] : [];
  }
  if (c === T.KwValue || c === T.KwTarget) return expression(ctx, a, "value", dataset);
  if (c === T.By) return expression(ctx, a, "by", dataset);
  return [];
}

/** The KPI clauses not yet written (each may appear once), at the start of a line of the body. */
function kpiClauses(ctx: CursorContext): Item[] {
  const present = new Set<string>();
  const toks = blockTokens(ctx);
  let depth = 0;
  toks.forEach((t, i) => {
    if (t.tokenType === T.LCurly) depth++;
    else if (t.tokenType === T.RCurly) depth--;
    else if (depth === 1 && t.startOffset !== ctx.word.start && startsLine(ctx.text, toks[i - 1], t)) present.add(t.image);
  });
  if (present.has("higher") || present.has("lower")) present.add("higher is better").add("lower is better");
  if (present.has("min")) present.add("min samples");
  return clauses(KPI_CLAUSES, [...present]);
}

function startsLine(text: string, prev: Token | undefined, t: Token): boolean {
  return !prev || prev.tokenType === T.LCurly || text.slice(prev.startOffset + prev.image.length, t.startOffset).includes("\n");
}

function inStatus(ctx: CursorContext, a: Analysis): Item[] {
  if (ctx.lineStart) {
    const labels = [...projectStatuses(a), ...DEFAULT_STATUSES];
    return labels.map((l) => item(l, "status", "status label", "A status this KPI can take; the first line whose condition holds wins."));
  }
  const line = lineTokens(ctx);
  if (line.length === 1 && isIdentifier(line[0])) {
    return [snippet("when", "when $1", "The condition for this status."), kw("otherwise", "the status when no line above matches")];
  }
  if (line.some((t) => t.tokenType === T.When)) return expression(ctx, a, "status", undefined);
  return [];
}

function inRule(ctx: CursorContext, a: Analysis): Item[] {
  if (ctx.lineStart && ctx.depth === 1) return clauses(RULE_CLAUSES, []);
  const p = ctx.prev?.tokenType;
  if (p === T.KwSeverity) return ["info", "warning", "critical"].map((s) => kw(s, "severity"));
  const c = ctx.clause?.tokenType;
  if (c === T.When || c === T.KwRecover) return expression(ctx, a, "rule", undefined);
  return [];
}

function inTest(ctx: CursorContext, a: Analysis): Item[] {
  if (ctx.lineStart && ctx.depth === 1) return clauses(TEST_CLAUSES, []);
  const p = ctx.prev?.tokenType;
  if (p === T.Given) return datasets(a);
  if (p === T.Expect) {
    return [kw("status of", "expect a KPI's status"), kw("alert", "expect a rule to fire"), kw("no alert", "expect a rule not to fire"), ...kpis(a)];
  }
  if (p === T.KwOf && ctx.prev2?.tokenType === T.KwStatus) return kpis(a);
  if (p === T.KwAlert) return ruleNames(a).map((r) => item(r, "rule", "rule", ""));
  const expect = [...ctx.before].reverse().find((t) => t.tokenType === T.Expect);
  if (!expect) return [];
  const stmt = ctx.before.slice(ctx.before.indexOf(expect) + 1);
  const [s0, s1, s2] = stmt;
  const afterEquals = stmt.some((t) => t.tokenType === T.Equals);
  if (s0?.tokenType === T.KwStatus && s1?.tokenType === T.KwOf && isIdentifier(s2) && afterEquals) {
    if (p === T.Equals || p === T.Colon) return statusesOf(a, s2!.image).map((s) => item(s, "status", `status of ${s2!.image}`, ""));
  }
  return [];
}

// ------------------------------------------------------------------ expressions

const OPERAND_END = new Set([T.RParen, T.NumberLiteral, T.StringLiteral, T.TemporalLiteral, T.True, T.False, T.Null]);

function expression(ctx: CursorContext, a: Analysis, mode: Mode, dataset: string | undefined): Item[] {
  const path = pathBefore(ctx);
  if (path) {
    const target = dataset ? followPath(a, dataset, path) : undefined;
    return target ? columnItems(a, target) : [];
  }
  const prev = ctx.prev;
  if (prev && prev !== ctx.clause && (OPERAND_END.has(prev.tokenType) || (isIdentifier(prev) && !isClauseWord(prev)))) {
    return operators(ctx);
  }
  const out: Item[] = [];
  if (dataset && mode !== "status" && mode !== "rule") out.push(...columnItems(a, dataset));
  if (mode === "by") out.push(...TIME_UNITS.map((u) => item(u, "unit", "time bucket", `The ${u} of the dataset's time column.`)));
  if (mode === "status") out.push(...["value", "target", "n"].map((w) => kw(w, "of this KPI")));
  out.push(...functions(mode));
  if (mode === "value" || mode === "status" || mode === "rule") out.push(...kpis(a));
  return out;
}

/** Words that are clause keywords but read as names, and so never end an operand. */
function isClauseWord(t: Token): boolean {
  return t.tokenType === T.KwValue || t.tokenType === T.KwTarget;
}

function operators(ctx: CursorContext): Item[] {
  const insideCall = parenDepth(ctx) > 0;
  const words: Array<[string, string]> = [
    ["and", "both conditions"],
    ["or", "either condition"],
    ["in", "one of a list"],
    ["not in", "none of a list"],
    ["is null", "missing value"],
    ["is not null", "present value"],
    ["between", "within a range"],
  ];
  if (insideCall) words.push(["where", "aggregate only the rows that match"], ["per", "aggregate per group first"]);
  return words.map(([w, d]) => kw(w, d));
}

function parenDepth(ctx: CursorContext): number {
  let d = 0;
  const from = ctx.clause ? ctx.before.indexOf(ctx.clause) : 0;
  for (let i = Math.max(0, from); i < ctx.before.length; i++) {
    const t = ctx.before[i]!.tokenType;
    if (t === T.LParen) d++;
    else if (t === T.RParen) d = Math.max(0, d - 1);
  }
  return d;
}

function functions(mode: Mode): Item[] {
  const allowed = (f: FunctionInfo): boolean => {
    if (mode === "row" || mode === "by") return f.kind === "scalar" || f.kind === "bucket";
    if (mode === "status" || mode === "rule") return f.kind !== "aggregate" && f.kind !== "bucket";
    return f.kind !== "kpi-field";
  };
  return [...FUNCTIONS.values()].filter(allowed).map((f) => ({
    label: f.name,
    kind: "function" as const,
    detail: f.signature,
    documentation: functionDoc(f),
    insertText: f.params.length === 0 || (f.required === 0 && f.name !== "count") ? `${f.name}()` : `${f.name}($1)`,
    snippet: true,
  }));
}

export function functionDoc(f: FunctionInfo): string {
  return `\`\`\`kpi\n${f.signature}\n\`\`\`\n${f.doc}\n\n*${f.kind} function*`;
}

// ------------------------------------------------------------------ names

function datasets(a: Analysis): Item[] {
  return datasetNames(a).map((name) => {
    const m = a.program.datasets.get(name)?.model;
    const src = m?.source ? `Source: \`${m.source.path}\` (${m.source.format})` : "";
    return item(name, "dataset", m?.label ?? "dataset", src);
  });
}

function kpis(a: Analysis): Item[] {
  return kpiNames(a).map((name) => {
    const k = a.program.kpis.get(name);
    return item(name, "kpi", k?.label ?? "KPI", k?.description ?? "");
  });
}

function units(a: Analysis): Item[] {
  return [...projectUnits(a), ...COMMON_UNITS].map((u) => item(/^[A-Za-z_]\w*$/.test(u) ? u : JSON.stringify(u), "unit", "unit", ""));
}

function columnItems(a: Analysis, dataset: string): Item[] {
  const cols: Item[] = columnsOf(a, dataset).map((c) => {
    const flags = [c.column?.key ? "key" : "", c.column?.time ? "time" : "", c.column?.perspective ? `@${c.column.perspective}` : ""].filter(Boolean);
    return item(c.name, "column", `${c.type}${c.nullable ? "?" : ""}${flags.length ? ` ${flags.join(" ")}` : ""}`, `Column of \`${dataset}\`.`);
  });
  for (const m of membersOf(a, dataset)) {
    const detail = m.kind === "relation" ? `-> ${m.dataset}` : `related rows of ${m.dataset}`;
    const doc = m.kind === "relation" ? `Follow with \`${m.name}.<column>\`.` : `Aggregate them: \`count(${m.name})\`, \`sum(${m.name}.<column>)\`.`;
    cols.push(item(m.name, "dataset", detail, doc));
  }
  return cols;
}

// ------------------------------------------------------------------ helpers

function lineTokens(ctx: CursorContext): Token[] {
  const lineBegin = ctx.text.lastIndexOf("\n", ctx.word.start - 1) + 1;
  return ctx.before.filter((t) => t.startOffset >= lineBegin);
}

function clauses(list: Array<[string, string, string?]>, present: string[]): Item[] {
  return list
    .filter(([label]) => !present.includes(label))
    .map(([label, body, doc]) => ({ label, kind: "keyword" as const, detail: "clause", documentation: doc ?? "", insertText: body, snippet: true }));
}

function item(label: string, kind: CompletionKind, detail: string, documentation: string): Item {
  return { label, kind, detail, documentation, insertText: label };
}

function kw(label: string, detail: string): Item {
  return item(label, "keyword", detail, "");
}

function snippet(label: string, body: string, doc: string): Item {
  return { label, kind: "snippet", detail: label, documentation: doc, insertText: body, snippet: true };
}

function typeDoc(t: string): string {
  const docs: Record<string, string> = {
    string: "Text.",
    int: "Whole numbers.",
    number: "Decimal numbers.",
    bool: "true or false.",
    date: "A calendar date, e.g. 2025-01-31.",
    timestamp: "An instant, e.g. 2025-01-31T09:30:00Z.",
    duration: "A length of time.",
  };
  return `${docs[t] ?? ""} Add \`?\` for a nullable column.`;
}
