import { describe, expect, it } from "vitest";
import type { Kpi } from "@yardstick/model";
import type { ResultRow } from "@yardstick/engine";
import { compareRows } from "./diff.js";
import { deltaText } from "../render/diff.js";

const O = { file: "k.kpi", start: 0, end: 0 };
const kpi = (over: Partial<Kpi> = {}): Kpi => ({
  name: "k", label: null, description: null, owner: null, tags: [], from: "t", where: null,
  value: { op: "lit", type: "number", value: 1, origin: O }, by: [], unit: null, format: null,
  direction: "higher", minSamples: null, zone: "UTC", timeColumn: null, target: [], status: [],
  ratio: null, dependsOn: [], origin: O, ...over,
});
const row = (group: Record<string, string>, value: number | null, status: string | null = null, n = 10): ResultRow => ({ kpi: "k", group, value, n, status, target: null });

describe("compareRows", () => {
  it("pairs groups, computes deltas and judges them by the KPI's direction", () => {
    const higher = kpi();
    const out = compareRows(
      [row({ c: "a" }, 0.5), row({ c: "b" }, 0.5), row({ c: "c" }, 0.5), row({ c: "gone" }, 1)],
      [row({ c: "a" }, 0.6), row({ c: "b" }, 0.4), row({ c: "c" }, 0.5 + 1e-15), row({ c: "new" }, 2)],
      higher, higher,
    );
    expect(out.map((g) => [g.group["c"], g.change])).toEqual([["a", "improved"], ["b", "worsened"], ["c", "unchanged"], ["new", "added"], ["gone", "removed"]]);
    expect(out[0]!.delta).toBeCloseTo(0.1, 12);
    expect(out[3]).toMatchObject({ old: null, new: 2, delta: null, oldN: null, newN: 10 });
    expect(out[4]).toMatchObject({ old: 1, new: null, delta: null, oldN: 10, newN: null });
    const lower = kpi({ direction: "lower" });
    expect(compareRows([row({}, 10)], [row({}, 8)], lower, lower)[0]!.change).toBe("improved");
  });

  it("judges by the status order first, and calls directionless moves changed", () => {
    const withStatus = kpi({ status: [{ label: "good", when: null, origin: O }, { label: "ok", when: null, origin: O }, { label: "bad", when: null, origin: O }] });
    // The value rose but the status fell (a changed status definition): the status decides.
    expect(compareRows([row({}, 1, "good")], [row({}, 2, "bad")], withStatus, withStatus)[0]!.change).toBe("worsened");
    expect(compareRows([row({}, 1, "off_target")], [row({}, 1, "on_target")], kpi(), kpi())[0]!.change).toBe("improved");
    expect(compareRows([row({}, 1, "on_target")], [row({}, 1, "insufficient_data")], kpi(), kpi())[0]!.change).toBe("changed");
    expect(compareRows([row({}, null)], [row({}, 3)], kpi(), kpi())[0]!.change).toBe("changed");
    expect(compareRows([row({}, null)], [row({}, null)], kpi(), kpi())[0]!.change).toBe("unchanged");
  });
});

describe("deltaText", () => {
  it("signs the difference and shows percentages as points", () => {
    expect(deltaText(0.084, kpi({ format: { kind: "percent", decimals: null } }))).toBe("+8.4 pp");
    expect(deltaText(-0.02, kpi({ format: { kind: "percent", decimals: 2 } }))).toBe("-2.00 pp");
    expect(deltaText(-3.25, kpi({ unit: "hours", format: { kind: "number", decimals: 1 } }))).toBe("-3.3 hours");
    expect(deltaText(1500, kpi({ unit: "USD", format: { kind: "currency", decimals: null } }))).toBe("+$1,500.00");
    expect(deltaText(0, kpi())).toBe("0");
    expect(deltaText(null, kpi())).toBe("");
  });
});
