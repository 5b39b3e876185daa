export { explain } from "./explain.js";
export { printExpr } from "./print-expr.js";
export type { ExplainNode, ExplainNodeKind, ExplainOptions, ExplainTree, ExplainValue, RowSample } from "./types.js";
