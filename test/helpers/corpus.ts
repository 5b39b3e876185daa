import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/cases, absolute. */
export const CASES_ROOT = fileURLToPath(new URL('../cases/', import.meta.url));

export interface Case {
  /** Path of the case relative to test/cases, without `.kpi`. */
  name: string;
  /** Snapshot path prefix (absolute, without the `.ast.txt` suffix). */
  prefix: string;
  /** Files by path relative to the case (the folder, or just the file name), entry first. */
  files: Map<string, string>;
  entry: string;
}

function walk(dir: string, out: Case[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (existsSync(join(full, 'main.kpi'))) out.push(folderCase(full));
      else walk(full, out);
    } else if (name.endsWith('.kpi')) {
      out.push({
        name: relative(CASES_ROOT, full).slice(0, -4),
        prefix: full.slice(0, -4),
        files: new Map([[name, readFileSync(full, 'utf8')]]),
        entry: name,
      });
    }
  }
}

function folderCase(dir: string): Case {
  const files = new Map<string, string>();
  const add = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) add(rel);
      else if (name.endsWith('.kpi')) files.set(rel, readFileSync(join(dir, rel), 'utf8'));
    }
  };
  add('');
  return { name: relative(CASES_ROOT, dir), prefix: dir, files, entry: 'main.kpi' };
}

export function corpusCases(): Case[] {
  const out: Case[] = [];
  walk(CASES_ROOT, out);
  return out;
}

