import { diagnostic, hasErrors, type Diagnostic } from "@yardstick/model";
import { sameMeaning } from "../format/ast-equal.js";
import type * as A from "../syntax/ast.js";
import { parse } from "../syntax/parse.js";
import { parseYaml } from "./parse-yaml.js";
import { printYaml } from "./print-yaml.js";
import { deepCopy } from "./tree.js";
import { printYamlTree } from "./yaml-to-kpi.js";

export interface ConvertOptions {
  /** File name for diagnostics. */
  file?: string;
  /** `.kpi` line width (`--to kpi`); default 100, as `yardstick fmt`. */
  lineWidth?: number;
  /** Rewrites import paths, e.g. to import the YAML twins of a converted project. */
  importPath?: (path: string) => string;
}

export interface ConvertResult {
  /** The converted text; empty when `diagnostics` has errors. */
  text: string;
  /** Why the file was not converted: its syntax errors, or an internal error. Empty on success. */
  diagnostics: Diagnostic[];
}

/** Comment texts, sorted, for the converter's own check that none was lost. */
const commentTexts = (f: A.FileNode) => f.comments.map((c) => c.text.replace(/\s+$/, "")).sort();

function refuse(file: string | undefined, why: string): ConvertResult {
  return { text: "", diagnostics: [diagnostic("internal-error", { text: `the converter ${why}; nothing was written` }, { file })] };
}

/**
 * `.kpi` text to `.kpi.yaml` text (`yardstick convert --to yaml`). A file with syntax errors is not
 * converted (its diagnostics are returned). The result is checked before it is returned: it must
 * read back to the same syntax tree with the same comments (an unquoted fixture cell that YAML
 * cannot write plain reads back quoted: same rows, same model).
 */
export function kpiToYaml(text: string, options: ConvertOptions = {}): ConvertResult {
  const parsed = parse(text, options.file);
  if (hasErrors(parsed.diagnostics)) return { text: "", diagnostics: parsed.diagnostics };
  let out: ReturnType<typeof printYaml>;
  try {
    out = printYaml(parsed.ast, text, options);
  } catch (e) {
    return refuse(options.file, `failed (${(e as Error).message})`);
  }
  if (hasErrors(out.diagnostics)) return { text: "", diagnostics: out.diagnostics };
  for (const cell of out.requoted) cell.quoted = true;
  const back = parseYaml(out.text, options.file);
  if (hasErrors(back.diagnostics)) return refuse(options.file, `produced YAML that does not read back (${back.diagnostics[0]!.message})`);
  const expected = deepCopy(parsed.ast);
  for (const item of expected.items) if (item.kind === "ImportDecl" && options.importPath) item.path.value = options.importPath(item.path.value);
  if (!sameMeaning(expected, back.ast)) return refuse(options.file, "would have changed the meaning of the file");
  if (JSON.stringify(commentTexts(parsed.ast)) !== JSON.stringify(commentTexts(back.ast))) return refuse(options.file, "would have lost a comment");
  return { text: out.text, diagnostics: [] };
}

/**
 * `.kpi.yaml` text to `.kpi` text in the canonical layout (`yardstick convert --to kpi`): the YAML
 * is read into the `.kpi` syntax tree and printed by the formatter's printer, comments kept. A
 * file with YAML or syntax errors is not converted. The result must parse to the same tree.
 */
export function yamlToKpi(text: string, options: ConvertOptions = {}): ConvertResult {
  const r = parseYaml(text, options.file);
  if (hasErrors(r.diagnostics)) return { text: "", diagnostics: r.diagnostics };
  if (options.importPath) for (const item of r.ast.items) if (item.kind === "ImportDecl") item.path.value = options.importPath(item.path.value);
  const unwritable = targetsOutOfOrder(r.ast, options.file);
  if (unwritable.length > 0) return { text: "", diagnostics: unwritable };
  let printed: { text: string; missedComments: string[] };
  try {
    printed = printYamlTree(r, text, options.lineWidth ?? 100);
  } catch (e) {
    return refuse(options.file, `failed (${(e as Error).message})`);
  }
  if (printed.missedComments.length > 0) return refuse(options.file, `could not place the comment ${JSON.stringify(printed.missedComments[0])}`);
  const back = parse(printed.text, options.file);
  if (hasErrors(back.diagnostics)) return refuse(options.file, "produced text that does not parse");
  if (!sameMeaning(r.ast, back.ast)) return refuse(options.file, "would have changed the meaning of the file");
  if (JSON.stringify(commentTexts(r.ast)) !== JSON.stringify(commentTexts(back.ast))) return refuse(options.file, "would have lost a comment");
  return { text: printed.text, diagnostics: [] };
}

/** A list of target arms where one without `when` is not last: `.kpi` has no way to write it. */
function targetsOutOfOrder(ast: A.FileNode, file: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const item of ast.items) {
    if (item.kind !== "KpiDecl") continue;
    for (const c of item.clauses) {
      if (c.kind !== "TargetClause") continue;
      c.arms.forEach((a, i) => {
        if (!a.when && i < c.arms.length - 1) {
          out.push(diagnostic("invalid-target", { text: "Only the last target may lack a `when`.", hint: 'List the targets with `when` first, then one without, such as ">= 0.6".' }, { file, span: a.span }));
        }
      });
    }
  }
  return out;
}
