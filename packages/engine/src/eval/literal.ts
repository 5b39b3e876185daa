import type { LitExpr, TimeUnit, ValueType } from "@yardstick/model";
import { MS_PER_DAY } from "../time/civil.js";
import { parseDateDays, parseInstant } from "../time/parse.js";
import { parsePeriod } from "../time/period.js";
import type { V } from "./values.js";

/** A literal's value in the evaluator's representation; `ok: false` when its text is invalid. */
export interface LiteralValue { ok: boolean; value: V; kind: "num" | "str"; vtype: ValueType; unit: TimeUnit | null }

/**
 * Reads a literal as type `type` (its own by default). Dates become their UTC midnight, timestamps
 * without offset are wall-clock time in `zone`, periods their index (time/period.ts).
 */
export function literalValue(e: LitExpr, zone: string, type: ValueType = e.type): LiteralValue {
  const v = e.value;
  const out = (value: V, kind: "num" | "str", vtype: ValueType, unit: TimeUnit | null = null): LiteralValue => ({ ok: true, value, kind, vtype, unit });
  const bad: LiteralValue = { ok: false, value: NaN, kind: "num", vtype: "null", unit: null };
  if (v === null || e.type === "null") return out(NaN, "num", "null");
  switch (type) {
    case "string": return out(String(v), "str", "string");
    case "bool": return out(v === true || v === "true" ? 1 : 0, "num", "bool");
    case "date": {
      if (typeof v === "number") return out(v, "num", "date");
      const d = parseDateDays(String(v));
      return d === null ? bad : out(d * MS_PER_DAY, "num", "date");
    }
    case "timestamp": {
      if (typeof v === "number") return out(v, "num", "timestamp");
      const t = parseInstant(String(v), zone);
      return t === null ? bad : out(t, "num", "timestamp");
    }
    case "period": {
      const p = parsePeriod(String(v));
      return p === null ? bad : out(p.index, "num", "period", p.unit);
    }
    default: {
      const n = typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
      return Number.isFinite(n) ? out(n, "num", type) : bad;
    }
  }
}
