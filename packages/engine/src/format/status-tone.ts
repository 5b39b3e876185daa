import type { Kpi } from "@yardstick/model";

/** How a status reads at a glance: what the CLI colours green, yellow, red or dim, and the playground too. */
export type StatusTone = "good" | "warn" | "bad" | "neutral";

const BAD = new Set(["off_target", "off_track", "poor", "critical", "bad", "breach", "red"]);
const GOOD = new Set(["on_target", "on_track", "good", "ok", "green", "excellent"]);

/**
 * The tone of a status: good when on target, bad when off, warn in between, neutral without data.
 * Labels of a status block are ordered best first, so its first label is good and its last bad.
 */
export function statusTone(status: string | null, kpi: Pick<Kpi, "status"> | undefined): StatusTone {
  if (status === null || status === "insufficient_data") return "neutral";
  if (GOOD.has(status)) return "good";
  if (BAD.has(status)) return "bad";
  if (kpi && kpi.status.length > 0) {
    const i = kpi.status.findIndex((s) => s.label === status);
    if (i === 0) return "good";
    if (i === kpi.status.length - 1) return "bad";
  }
  return "warn";
}
