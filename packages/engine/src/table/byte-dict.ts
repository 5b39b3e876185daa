/**
 * Dictionary encoding straight from UTF-8 bytes: an open-addressing hash table over the byte
 * strings seen so far, so a repeated value costs a hash and a compare, never a JS string. The
 * distinct values' bytes go to one arena, decoded to JS strings in a single pass at the end
 * (`strings()`), or one by one on demand (`value(code)`, for constraint checks and messages).
 *
 * While values arrive in strictly increasing byte order (sorted ids, a common export order) each
 * one is new by construction: it is appended without hashing, and the hash index is built only
 * when the first value out of order arrives. While there are only a few values (categories), a
 * lookup compares them one by one, which is cheaper than hashing.
 */
export class ByteDict {
  private arena = new Uint8Array(1 << 14);
  private arenaLen = 0;
  private ascii = 0;
  private starts = new Int32Array(1024);
  private count = 0;
  /** Pairs [hash, code + 1]; code + 1 = 0 marks an empty slot. */
  private slots = new Int32Array(0);
  private mask = -1;
  private decoded: string[] = [];

  /** Values so far came in strictly increasing order. */
  private sorted = true;
  /** `slots` indexes every value (built when the dictionary outgrows `SMALL` and stops being sorted). */
  private indexed = false;
  private expected = 0;

  /** Sizes the table for about `n` distinct values (e.g. a key column of n rows). */
  reserve(n: number): void {
    this.expected = n;
    if (this.indexed) this.resizeIndex(n);
  }

  get size(): number {
    return this.count;
  }

  /** The code of the bytes b[s..e), adding them when new. */
  code(b: Uint8Array, s: number, e: number): number {
    if (!this.indexed) {
      const n = this.count;
      if (n <= SMALL) {
        // A few values (categories such as a segment or a channel): compare them one by one.
        const c = this.find(b, s, e);
        if (c >= 0) return c;
        if (this.sorted && n > 0 && !this.afterLast(b, s, e)) this.sorted = false;
        if (n < SMALL || this.sorted) return this.add(b, s, e, 0, -1);
        this.buildIndex();
      } else {
        if (this.afterLast(b, s, e)) return this.add(b, s, e, 0, -1);
        this.buildIndex();
      }
    }
    const h = ByteDict.hash(b, s, e);
    const len = e - s;
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const c1 = slots[2 * slot + 1]!;
      if (c1 === 0) break;
      if (slots[2 * slot] === h) {
        const c = c1 - 1;
        const st = this.starts[c]!;
        if (this.starts[c + 1]! - st === len) {
          const a = this.arena;
          let i = 0;
          while (i < len && a[st + i] === b[s + i]) i++;
          if (i === len) return c;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.add(b, s, e, h, slot);
  }

  /** The code of b[s..e) by comparing it with every value (few values only), or -1. */
  private find(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    const starts = this.starts;
    const a = this.arena;
    const n = this.count;
    for (let c = 0; c < n; c++) {
      const st = starts[c]!;
      if (starts[c + 1]! - st !== len) continue;
      let i = 0;
      while (i < len && a[st + i] === b[s + i]) i++;
      if (i === len) return c;
    }
    return -1;
  }

  /** True when b[s..e) sorts after the last value (byte order). */
  private afterLast(b: Uint8Array, s: number, e: number): boolean {
    const a = this.arena;
    const st = this.starts[this.count - 1]!;
    const la = this.arenaLen - st;
    const n = Math.min(la, e - s);
    for (let i = 0; i < n; i++) {
      const x = b[s + i]!, y = a[st + i]!;
      if (x !== y) return x > y;
    }
    return e - s > la;
  }

  private static hash(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h;
  }

  /** Leaves the sorted mode: indexes every value so far. */
  private buildIndex(): void {
    this.sorted = false;
    this.indexed = true;
    this.resizeIndex(Math.max(this.expected, this.count * 2, 1024));
  }

  /** Rebuilds the hash index with room for n values. */
  private resizeIndex(n: number): void {
    let size = 2048;
    while (size < n * 2) size *= 2;
    if (size <= this.mask + 1) return;
    const mask = size - 1;
    const slots = new Int32Array(size * 2);
    for (let c = 0; c < this.count; c++) {
      const h = ByteDict.hash(this.arena, this.starts[c]!, this.starts[c + 1]!);
      let slot = h & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = h;
      slots[2 * slot + 1] = c + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  private add(b: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const code = this.count++;
    const len = e - s;
    if (this.arenaLen + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + len));
      next.set(this.arena.subarray(0, this.arenaLen));
      this.arena = next;
    }
    if (code + 2 > this.starts.length) {
      const st = new Int32Array(this.starts.length * 2);
      st.set(this.starts);
      this.starts = st;
    }
    const arena = this.arena;
    let at = this.arenaLen;
    let ascii = this.ascii;
    for (let i = s; i < e; i++) ascii |= arena[at++] = b[i]!;
    this.ascii = ascii;
    this.starts[code] = this.arenaLen;
    this.arenaLen = at;
    this.starts[code + 1] = at;
    if (slot >= 0) {
      this.slots[2 * slot] = h;
      this.slots[2 * slot + 1] = code + 1;
      if (this.count * 2 > this.mask) this.resizeIndex(this.count * 2);
    }
    return code;
  }

  /** The string of one code. */
  value(code: number): string {
    let v = this.decoded[code];
    if (v === undefined) v = this.decoded[code] = decoder.decode(this.arena.subarray(this.starts[code]!, this.starts[code + 1]!));
    return v;
  }

  /** Every value in code order. */
  strings(): string[] {
    const n = this.count;
    const out = new Array<string>(n);
    const starts = this.starts;
    const arena = this.arena;
    const all = decoder.decode(arena.subarray(0, this.arenaLen));
    if (this.ascii < 0x80) {
      for (let c = 0; c < n; c++) out[c] = all.slice(starts[c]!, starts[c + 1]!);
      return out;
    }
    // Map byte offsets to UTF-16 offsets: one unit per lead byte, two for 4-byte sequences.
    let units = 0;
    let c = 0;
    const charStart = new Int32Array(n + 1);
    for (let i = 0; i <= this.arenaLen; i++) {
      while (c <= n && starts[c] === i) charStart[c++] = units;
      if (i === this.arenaLen) break;
      const byte = arena[i]!;
      if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
    }
    if (units !== all.length) {
      for (let k = 0; k < n; k++) out[k] = this.value(k);
      return out;
    }
    for (let k = 0; k < n; k++) out[k] = all.slice(charStart[k]!, charStart[k + 1]!);
    return out;
  }
}

const decoder = new TextDecoder();
/** Up to this many values, a lookup compares the values one by one instead of hashing. */
const SMALL = 8;
