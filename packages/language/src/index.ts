export * from "./syntax/ast.js";
export { parse, getParser, type ParseResult } from "./syntax/parse.js";
export { lex } from "./syntax/lexer.js";
export * as tokens from "./syntax/tokens.js";
