export * from "./span.js";
export * from "./diagnostics.js";
export * from "./did-you-mean.js";
export * from "./model.js";
export * from "./time.js";
export * from "./print-expr.js";
export * from "./words.js";
