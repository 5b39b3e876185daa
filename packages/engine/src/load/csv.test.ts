import { describe, expect, it } from "vitest";
import type { Diagnostic } from "@yardstick/model";
import type { ColumnData, Table } from "../table/table.js";
import { CsvLoader, loadCsv, loadCsvSync } from "./csv.js";
import { col, dataset, range, set } from "./test-helpers.js";

/** Removes the `<|` marker from CSV text and returns where it was (one-based line and column). */
function marked(text: string): { text: string; line: number; column: number } {
  const at = text.indexOf("<|");
  const before = text.slice(0, at).split("\n");
  return { text: text.slice(0, at) + text.slice(at + 2), line: before.length, column: before.at(-1)!.length + 1 };
}

function values(t: Table, name: string): unknown[] {
  const c = t.columns.get(name)!;
  const out: unknown[] = [];
  for (let i = 0; i < t.rowCount; i++) {
    if (c.nulls && c.nulls[i]) out.push(null);
    else if (c.type === "string") out.push(c.dict[c.codes[i]!]);
    else if (c.type === "bool") out.push(c.values[i] === 1);
    else if (c.type === "timestamp" || c.type === "date") out.push(new Date(c.values[i]!).toISOString());
    else out.push(c.values[i]);
  }
  return out;
}

const tickets = dataset("tickets", [
  col("ticket_id", "string", { key: true }),
  col("channel", "string", { allowed: set("phone", "email", "chat") }),
  col("opened_at", "timestamp", { time: true }),
  col("resolved_at", "timestamp", { nullable: true }),
  col("contacts", "int", { allowed: range(1, null) }),
  col("nps", "int", { nullable: true, allowed: range(0, 10) }),
  col("first", "bool"),
  col("spend", "number", { nullable: true }),
  col("day", "date", { nullable: true }),
  col("wait", "duration", { nullable: true }),
  col("hours", "number", { derived: { op: "lit", type: "number", value: 1, origin: { file: "spec.kpi", start: 0, end: 0 } } }),
]);

const HEADER = "ticket_id,channel,opened_at,resolved_at,contacts,nps,first,spend,day,wait";

function errors(r: { diagnostics: Diagnostic[] }) {
  return r.diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column, col: d.data?.column }));
}

describe("CSV loader", () => {
  it("reads every type into columns", () => {
    const r = loadCsvSync(tickets, `${HEADER}\nt1,phone,2025-01-05T10:00:00Z,,1,9,true,12.5,2025-01-05,PT1H\nt2,email,2025-01-06 08:00,2025-01-06T09:30:00+01:00,3,,no,,,90\n`, { file: "t.csv" });
    expect(r.diagnostics).toEqual([]);
    const t = r.table!;
    expect(t.rowCount).toBe(2);
    expect(values(t, "ticket_id")).toEqual(["t1", "t2"]);
    expect(values(t, "channel")).toEqual(["phone", "email"]);
    expect(values(t, "opened_at")).toEqual(["2025-01-05T10:00:00.000Z", "2025-01-06T08:00:00.000Z"]);
    expect(values(t, "resolved_at")).toEqual([null, "2025-01-06T08:30:00.000Z"]);
    expect(values(t, "contacts")).toEqual([1, 3]);
    expect(values(t, "nps")).toEqual([9, null]);
    expect(values(t, "first")).toEqual([true, false]);
    expect(values(t, "spend")).toEqual([12.5, null]);
    expect(values(t, "day")).toEqual(["2025-01-05T00:00:00.000Z", null]);
    expect(values(t, "wait")).toEqual([3_600_000, 90_000]);
    expect(t.columns.has("hours")).toBe(false); // derived: computed later, not read
    expect(Array.from(t.rowLines!)).toEqual([2, 3]);
    expect(t.file).toBe("t.csv");
    expect(t.columns.get("resolved_at")!.nulls).not.toBeNull();
    expect(t.columns.get("ticket_id")!.nulls).toBeNull();
  });

  it("takes columns in any order and ignores extra ones", () => {
    const ds = dataset("d", [col("a", "int"), col("b", "string")]);
    const r = loadCsvSync(ds, "extra,b,a,more\nx,hello,1,y\nz,world,2,w\n");
    expect(r.diagnostics).toEqual([]);
    expect(values(r.table!, "a")).toEqual([1, 2]);
    expect(values(r.table!, "b")).toEqual(["hello", "world"]);
  });

  it("handles BOM, CRLF, quotes, doubled quotes, embedded newlines and blank lines", () => {
    const ds = dataset("d", [col("id", "int"), col("text", "string", { nullable: true }), col("n", "number")]);
    const csv = '\uFEFFid,text,n\r\n1,"a, b",1.5\r\n\r\n2,"say ""hi""",2\r\n3,"two\r\nlines",3\r\n4,"",4';
    const r = loadCsvSync(ds, csv);
    expect(r.diagnostics).toEqual([]);
    expect(values(r.table!, "id")).toEqual([1, 2, 3, 4]);
    expect(values(r.table!, "text")).toEqual(["a, b", 'say "hi"', "two\r\nlines", null]);
    expect(Array.from(r.table!.rowLines!)).toEqual([2, 4, 5, 7]);
  });

  it("counts lines after an embedded newline for diagnostics", () => {
    const ds = dataset("d", [col("text", "string"), col("n", "int")]);
    const m = marked('text,n\n"one\ntwo",1\nx,<|oops\n');
    const r = loadCsvSync(ds, m.text);
    expect(errors(r)).toEqual([{ code: "invalid-value", line: m.line, column: m.column, col: "n" }]);
  });

  it("gives the same table and diagnostics for any chunking", async () => {
    const ds = dataset("d", [col("id", "string", { key: true }), col("text", "string", { nullable: true }), col("n", "int", { nullable: true })], { onBadRows: "skip" });
    const csv = '\uFEFFid,text,n\r\na,"x,""y""\nz",1\r\nb,,2\nc,"é€😀",x\nd,plain,4\na,dup,5\ne,"q"\r\n';
    const whole = loadCsvSync(ds, csv);
    expect(whole.table!.rowCount).toBe(3);
    const bytes = new TextEncoder().encode(csv);
    for (const size of [1, 2, 3, 5, 7, 16]) {
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
      }
      const r = await loadCsv(ds, chunks());
      expect(r.diagnostics).toEqual(whole.diagnostics);
      for (const name of ["id", "text", "n"]) expect(values(r.table!, name)).toEqual(values(whole.table!, name));
      expect(Array.from(r.table!.rowLines!)).toEqual(Array.from(whole.table!.rowLines!));
    }
    expect(values(whole.table!, "text")).toEqual(['x,"y"\nz', null, "plain"]);
    expect(whole.diagnostics.map((d) => [d.code, d.line])).toEqual([["invalid-value", 5], ["duplicate-key", 7], ["malformed-data", 8], ["rows-skipped", undefined]]);
  });

  it("reports a missing declared column and produces no table", () => {
    const ds = dataset("d", [col("a", "int"), col("b", "string"), col("c", "bool")]);
    const r = loadCsvSync(ds, "a\n1\n", { file: "d.csv" });
    expect(r.table).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.data?.column, d.file])).toEqual([["missing-data-column", "b", "d.csv"], ["missing-data-column", "c", "d.csv"]]);
  });

  it("reports rows with too many or too few fields", () => {
    const ds = dataset("d", [col("a", "int"), col("b", "int")]);
    const r = loadCsvSync(ds, "a,b\n1,2,3\n4\n5,6\n");
    expect(r.table).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      ["malformed-data", 2, 5, "This row has 3 fields, but the header has 2."],
      ["malformed-data", 3, 2, "This row has 1 field, but the header has 2."],
    ]);
  });

  it("reports an unclosed quote and text after a closing quote", () => {
    const ds = dataset("d", [col("a", "string"), col("b", "int")]);
    const r = loadCsvSync(ds, 'a,b\n"x"y,1\nz,"2');
    expect(errors(r)).toEqual([
      { code: "malformed-data", line: 2, column: 1, col: "a" },
      { code: "malformed-data", line: 3, column: 3, col: "b" },
    ]);
  });

  it("reports an empty file", () => {
    const r = loadCsvSync(dataset("d", [col("a", "int")]), "");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["malformed-data"]);
    expect(r.table).toBeNull();
  });

  it("reads a header-only file as an empty table", () => {
    const r = loadCsvSync(dataset("d", [col("a", "int")]), "a\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.table!.rowCount).toBe(0);
  });

  it("reports each kind of constraint violation with line, column and column name", () => {
    const csv = [
      HEADER,
      "t1,phone,2025-01-05T10:00:00Z,,1,9,true,1,,",
      "t2,fax,2025-01-05T10:00:00Z,,1,9,true,1,,", // not allowed
      "t3,phone,,,1,9,true,1,,", // null in non-nullable
      "t4,phone,2025-01-05T10:00:00Z,,0,11,true,1,,", // out of range twice
      "t1,phone,2025-01-05T10:00:00Z,,1,9,maybe,x,2025-02-30,P1M", // dup key and four bad values
    ].join("\n");
    const r = loadCsvSync(tickets, csv, { file: "t.csv" });
    expect(r.table).toBeNull();
    expect(errors(r)).toEqual([
      { code: "value-not-allowed", line: 3, column: 4, col: "channel" },
      { code: "null-value", line: 4, column: 10, col: "opened_at" },
      { code: "value-out-of-range", line: 5, column: 32, col: "contacts" },
      { code: "value-out-of-range", line: 5, column: 34, col: "nps" },
      { code: "invalid-value", line: 6, column: 36, col: "first" },
      { code: "invalid-value", line: 6, column: 42, col: "spend" },
      { code: "invalid-value", line: 6, column: 44, col: "day" },
      { code: "invalid-value", line: 6, column: 55, col: "wait" },
      { code: "duplicate-key", line: 6, column: 1, col: "ticket_id" },
    ]);
    expect(r.diagnostics.every((d) => d.severity === "error" && d.file === "t.csv")).toBe(true);
    const dup = r.diagnostics.find((d) => d.code === "duplicate-key")!;
    expect(dup.message).toBe('Key "t1" of column "ticket_id" appears more than once (first on line 2).');
    expect(r.diagnostics[0]!.message).toBe('"fax" is not one of the allowed values of "channel".');
    expect(r.diagnostics[2]!.message).toBe('0 is outside the range 1.. of "contacts".');
    expect(r.diagnostics[4]!.message).toBe('"maybe" is not a valid bool for column "first".');
  });

  it("checks ranges of dates, timestamps and durations (bounds of durations in seconds)", () => {
    const ds = dataset("d", [
      col("day", "date", { allowed: range("2025-01-01", "2025-12-31") }),
      col("at", "timestamp", { allowed: range(null, "2025-06-01T00:00:00Z") }),
      col("wait", "duration", { allowed: range(0, 3600) }),
      col("score", "number", { allowed: set(1, 2.5) }),
      col("ok", "bool", { allowed: set(true) }),
    ]);
    const r = loadCsvSync(ds, "day,at,wait,score,ok\n2025-12-31,2025-06-01T00:00:00Z,PT1H,2.5,true\n2024-12-31,2025-06-01T00:00:01Z,PT1H1S,2,false\n");
    expect(errors(r).map((e) => `${e.code}:${e.col}`)).toEqual([
      "value-out-of-range:day", "value-out-of-range:at", "value-out-of-range:wait", "value-not-allowed:score", "value-not-allowed:ok",
    ]);
  });

  it("checks composite keys and numeric keys", () => {
    const ds = dataset("d", [col("a", "int", { key: true }), col("b", "string", { key: true })]);
    const r = loadCsvSync(ds, "a,b\n1,x\n1,y\n2,x\n1,x\n");
    expect(r.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([["duplicate-key", 5, 'Key "1, x" of column "a, b" appears more than once (first on line 2).']]);
    const n = loadCsvSync(dataset("n", [col("id", "int", { key: true })]), "id\n1\n2\n1.0\n");
    expect(n.diagnostics.map((d) => [d.code, d.line])).toEqual([["duplicate-key", 4]]);
  });

  it("lists at most 100 problems per code, then counts the rest", () => {
    const ds = dataset("d", [col("n", "int")]);
    const r = loadCsvSync(ds, "n\n" + "x\n".repeat(150));
    expect(r.diagnostics.filter((d) => d.code === "invalid-value")).toHaveLength(100);
    const more = r.diagnostics.find((d) => d.code === "more-data-problems")!;
    expect(more.message).toBe('50 more "invalid-value" problems in the data of "d" are not listed.');
    expect(more.data?.total).toBe(150);
  });

  it("under `skip`, drops bad rows with a warning each and counts them per reason", () => {
    const ds = dataset("d", [col("id", "string", { key: true }), col("seg", "string", { allowed: set("a", "b") }), col("n", "int")], { onBadRows: "skip" });
    const r = loadCsvSync(ds, "id,seg,n\nr1,a,1\nr2,zzz,2\nr3,b,x\nr4,a\nr1,b,5\nr5,b,6\nr6,,7\n", { file: "d.csv" });
    const t = r.table!;
    expect(values(t, "id")).toEqual(["r1", "r5"]);
    expect(values(t, "seg")).toEqual(["a", "b"]);
    expect((t.columns.get("seg") as Extract<ColumnData, { type: "string" }>).dict).toEqual(["a", "b"]); // "zzz" is gone
    expect((t.columns.get("id") as Extract<ColumnData, { type: "string" }>).dict).toEqual(["r1", "r5"]);
    expect(Array.from(t.rowLines!)).toEqual([2, 7]);
    expect(r.rowsRead).toBe(7);
    expect(r.rowsSkipped).toBe(5);
    const warnings = r.diagnostics.filter((d) => d.code !== "rows-skipped");
    expect(warnings.every((d) => d.severity === "warning")).toBe(true);
    expect(warnings.map((d) => [d.code, d.line])).toEqual([
      ["value-not-allowed", 3], ["invalid-value", 4], ["malformed-data", 5], ["duplicate-key", 6], ["null-value", 8],
    ]);
    const summary = r.diagnostics.find((d) => d.code === "rows-skipped")!;
    expect(summary.severity).toBe("warning");
    expect(summary.message).toBe('5 rows of "d" were skipped: 1 value-not-allowed, 1 invalid-value, 1 malformed-data, 1 duplicate-key, 1 null-value.');
    expect(summary.data).toMatchObject({ count: 5, "invalid-value": 1, "duplicate-key": 1 });
  });

  it("keeps the column of relation cells for the relation check", () => {
    const ds = dataset("d", [col("id", "string"), col("customer_id", "string")], {
      relations: [{ name: "customer", column: "customer_id", dataset: "c", key: "id", origin: { file: "s", start: 0, end: 0 } }],
    });
    const r = loadCsvSync(ds, 'id,customer_id\nx,c1\n"é",c2\n');
    expect(Array.from(r.table!.cellColumns!.get("customer_id")!)).toEqual([3, 5]);
  });

  it("loads only the requested columns when asked (projection)", () => {
    const ds = dataset("d", [col("id", "string", { key: true }), col("n", "int"), col("s", "string")]);
    const r = loadCsvSync(ds, "id,n,s\na,1,x\na,oops,y\n", { columns: ["s"] });
    expect(r.diagnostics).toEqual([]); // the duplicate key and the bad int are in columns not loaded
    expect([...r.table!.columns.keys()]).toEqual(["s"]);
    expect(values(r.table!, "s")).toEqual(["x", "y"]);
  });

  it("reads other delimiters", () => {
    const r = loadCsvSync(dataset("d", [col("a", "int"), col("b", "string")]), "a\tb\n1\tx y\n", { delimiter: "\t" });
    expect(values(r.table!, "b")).toEqual(["x y"]);
  });

  it("trims spaces around typed values but keeps them in strings", () => {
    const r = loadCsvSync(dataset("d", [col("a", "int", { nullable: true }), col("b", "string")]), "a,b\n 1 , x \n  ,y\n");
    expect(values(r.table!, "a")).toEqual([1, null]);
    expect(values(r.table!, "b")).toEqual([" x ", "y"]);
  });

  it("streams a large input through small pushes without holding it", () => {
    const ds = dataset("d", [col("i", "int", { key: true }), col("s", "string")]);
    const loader = new CsvLoader(ds);
    const enc = new TextEncoder();
    loader.push(enc.encode("i,s\n"));
    for (let i = 0; i < 20000; i++) loader.push(enc.encode(`${i},v${i % 7}\n`));
    const r = loader.finish();
    expect(r.table!.rowCount).toBe(20000);
    expect((r.table!.columns.get("s") as Extract<ColumnData, { type: "string" }>).dict).toHaveLength(7);
  });
});
