/**
 * Local wall-clock time in an IANA zone -> UTC instant, through `Intl.DateTimeFormat` (no zone
 * database of our own). Offsets are cached per zone and local day, so a million timestamps cost a
 * few hundred `Intl` calls.
 *
 * DST rule (Temporal's "compatible" disambiguation):
 * - a local time that occurs twice (clocks turned back) is read with the earlier offset, i.e. the
 *   first occurrence: 2024-11-03T01:30 in America/Los_Angeles is 08:30Z (PDT);
 * - a local time that does not exist (clocks turned forward) is shifted forward by the length of
 *   the gap: 2024-03-10T02:30 in America/Los_Angeles is read as 03:30 PDT = 10:30Z.
 */

const DAY = 86_400_000;

interface ZoneCache {
  dtf: Intl.DateTimeFormat;
  /** Local day number -> offset (ms, local minus UTC) valid for the whole local day, or NaN near a transition. */
  days: Map<number, number>;
  offsets: Map<number, number>;
}

const zones = new Map<string, ZoneCache>();

function zoneCache(zone: string): ZoneCache {
  let z = zones.get(zone);
  if (!z) {
    const dtf = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric", era: "short",
    });
    z = { dtf, days: new Map(), offsets: new Map() };
    zones.set(zone, z);
  }
  return z;
}

/** True for zones with a constant zero offset, which need no conversion. */
export function isUtcZone(zone: string): boolean {
  return zone === "UTC" || zone === "Etc/UTC" || zone === "GMT" || zone === "Etc/GMT" || zone === "Z";
}

/** Offset (ms, local minus UTC) of `zone` at the UTC instant `utc`. */
export function zoneOffset(zone: string, utc: number): number {
  const z = zoneCache(zone);
  const second = Math.floor(utc / 1000) * 1000;
  const cached = z.offsets.get(second);
  if (cached !== undefined) return cached;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
  for (const p of z.dtf.formatToParts(second)) {
    switch (p.type) {
      case "year": y = +p.value; break;
      case "month": mo = +p.value; break;
      case "day": d = +p.value; break;
      case "hour": h = +p.value; break;
      case "minute": mi = +p.value; break;
      case "second": s = +p.value; break;
      case "era": bc = p.value === "BC" || p.value === "B"; break;
    }
  }
  if (bc) y = 1 - y;
  const asUtc = new Date(0).setUTCFullYear(y, mo - 1, d) + h * 3600_000 + mi * 60_000 + s * 1000;
  const off = asUtc - second;
  if (z.offsets.size > 10_000) z.offsets.clear();
  z.offsets.set(second, off);
  return off;
}

/** UTC instant of the wall-clock time `local` (ms, as if the local fields were UTC) in `zone`. */
export function localToUtc(local: number, zone: string): number {
  if (isUtcZone(zone)) return local;
  const z = zoneCache(zone);
  const day = Math.floor(local / DAY);
  let off = z.days.get(day);
  if (off === undefined) {
    const start = day * DAY;
    const a = zoneOffset(zone, start - DAY);
    const b = zoneOffset(zone, start + DAY / 2);
    const c = zoneOffset(zone, start + 2 * DAY);
    off = a === b && b === c ? a : NaN;
    z.days.set(day, off);
  }
  if (off === off) return local - off;
  return nearTransition(local, zone);
}

function nearTransition(local: number, zone: string): number {
  const before = zoneOffset(zone, local - DAY);
  const after = zoneOffset(zone, local + DAY);
  const u1 = local - before;
  const u2 = local - after;
  const ok1 = zoneOffset(zone, u1) === before;
  const ok2 = zoneOffset(zone, u2) === after;
  if (ok1 && ok2) return Math.min(u1, u2);
  if (ok1) return u1;
  if (ok2) return u2;
  // In the gap: read with the offset before the transition, which lands after it.
  return u1;
}
