import { describe, expect, it } from "vitest";
import { formatDuration, formatValue } from "./format-value.js";

describe("formatValue", () => {
  it("percent shows fractions as percentages", () => {
    expect(formatValue(0.756, { format: { kind: "percent", decimals: null }, unit: null })).toBe("75.6%");
    expect(formatValue(2 / 3, { format: { kind: "percent", decimals: 2 }, unit: null })).toBe("66.67%");
  });
  it("numbers round only for display, with the unit", () => {
    expect(formatValue(100 / 3, { format: null, unit: "points" })).toBe("33.33 points");
    expect(formatValue(0.0144 / 0.001, { format: null, unit: null })).toBe("14.4");
    expect(formatValue(3, { format: { kind: "number", decimals: 2 }, unit: null })).toBe("3.00");
    expect(formatValue(1234567.891, { format: { kind: "integer", decimals: null }, unit: null })).toBe("1,234,568");
  });
  it("currency uses ISO codes when the unit is one", () => {
    expect(formatValue(1234.5, { format: { kind: "currency", decimals: null }, unit: "USD" })).toBe("$1,234.50");
    expect(formatValue(189, { format: { kind: "currency", decimals: 0 }, unit: "EUR" })).toBe("€189");
    expect(formatValue(12, { format: { kind: "currency", decimals: null }, unit: "credits" })).toBe("12.00 credits");
  });
  it("durations read the unit", () => {
    expect(formatValue(26, { format: { kind: "duration", decimals: null }, unit: "hours" })).toBe("1d 2h");
    expect(formatValue(8.8, { format: { kind: "duration", decimals: null }, unit: "hours" })).toBe("8h 48m");
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(-90_000)).toBe("-1m 30s");
  });
  it("null shows as a dash", () => {
    expect(formatValue(null, { format: null, unit: null })).toBe("—");
  });
});
