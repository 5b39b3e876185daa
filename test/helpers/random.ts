/**
 * Seeded randomness and the repository's spec files, for the property tests (fuzzing, the
 * lexer's and the fast parser's differential tests): the same inputs on every machine and run.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain JavaScript module without types
import { rng } from '../../bench/loaders/generate.mjs';

/** mulberry32 (the benchmarks' generator): small, fast, the same sequence everywhere. */
export const prng: (seed: number) => () => number = rng;

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
