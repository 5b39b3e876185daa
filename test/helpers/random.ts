/**
 * Seeded randomness and the repository's spec files, for the property tests (fuzzing, the
 * lexer's and the fast parser's differential tests): the same inputs on every machine and run.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast, good enough for test inputs, the same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every `.kpi` file below `dir`, sorted (node_modules and dot-folders skipped). */
export function kpiFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const full = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(full).isDirectory()) kpiFiles(full, out);
    else if (name.endsWith('.kpi')) out.push(full);
  }
  return out;
}
