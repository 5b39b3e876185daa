import { describe, expect, it } from "vitest";
import { classifyKeywords, languageKeywords, type GastNode, type TokenModule } from "./keywords.js";
import { KpiParser } from "./parser.js";
import * as T from "./tokens.js";

describe("keyword classification", () => {
  const kw = languageKeywords();

  it("puts every keyword of the token module in exactly one class", () => {
    const reserved = [...kw.constants, ...kw.declarations, ...kw.control];
    expect([...reserved].sort()).toEqual([...kw.reserved].sort());
    expect(new Set(reserved).size).toBe(reserved.length);
    const phraseWords = kw.phrases.flatMap((p) => p.flatMap((e) => ("words" in e ? e.words : [])));
    for (const w of kw.soft) expect(kw.clauseStarts.includes(w) || kw.modifiers.includes(w) || phraseWords.includes(w), w).toBe(true);
  });

  it("derives the classes from the grammar's structure", () => {
    expect(kw.constants).toEqual(expect.arrayContaining(["true", "false", "null"]));
    expect(kw.declarations).toEqual(expect.arrayContaining(["dataset", "kpi", "rule", "test", "let", "import"]));
    expect(kw.control).toEqual(expect.arrayContaining(["where", "by", "and", "case", "when"]));
    expect(kw.clauseStarts).toEqual(expect.arrayContaining(["value", "target", "format", "unit"]));
    const phrases = kw.phrases.map((p) => p.map((e) => ("words" in e ? e.words.join("|") : "N")).join(" "));
    expect(phrases).toEqual(expect.arrayContaining(["higher|lower is better", "min samples N", "on no data", "recover when"]));
    const named = Object.fromEntries(kw.namedDeclarations.map((d) => [d.word, d.topLevel]));
    expect(named).toMatchObject({ dataset: true, kpi: true, let: false });
  });

  it("is the same from the parser's productions as serialized for grammar/ (JSON round trip)", () => {
    const productions = JSON.parse(JSON.stringify(new KpiParser().getSerializedGastProductions())) as GastNode[];
    expect(classifyKeywords(productions, T as unknown as TokenModule)).toEqual(kw);
  });
});

describe("the model's printer", () => {
  it("backquotes exactly the reserved words of the token module", async () => {
    const { RESERVED_WORDS } = await import("@yardstick/model");
    expect([...RESERVED_WORDS].sort()).toEqual([...languageKeywords().reserved].sort());
  });
});
