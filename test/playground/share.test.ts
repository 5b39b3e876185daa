/**
 * Share links and the autosave (playground/src/app/share.ts), without a browser.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeHash, encodeState, MAX_LINK, restore, save, type SavedState } from '../../playground/src/app/share';

const spec = 'yardstick 1\n\nkpi k { value 1 }\n';
const state = (over: Partial<SavedState> = {}): SavedState => ({
  example: 'airline',
  files: [{ path: '/airline/kpis.kpi', text: spec }],
  active: '/airline/kpis.kpi',
  options: {},
  uploads: [],
  ...over,
});

describe('share links', () => {
  it('name an untouched example by its id', () => {
    expect(encodeState(state(), true)).toEqual({ hash: '#example/airline', dataLeftOut: [] });
    expect(decodeHash('#example/airline')).toEqual({ kind: 'example', id: 'airline' });
  });

  it('carry edited specs, settings and small text data, and read back the same state', () => {
    const s = state({ options: { by: 'month', asOf: '2025-12-31T00:00:00Z' }, uploads: [{ dataset: 'flights', name: 'f.csv', format: 'csv', text: 'a,b\n1,2\n' }] });
    const { hash, dataLeftOut } = encodeState(s, false);
    expect(hash.startsWith('#v1/')).toBe(true);
    expect(dataLeftOut).toEqual([]);
    expect(decodeHash(hash)).toEqual({ kind: 'state', state: s });
  });

  it('leave out data that would make the link too long, and say which', () => {
    // Random digits do not compress: well over the limit.
    let big = 'x\n';
    let seed = 7;
    while (big.length < MAX_LINK * 2) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      big += `${seed}\n`;
    }
    const s = state({ uploads: [{ dataset: 'flights', name: 'big.csv', format: 'csv', text: big }, { dataset: 'bags', name: 'b.parquet', format: 'parquet' }] });
    const { hash, dataLeftOut } = encodeState(s, false);
    expect(hash.length).toBeLessThan(MAX_LINK);
    expect(dataLeftOut).toEqual(['big.csv', 'b.parquet']);
    const back = decodeHash(hash);
    expect(back?.kind === 'state' && back.state.uploads).toEqual([]);
    expect(back?.kind === 'state' && back.state.files).toEqual(s.files);
  });

  it('reject damaged links with a reason, and ignore other hashes', () => {
    expect(decodeHash('#v1/not-lz-string-at-all!')).toMatchObject({ kind: 'invalid' });
    expect(decodeHash('#v1/')).toMatchObject({ kind: 'invalid' });
    expect(decodeHash('')).toBeNull();
    expect(decodeHash('#section')).toBeNull();
  });
});

describe('autosave', () => {
  const store = new Map<string, string>();
  beforeEach(() => {
    store.clear();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
  });

  it('keeps the spec, the settings and text data, not binary data', () => {
    save(state({ uploads: [{ dataset: 'flights', name: 'f.csv', format: 'csv', text: 'a\n1\n' }, { dataset: 'bags', name: 'b.parquet', format: 'parquet', bytes: new ArrayBuffer(8) }] }));
    const back = restore();
    expect(back?.files).toEqual(state().files);
    expect(back?.uploads).toEqual([{ dataset: 'flights', name: 'f.csv', format: 'csv', text: 'a\n1\n' }]);
  });

  it('restores nothing from an empty or broken store', () => {
    expect(restore()).toBeNull();
    store.set('yardstick.playground.v1', '{not json');
    expect(restore()).toBeNull();
  });
});
