/**
 * Every object a compile keeps, the syntax tree read by the fast path and the model, is made by a
 * constructor (syntax/nodes.ts, check/model-nodes.ts), never by an object literal, which V8 would
 * pretenure (see syntax/nodes.ts; `node bench/front-end.mjs --loop` shows the cost). The one
 * exception is a test expectation's `group`, a dictionary keyed by the grouping's names. Arrays
 * cannot be told apart here.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../project.js';
import { kpiFiles } from '../../../../test/helpers/random';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FILES = ['examples', 'test/cases', 'bench'].flatMap((d) => kpiFiles(join(ROOT, d)));

/** Paths (from the root) of plain objects under `root`, but for expectations' groups. */
function plainObjects(root: object, name: string): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (!Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype && !path.endsWith('.group')) found.push(path);
    for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
  };
  walk(root, name);
  return found;
}

describe('what a compile keeps comes from constructors', () => {
  const clean = FILES.map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }))
    .map(({ file, text }) => ({ file, result: compile([{ path: file, text }]) }))
    .filter(({ result }) => !result.diagnostics.some((d) => d.severity === 'error'));

  it('has specs to look at', () => {
    expect(clean.length).toBeGreaterThan(30);
  });

  it.each(clean.map((c) => [c.file, c.result] as const))('%s: no object literal in its tree or model', (_file, result) => {
    expect(plainObjects(result.files[0]!.ast, 'ast')).toEqual([]);
    expect(plainObjects(result.model, 'model')).toEqual([]);
  });
});
