import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { compileProject, isYamlSpec, type CompileResult, type CheckOptions } from "@yardstick/language";

export class UsageError extends Error {}

/** A group of spec files compiled together: a folder's `.kpi` and `.kpi.yaml` files, or one file given by name. */
export interface ProjectSpec {
  label: string;
  entries: string[];
}

const isSpec = (p: string) => p.endsWith(".kpi") || isYamlSpec(p);

/**
 * Turns command-line paths into projects. A file is a project with its imports; a folder holds
 * one project per directory that contains `.kpi` or `.kpi.yaml` files (searched recursively; node_modules and
 * dot-folders skipped).
 */
export function projectsFrom(paths: string[]): ProjectSpec[] {
  if (paths.length === 0) throw new UsageError("Give at least one .kpi file or folder.");
  const out: ProjectSpec[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new UsageError(`No such file or folder: ${p}`);
    if (statSync(abs).isDirectory()) {
      for (const dir of specDirs(abs)) {
        const entries = readdirSync(dir).filter(isSpec).sort().map((f) => join(dir, f));
        out.push({ label: relative(process.cwd(), dir) || ".", entries });
      }
    } else {
      if (!isSpec(abs)) throw new UsageError(`${p} is not a .kpi or .kpi.yaml file.`);
      out.push({ label: p, entries: [abs] });
    }
  }
  return out;
}

function specDirs(root: string): string[] {
  const dirs: string[] = [];
  const walk = (d: string) => {
    const names = readdirSync(d, { withFileTypes: true });
    if (names.some((n) => n.isFile() && isSpec(n.name))) dirs.push(d);
    for (const n of names) if (n.isDirectory() && !n.name.startsWith(".") && n.name !== "node_modules") walk(join(d, n.name));
  };
  walk(root);
  return dirs.sort();
}

/** Compiles a project from disk; keeps the text of every file read (for code frames). */
export function compileFromDisk(spec: ProjectSpec, sources: Map<string, string>, options: CheckOptions = {}): CompileResult {
  return compileProject(
    spec.entries.map(toPosix),
    {
      readFile(path) {
        try {
          const text = readFileSync(fromPosix(path), "utf8");
          sources.set(path, text);
          return text;
        } catch {
          return undefined;
        }
      },
    },
    options,
  );
}

const toPosix = (p: string) => (sep === "/" ? p : p.split(sep).join("/"));
const fromPosix = (p: string) => (sep === "/" ? p : p.split("/").join(sep));

export function displayPath(p: string): string {
  const rel = relative(process.cwd(), fromPosix(p));
  return rel.startsWith("..") ? p : rel || p;
}

export function dirOf(file: string): string {
  return dirname(fromPosix(file));
}
