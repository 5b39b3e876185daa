// Pure generators for everything in grammar/: the serialized productions, the railroad diagrams,
// the EBNF reference and the TextMate grammar. grammar/generate.mjs writes their output to disk;
// test/grammar/grammar-drift.test.ts regenerates them in memory and compares with the committed
// files. Inputs are passed in (the parser's serialized GAST, the token module, the function
// registry) so the same code runs against the built package and against the TypeScript sources.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export const GENERATED_START = "<!-- generated:start -->";
export const GENERATED_END = "<!-- generated:end -->";
export const REGENERATE_HINT = "run `npm run grammar` and commit the result";

// ------------------------------------------------------------------------------------------ GAST

/** Serialized GAST node types (chevrotain's `getSerializedGastProductions()`). */
const REPEATS = new Set(["Repetition", "RepetitionMandatory", "RepetitionWithSeparator", "RepetitionMandatoryWithSeparator"]);

/** `JSON.stringify` of the productions, as committed in grammar/productions.json. */
export function productionsJson(productions) {
  return JSON.stringify(productions, null, 2) + "\n";
}

function ruleMap(productions) {
  return new Map(productions.map((r) => [r.name, r]));
}

/** Calls `visit(sequence)` for every sequence of elements in the productions. */
function forEachSequence(productions, visit) {
  const walk = (seq) => {
    visit(seq);
    for (const el of seq) {
      if (el.type === "Alternation") for (const alt of el.definition) walk(alt.definition);
      else if (el.definition) walk(el.definition);
    }
  };
  for (const r of productions) walk(r.definition);
}

/** Calls `visit(terminal)` for every Terminal, separators included. */
function forEachTerminal(productions, visit) {
  const walk = (el) => {
    if (el.type === "Terminal") visit(el);
    if (el.separator) walk(el.separator);
    for (const c of el.definition ?? []) walk(c);
  };
  for (const r of productions) walk(r);
}

/**
 * FIRST sets over Terminal *nodes* (not names), so callers can tell which occurrence of a
 * keyword starts a construct. Returns `first(ruleName) -> Set<TerminalNode>`.
 */
function firstSets(productions) {
  const rules = ruleMap(productions);
  const memo = new Map();
  const inProgress = new Set();
  const ofSeq = (seq) => {
    const set = new Set();
    for (const el of seq) {
      const f = ofEl(el);
      for (const t of f.set) set.add(t);
      if (!f.nullable) return { set, nullable: false };
    }
    return { set, nullable: true };
  };
  const ofRule = (name) => {
    if (memo.has(name)) return memo.get(name);
    if (inProgress.has(name)) return { set: new Set(), nullable: false };
    inProgress.add(name);
    const r = ofSeq(rules.get(name)?.definition ?? []);
    inProgress.delete(name);
    memo.set(name, r);
    return r;
  };
  const ofEl = (el) => {
    switch (el.type) {
      case "Terminal":
        return { set: new Set([el]), nullable: false };
      case "NonTerminal":
        return ofRule(el.name);
      case "Option":
      case "Repetition":
      case "RepetitionWithSeparator":
        return { set: ofSeq(el.definition).set, nullable: true };
      case "RepetitionMandatory":
      case "RepetitionMandatoryWithSeparator":
      case "Alternative":
        return ofSeq(el.definition);
      case "Alternation": {
        const set = new Set();
        let nullable = false;
        for (const alt of el.definition) {
          const f = ofSeq(alt.definition);
          for (const t of f.set) set.add(t);
          nullable ||= f.nullable;
        }
        return { set, nullable };
      }
      default:
        throw new Error(`Unknown GAST node type ${el.type}`);
    }
  };
  return (name) => ofRule(name).set;
}

/**
 * Rules whose instances are the lines of a block: rules repeated at the top of the file (the
 * start rule's repetition) or between `{` and `}` (dataset members, KPI/rule/test clauses,
 * status arms...). Their first keyword starts a clause.
 */
function clauseRules(productions, tokens) {
  const open = tokens.LCurly.name;
  const close = tokens.RCurly.name;
  const out = new Set();
  const repeated = (el) => (el?.type === "Repetition" || el?.type === "RepetitionMandatory" ? el.definition[0] : undefined);
  for (const el of productions[0].definition) {
    const nt = repeated(el);
    if (nt?.type === "NonTerminal") out.add(nt.name);
  }
  forEachSequence(productions, (seq) => {
    for (let i = 1; i + 1 < seq.length; i++) {
      const nt = repeated(seq[i]);
      if (nt?.type === "NonTerminal" && seq[i - 1].type === "Terminal" && seq[i - 1].name === open && seq[i + 1].type === "Terminal" && seq[i + 1].name === close) out.add(nt.name);
    }
  });
  return out;
}

// -------------------------------------------------------------------------------------- keywords

/** Word of a keyword token (its label without quotes), as the lexer's KEYWORD_BY_WORD map has it. */
function keywordWords(tokens) {
  const wordOf = new Map();
  for (const [word, t] of tokens.KEYWORD_BY_WORD) wordOf.set(t.name, word);
  const reserved = tokens.RESERVED_KEYWORDS.map((t) => wordOf.get(t.name));
  const soft = tokens.SOFT_KEYWORDS.map((t) => wordOf.get(t.name));
  if ([...reserved, ...soft].some((w) => w === undefined)) throw new Error("A keyword token is missing from KEYWORD_BY_WORD.");
  return { wordOf, reserved, soft, reservedSet: new Set(reserved), softSet: new Set(soft) };
}

/**
 * Classifies every keyword for highlighting, from the token lists and the grammar's structure
 * (no word is listed by hand):
 * - reserved words: `constants` (a whole alternative on their own: true, false, null),
 *   `declarations` (the first word of a top-level construct), `control` (all other reserved words);
 * - soft words: `clauseStarts` (first word of a clause: `value`, `target`, `status`...),
 *   `phrases` (fixed word runs such as `higher is better`, `min samples N`, `on bad rows`),
 *   `modifiers` (soft words used elsewhere: column modifiers `key`, `time`, `unit`...);
 * - `namedDeclarations`: words followed by the declared name (`dataset NAME`, `kpi NAME`, `let NAME`).
 */
export function analyzeKeywords(productions, tokens) {
  const { wordOf, reserved, soft, reservedSet, softSet } = keywordWords(tokens);
  const isKw = (el) => el?.type === "Terminal" && wordOf.has(el.name);
  const word = (el) => wordOf.get(el.name);
  const rules = ruleMap(productions);
  const first = firstSets(productions);

  // Reserved constants: a keyword that alone is an alternative of a choice offering literal tokens
  // (`true`, `false` and `null` beside numbers and strings).
  const literalTokens = new Set([tokens.NumberLiteral.name, tokens.StringLiteral.name, tokens.TemporalLiteral.name]);
  const constants = new Set();
  forEachSequence(productions, (seq) => {
    for (const el of seq) {
      if (el.type !== "Alternation") continue;
      const single = el.definition.filter((a) => a.definition.length === 1).map((a) => a.definition[0]);
      if (!single.some((t) => t.type === "Terminal" && literalTokens.has(t.name))) continue;
      for (const t of single) if (isKw(t) && reservedSet.has(word(t))) constants.add(word(t));
    }
  });

  // Declarations: rules named `...Decl`; their first keyword is a declaration keyword, and when the
  // keyword is followed by `name` that name is being declared (`dataset NAME`, `let NAME`).
  const nameRule = productions.find((r) => r.definition.length === 1 && r.definition[0].type === "Terminal" && r.definition[0].name === tokens.Identifier.name)?.name;
  const declarations = new Set();
  const namedDeclarations = [];
  // Top-level constructs: the rule the start rule repeats, and the rules it chooses between.
  const topRule = productions[0].definition.find((el) => el.type === "Repetition")?.definition[0]?.name;
  const topDef = rules.get(topRule)?.definition ?? [];
  const topLevel = new Set(topDef.length === 1 && topDef[0].type === "Alternation" ? topDef[0].definition.map((a) => a.definition[0]?.name) : [topRule]);
  for (const r of productions) {
    if (!/Decl$/.test(r.name)) continue;
    const seq = r.definition;
    if (!isKw(seq[0]) || !reservedSet.has(word(seq[0]))) continue;
    declarations.add(word(seq[0]));
    if (seq[1]?.type === "NonTerminal" && seq[1].name === nameRule) namedDeclarations.push({ word: word(seq[0]), topLevel: topLevel.has(r.name) });
  }

  // Soft keywords that start a clause: keyword occurrences in FIRST of a clause rule.
  const clauses = clauseRules(productions, tokens);
  const clauseFirstNodes = new Set();
  for (const r of clauses) for (const t of first(r)) clauseFirstNodes.add(t);
  const clauseStarts = new Set([...clauseFirstNodes].filter((t) => isKw(t) && softSet.has(word(t))).map(word));

  // Phrases: runs of at least two fixed elements (keywords, a one-keyword-per-alternative choice,
  // a number) with a soft keyword among them.
  const phraseNodes = new Set();
  const phraseKeys = new Set();
  const phrases = [];
  const element = (el) => {
    if (isKw(el)) return { words: [word(el)], nodes: [el] };
    if (el.type === "Terminal" && el.name === tokens.NumberLiteral.name) return { number: true, nodes: [] };
    if (el.type === "Alternation" && el.definition.every((a) => a.definition.length === 1 && isKw(a.definition[0]))) {
      return { words: el.definition.map((a) => word(a.definition[0])), nodes: el.definition.map((a) => a.definition[0]) };
    }
    return null;
  };
  const flush = (run) => {
    while (run.length && run[0].number) run.shift();
    if (run.length < 2 || !run.some((e) => e.words?.some((w) => softSet.has(w)))) return;
    const key = run.map((e) => (e.number ? "N" : e.words.join("|"))).join(" ");
    for (const e of run) for (const n of e.nodes) phraseNodes.add(n);
    if (phraseKeys.has(key)) return;
    phraseKeys.add(key);
    phrases.push(run.map((e) => (e.number ? { number: true } : { words: e.words })));
  };
  forEachSequence(productions, (seq) => {
    let run = [];
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

  // Modifiers: soft keywords with an occurrence that is neither a clause start nor in a phrase.
  const modifiers = new Set();
  forEachTerminal(productions, (t) => {
    if (isKw(t) && softSet.has(word(t)) && !clauseFirstNodes.has(t) && !phraseNodes.has(t)) modifiers.add(word(t));
  });
  // A soft keyword the grammar never mentions still gets highlighted somewhere.
  const used = new Set([...clauseStarts, ...modifiers, ...phrases.flatMap((p) => p.flatMap((e) => e.words ?? []))]);
  for (const w of soft) if (!used.has(w)) modifiers.add(w);

  const control = reserved.filter((w) => !constants.has(w) && !declarations.has(w));
  const order = (set, list) => list.filter((w) => set.has(w));
  return {
    reserved,
    soft,
    constants: order(constants, reserved),
    declarations: order(declarations, reserved),
    control,
    namedDeclarations,
    clauseStarts: order(clauseStarts, soft),
    phrases,
    modifiers: order(modifiers, soft),
  };
}

// ------------------------------------------------------------------------------------------ EBNF

function terminalText(t) {
  return t.label ?? t.name;
}

function ebnfSeq(seq) {
  return seq.map(ebnfEl).join(" ");
}

function grouped(seq) {
  return seq.length === 1 && seq[0].type !== "Alternation" ? ebnfSeq(seq) : `( ${ebnfSeq(seq)} )`;
}

function ebnfEl(el) {
  switch (el.type) {
    case "Terminal":
      return terminalText(el);
    case "NonTerminal":
      return el.name;
    case "Option":
      return `[ ${ebnfSeq(el.definition)} ]`;
    case "Repetition":
      return `{ ${ebnfSeq(el.definition)} }`;
    case "RepetitionMandatory":
      return `{ ${ebnfSeq(el.definition)} }+`;
    case "RepetitionWithSeparator":
      return `[ ${grouped(el.definition)} { ${terminalText(el.separator)} ${grouped(el.definition)} } ]`;
    case "RepetitionMandatoryWithSeparator":
      return `${grouped(el.definition)} { ${terminalText(el.separator)} ${grouped(el.definition)} }`;
    case "Alternation":
      return `( ${el.definition.map((a) => ebnfSeq(a.definition) || "ε").join(" | ")} )`;
    case "Alternative":
      return ebnfSeq(el.definition);
    default:
      throw new Error(`Unknown GAST node type ${el.type}`);
  }
}

/** One EBNF production per rule; a rule that is one choice lists its alternatives on separate lines. */
export function ebnf(productions) {
  const width = Math.max(...productions.map((r) => r.name.length));
  return productions
    .map((r) => {
      const pad = " ".repeat(width - r.name.length);
      const def = r.definition;
      if (def.length === 1 && def[0].type === "Alternation" && def[0].definition.length > 1) {
        const alts = def[0].definition.map((a) => ebnfSeq(a.definition) || "ε");
        const indent = " ".repeat(width + 1);
        return `${r.name}${pad} = ${alts[0]}\n${alts.slice(1).map((a) => `${indent}| ${a}`).join("\n")}\n${indent};`;
      }
      return `${r.name}${pad} = ${ebnfSeq(def) || "ε"} ;`;
    })
    .join("\n");
}

function mdCode(text) {
  const s = String(text).replace(/\|/g, "\\|");
  return s.includes("`") ? `\`\` ${s} \`\`` : `\`${s}\``;
}

/** The generated part of grammar/README.md (between the markers, markers excluded). */
export function readmeBlock(productions, tokens) {
  const kw = analyzeKeywords(productions, tokens);
  const lexical = tokens.LEXER_TOKENS.filter((t) => typeof t.PATTERN === "object" && t.PATTERN instanceof RegExp);
  const rows = lexical.map((t) => {
    const notes = [];
    if (t.GROUP === "comments") notes.push("comment, kept for the formatter");
    else if (t.GROUP !== undefined) notes.push("skipped");
    if (t.CATEGORIES?.length) notes.push(`also matches as ${t.CATEGORIES.map((c) => c.name).join(", ")}`);
    return `| ${t.name} | ${mdCode(t.PATTERN.source)} | ${notes.join("; ")} |`;
  });
  const list = (words) => words.map((w) => `\`${w}\``).join(" ");
  const phrase = (p) => p.map((e) => (e.number ? "N" : e.words.length > 1 ? `(${e.words.join(" | ")})` : e.words[0])).join(" ");
  return [
    "",
    "_Generated by `grammar/generate.mjs` from the parser and `packages/language/src/syntax/tokens.ts`; do not edit by hand._",
    "",
    "### Grammar reference",
    "",
    `One production per parser rule (${productions.length} rules), in the parser's order, starting with \`${productions[0].name}\`.`,
    "Notation: `'word'` a keyword or punctuation token; `Name` a token class (see the token table);",
    "`[ x ]` optional; `{ x }` zero or more; `{ x }+` one or more; `( a | b )` a choice;",
    "`x { ',' x }` a comma-separated list. Gates (lookahead checks) are not shown.",
    "",
    "```ebnf",
    ebnf(productions),
    "```",
    "",
    "### Tokens",
    "",
    "In lexer order: at each position the first pattern that matches wins. Words are lexed as",
    "`Identifier` and then retyped when they are keywords.",
    "",
    "| Token | Pattern | Notes |",
    "| --- | --- | --- |",
    ...rows,
    "",
    "### Keywords",
    "",
    `Reserved (never names): ${list(kw.reserved)}.`,
    "",
    `Soft (keywords in one place, names everywhere else): ${list(kw.soft)}.`,
    "",
    "How the TextMate grammar highlights them (derived from the productions):",
    "",
    `- literal constants (\`constant.language\`): ${list(kw.constants)}`,
    `- declarations (\`keyword.other.declaration\`): ${list(kw.declarations)}; the declared name of ${list(kw.namedDeclarations.map((d) => d.word))} is an \`entity.name\``,
    `- other reserved words (\`keyword.control\`): ${list(kw.control)}`,
    `- clause starts, at the start of a line (\`keyword.other.clause\`): ${list(kw.clauseStarts)}`,
    `- phrases (\`keyword.other\`): ${kw.phrases.map((p) => `\`${phrase(p)}\``).join(", ")}`,
    `- modifiers anywhere, unless followed by \`:\`, \`(\`, \`.\` or \`=\` (\`keyword.other.modifier\`): ${list(kw.modifiers)}`,
    "",
  ].join("\n");
}

/** Replaces the generated block of a README (the markers must be present). */
export function replaceGenerated(readme, block) {
  const a = readme.indexOf(GENERATED_START);
  const b = readme.indexOf(GENERATED_END);
  if (a < 0 || b < a) throw new Error(`grammar/README.md must contain ${GENERATED_START} ... ${GENERATED_END}`);
  return readme.slice(0, a + GENERATED_START.length) + "\n" + block + "\n" + readme.slice(b);
}

/** The generated block of a README, as `replaceGenerated` writes it (null without markers). */
export function extractGenerated(readme) {
  const a = readme.indexOf(GENERATED_START);
  const b = readme.indexOf(GENERATED_END);
  if (a < 0 || b < a) return null;
  return readme.slice(a + GENERATED_START.length + 1, b - 1);
}

// ------------------------------------------------------------------------------------- railroads

/** chevrotain, resolved from packages/language (whose dependency it is). */
function chevrotainEntry() {
  const require = createRequire(new URL("../packages/language/package.json", import.meta.url));
  return require.resolve("chevrotain");
}

/**
 * The railroad diagrams: chevrotain's `createSyntaxDiagramsCode`, with its stylesheet and
 * scripts (chevrotain's diagrams/ folder and the CC0 railroad-diagrams library it vendors)
 * inlined, so the page works offline and from a file:// URL.
 */
export async function railroadHtml(productions) {
  const entry = chevrotainEntry();
  const { createSyntaxDiagramsCode, VERSION } = await import(pathToFileURL(entry).href);
  const diagrams = join(dirname(entry), "..", "..", "diagrams");
  const html = createSyntaxDiagramsCode(productions, { resourceBase: "inline:", css: "inline:diagrams.css" });
  const read = (rel) => readFileSync(join(diagrams, rel), "utf8").replace(/\r\n/g, "\n").trimEnd();
  let out = html
    .replace("<!-- This is a generated file -->", `<!-- Generated by grammar/generate.mjs from the parser with chevrotain ${VERSION}'s createSyntaxDiagramsCode; do not edit: ${REGENERATE_HINT}. Scripts and styles are inlined from chevrotain/diagrams (Apache-2.0; railroad-diagrams by Tab Atkins Jr., CC0). -->`)
    .replace(/<link rel='stylesheet' href='inline:([^']+)'>/g, (_m, rel) => `<style>\n${read(rel)}\n</style>`)
    .replace(/<script src='inline:([^']+)'><\/script>/g, (_m, rel) => `<script>\n${read(rel)}\n</script>`);
  if (/(?:src|href)=['"]/.test(out)) throw new Error("railroad.html still references an external resource");
  out = out.replace(/[ \t]+$/gm, "");
  return out.endsWith("\n") ? out : out + "\n";
}

// ------------------------------------------------------------------------------------- TextMate

const SCOPE = ".kpi";

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function wordAlternation(words) {
  return [...words].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(escapeRegExp).join("|");
}

/** Scope of each punctuation/operator token; generation fails when a lexer token has none. */
const TOKEN_SCOPES = {
  PlusMinus: "keyword.operator.tolerance",
  Arrow: "keyword.operator.relation",
  Plus: "keyword.operator.arithmetic",
  Minus: "keyword.operator.arithmetic",
  Star: "keyword.operator.arithmetic",
  Slash: "keyword.operator.arithmetic",
  PercentSign: "keyword.operator.arithmetic",
  DotDot: "keyword.operator.range",
  Dot: "punctuation.accessor",
  Comma: "punctuation.separator.comma",
  Colon: "punctuation.separator.colon",
  Question: "keyword.operator.optional",
  At: "punctuation.definition.annotation",
  LParen: "punctuation.section.parens.begin",
  RParen: "punctuation.section.parens.end",
  LCurly: "punctuation.section.block.begin",
  RCurly: "punctuation.section.block.end",
};
/** Lexer tokens with dedicated patterns in the grammar (words, literals, comments, tables). */
const TOKENS_WITH_RULES = new Set(["WhiteSpace", "Comment", "TableRow", "StringLiteral", "UnterminatedString", "TemporalLiteral", "NumberLiteral", "QuotedIdentifier", "Identifier"]);

/**
 * The TextMate grammar (scopeName `source.kpi`), generated from the token definitions, the
 * keyword classification of `analyzeKeywords` and the function registry.
 */
export function textMateGrammar({ productions, tokens, functions }) {
  const kw = analyzeKeywords(productions, tokens);
  const comparator = tokens.Comparator;
  const ident = tokens.Identifier.PATTERN.source;
  const quoted = tokens.QuotedIdentifier.PATTERN.source;
  const NAME = `(?:${ident}|${quoted})`;
  const wordStart = "(?<![\\w.`])";
  const notAName = "(?![\\t ]*[:(.=])";
  const s = (name) => name + SCOPE;
  const lexerNames = tokens.LEXER_TOKENS.map((t) => t.name);
  for (const n of lexerNames) {
    const isComparator = tokens.LEXER_TOKENS.find((t) => t.name === n).CATEGORIES?.includes(comparator);
    if (!TOKENS_WITH_RULES.has(n) && !TOKEN_SCOPES[n] && !isComparator) throw new Error(`Token ${n} has no TextMate scope: add it to TOKEN_SCOPES in grammar/lib.mjs`);
  }
  const comparators = tokens.LEXER_TOKENS.filter((t) => t.CATEGORIES?.includes(comparator));

  const repository = {};
  const patterns = [];
  const add = (key, rule) => {
    repository[key] = rule;
    patterns.push({ include: `#${key}` });
  };

  repository.comment = {
    match: tokens.Comment.PATTERN.source.replace(/^\\\/\\\//, "(//)"),
    name: s("comment.line.double-slash"),
    captures: { 1: { name: s("punctuation.definition.comment") } },
  };
  repository.string = {
    name: s("string.quoted.double"),
    begin: '"',
    beginCaptures: { 0: { name: s("punctuation.definition.string.begin") } },
    end: '"|$',
    endCaptures: { 0: { name: s("punctuation.definition.string.end") } },
    patterns: [{ match: "\\\\(?:u\\{[0-9A-Fa-f]{1,6}\\}|.)", name: s("constant.character.escape") }],
  };
  repository.temporal = { match: `\\b(?:${tokens.TemporalLiteral.PATTERN.source})`, name: s("constant.numeric.date") };
  repository.number = { match: `\\b(?:${tokens.NumberLiteral.PATTERN.source})`, name: s("constant.numeric") };

  patterns.push({ include: "#comment" });
  add("table-row", {
    name: s("meta.table.row"),
    begin: "^[\\t ]*(\\|)",
    beginCaptures: { 1: { name: s("punctuation.separator.table") } },
    end: "$",
    patterns: [
      { include: "#string" },
      { match: "\\|", name: s("punctuation.separator.table") },
      { match: "(//)[^|]*$", name: s("comment.line.double-slash"), captures: { 1: { name: s("punctuation.definition.comment") } } },
      { include: "#temporal" },
      { include: "#number" },
    ],
  });
  patterns.push({ include: "#string" });

  // Declarations: `dataset NAME`, `kpi NAME`, `rule NAME`, `let NAME[: type]`.
  add("declaration", {
    patterns: kw.namedDeclarations.map((d) => {
      const entity = d.topLevel ? (d.word === "dataset" ? "entity.name.type" : "entity.name.function") : "entity.name.variable";
      const typed = d.topLevel ? "" : `(?:[\\t ]*(:)[\\t ]*(${NAME})(\\?)?)?`;
      const rule = {
        match: `${wordStart}\\b(${escapeRegExp(d.word)})[\\t ]+(${NAME})${typed}`,
        captures: { 1: { name: s("keyword.other.declaration") }, 2: { name: s(`${entity}.${d.word}`) } },
      };
      if (typed) Object.assign(rule.captures, { 3: { name: s("punctuation.separator.colon") }, 4: { name: s("storage.type") }, 5: { name: s("keyword.operator.optional") } });
      return rule;
    }),
  });
  // Column declarations: `name: type[?]` at the start of a line.
  add("column", {
    match: `^[\\t ]*(${NAME})[\\t ]*(:)[\\t ]*(${NAME})(\\?)?`,
    captures: {
      1: { name: s("variable.other.member.column") },
      2: { name: s("punctuation.separator.colon") },
      3: { name: s("storage.type") },
      4: { name: s("keyword.operator.optional") },
    },
  });
  // Fixed word runs (`higher is better`, `min samples 30`, `on no data`), also at a line start.
  add("phrase", {
    patterns: kw.phrases.map((p) => {
      const captures = {};
      const parts = p.map((e, i) => {
        captures[i + 1] = { name: e.number ? s("constant.numeric") : kw.reserved.includes(e.words[0]) ? s("keyword.control") : s("keyword.other") };
        return e.number ? `(${tokens.NumberLiteral.PATTERN.source})` : `(${wordAlternation(e.words)})`;
      });
      return { match: `(?:^[\\t ]*)?${wordStart}\\b${parts.join("[\\t ]+")}\\b`, captures };
    }),
  });
  // Soft keywords that start a clause, at the start of a line (`value ...`, `target ...`).
  add("clause", {
    match: `^[\\t ]*(${wordAlternation(kw.clauseStarts)})\\b${notAName}`,
    captures: { 1: { name: s("keyword.other.clause") } },
  });
  add("function-call", {
    match: `${wordStart}\\b(${wordAlternation([...functions.keys()])})(?=[\\t ]*\\()`,
    captures: { 1: { name: s("support.function") } },
  });
  add("perspective", {
    match: `(@)[\\t ]*(${NAME})`,
    name: s("storage.modifier.perspective"),
    captures: { 1: { name: s("punctuation.definition.annotation") } },
  });
  add("quoted-name", { match: quoted, name: s("variable.other.quoted") });
  patterns.push({ include: "#temporal" }, { include: "#number" });
  add("keyword", {
    patterns: [
      { match: `${wordStart}\\b(${wordAlternation(kw.constants)})\\b`, name: s("constant.language") },
      { match: `${wordStart}\\b(${wordAlternation(kw.declarations)})\\b`, name: s("keyword.other.declaration") },
      { match: `${wordStart}\\b(${wordAlternation(kw.control)})\\b`, name: s("keyword.control") },
      { match: `${wordStart}\\b(${wordAlternation(kw.modifiers)})\\b${notAName}`, name: s("keyword.other.modifier") },
    ],
  });
  const tokenRule = (t, scope) => ({ match: t.PATTERN.source, name: s(scope) });
  const byName = (n) => tokens.LEXER_TOKENS.find((t) => t.name === n);
  add("operator", {
    patterns: [
      tokenRule(tokens.PlusMinus, TOKEN_SCOPES.PlusMinus),
      tokenRule(tokens.Arrow, TOKEN_SCOPES.Arrow),
      { match: comparators.map((t) => t.PATTERN.source).join("|"), name: s("keyword.operator.comparison") },
      ...lexerNames.filter((n) => TOKEN_SCOPES[n]?.startsWith("keyword.operator") && n !== "PlusMinus" && n !== "Arrow").map((n) => tokenRule(byName(n), TOKEN_SCOPES[n])),
    ],
  });
  add("punctuation", {
    patterns: lexerNames.filter((n) => TOKEN_SCOPES[n] && !TOKEN_SCOPES[n].startsWith("keyword.operator")).map((n) => tokenRule(byName(n), TOKEN_SCOPES[n])),
  });

  return {
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    name: "Yardstick KPI",
    scopeName: "source.kpi",
    fileTypes: ["kpi"],
    comment: `Generated by grammar/generate.mjs from packages/language/src/syntax/tokens.ts, the parser's productions and the function registry; do not edit: ${REGENERATE_HINT}.`,
    patterns,
    repository,
  };
}

export function textMateJson(input) {
  return JSON.stringify(textMateGrammar(input), null, 2) + "\n";
}
