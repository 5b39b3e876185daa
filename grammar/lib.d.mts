// Types for grammar/lib.mjs (imported by test/grammar/grammar-drift.test.ts).
import type { ISerializedGast, TokenType } from "chevrotain";

export declare const GENERATED_START: string;
export declare const GENERATED_END: string;
export declare const REGENERATE_HINT: string;

/** The token module of @yardstick/language (`tokens`). */
export interface TokenModule {
  RESERVED_KEYWORDS: readonly TokenType[];
  SOFT_KEYWORDS: readonly TokenType[];
  LEXER_TOKENS: readonly TokenType[];
  KEYWORD_BY_WORD: ReadonlyMap<string, TokenType>;
  [name: string]: unknown;
}

export interface PhraseElement {
  words?: string[];
  number?: true;
}

export interface KeywordAnalysis {
  reserved: string[];
  soft: string[];
  constants: string[];
  declarations: string[];
  control: string[];
  namedDeclarations: { word: string; topLevel: boolean }[];
  clauseStarts: string[];
  phrases: PhraseElement[][];
  modifiers: string[];
}

export declare function productionsJson(productions: ISerializedGast[]): string;
export declare function analyzeKeywords(productions: ISerializedGast[], tokens: TokenModule): KeywordAnalysis;
export declare function ebnf(productions: ISerializedGast[]): string;
export declare function readmeBlock(productions: ISerializedGast[], tokens: TokenModule): string;
export declare function replaceGenerated(readme: string, block: string): string;
export declare function extractGenerated(readme: string): string | null;
export declare function railroadHtml(productions: ISerializedGast[]): Promise<string>;
export declare function textMateGrammar(input: { productions: ISerializedGast[]; tokens: TokenModule; functions: ReadonlyMap<string, unknown> }): Record<string, unknown>;
export declare function textMateJson(input: { productions: ISerializedGast[]; tokens: TokenModule; functions: ReadonlyMap<string, unknown> }): string;
