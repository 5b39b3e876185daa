import type { Rule } from "@yardstick/model";

/**
 * The alert state machine of one rule for one group, over consecutive calendar periods.
 *
 *   inactive ──when holds──▶ pending ──held `for` consecutive periods──▶ firing ──recovers──▶ inactive
 *
 * - `when` holds on a period only when it is true; false and null (a comparison with a missing
 *   value) do not hold.
 * - An alert fires in the period in which the condition has held on `for` consecutive periods; that
 *   period is the episode's `from`. The first period of the run is kept as `pendingFrom`.
 * - A firing alert recovers in the first period where `recover when` is true (hysteresis: while
 *   neither holds it keeps firing). Without `recover when` it recovers in the first period where
 *   `when` does not hold. The episode's `to` is the last period it was firing, the one before the
 *   recovering period. The recovering period does not start a new run.
 * - A period without data (a KPI of the rule has no value) follows the rule's policy:
 *   `keep` leaves everything as it is: a pending run neither grows nor breaks, a firing alert keeps
 *   firing (the period counts as firing); `resolve` ends a firing episode (`to` is the period
 *   before) and drops a pending run; `fire` counts as the condition holding (and not recovering).
 */

export interface PeriodInput {
  /** No value for this period: the no-data policy applies and the conditions are not read. */
  noData: boolean;
  /** `when` is true. Read only when there is data (or under `fire`). */
  holds: () => boolean;
  /** `recover when` is true; null when the rule has no recovery condition. */
  recovers: (() => boolean) | null;
}

/** An episode as positions in the period list. `to` is null while still firing at the end. */
export interface EpisodeSpan {
  pendingFrom: number;
  from: number;
  to: number | null;
}

export type StateName = "inactive" | "pending" | "firing";

/** Runs the state machine over the periods; `trace` (optional) receives the state after each period. */
export function runStateMachine(
  periods: readonly PeriodInput[],
  rule: Pick<Rule, "for" | "onNoData">,
  trace?: (i: number, state: StateName) => void,
): EpisodeSpan[] {
  const out: EpisodeSpan[] = [];
  let state: StateName = "inactive";
  let count = 0;
  let runStart = -1;
  let open: EpisodeSpan | null = null;
  const need = Math.max(1, rule.for);

  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    let holds: boolean;
    let recovers: boolean | null;
    if (p.noData && rule.onNoData === "keep") {
      trace?.(i, state);
      continue;
    }
    if (p.noData && rule.onNoData === "resolve") {
      if (state === "firing") {
        open!.to = i - 1;
        open = null;
      }
      state = "inactive";
      count = 0;
      trace?.(i, state);
      continue;
    }
    if (p.noData) {
      holds = true;
      recovers = p.recovers ? false : null;
    } else {
      holds = p.holds();
      recovers = p.recovers ? p.recovers() : null;
    }
    if (state === "firing") {
      const ends = recovers === null ? !holds : recovers;
      if (ends) {
        open!.to = i - 1;
        open = null;
        state = "inactive";
        count = 0;
      }
    } else if (holds) {
      if (state === "inactive") {
        runStart = i;
        count = 0;
      }
      count++;
      if (count >= need) {
        open = { pendingFrom: runStart, from: i, to: null };
        out.push(open);
        state = "firing";
      } else {
        state = "pending";
      }
    } else {
      state = "inactive";
      count = 0;
    }
    trace?.(i, state);
  }
  return out;
}
