import { diagnostic, sortDiagnostics, type Diagnostic, type Model } from "@yardstick/model";
import { check, type CheckOptions, type CheckedProgram } from "./check/program.js";
import type { ParsedFile } from "./check/symbols.js";
import { lower } from "./lower/lower.js";
import { parse } from "./syntax/parse.js";
import { isYamlSpec, parseYaml } from "./yaml/parse-yaml.js";

/** Reads files for the front end: Node's fs in the CLI, an in-memory map in the browser. */
export interface SourceHost {
  /** The text of a file, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
}

export interface CompileResult {
  model: Model;
  diagnostics: Diagnostic[];
  files: ParsedFile[];
  /** The checked program, for query-time compilation (`compileQuery`) and editor features. */
  program: CheckedProgram;
}

/** Joins and normalises `/`-separated paths (the front end stays free of Node's `path`). */
export function resolvePath(fromFile: string, relative: string): string {
  if (relative.startsWith("/")) return normalize(relative);
  const dir = fromFile.includes("/") ? fromFile.slice(0, fromFile.lastIndexOf("/")) : ".";
  return normalize(`${dir}/${relative}`);
}

function normalize(p: string): string {
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && out.length && out[out.length - 1] !== "..") out.pop();
    else if (seg !== ".." || !abs) out.push(seg);
  }
  const s = out.join("/");
  return abs ? `/${s}` : s || ".";
}

/**
 * Loads the entry files and everything they import (each file once, cycles allowed), then checks
 * and lowers the project. Never throws on user input.
 */
export function compileProject(entries: string[], host: SourceHost, options: CheckOptions = {}): CompileResult {
  const files: ParsedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const loaded = new Set<string>();
  const load = (path: string): boolean => {
    if (loaded.has(path)) return true;
    const text = host.readFile(path);
    if (text === undefined) return false;
    loaded.add(path);
    // `.kpi.yaml` files read into the same syntax tree as `.kpi` files (spans in the YAML text).
    const parsed = isYamlSpec(path) ? parseYaml(text, path) : parse(text, path);
    diagnostics.push(...parsed.diagnostics);
    files.push({ path, text, ast: parsed.ast });
    for (const item of parsed.ast.items) {
      if (item.kind !== "ImportDecl" || !item.path) continue;
      const target = resolvePath(path, item.path.value);
      if (!/\.kpi$/.test(target) && !isYamlSpec(target)) {
        diagnostics.push(diagnostic("unsupported-file", { path: item.path.value }, { file: path, span: item.path.span }));
        continue;
      }
      if (!load(target)) diagnostics.push(diagnostic("import-not-found", { path: item.path.value }, { file: path, span: item.path.span }));
    }
    return true;
  };
  for (const e of entries) {
    if (!load(e)) diagnostics.push(diagnostic("import-not-found", { path: e }, { hints: ["Check the path."] }));
  }
  return finish(files, diagnostics, options);
}

/** Compiles sources given as text (the playground, tests): `files[0]` and its imports among them. */
export function compile(sources: Array<{ path: string; text: string }>, options: CheckOptions = {}): CompileResult {
  const byPath = new Map(sources.map((s) => [s.path, s.text]));
  return compileProject(sources.map((s) => s.path), { readFile: (p) => byPath.get(p) }, options);
}

function finish(files: ParsedFile[], diagnostics: Diagnostic[], options: CheckOptions): CompileResult {
  const program = check(files, options);
  const lowered = lower(program, { validate: options.validate === true });
  return { model: lowered.model, diagnostics: sortDiagnostics([...diagnostics, ...program.diagnostics, ...lowered.diagnostics]), files, program };
}
