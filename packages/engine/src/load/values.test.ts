import { describe, expect, it } from "vitest";
import { parseBool, parseDate, parseDuration, parseInt_, parseNumber, parseTimestamp, utf8Scratch } from "./values.js";
import { localToUtc } from "./zone.js";

const on = (f: (b: Uint8Array, s: number, e: number) => number) => (text: string) => {
  const b = new TextEncoder().encode(`xx${text}yy`); // offsets inside a larger buffer
  return f(b, 2, b.length - 2);
};
const num = on(parseNumber);
const int = on(parseInt_);
const bool = on(parseBool);
const date = on(parseDate);
const dur = on(parseDuration);
const ts = (text: string, zone = "UTC") => on((b, s, e) => parseTimestamp(b, s, e, zone))(text);
const iso = (ms: number) => new Date(ms).toISOString();

describe("number", () => {
  it.each([
    ["0", 0], ["42", 42], ["-7", -7], ["+3", 3], ["3.25", 3.25], [".5", 0.5], ["5.", 5], ["1e3", 1000], ["1.5E-2", 0.015],
    ["-0.1", -0.1], ["0.1", 0.1], ["123456789012345678901234567890", 1.2345678901234568e29], ["2.2250738585072014e-308", 2.2250738585072014e-308],
    ["9007199254740993", 9007199254740992],
  ])("%s = %d", (text, value) => expect(num(text)).toBe(value));
  it("is correctly rounded like Number()", () => {
    for (const t of ["0.3", "1.0000000000000002", "3.14159265358979", "12345.6789", "0.000123", "99999999999999.99"]) expect(num(t)).toBe(Number(t));
  });
  it.each(["", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "NaN", "Infinity", "0x10", "1,5", "12a", "--1"])("rejects %j", (text) => {
    expect(num(text)).toBeNaN();
  });
});

describe("int", () => {
  it.each([["42", 42], ["-7", -7], ["+3", 3], ["3.0", 3], ["1e3", 1000]])("%s = %d", (t, v) => expect(int(t)).toBe(v));
  it.each(["1.5", "abc", "1e-1", "9007199254740993"])("rejects %j", (t) => expect(int(t)).toBeNaN());
});

describe("bool", () => {
  it.each(["true", "TRUE", "True", "yes", "Yes", "1", "t", "T", "y", "Y"])("%s is true", (t) => expect(bool(t)).toBe(1));
  it.each(["false", "FALSE", "no", "NO", "0", "f", "F", "n", "N"])("%s is false", (t) => expect(bool(t)).toBe(0));
  it.each(["2", "tru", "yess", "on", "off", ""])("rejects %j", (t) => expect(bool(t)).toBe(-1));
});

describe("date", () => {
  it("reads YYYY-MM-DD as that day's UTC midnight", () => {
    expect(iso(date("2025-01-31"))).toBe("2025-01-31T00:00:00.000Z");
    expect(iso(date("2024-02-29"))).toBe("2024-02-29T00:00:00.000Z");
    expect(iso(date("1969-12-31"))).toBe("1969-12-31T00:00:00.000Z");
  });
  it.each(["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-5", "2025/01/05", "20250105", "2025-01-32", "2025-01-05T00:00"])("rejects %j", (t) => {
    expect(date(t)).toBeNaN();
  });
});

describe("timestamp", () => {
  it("reads offsets", () => {
    expect(iso(ts("2025-01-05T10:00:00Z"))).toBe("2025-01-05T10:00:00.000Z");
    expect(iso(ts("2025-01-05T10:00:00z"))).toBe("2025-01-05T10:00:00.000Z");
    expect(iso(ts("2025-01-05T10:00:00+02:00"))).toBe("2025-01-05T08:00:00.000Z");
    expect(iso(ts("2025-01-05T10:00:00-0530"))).toBe("2025-01-05T15:30:00.000Z");
    expect(iso(ts("2025-01-05T10:00+01"))).toBe("2025-01-05T09:00:00.000Z");
    expect(iso(ts("2025-01-05T10:00:00.123Z"))).toBe("2025-01-05T10:00:00.123Z");
    expect(ts("2025-01-05T10:00:00.123456Z") - ts("2025-01-05T10:00:00Z")).toBeCloseTo(123.456, 3);
  });
  it("accepts a space instead of T, and minutes without seconds", () => {
    expect(iso(ts("2025-01-05 10:30"))).toBe("2025-01-05T10:30:00.000Z");
  });
  it("reads a time without offset in the dataset's zone", () => {
    expect(iso(ts("2025-01-05T10:00:00", "Europe/Berlin"))).toBe("2025-01-05T09:00:00.000Z");
    expect(iso(ts("2025-07-05T10:00:00", "Europe/Berlin"))).toBe("2025-07-05T08:00:00.000Z");
    expect(iso(ts("2025-07-05T10:00", "America/Los_Angeles"))).toBe("2025-07-05T17:00:00.000Z");
    expect(iso(ts("2025-01-05", "Asia/Kolkata"))).toBe("2025-01-04T18:30:00.000Z");
  });
  it("an offset wins over the zone", () => {
    expect(iso(ts("2025-01-05T10:00:00Z", "Asia/Tokyo"))).toBe("2025-01-05T10:00:00.000Z");
  });
  it("shifts a nonexistent local time (spring forward) by the gap", () => {
    // 2024-03-10 02:00 -> 03:00 in Los Angeles; 02:30 does not exist and reads as 03:30 PDT.
    expect(iso(ts("2024-03-10T02:30", "America/Los_Angeles"))).toBe("2024-03-10T10:30:00.000Z");
    expect(iso(ts("2024-03-10T01:59", "America/Los_Angeles"))).toBe("2024-03-10T09:59:00.000Z");
    expect(iso(ts("2024-03-10T03:00", "America/Los_Angeles"))).toBe("2024-03-10T10:00:00.000Z");
  });
  it("reads an ambiguous local time (fall back) with the earlier offset", () => {
    // 2024-11-03 01:00-02:00 happens twice in Los Angeles: first PDT (-7), then PST (-8).
    expect(iso(ts("2024-11-03T01:30", "America/Los_Angeles"))).toBe("2024-11-03T08:30:00.000Z");
    expect(iso(ts("2024-11-03T00:59", "America/Los_Angeles"))).toBe("2024-11-03T07:59:00.000Z");
    expect(iso(ts("2024-11-03T02:00", "America/Los_Angeles"))).toBe("2024-11-03T10:00:00.000Z");
  });
  it("reads the repeated hour east of UTC as its first occurrence too", () => {
    // 2024-10-27 01:00-02:00 happens twice in London: first BST (+1), then GMT.
    expect(iso(ts("2024-10-27T01:30", "Europe/London"))).toBe("2024-10-27T00:30:00.000Z");
    expect(iso(ts("2024-03-31T01:30", "Europe/London"))).toBe("2024-03-31T01:30:00.000Z"); // in the gap: shifted to 02:30 BST
  });
  it("agrees with Intl on every hour of a DST year", () => {
    const fmt = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 3600_000) {
      const p = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
      const local = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
      const back = ts(local, "Europe/London");
      // Round trip holds except for the repeated hour, which reads as its first occurrence.
      if (back !== t) expect(back).toBe(t - 3600_000);
    }
  });
  it.each(["2025-01-05T25:00", "2025-01-05T10:60", "2025-01-05T10:00:61", "2025-01-05X10:00", "2025-01-05T10", "2025-01-05T10:00:00+25:00", "2025-01-05T10:00:00Zx", "2025-01-05T10:00:00.", "1736071200000"])(
    "rejects %j", (t) => expect(ts(t)).toBeNaN(),
  );
  it("localToUtc is the identity in UTC", () => expect(localToUtc(123456, "UTC")).toBe(123456));
});

describe("duration", () => {
  it.each([
    ["PT2H30M", 9_000_000], ["PT45S", 45_000], ["PT1.5S", 1500], ["P1D", 86_400_000], ["P1DT1H", 90_000_000], ["P2W", 1_209_600_000],
    ["pt1m", 60_000], ["-PT1H", -3_600_000], ["02:30:00", 9_000_000], ["2:30", 9_000_000], ["100:00:01.5", 360_001_500],
    ["9000", 9_000_000], ["1.5", 1500], ["-30", -30_000],
  ])("%s = %d ms", (t, v) => expect(dur(t)).toBe(v));
  it.each(["P1M", "P1Y", "PT", "P", "PT1H2H", "PT1M1H", "1:60", "1:5", "1:00:60", "abc", "--5", "P1DT"])("rejects %j", (t) => expect(dur(t)).toBeNaN());
});

describe("utf8Scratch", () => {
  it("encodes into a shared buffer", () => {
    const { bytes, length } = utf8Scratch("é€");
    expect(Array.from(bytes.subarray(0, length))).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac]);
  });
});
