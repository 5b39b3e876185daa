import { describe, expect, it } from "vitest";
import type { Table } from "../table/table.js";
import { loadJson, loadJsonSync } from "./json.js";
import { col, dataset, range } from "./test-helpers.js";

function values(t: Table, name: string): unknown[] {
  const c = t.columns.get(name)!;
  return Array.from({ length: t.rowCount }, (_, i) => {
    if (c.nulls && c.nulls[i]) return null;
    if (c.type === "string") return c.dict[c.codes[i]!];
    if (c.type === "bool") return c.values[i] === 1;
    if (c.type === "timestamp" || c.type === "date") return new Date(c.values[i]!).toISOString();
    return c.values[i];
  });
}

const ds = dataset("e", [
  col("id", "string", { key: true }),
  col("n", "int", { nullable: true, allowed: range(0, 10) }),
  col("x", "number", { nullable: true }),
  col("ok", "bool", { nullable: true }),
  col("at", "timestamp", { nullable: true }),
  col("day", "date", { nullable: true }),
  col("wait", "duration", { nullable: true }),
]);

describe("JSON loader", () => {
  it("reads an array of objects, typing values per column", () => {
    const text = `[
  {"id": "a", "n": 3, "x": 1.5, "ok": true, "at": "2025-01-05T10:00:00Z", "day": "2025-01-05", "wait": 90},
  {"id": "b", "n": "4", "x": -2, "ok": "no", "at": 1736071200000, "wait": "PT1M", "extra": {"nested": 1}},
  {"id": 7, "n": null}
]`;
    const r = loadJsonSync(ds, text, { file: "e.json" });
    expect(r.diagnostics).toEqual([]);
    const t = r.table!;
    expect(values(t, "id")).toEqual(["a", "b", "7"]);
    expect(values(t, "n")).toEqual([3, 4, null]);
    expect(values(t, "x")).toEqual([1.5, -2, null]);
    expect(values(t, "ok")).toEqual([true, false, null]);
    expect(values(t, "at")).toEqual(["2025-01-05T10:00:00.000Z", "2025-01-05T10:00:00.000Z", null]);
    expect(values(t, "day")).toEqual(["2025-01-05T00:00:00.000Z", null, null]);
    expect(values(t, "wait")).toEqual([90_000, 60_000, null]);
    expect(Array.from(t.rowLines!)).toEqual([2, 3, 4]);
  });

  it("reads NDJSON and reports the line of a bad record, then goes on", () => {
    const text = '{"id": "a", "n": 1}\n{"id": "b", "n": 2\n\n{"id": "c", "n": 11}\n[1, 2]\n{"id": "d", "n": {"deep": true}}\n{"id": "e", "n": 1.5}\n';
    const r = loadJsonSync(ds, text, { format: "ndjson", file: "e.ndjson" });
    expect(r.table).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.data?.column ?? null])).toEqual([
      ["malformed-data", 2, 1, null],
      ["value-out-of-range", 4, 13, "n"],
      ["malformed-data", 5, 1, null],
      ["invalid-value", 6, 13, "n"],
      ["invalid-value", 7, 13, "n"],
    ]);
    expect(r.diagnostics[3]!.hints[0]).toMatch(/Nested objects/);
  });

  it("guesses NDJSON from the first byte and skips bad rows under `skip`", () => {
    const skip = { ...ds, onBadRows: "skip" as const };
    const r = loadJsonSync(skip, '{"id": "a"}\n{"id": "a"}\n{"id": "b", "ok": "perhaps"}\n{"id": "c"}\n');
    expect(values(r.table!, "id")).toEqual(["a", "c"]);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ["duplicate-key", "warning", 2], ["invalid-value", "warning", 3], ["rows-skipped", "warning", undefined],
    ]);
  });

  it("reports a column that no record has, and a key missing from one record as null", () => {
    const r = loadJsonSync(dataset("d", [col("a", "int"), col("b", "int")]), '[{"a": 1}, {"a": 2}]');
    expect(r.diagnostics.map((d) => [d.code, d.data?.column])).toEqual([
      ["null-value", "b"], ["null-value", "b"], ["missing-data-column", "b"],
    ]);
  });

  it("reports input that is not an array of objects", () => {
    expect(loadJsonSync(ds, '[{"id": "a"}').diagnostics.map((d) => d.code)).toEqual(["malformed-data"]);
    expect(loadJsonSync(ds, '[{"id": "a"}] x').diagnostics.map((d) => d.code)).toEqual(["malformed-data"]);
    expect(loadJsonSync(ds, '"text"', { format: "json" }).diagnostics.map((d) => d.code)).toEqual(["malformed-data"]);
  });

  it("gives the same result for any chunking, with strings holding braces and escapes", async () => {
    const text = '[{"id": "a}{\\"", "n": 1},\n {"id": "é€", "n": 2},{"id":"c","n":3}]';
    const whole = loadJsonSync(ds, text);
    expect(values(whole.table!, "id")).toEqual(['a}{"', "é€", "c"]);
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 3, 8]) {
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
      }
      const r = await loadJson(ds, chunks());
      expect(r.diagnostics).toEqual(whole.diagnostics);
      expect(values(r.table!, "id")).toEqual(values(whole.table!, "id"));
      expect(Array.from(r.table!.rowLines!)).toEqual([1, 2, 2]);
    }
  });
});
