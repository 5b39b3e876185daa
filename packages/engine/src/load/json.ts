import type { Dataset } from "@yardstick/model";
import type { ByteInput, LoadOptions, LoadResult } from "./csv.js";
import { Ingest, type RowSource } from "./ingest.js";
import type { Loc } from "./report.js";

export interface JsonOptions extends LoadOptions {
  /** "json": one array of objects; "ndjson": one object per line. Default: guessed from the first byte. */
  format?: "json" | "ndjson";
}

const LF = 10, QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, COMMA = 44;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Streaming reader of a JSON array of objects or of NDJSON. It cuts the input into top-level
 * records without parsing them, then `JSON.parse`s one record at a time, so a large file is never
 * one string. A key missing from a record is null (a non-nullable column no record has is a
 * missing-data-column); nested objects and arrays are errors; a record
 * that is not valid JSON is reported at its line (NDJSON: and the next line is read).
 */
export class JsonLoader implements RowSource {
  private readonly ingest: Ingest;
  private work = new Uint8Array(0);
  private carryLen = 0;
  private line = 1;
  private started = false;
  private ended = false;
  private dead = false;
  private mode: "json" | "ndjson" | null;
  private seen: Uint8Array;
  private consumed = 0;
  /** Column (minus one) of the first carried byte: records may share a line across chunks. */
  private colCarry = 0;
  // current record, for diagnostics
  private text = "";
  private recLine = 1;
  private recColumn = 1;
  private readonly decoder = new TextDecoder();

  constructor(readonly dataset: Dataset, readonly options: JsonOptions = {}) {
    this.ingest = new Ingest(dataset, { file: options.file, cap: options.cap, columns: options.columns });
    this.ingest.setSource(this);
    this.mode = options.format ?? null;
    this.seen = new Uint8Array(this.ingest.columns.length);
  }

  push(chunk: Uint8Array): void {
    if (this.dead || chunk.length === 0) return;
    const n = this.carryLen + chunk.length;
    if (this.work.length < n) {
      const next = new Uint8Array(Math.max(n, this.work.length * 2, 1 << 16));
      next.set(this.work.subarray(0, this.carryLen));
      this.work = next;
    }
    this.work.set(chunk, this.carryLen);
    const buf = this.work.subarray(0, n);
    const used = this.parse(buf, false);
    this.work.copyWithin(0, used, n);
    this.carryLen = n - used;
  }

  finish(): LoadResult {
    if (!this.dead) this.parse(this.work.subarray(0, this.carryLen), true);
    if (!this.dead && this.mode === "json" && this.started && !this.ended) {
      this.ingest.report.fatal("malformed-data", { text: "The JSON array is never closed with ]." }, { line: this.line, column: 1 });
    }
    if (!this.dead && this.ingest.rowsRead > 0) {
      this.ingest.columns.forEach((c, ci) => {
        if (!this.seen[ci] && !c.nullable) this.ingest.report.fatal("missing-data-column", { dataset: this.dataset.name, column: c.name }, { line: 1, column: 1 }, c.name);
      });
    }
    const { table, rowsRead, rowsSkipped } = this.ingest.finish();
    return { table, diagnostics: this.ingest.report.diagnostics, rowsRead, rowsSkipped };
  }

  private fatal(text: string, line: number, column: number): void {
    this.ingest.report.fatal("malformed-data", { text }, { line, column });
    this.dead = true;
  }

  /** Consumes every complete record of buf; returns the offset of the first byte not consumed. */
  private parse(buf: Uint8Array, eof: boolean): number {
    const len = buf.length;
    let p = 0;
    let lineStart = -this.colCarry;
    if (this.consumed === 0 && len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = lineStart = 3;
    for (;;) {
      while (p < len && (isSpace(buf[p]!) || (this.mode === "json" && buf[p] === COMMA && this.started))) {
        if (buf[p] === LF) {
          this.line++;
          lineStart = p + 1;
        }
        p++;
      }
      if (p >= len) break;
      const c = buf[p]!;
      if (this.mode === null) this.mode = c === LBRACKET ? "json" : "ndjson";
      if (this.mode === "json" && !this.started) {
        if (c !== LBRACKET) {
          this.fatal("A JSON data file must hold an array of objects: [ {...}, {...} ].", this.line, p - lineStart + 1);
          return len;
        }
        this.started = true;
        p++;
        continue;
      }
      if (this.mode === "json" && c === RBRACKET) {
        this.ended = true;
        p++;
        continue;
      }
      if (this.ended) {
        this.fatal("Nothing may follow the closing ] of the JSON array.", this.line, p - lineStart + 1);
        return len;
      }
      const end = this.recordEnd(buf, p, eof);
      if (end < 0) break;
      const column = this.columnOf(buf, lineStart, p);
      const startLine = this.line;
      for (let k = p; k < end; k++) {
        if (buf[k] === LF) {
          this.line++;
          lineStart = k + 1;
        }
      }
      this.record(buf, p, end, startLine, column, c);
      p = end;
    }
    this.consumed += p;
    this.colCarry = p - lineStart;
    return p;
  }

  /** End (exclusive) of the record starting at p, or -1 when it continues past the buffer. */
  private recordEnd(buf: Uint8Array, p: number, eof: boolean): number {
    const len = buf.length;
    if (buf[p] !== LBRACE) {
      // Not an object: take the rest of the line (NDJSON) or up to the next comma (array).
      let k = p;
      while (k < len && buf[k] !== LF && !(this.mode === "json" && (buf[k] === COMMA || buf[k] === RBRACKET))) k++;
      return k < len || eof ? k : -1;
    }
    let depth = 0;
    let k = p;
    while (k < len) {
      const c = buf[k]!;
      if (c === QUOTE) {
        k++;
        while (k < len && buf[k] !== QUOTE) k += buf[k] === BACKSLASH ? 2 : 1;
        if (k >= len) break;
      } else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        depth--;
        if (depth === 0) return k + 1;
      } else if (c === LF && this.mode === "ndjson") return k; // a record may not span lines in NDJSON
      k++;
    }
    return eof ? len : -1;
  }

  private columnOf(buf: Uint8Array, lineStart: number, p: number): number {
    const from = Math.max(0, lineStart);
    for (let k = from; k < p; k++) if (buf[k]! >= 0x80) return from - lineStart + this.decoder.decode(buf.subarray(from, p)).length + 1;
    return p - lineStart + 1;
  }

  private record(buf: Uint8Array, s: number, e: number, line: number, column: number, first: number): void {
    const ingest = this.ingest;
    this.text = this.decoder.decode(buf.subarray(s, e));
    this.recLine = line;
    this.recColumn = column;
    ingest.beginRow(line);
    let obj: unknown;
    try {
      obj = first === LBRACE ? JSON.parse(this.text) : undefined;
    } catch (err) {
      ingest.report.row("malformed-data", { text: `This record is not valid JSON: ${(err as Error).message}` }, { line, column }, null);
      ingest.rejectRow("malformed-data");
      ingest.endRow();
      return;
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
      ingest.report.row("malformed-data", { text: "Each record must be a JSON object: {\"column\": value, ...}." }, { line, column }, null);
      ingest.rejectRow("malformed-data");
      ingest.endRow();
      return;
    }
    const rec = obj as Record<string, unknown>;
    const cols = ingest.columns;
    for (let ci = 0; ci < cols.length; ci++) {
      const v = rec[cols[ci]!.name];
      if (v !== undefined) this.seen[ci] = 1;
      ingest.setValue(ci, v);
    }
    ingest.endRow();
  }

  /** The key of the column inside the record when it is there, else the record's start. */
  locate(ci: number): Loc {
    const name = JSON.stringify(this.ingest.columns[ci]!.name);
    const at = this.text.indexOf(name);
    if (at < 0) return { line: this.recLine, column: this.recColumn };
    let line = this.recLine;
    let col = this.recColumn;
    for (let k = 0; k < at; k++) {
      if (this.text.charCodeAt(k) === LF) {
        line++;
        col = 1;
      } else col++;
    }
    return { line, column: col };
  }

  cellColumn(ci: number): number {
    const loc = this.locate(ci);
    return loc.line === this.recLine ? loc.column! : 0;
  }
}

function toBytes(input: ByteInput): Uint8Array {
  if (typeof input === "string") return new TextEncoder().encode(input);
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** Loads JSON (an array of objects) or NDJSON held in memory. */
export function loadJsonSync(dataset: Dataset, input: ByteInput, options: JsonOptions = {}): LoadResult {
  const loader = new JsonLoader(dataset, options);
  loader.push(toBytes(input));
  return loader.finish();
}

/** Loads JSON or NDJSON from a string, bytes, or a stream of byte chunks. */
export async function loadJson(dataset: Dataset, input: ByteInput | AsyncIterable<Uint8Array>, options: JsonOptions = {}): Promise<LoadResult> {
  if (typeof input === "string" || input instanceof Uint8Array || input instanceof ArrayBuffer) return loadJsonSync(dataset, input, options);
  const loader = new JsonLoader(dataset, options);
  let total = 0;
  for await (const chunk of input) {
    options.signal?.throwIfAborted();
    loader.push(chunk);
    total += chunk.length;
    options.onProgress?.(total);
  }
  return loader.finish();
}
