import { describe, expect, it } from "vitest";
import { ByteDict } from "./byte-dict.js";

const enc = new TextEncoder();
function codes(d: ByteDict, values: string[]): number[] {
  return values.map((v) => {
    const b = enc.encode(`..${v}..`);
    return d.code(b, 2, b.length - 2);
  });
}

describe("ByteDict", () => {
  it("gives equal byte strings equal codes, in order of first appearance", () => {
    const d = new ByteDict();
    expect(codes(d, ["b", "a", "b", "", "é", "a", "", "é€😀"])).toEqual([0, 1, 0, 2, 3, 1, 2, 4]);
    expect(d.strings()).toEqual(["b", "a", "", "é", "é€😀"]);
    expect(d.value(4)).toBe("é€😀");
  });

  it("appends sorted values without an index, then indexes them at the first value out of order", () => {
    const d = new ByteDict();
    const sorted = Array.from({ length: 5000 }, (_, i) => `id${String(i).padStart(5, "0")}`);
    expect(codes(d, sorted)).toEqual(sorted.map((_, i) => i));
    expect(codes(d, ["id00042", "id04999", "zzz", "id00000", "a"])).toEqual([42, 4999, 5000, 0, 5001]);
    expect(d.size).toBe(5002);
  });

  it("keeps prefixes apart (\"ab\" sorts after \"a\")", () => {
    const d = new ByteDict();
    expect(codes(d, ["a", "ab", "abc", "ab", "a", "abc"])).toEqual([0, 1, 2, 1, 0, 2]);
  });

  it("grows through many distinct values", () => {
    const d = new ByteDict();
    d.reserve(10);
    const vals = Array.from({ length: 100_000 }, (_, i) => String((i * 7919) % 100_003));
    const c = codes(d, vals);
    expect(new Set(c).size).toBe(100_000);
    expect(codes(d, vals.slice(0, 100))).toEqual(c.slice(0, 100));
    expect(d.strings().slice(0, 3)).toEqual(vals.slice(0, 3));
  });
});
