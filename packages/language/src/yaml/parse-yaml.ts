import { isScalar, isSeq, Lexer, parseDocument, visit, type Node } from "yaml";
import { diagnostic, sortDiagnostics, type Diagnostic, type Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import type { ParseResult } from "../syntax/parse.js";
import { toPlain } from "./plain.js";
import { ReadContext, type Entry } from "./read-context.js";
import { readDataset, readKpi, readRule } from "./read-definitions.js";
import { readTest, type RowComments } from "./read-tests.js";
import { contentRange } from "./scalar-text.js";
import { DEFINITION_KEY } from "./schema.js";
import { validateYaml } from "./validate.js";

/** A `.kpi.yaml` file name (`.kpi.yml` too). */
export const isYamlSpec = (path: string): boolean => /\.kpi\.ya?ml$/i.test(path);

export interface YamlParseResult extends ParseResult {
  /** Comments after fixture rows, which `.kpi` writes inside the row (`| a | b | // note`). */
  rowComments: RowComments;
  /** What yamlToKpi needs to print the tree (see yaml-to-kpi.ts). */
  layout: { opaque: Span[]; quotes: number[]; comments: Span[] };
}

/**
 * `.kpi.yaml` text to the same syntax tree `.kpi` text gives, with every span an offset into the
 * YAML text. YAML syntax errors are `yaml-syntax`, keys that do not exist `yaml-unknown-key`,
 * values of the wrong shape `yaml-invalid`; expressions are read by the `.kpi` parser at their
 * place in the YAML text, so their problems have the `.kpi` codes and YAML positions. Never
 * throws on user input.
 */
export function parseYaml(text: string, file = "<input>"): YamlParseResult {
  const doc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const message = e.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, "").trim();
    diagnostics.push(diagnostic("yaml-syntax", { text: /[.!?]$/.test(message) ? message : `${message}.` }, { file, span: { start: e.pos[0], end: Math.max(e.pos[0], e.pos[1]) } }));
  }
  // Anchors and aliases (`&a`, `*a`) would make one YAML node stand in two places of the tree.
  const aliases: Diagnostic[] = [];
  visit(doc, {
    Alias(_, node) {
      const r = node.range ?? [0, 0];
      aliases.push(diagnostic("yaml-invalid", { text: `Aliases (${node.source.startsWith("*") ? node.source : "*" + node.source}) are not supported in a .kpi.yaml file.` }, { file, span: { start: r[0], end: r[1] }, hints: ["Write the value out where it is used."] }));
    },
  });
  const { value, index } = toPlain(doc);
  const ctx = new ReadContext(text, file);
  const rowComments: RowComments = new Map();
  const items = readItems(ctx, doc.contents as Node | null, rowComments);
  if (diagnostics.length === 0) diagnostics.push(...validateYaml(value, index, text, file), ...ctx.diagnostics);
  else {
    // A definition that holds a YAML syntax error may have been read wrongly: what is found
    // inside it is left out (as after a `.kpi` syntax error), and so are shape problems, which a
    // syntax error makes up (a line that is not where it belongs).
    const damaged: Span[] = [];
    for (const d of diagnostics) {
      // The definition the error is in, or the one it follows (a line indented wrongly).
      const at = d.span?.start ?? 0;
      const item = [...items].reverse().find((i) => "name" in i && i.span.start <= at);
      if (item && "name" in item) {
        item.recovered = true;
        damaged.push({ start: item.span.start, end: Math.max(item.span.end, d.span?.end ?? at) });
      }
    }
    diagnostics.push(...ctx.diagnostics.filter((d) => !d.span || !damaged.some((s) => s.start <= d.span!.start && d.span!.start <= s.end)));
  }
  diagnostics.push(...aliases);

  const yamlComments = commentsOf(text);
  const inRows = new Set([...rowComments.values()].map((c) => c.offset));
  const comments: A.Comment[] = [
    ...yamlComments.filter((c) => !inRows.has(c.start)).map((c) => ({ text: "//" + text.slice(c.start + 1, c.end), span: c })),
    ...ctx.fragmentComments,
  ].sort((a, b) => a.span.start - b.span.start);
  const ast: A.FileNode = { kind: "File", items, comments, span: { start: 0, end: text.length } };
  return { ast, diagnostics: sortDiagnostics(diagnostics), rowComments, layout: { opaque: ctx.opaque, quotes: ctx.quotes, comments: yamlComments } };
}

/** Every `#` comment of the YAML text (trailing blanks left out), from the YAML lexer's tokens. */
function commentsOf(text: string): Span[] {
  const out: Span[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer marks where documents, scalars and flow collections start with control
    // characters that are not in the text.
    if (token === "\x02" || token === "\x18" || token === "\x1f") continue;
    if (token[0] === "#") out.push({ start: offset, end: offset + token.replace(/\s+$/, "").length });
    offset += token.length;
  }
  return out;
}

function readItems(ctx: ReadContext, root: Node | null, rowComments: RowComments): A.TopLevel[] {
  const header: A.TopLevel[] = [];
  const items: A.TopLevel[] = [];
  const read = <T extends A.TopLevel>(fn: () => T): void => {
    ctx.damaged = false;
    const item = fn();
    if (ctx.damaged) (item as { recovered?: boolean }).recovered = true;
    items.push(item);
  };
  const seen = new Set<string>();
  for (const e of ctx.entries(root)) {
    if (seen.has(e.key) && !DEFINITION_KEY.test(e.key)) {
      // Definitions given twice are the checker's `duplicate-definition`; other keys only once.
      ctx.diagnostics.push(diagnostic("duplicate-clause", { clause: e.key }, { file: ctx.file, span: ctx.span(e.keyNode), hints: ["YAML keys are unique: merge the two."] }));
    }
    seen.add(e.key);
    const def = DEFINITION_KEY.exec(e.key);
    if (def && e.keyNode) {
      const kind = def[1]!;
      const offset = contentRange(e.keyNode, ctx.source).start + e.key.indexOf(def[2]!, kind.length);
      const span = { start: offset, end: offset + def[2]!.length };
      if (kind === "test") read(() => readTest(ctx, e, { value: def[2]!, span }, rowComments));
      else {
        const name = ctx.nameFrom(def[2]!, span);
        read(() => (kind === "dataset" ? readDataset(ctx, e, name) : kind === "kpi" ? readKpi(ctx, e, name) : readRule(ctx, e, name)));
      }
      continue;
    }
    switch (e.key) {
      case "yardstick": {
        const v = ctx.number(e.value);
        if (v) header.push({ kind: "HeaderDecl", version: v.value, span: ctx.entrySpan(e) });
        break;
      }
      case "import":
        for (const node of isSeq(e.value) ? (e.value.items as Node[]) : [e.value]) {
          const path = ctx.stringValue(node);
          if (path) items.push({ kind: "ImportDecl", path, span: isSeq(e.value) ? ctx.span(node) : ctx.entrySpan(e) });
        }
        break;
      case "datasets":
      case "kpis":
      case "rules":
      case "tests":
        for (const d of ctx.entries(e.value)) readDefinition(ctx, e.key, d, read, rowComments);
        break;
    }
  }
  return [...header, ...items];
}

function readDefinition(ctx: ReadContext, section: string, d: Entry, read: (fn: () => A.TopLevel) => void, rowComments: RowComments): void {
  if (!d.keyNode || !isScalar(d.keyNode)) return;
  if (section === "tests") {
    read(() => readTest(ctx, d, { value: d.key, span: contentRange(d.keyNode!, ctx.source) }, rowComments));
    return;
  }
  const name = ctx.keyName(d);
  if (!name) return;
  read(() => (section === "datasets" ? readDataset(ctx, d, name) : section === "kpis" ? readKpi(ctx, d, name) : readRule(ctx, d, name)));
}
