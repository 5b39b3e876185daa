import { describe, expect, it } from "vitest";
import { daysFromCivil, civilFromDays, isoYearWeek, weekIndexOfDays, MS_PER_DAY } from "./civil.js";
import { parseInstant, parseDateDays } from "./parse.js";
import {
  bucketFunction, parsePeriod, periodDays, periodLabel, periodRange, periodStartDays, shiftInstant, shiftPeriod,
} from "./period.js";
import { zoneOffsets } from "./zone.js";

const ts = (s: string) => Date.parse(s);
const label = (unit: "day" | "week" | "month" | "quarter" | "year", s: string, zone = "UTC") =>
  periodLabel(unit, bucketFunction(unit, "timestamp", zone)(ts(s)));

describe("civil calendar", () => {
  it("round-trips epoch days", () => {
    for (const d of [-800000, -1, 0, 1, 10957, 20089, 2932896]) {
      const [y, m, dd] = civilFromDays(d);
      expect(daysFromCivil(y, m, dd)).toBe(d);
    }
    expect(daysFromCivil(2025, 1, 5)).toBe(Date.UTC(2025, 0, 5) / MS_PER_DAY);
  });

  it("ISO weeks, including week 53 and weeks across the new year", () => {
    expect(isoYearWeek(weekIndexOfDays(daysFromCivil(2020, 12, 31)))).toEqual([2020, 53]);
    expect(isoYearWeek(weekIndexOfDays(daysFromCivil(2021, 1, 3)))).toEqual([2020, 53]);
    expect(isoYearWeek(weekIndexOfDays(daysFromCivil(2021, 1, 4)))).toEqual([2021, 1]);
    expect(isoYearWeek(weekIndexOfDays(daysFromCivil(2024, 12, 30)))).toEqual([2025, 1]);
    expect(isoYearWeek(weekIndexOfDays(daysFromCivil(2026, 12, 31)))).toEqual([2026, 53]);
    expect(isoYearWeek(weekIndexOfDays(daysFromCivil(2025, 1, 8)))).toEqual([2025, 2]);
  });
});

describe("zones", () => {
  it("LA offsets around the 2024 spring-forward", () => {
    const z = zoneOffsets("America/Los_Angeles");
    expect(z.offset(ts("2024-03-10T09:59:59Z"))).toBe(-8 * 3600000);
    expect(z.offset(ts("2024-03-10T10:00:00Z"))).toBe(-7 * 3600000);
    expect(z.offset(ts("2024-11-03T08:59:59Z"))).toBe(-7 * 3600000);
    expect(z.offset(ts("2024-11-03T09:00:00Z"))).toBe(-8 * 3600000);
  });

  it("10 March 2024 has 23 hours in Los Angeles, 3 November 25", () => {
    const [a, b] = periodRange("day", daysFromCivil(2024, 3, 10), "timestamp", "America/Los_Angeles");
    expect((b - a) / 3600000).toBe(23);
    const [c, d] = periodRange("day", daysFromCivil(2024, 11, 3), "timestamp", "America/Los_Angeles");
    expect((d - c) / 3600000).toBe(25);
  });

  it("buckets an instant by the local day", () => {
    // 2024-03-11 06:30 UTC is 23:30 on 10 March in Los Angeles (PDT, UTC-7 since the 10th).
    expect(label("day", "2024-03-11T06:30:00Z", "America/Los_Angeles")).toBe("2024-03-10");
    expect(label("day", "2024-03-11T06:30:00Z")).toBe("2024-03-11");
    // 07:30 UTC on the 11th is already 00:30 on 11 March in Los Angeles.
    expect(label("day", "2024-03-11T07:30:00Z", "America/Los_Angeles")).toBe("2024-03-11");
    // Before the switch, PST (UTC-8): 2024-03-10 07:30 UTC is 23:30 on 9 March.
    expect(label("day", "2024-03-10T07:30:00Z", "America/Los_Angeles")).toBe("2024-03-09");
  });

  it("half-hour and southern-hemisphere zones", () => {
    expect(label("day", "2025-01-31T19:00:00Z", "Asia/Kolkata")).toBe("2025-02-01");
    expect(label("month", "2025-01-31T13:30:00Z", "Australia/Sydney")).toBe("2025-02");
    expect(label("year", "2024-12-31T23:30:00Z", "Europe/Berlin")).toBe("2025");
  });

  it("local midnight to instant, including a zone whose DST starts at midnight", () => {
    expect(parseInstant("2024-03-10", "America/Los_Angeles")).toBe(ts("2024-03-10T08:00:00Z"));
    // Santiago springs forward at 24:00 → 01:00 on 2024-09-08: the day starts at 01:00 local (04:00Z).
    expect(parseInstant("2024-09-08", "America/Santiago")).toBe(ts("2024-09-08T04:00:00Z"));
  });
});

describe("periods", () => {
  it("labels every unit", () => {
    const t = "2025-01-05T12:00:00Z";
    expect(label("day", t)).toBe("2025-01-05");
    expect(label("week", t)).toBe("2025-W01");
    expect(label("month", t)).toBe("2025-01");
    expect(label("quarter", t)).toBe("2025-Q1");
    expect(label("year", t)).toBe("2025");
  });

  it("dates bucket without zone shift", () => {
    const d = parseDateDays("2025-03-31")! * MS_PER_DAY;
    expect(periodLabel("day", bucketFunction("day", "date", "Pacific/Kiritimati")(d))).toBe("2025-03-31");
    expect(periodLabel("month", bucketFunction("month", "date", "America/Los_Angeles")(d))).toBe("2025-03");
  });

  it("parses labels back", () => {
    for (const [unit, s] of [["day", "2024-02-29"], ["week", "2020-W53"], ["month", "2025-12"], ["quarter", "2025-Q4"], ["year", "2025"]] as const) {
      const p = parsePeriod(s)!;
      expect(p.unit).toBe(unit);
      expect(periodLabel(unit, p.index)).toBe(s);
    }
    expect(parsePeriod("2021-W53")).toBeNull();
    expect(parsePeriod("2025-02-29")).toBeNull();
  });

  it("period days", () => {
    expect(periodDays("month", parsePeriod("2024-02")!.index)).toBe(29);
    expect(periodDays("quarter", parsePeriod("2025-Q1")!.index)).toBe(90);
    expect(periodDays("year", 2024)).toBe(366);
    expect(periodDays("week", 0)).toBe(7);
    expect(periodStartDays("week", parsePeriod("2025-W01")!.index)).toBe(daysFromCivil(2024, 12, 30));
  });

  it("previous periods step by calendar", () => {
    const p = (s: string) => parsePeriod(s)!.index;
    expect(periodLabel("month", shiftPeriod("month", p("2025-03"), null)!)).toBe("2025-02");
    expect(periodLabel("month", shiftPeriod("month", p("2025-01"), null)!)).toBe("2024-12");
    expect(periodLabel("month", shiftPeriod("month", p("2025-03"), "year")!)).toBe("2024-03");
    expect(periodLabel("quarter", shiftPeriod("quarter", p("2025-Q1"), "year")!)).toBe("2024-Q1");
    expect(periodLabel("day", shiftPeriod("day", p("2025-03-15"), "month")!)).toBe("2025-02-15");
    expect(shiftPeriod("day", p("2025-03-31"), "month")).toBeNull();
    expect(shiftPeriod("day", p("2024-02-29"), "year")).toBeNull();
    expect(periodLabel("week", shiftPeriod("week", p("2021-W10"), "year")!)).toBe("2020-W10");
    expect(shiftPeriod("week", p("2020-W53"), "year")).toBeNull();
    expect(shiftPeriod("month", p("2025-03"), "day")).toBeNull();
  });

  it("shifts instants by local calendar units", () => {
    // 30 days before 2024-03-31 00:00 in LA crosses the DST change and stays at local midnight.
    const end = parseInstant("2024-03-31", "America/Los_Angeles")!;
    expect(shiftInstant(end, "day", -30, "America/Los_Angeles")).toBe(parseInstant("2024-03-01", "America/Los_Angeles"));
    expect(shiftInstant(ts("2025-03-31T10:00:00Z"), "month", -1, "UTC")).toBe(ts("2025-02-28T10:00:00Z"));
  });

  it("parses timestamps with offsets, fractions and zones", () => {
    expect(parseInstant("2025-01-05T10:00:00+02:00", "UTC")).toBe(ts("2025-01-05T08:00:00Z"));
    expect(parseInstant("2025-01-05 10:00", "Europe/Berlin")).toBe(ts("2025-01-05T09:00:00Z"));
    expect(parseInstant("2025-01-05T10:00:00.250Z", "UTC")).toBe(ts("2025-01-05T10:00:00.250Z"));
    expect(parseInstant("2025-13-05", "UTC")).toBeNull();
  });
});
