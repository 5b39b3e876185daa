import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * The token vocabulary of the `.kpi` language. The parser, the TextMate grammar, the railroad
 * diagrams and the editor's highlighting all derive from these definitions.
 */

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
/** `` `any text` `` names a column whose name is not a plain word. */
export const QuotedIdentifier = createToken({
  name: "QuotedIdentifier",
  pattern: /`[^`\n\r]*`/,
  categories: [Identifier],
});

const reserved: TokenType[] = [];
const soft: TokenType[] = [];

function keyword(word: string, kind: "reserved" | "soft"): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1).replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
  const t = createToken({
    name: kind === "reserved" ? name : `Kw${name}`,
    pattern: Lexer.NA,
    categories: kind === "soft" ? [Identifier] : [],
    label: `'${word}'`,
  });
  (kind === "reserved" ? reserved : soft).push(t);
  return t;
}

// Reserved words: never names.
export const And = keyword("and", "reserved");
export const Or = keyword("or", "reserved");
export const Not = keyword("not", "reserved");
export const In = keyword("in", "reserved");
export const Is = keyword("is", "reserved");
export const Null = keyword("null", "reserved");
export const True = keyword("true", "reserved");
export const False = keyword("false", "reserved");
export const Case = keyword("case", "reserved");
export const When = keyword("when", "reserved");
export const Then = keyword("then", "reserved");
export const Else = keyword("else", "reserved");
export const End = keyword("end", "reserved");
export const Between = keyword("between", "reserved");
export const Where = keyword("where", "reserved");
export const Per = keyword("per", "reserved");
export const Over = keyword("over", "reserved");
export const Last = keyword("last", "reserved");
export const By = keyword("by", "reserved");
export const From = keyword("from", "reserved");
export const Dataset = keyword("dataset", "reserved");
export const Kpi = keyword("kpi", "reserved");
export const Rule = keyword("rule", "reserved");
export const Test = keyword("test", "reserved");
export const Import = keyword("import", "reserved");
export const Let = keyword("let", "reserved");
export const Given = keyword("given", "reserved");
export const Expect = keyword("expect", "reserved");

// Soft keywords: words with a meaning in one place that stay usable as names everywhere else.
export const KwYardstick = keyword("yardstick", "soft");
export const KwDescription = keyword("description", "soft");
export const KwOwner = keyword("owner", "soft");
export const KwTags = keyword("tags", "soft");
export const KwValue = keyword("value", "soft");
export const KwUnit = keyword("unit", "soft");
export const KwFormat = keyword("format", "soft");
export const KwDecimals = keyword("decimals", "soft");
export const KwHigher = keyword("higher", "soft");
export const KwLower = keyword("lower", "soft");
export const KwBetter = keyword("better", "soft");
export const KwMin = keyword("min", "soft");
export const KwSamples = keyword("samples", "soft");
export const KwTarget = keyword("target", "soft");
export const KwStatus = keyword("status", "soft");
export const KwOtherwise = keyword("otherwise", "soft");
export const KwZone = keyword("zone", "soft");
export const KwKey = keyword("key", "soft");
export const KwTime = keyword("time", "soft");
export const KwOn = keyword("on", "soft");
export const KwBad = keyword("bad", "soft");
export const KwRows = keyword("rows", "soft");
export const KwSeverity = keyword("severity", "soft");
export const KwMessage = keyword("message", "soft");
export const KwRecover = keyword("recover", "soft");
export const KwFor = keyword("for", "soft");
export const KwPeriods = keyword("periods", "soft");
export const KwPeriod = keyword("period", "soft");
export const KwNo = keyword("no", "soft");
export const KwData = keyword("data", "soft");
export const KwOf = keyword("of", "soft");
export const KwAlert = keyword("alert", "soft");
export const KwFiring = keyword("firing", "soft");
export const KwTo = keyword("to", "soft");
export const KwAs = keyword("as", "soft");

export const RESERVED_KEYWORDS: readonly TokenType[] = reserved;
export const SOFT_KEYWORDS: readonly TokenType[] = soft;

/** Word → keyword token type; the lexer matches words as identifiers and retypes them here. */
export const KEYWORD_BY_WORD: ReadonlyMap<string, TokenType> = new Map(
  [...reserved, ...soft].map((t) => [String(t.LABEL).slice(1, -1), t]),
);

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /\/\/[^\n\r]*/, group: "comments" });
/** A pipe-table row: from `|` to the end of the line, one token; cells are split later. */
export const TableRow = createToken({ name: "TableRow", pattern: /\|[^\n\r]*/, line_breaks: false });
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\n\r]|\\.)*"/ });
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\n\r]|\\.)*/ });
/** Bare dates, timestamps and periods: 2025-01-05, 2025-01-05T10:00Z, 2025-01, 2025-Q1, 2025-W02. */
export const TemporalLiteral = createToken({
  name: "TemporalLiteral",
  pattern: /\d{4}-(?:W\d\d|Q\d|\d\d(?:-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?)?)(?![\w-])/,
});
export const NumberLiteral = createToken({ name: "NumberLiteral", pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/ });

/** Comparison operators, as a category for the parser. */
export const Comparator = createToken({ name: "Comparator", pattern: Lexer.NA });
export const PlusMinus = createToken({ name: "PlusMinus", pattern: /\+-|±/, label: "'±'" });
export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "'->'" });
export const GreaterEq = createToken({ name: "GreaterEq", pattern: />=/, label: "'>='", categories: [Comparator] });
export const LessEq = createToken({ name: "LessEq", pattern: /<=/, label: "'<='", categories: [Comparator] });
export const NotEq = createToken({ name: "NotEq", pattern: /!=|<>/, label: "'!='", categories: [Comparator] });
export const Equals = createToken({ name: "Equals", pattern: /==?/, label: "'='", categories: [Comparator] });
export const Greater = createToken({ name: "Greater", pattern: />/, label: "'>'", categories: [Comparator] });
export const Less = createToken({ name: "Less", pattern: /</, label: "'<'", categories: [Comparator] });
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: "'-'" });
export const Star = createToken({ name: "Star", pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: "Slash", pattern: /\//, label: "'/'" });
export const PercentSign = createToken({ name: "PercentSign", pattern: /%/, label: "'%'" });
export const DotDot = createToken({ name: "DotDot", pattern: /\.\./, label: "'..'" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "'.'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'" });
export const Question = createToken({ name: "Question", pattern: /\?/, label: "'?'" });
export const At = createToken({ name: "At", pattern: /@/, label: "'@'" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "'{'" });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "'}'" });


/** Lexer order matters: longer and more specific patterns first. */
export const LEXER_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  TableRow,
  StringLiteral,
  UnterminatedString,
  TemporalLiteral,
  NumberLiteral,
  PlusMinus,
  Arrow,
  GreaterEq,
  LessEq,
  NotEq,
  Equals,
  Greater,
  Less,
  Plus,
  Minus,
  Star,
  Slash,
  PercentSign,
  DotDot,
  Dot,
  Comma,
  Colon,
  Question,
  At,
  LParen,
  RParen,
  LCurly,
  RCurly,
  QuotedIdentifier,
  Identifier,
];

/** Everything the parser knows, including token types the lexer never produces directly. */
export const ALL_TOKENS: TokenType[] = [...LEXER_TOKENS, Comparator, ...RESERVED_KEYWORDS, ...SOFT_KEYWORDS];
