import { describe, expect, it } from "vitest";
import type { Rule } from "@yardstick/model";
import { runStateMachine, type PeriodInput, type StateName } from "./state.js";

/**
 * Timelines as strings, one character per period:
 *   W = `when` holds, . = it does not, R = `recover when` holds (and `when` does not),
 *   B = both hold, - = no data.
 */
function periods(timeline: string, withRecover: boolean): PeriodInput[] {
  return [...timeline].map((ch) => ({
    noData: ch === "-",
    holds: () => ch === "W" || ch === "B",
    recovers: withRecover ? () => ch === "R" || ch === "B" : null,
  }));
}

function run(timeline: string, rule: Partial<Pick<Rule, "for" | "onNoData">> & { recover?: boolean } = {}) {
  const states: StateName[] = [];
  const eps = runStateMachine(periods(timeline, rule.recover ?? false), { for: rule.for ?? 1, onNoData: rule.onNoData ?? "keep" }, (_, s) => states.push(s));
  const letter = { inactive: "_", pending: "p", firing: "F" } as const;
  return { episodes: eps.map((e) => [e.pendingFrom, e.from, e.to]), states: states.map((s) => letter[s]).join("") };
}

describe("the alert state machine", () => {
  it("for 1 period: fires on the first period that holds and resolves on the first that does not", () => {
    //            0123456
    const r = run("..WW.W.");
    expect(r.states).toBe("__FF_F_");
    expect(r.episodes).toEqual([[2, 2, 3], [5, 5, 4 + 1]]);
  });

  it("for 3 periods: pending until the third consecutive period; a break resets the count", () => {
    //            0123456789
    const r = run("WW.WWWW..W", { for: 3 });
    expect(r.states).toBe("pp_ppFF__p");
    // Fires in period 5 (the third of the run 3, 4, 5); the run began in 3; resolved in 7, so `to` = 6.
    expect(r.episodes).toEqual([[3, 5, 6]]);
  });

  it("an episode still firing at the end has to = null", () => {
    expect(run(".WWW", { for: 2 }).episodes).toEqual([[1, 2, null]]);
  });

  it("recover when: hysteresis keeps firing while neither condition holds", () => {
    //            0123456
    const r = run(".W..R.W", { recover: true });
    expect(r.states).toBe("_FFF__F");
    expect(r.episodes).toEqual([[1, 1, 3], [6, 6, null]]);
    // The same timeline without a recovery condition resolves as soon as `when` stops holding.
    expect(run(".W..R.W").episodes).toEqual([[1, 1, 1], [6, 6, null]]);
  });

  it("the recovering period does not start a new run, even when `when` also holds", () => {
    //            01234
    const r = run("WWBWW", { recover: true, for: 2 });
    expect(r.states).toBe("pF_pF");
    expect(r.episodes).toEqual([[0, 1, 1], [3, 4, null]]);
  });

  it("recover is only read while firing", () => {
    expect(run("RWR", { recover: true }).episodes).toEqual([[1, 1, 1]]);
  });

  describe("no data", () => {
    //                 0 1 2 3 4 5 6 7
    const timeline = "WW-W.-W.";
    it("keep: nothing changes; a firing alert stays firing through the gap", () => {
      const r = run(timeline, { for: 2, onNoData: "keep" });
      expect(r.states).toBe("pFFF__p_");
      expect(r.episodes).toEqual([[0, 1, 3]]);
    });
    it("keep: a gap neither counts toward `for` nor breaks the run", () => {
      const r = run("W--W.", { for: 2, onNoData: "keep" });
      expect(r.states).toBe("pppF_");
      expect(r.episodes).toEqual([[0, 3, 3]]);
      expect(run("W-W-W", { for: 3, onNoData: "keep" }).episodes).toEqual([[0, 4, null]]);
    });
    it("resolve: ends a firing episode (to = the period before) and drops a pending run", () => {
      const r = run(timeline, { for: 2, onNoData: "resolve" });
      expect(r.states).toBe("pF_p__p_");
      expect(r.episodes).toEqual([[0, 1, 1]]);
      expect(run("W-W", { for: 2, onNoData: "resolve" }).episodes).toEqual([]);
    });
    it("fire: counts as the condition holding", () => {
      const r = run(timeline, { for: 2, onNoData: "fire" });
      expect(r.states).toBe("pFFF_pF_");
      expect(r.episodes).toEqual([[0, 1, 3], [5, 6, 6]]);
    });
    it("fire: no data does not recover a firing alert", () => {
      expect(run("W--R", { recover: true, onNoData: "fire" }).episodes).toEqual([[0, 0, 2]]);
    });
    it("conditions are not read on a period without data", () => {
      let reads = 0;
      const p: PeriodInput[] = [{ noData: true, holds: () => { reads++; return true; }, recovers: null }];
      for (const onNoData of ["keep", "resolve", "fire"] as const) runStateMachine(p, { for: 1, onNoData });
      expect(reads).toBe(0);
    });
  });
});
