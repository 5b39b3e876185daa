/**
 * The editor's light and dark themes: monaco's `vs` / `vs-dark` with colours for the scopes of
 * ./highlight.ts (a rule for `keyword` also colours `keyword.soft` unless that has its own).
 * Plain data in monaco's `IStandaloneThemeData` shape; no monaco import.
 */

export const LIGHT_THEME = "yardstick-light";
export const DARK_THEME = "yardstick-dark";

export interface ThemeRule {
  token: string;
  foreground?: string;
  fontStyle?: string;
}

export interface ThemeData {
  base: "vs" | "vs-dark";
  inherit: boolean;
  rules: ThemeRule[];
  colors: Record<string, string>;
}

type Palette = Record<string, string | [string, string]>;

const rules = (p: Palette): ThemeRule[] =>
  Object.entries(p).map(([token, c]) => (typeof c === "string" ? { token, foreground: c } : { token, foreground: c[0], fontStyle: c[1] }));

export const THEMES: Readonly<Record<typeof LIGHT_THEME | typeof DARK_THEME, ThemeData>> = {
  [LIGHT_THEME]: {
    base: "vs",
    inherit: true,
    rules: rules({
      "": "1F2328",
      keyword: "AF00DB",
      "keyword.declaration": ["0000FF", "bold"],
      "keyword.soft": "0000FF",
      "keyword.constant": "0000FF",
      predefined: "795E26",
      number: "098658",
      "number.date": "0A7B83",
      string: "A31515",
      "string.invalid": ["A31515", "italic"],
      comment: ["008000", "italic"],
      operator: "383A42",
      delimiter: "383A42",
      "delimiter.bracket": "383A42",
      "delimiter.table": "8C959F",
      type: "267F99",
      identifier: "001080",
      "identifier.declaration": ["001080", "bold"],
      "identifier.quoted": "001080",
      annotation: "B5200D",
      invalid: ["E51400", "underline"],
    }),
    colors: {},
  },
  [DARK_THEME]: {
    base: "vs-dark",
    inherit: true,
    rules: rules({
      "": "D4D4D4",
      keyword: "C586C0",
      "keyword.declaration": ["569CD6", "bold"],
      "keyword.soft": "569CD6",
      "keyword.constant": "569CD6",
      predefined: "DCDCAA",
      number: "B5CEA8",
      "number.date": "4FC1C9",
      string: "CE9178",
      "string.invalid": ["CE9178", "italic"],
      comment: ["6A9955", "italic"],
      operator: "D4D4D4",
      delimiter: "D4D4D4",
      "delimiter.bracket": "D4D4D4",
      "delimiter.table": "6E7681",
      type: "4EC9B0",
      identifier: "9CDCFE",
      "identifier.declaration": ["4FC1FF", "bold"],
      "identifier.quoted": "9CDCFE",
      annotation: "D7BA7D",
      invalid: ["F44747", "underline"],
    }),
    colors: {},
  },
};
