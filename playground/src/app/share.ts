/**
 * The playground's state in a link and in local storage. A link carries the spec files, the
 * settings, and the user's own data when the compressed link stays under `MAX_LINK`; the example
 * data never travels (the site has it). The hash is updated with `replaceState`, so typing adds
 * no history entries. A link always wins over the autosave.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";
import type { SpecFile } from "../editor/types";
import type { DataFormat, RunOptions } from "../worker/protocol";

/** Data the user brought: text formats travel in links; Parquet (binary) does not. */
export interface Upload {
  dataset: string;
  name: string;
  format: DataFormat;
  text?: string;
  bytes?: ArrayBuffer;
}

export interface SavedState {
  /** The example whose data the spec reads (null: none). */
  example: string | null;
  files: SpecFile[];
  active: string;
  options: RunOptions;
  uploads: Upload[];
}

/** Longest link (in characters of the hash) that carries data; beyond it, the spec goes alone. */
export const MAX_LINK = 32_000;
const PREFIX = "#v1/";
const EXAMPLE_PREFIX = "#example/";
const STORAGE_KEY = "yardstick.playground.v1";

interface Payload {
  e: string | null;
  f: Array<[string, string]>;
  a: string;
  o: RunOptions;
  u?: Array<{ d: string; n: string; f: DataFormat; t: string }>;
}

export interface Encoded {
  hash: string;
  /** Uploads left out because the link would be too long, or because they are binary. */
  dataLeftOut: string[];
}

/** The hash for a state: `#example/<id>` for an untouched example, else `#v1/<lz-string>`. */
export function encodeState(s: SavedState, pristine: boolean): Encoded {
  if (pristine && s.example && s.uploads.length === 0 && !s.options.by && !s.options.where && !s.options.asOf) return { hash: EXAMPLE_PREFIX + s.example, dataLeftOut: [] };
  const base: Payload = { e: s.example, f: s.files.map((f) => [f.path, f.text]), a: s.active, o: s.options };
  const text = s.uploads.filter((u) => u.text !== undefined);
  const binary = s.uploads.filter((u) => u.text === undefined).map((u) => u.name);
  if (text.length > 0) {
    const withData = PREFIX + compressToEncodedURIComponent(JSON.stringify({ ...base, u: text.map((u) => ({ d: u.dataset, n: u.name, f: u.format, t: u.text! })) }));
    if (withData.length <= MAX_LINK) return { hash: withData, dataLeftOut: binary };
  }
  return { hash: PREFIX + compressToEncodedURIComponent(JSON.stringify(base)), dataLeftOut: [...text.map((u) => u.name), ...binary] };
}

export type Decoded = { kind: "example"; id: string } | { kind: "state"; state: SavedState } | { kind: "invalid"; reason: string } | null;

export function decodeHash(hash: string): Decoded {
  if (hash.startsWith(EXAMPLE_PREFIX)) return { kind: "example", id: decodeURIComponent(hash.slice(EXAMPLE_PREFIX.length)) };
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const json = decompressFromEncodedURIComponent(hash.slice(PREFIX.length));
    if (!json) return { kind: "invalid", reason: "The link is cut short or damaged." };
    const p = JSON.parse(json) as Payload;
    if (!Array.isArray(p.f) || p.f.some((x) => !Array.isArray(x) || typeof x[0] !== "string" || typeof x[1] !== "string")) return { kind: "invalid", reason: "The link holds no spec files." };
    return {
      kind: "state",
      state: {
        example: typeof p.e === "string" ? p.e : null,
        files: p.f.map(([path, text]) => ({ path, text })),
        active: typeof p.a === "string" ? p.a : p.f[0]![0],
        options: p.o && typeof p.o === "object" ? p.o : {},
        uploads: (p.u ?? []).map((u) => ({ dataset: u.d, name: u.n, format: u.f, text: u.t })),
      },
    };
  } catch {
    return { kind: "invalid", reason: "The link cannot be read." };
  }
}

/** Autosave: the spec and settings always; uploaded text data when under 2 MB in all. */
export function save(s: SavedState): void {
  let budget = 2_000_000;
  const uploads = s.uploads.filter((u) => u.text !== undefined && (budget -= u.text.length) >= 0).map(({ bytes: _bytes, ...u }) => u);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...s, uploads }));
  } catch {
    // Storage full or disabled (private mode): the session still works, it is just not kept.
  }
}

export function restore(): SavedState | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as SavedState;
    return Array.isArray(s.files) && s.files.length > 0 ? { ...s, options: s.options ?? {}, uploads: s.uploads ?? [] } : null;
  } catch {
    return null;
  }
}
