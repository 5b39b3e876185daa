import { compile, type CheckedProgram, type CompileResult, type FileNode, type KpiDecl, type DatasetDecl } from "@yardstick/language";
import type { Document } from "./types.js";

/**
 * A project compiled for the editor: the recovered syntax trees of every document and the
 * checked program. As in Langium's document states, each state is computed once per text and
 * every feature reads the latest one: keystrokes repeat hover, completion and diagnostics on
 * the same text, so the last few projects are kept.
 */
export interface Analysis {
  result: CompileResult;
  program: CheckedProgram;
  ast(path: string): FileNode | undefined;
  kpiDecl(name: string): { decl: KpiDecl; path: string } | undefined;
  datasetDecl(name: string): { decl: DatasetDecl; path: string } | undefined;
}

export interface AnalyzeOptions {
  /** Warn on company-over-customer ratios, as `yardstick check --lint-perspective`. */
  lintPerspective?: boolean;
}

const CACHE_SIZE = 4;
const cache = new Map<string, Analysis>();

/** The documents of a project with `doc` as the open one (its text wins over a stale copy). */
export function projectOf(doc: Document, project: readonly Document[] = []): Document[] {
  return [doc, ...project.filter((d) => d.path !== doc.path)];
}

export function analyze(docs: readonly Document[], options: AnalyzeOptions = {}): Analysis {
  const key = `${options.lintPerspective ? 1 : 0}\u0000${docs.map((d) => `${d.path}\u0000${d.text}`).join("\u0001")}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const result = compile(
    docs.map((d) => ({ path: d.path, text: d.text })),
    { validate: false, lint: { perspective: options.lintPerspective ?? false } },
  );
  const analysis = build(result);
  cache.set(key, analysis);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return analysis;
}

function build(result: CompileResult): Analysis {
  const asts = new Map(result.files.map((f) => [f.path, f.ast]));
  const find = <K extends "KpiDecl" | "DatasetDecl">(kind: K, name: string) => {
    for (const f of result.files) {
      for (const item of f.ast.items) {
        if (item.kind === kind && (item as KpiDecl | DatasetDecl).name?.name === name) {
          return { decl: item as Extract<KpiDecl | DatasetDecl, { kind: K }>, path: f.path };
        }
      }
    }
    return undefined;
  };
  return {
    result,
    program: result.program,
    ast: (path) => asts.get(path),
    kpiDecl: (name) => find("KpiDecl", name),
    datasetDecl: (name) => find("DatasetDecl", name),
  };
}
