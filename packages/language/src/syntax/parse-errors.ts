import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";

const RULE_WORDS: Record<string, string> = {
  file: "a definition",
  topLevel: "a definition (dataset, kpi, rule, test or import)",
  datasetMember: "a column, `let`, `zone` or `on bad rows`",
  columnModifier: "a column modifier",
  kpiClause: "a KPI clause (from, value, by, target, status, ...)",
  ruleClause: "a rule clause (when, recover when, severity, message, on no data, by)",
  testClause: "`given`, `expect` or `as of`",
  expectClause: "an expectation",
  expectTail: "`=` or `is null`",
  statusArm: "a status line (`label when condition` or `label otherwise`)",
  primary: "a value",
  unary: "a value",
  expression: "an expression",
};

function tokenLabel(t: TokenType): string {
  if (t.LABEL) return t.LABEL;
  switch (t.name) {
    case "Identifier": return "a name";
    case "StringLiteral": return "a string";
    case "NumberLiteral": return "a number";
    case "TemporalLiteral": return "a date";
    case "TableRow": return "a table row";
    case "Comparator": return "a comparison (>=, <=, =, ...)";
    default: return t.name;
  }
}

function found(t: IToken): string {
  if (t.tokenType.name === "EOF") return "the end of the file";
  const image = t.image.length > 30 ? t.image.slice(0, 30) + "…" : t.image;
  return `"${image}"`;
}

function alternatives(paths: TokenType[][][]): string {
  const firsts = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) firsts.add(tokenLabel(path[0]));
  const list = [...firsts];
  if (list.length <= 1) return list[0] ?? "something else";
  if (list.length > 8) return list.slice(0, 8).join(", ") + ", …";
  return list.slice(0, -1).join(", ") + " or " + list[list.length - 1];
}

/** Error messages in the project's voice: what was expected, what was found. */
export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `Expected ${tokenLabel(expected)} but found ${found(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Unexpected ${found(firstRedundant)}: expected a dataset, kpi, rule, test or import.`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const what = RULE_WORDS[ruleName];
    return what
      ? `Expected ${what} but found ${found(actual[0]!)}.`
      : `Expected ${alternatives(expectedPathsPerAlt)} but found ${found(actual[0]!)}.`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const what = RULE_WORDS[ruleName];
    return `Expected ${what ?? alternatives([expectedIterationPaths])} but found ${found(actual[0]!)}.`;
  },
};
