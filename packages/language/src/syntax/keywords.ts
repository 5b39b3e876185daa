/**
 * How each keyword of the `.kpi` language is highlighted, derived from the parser's productions
 * and the token module (no word is listed by hand). One classification for every highlighter:
 * the TextMate grammar (`grammar/lib.mjs`) and the playground's editor.
 *
 * - reserved words: `constants` (a whole alternative on their own: true, false, null),
 *   `declarations` (the first word of a `...Decl` rule: dataset, kpi, let...), `control` (the rest);
 * - soft words: `clauseStarts` (first word of a clause of a block: `value`, `target`, `status`...),
 *   `phrases` (fixed runs such as `higher is better`, `min samples N`, `on no data`),
 *   `modifiers` (soft words used elsewhere: column modifiers `key`, `time`, `unit`...).
 *
 * - `namedDeclarations`: words followed by the declared name (`dataset NAME`, `kpi NAME`, `let NAME`).
 */
import { getParser } from "./parse.js";
import * as T from "./tokens.js";

/** A node of chevrotain's serialized GAST (`getSerializedGastProductions()`), as far as it is read here. */
export interface GastNode {
  type: string;
  name?: string;
  definition?: GastNode[];
  separator?: GastNode;
}

/** One element of a phrase: a choice of words, or a number. */
export type PhraseElement = { words: string[] } | { number: true };

export interface KeywordClasses {
  reserved: string[];
  soft: string[];
  constants: string[];
  declarations: string[];
  control: string[];
  clauseStarts: string[];
  phrases: PhraseElement[][];
  modifiers: string[];
  /** Declaration words followed by the name they declare; `topLevel` when the declaration starts a top-level construct. */
  namedDeclarations: Array<{ word: string; topLevel: boolean }>;
}

/** The token module, as far as the classification reads it. */
export interface TokenModule {
  KEYWORD_BY_WORD: ReadonlyMap<string, { name: string }>;
  Identifier: { name: string };
  RESERVED_KEYWORDS: readonly { name: string }[];
  SOFT_KEYWORDS: readonly { name: string }[];
  LCurly: { name: string };
  RCurly: { name: string };
  NumberLiteral: { name: string };
  StringLiteral: { name: string };
  TemporalLiteral: { name: string };
}

const defOf = (el: GastNode): GastNode[] => el.definition ?? [];

function forEachSequence(productions: readonly GastNode[], visit: (seq: GastNode[]) => void): void {
  const walk = (seq: GastNode[]): void => {
    visit(seq);
    for (const el of seq) {
      if (el.type === "Alternation") for (const alt of defOf(el)) walk(defOf(alt));
      else if (el.definition) walk(el.definition);
    }
  };
  for (const r of productions) walk(defOf(r));
}

function forEachTerminal(productions: readonly GastNode[], visit: (t: GastNode) => void): void {
  const walk = (el: GastNode): void => {
    if (el.type === "Terminal") visit(el);
    if (el.separator) walk(el.separator);
    for (const c of defOf(el)) walk(c);
  };
  for (const r of productions) walk(r);
}

interface First {
  set: Set<GastNode>;
  nullable: boolean;
}

/** FIRST sets over terminal nodes (not names), so an occurrence of a keyword can be told apart. */
function firstSets(productions: readonly GastNode[]): (rule: string) => Set<GastNode> {
  const rules = new Map(productions.map((r) => [r.name, r]));
  const memo = new Map<string, First>();
  const inProgress = new Set<string>();
  const ofSeq = (seq: GastNode[]): First => {
    const set = new Set<GastNode>();
    for (const el of seq) {
      const f = ofEl(el);
      for (const t of f.set) set.add(t);
      if (!f.nullable) return { set, nullable: false };
    }
    return { set, nullable: true };
  };
  const ofRule = (name: string): First => {
    const hit = memo.get(name);
    if (hit) return hit;
    if (inProgress.has(name)) return { set: new Set(), nullable: false };
    inProgress.add(name);
    const r = ofSeq(defOf(rules.get(name) ?? { type: "Rule" }));
    inProgress.delete(name);
    memo.set(name, r);
    return r;
  };
  const ofEl = (el: GastNode): First => {
    switch (el.type) {
      case "Terminal":
        return { set: new Set([el]), nullable: false };
      case "NonTerminal":
        return ofRule(el.name ?? "");
      case "Option":
      case "Repetition":
      case "RepetitionWithSeparator":
        return { set: ofSeq(defOf(el)).set, nullable: true };
      case "RepetitionMandatory":
      case "RepetitionMandatoryWithSeparator":
      case "Alternative":
        return ofSeq(defOf(el));
      case "Alternation": {
        const set = new Set<GastNode>();
        let nullable = false;
        for (const alt of defOf(el)) {
          const f = ofSeq(defOf(alt));
          for (const t of f.set) set.add(t);
          nullable ||= f.nullable;
        }
        return { set, nullable };
      }
      default:
        return { set: new Set(), nullable: true };
    }
  };
  return (name) => ofRule(name).set;
}

/** Rules repeated at the top of a file or between `{` and `}`: their instances are the lines of a block. */
function clauseRules(productions: readonly GastNode[], tokens: TokenModule): Set<string> {
  const out = new Set<string>();
  const repeated = (el: GastNode | undefined) => (el?.type === "Repetition" || el?.type === "RepetitionMandatory" ? defOf(el)[0] : undefined);
  for (const el of defOf(productions[0]!)) {
    const nt = repeated(el);
    if (nt?.type === "NonTerminal" && nt.name) out.add(nt.name);
  }
  forEachSequence(productions, (seq) => {
    for (let i = 1; i + 1 < seq.length; i++) {
      const nt = repeated(seq[i]);
      const before = seq[i - 1]!;
      const after = seq[i + 1]!;
      if (nt?.type === "NonTerminal" && nt.name && before.type === "Terminal" && before.name === tokens.LCurly.name && after.type === "Terminal" && after.name === tokens.RCurly.name) {
        out.add(nt.name);
      }
    }
  });
  return out;
}

/** Classifies every keyword from the grammar's structure (see the module comment). */
export function classifyKeywords(productions: readonly GastNode[], tokens: TokenModule): KeywordClasses {
  const wordOf = new Map<string, string>();
  for (const [word, t] of tokens.KEYWORD_BY_WORD) wordOf.set(t.name, word);
  const reserved = tokens.RESERVED_KEYWORDS.map((t) => wordOf.get(t.name)!);
  const soft = tokens.SOFT_KEYWORDS.map((t) => wordOf.get(t.name)!);
  const reservedSet = new Set(reserved);
  const softSet = new Set(soft);
  const isKw = (el: GastNode | undefined): boolean => el?.type === "Terminal" && wordOf.has(el.name ?? "");
  const word = (el: GastNode): string => wordOf.get(el.name ?? "")!;
  const first = firstSets(productions);

  const literalTokens = new Set([tokens.NumberLiteral.name, tokens.StringLiteral.name, tokens.TemporalLiteral.name]);
  const constants = new Set<string>();
  forEachSequence(productions, (seq) => {
    for (const el of seq) {
      if (el.type !== "Alternation") continue;
      const single = defOf(el).filter((a) => defOf(a).length === 1).map((a) => defOf(a)[0]!);
      if (!single.some((t) => t.type === "Terminal" && literalTokens.has(t.name ?? ""))) continue;
      for (const t of single) if (isKw(t) && reservedSet.has(word(t))) constants.add(word(t));
    }
  });

  // Declarations: rules named `...Decl`; their first keyword is a declaration keyword, and when the
  // keyword is followed by `name` that name is being declared (`dataset NAME`, `let NAME`).
  const nameRule = productions.find((r) => defOf(r).length === 1 && defOf(r)[0]!.type === "Terminal" && defOf(r)[0]!.name === tokens.Identifier.name)?.name;
  const rules = new Map(productions.map((r) => [r.name, r]));
  const topRule = defOf(productions[0]!).find((el) => el.type === "Repetition")?.definition?.[0]?.name;
  const topDef = defOf(rules.get(topRule) ?? { type: "Rule" });
  const topLevel = new Set(topDef.length === 1 && topDef[0]!.type === "Alternation" ? defOf(topDef[0]!).map((a) => defOf(a)[0]?.name) : [topRule]);
  const declarations = new Set<string>();
  const namedDeclarations: KeywordClasses["namedDeclarations"] = [];
  for (const r of productions) {
    if (!/Decl$/.test(r.name ?? "")) continue;
    const seq = defOf(r);
    const head = seq[0];
    if (!head || !isKw(head) || !reservedSet.has(word(head))) continue;
    declarations.add(word(head));
    if (seq[1]?.type === "NonTerminal" && seq[1].name === nameRule) namedDeclarations.push({ word: word(head), topLevel: topLevel.has(r.name) });
  }

  const clauseFirstNodes = new Set<GastNode>();
  for (const r of clauseRules(productions, tokens)) for (const t of first(r)) clauseFirstNodes.add(t);
  const clauseStarts = new Set([...clauseFirstNodes].filter((t) => isKw(t) && softSet.has(word(t))).map(word));

  type RunElement = { words?: string[]; number?: true; nodes: GastNode[] };
  const phraseNodes = new Set<GastNode>();
  const phraseKeys = new Set<string>();
  const phrases: PhraseElement[][] = [];
  const element = (el: GastNode): RunElement | null => {
    if (isKw(el)) return { words: [word(el)], nodes: [el] };
    if (el.type === "Terminal" && el.name === tokens.NumberLiteral.name) return { number: true, nodes: [] };
    const alts = defOf(el);
    if (el.type === "Alternation" && alts.every((a) => defOf(a).length === 1 && isKw(defOf(a)[0]))) {
      return { words: alts.map((a) => word(defOf(a)[0]!)), nodes: alts.map((a) => defOf(a)[0]!) };
    }
    return null;
  };
  const flush = (run: RunElement[]): void => {
    while (run.length && run[0]!.number) run.shift();
    if (run.length < 2 || !run.some((e) => e.words?.some((w) => softSet.has(w)))) return;
    const key = run.map((e) => (e.number ? "N" : e.words!.join("|"))).join(" ");
    for (const e of run) for (const n of e.nodes) phraseNodes.add(n);
    if (phraseKeys.has(key)) return;
    phraseKeys.add(key);
    phrases.push(run.map((e): PhraseElement => (e.number ? { number: true } : { words: e.words! })));
  };
  forEachSequence(productions, (seq) => {
    let run: RunElement[] = [];
    for (const el of seq) {
      const e = element(el);
      if (e) run.push(e);
      else {
        flush(run);
        run = [];
      }
    }
    flush(run);
  });

  const modifiers = new Set<string>();
  forEachTerminal(productions, (t) => {
    if (isKw(t) && softSet.has(word(t)) && !clauseFirstNodes.has(t) && !phraseNodes.has(t)) modifiers.add(word(t));
  });
  const used = new Set([...clauseStarts, ...modifiers, ...phrases.flatMap((p) => p.flatMap((e) => ("words" in e ? e.words : [])))]);
  for (const w of soft) if (!used.has(w)) modifiers.add(w);

  const order = (set: Set<string>, list: string[]) => list.filter((w) => set.has(w));
  return {
    reserved,
    soft,
    constants: order(constants, reserved),
    declarations: order(declarations, reserved),
    control: reserved.filter((w) => !constants.has(w) && !declarations.has(w)),
    clauseStarts: order(clauseStarts, soft),
    phrases,
    modifiers: order(modifiers, soft),
    namedDeclarations,
  };
}

let cached: KeywordClasses | undefined;

/** The classification of the language's own parser and tokens, computed once. */
export function languageKeywords(): KeywordClasses {
  cached ??= classifyKeywords(getParser().getSerializedGastProductions() as unknown as GastNode[], T as unknown as TokenModule);
  return cached;
}
