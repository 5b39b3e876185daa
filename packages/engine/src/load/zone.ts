import { zoneOffsets } from "../time/zone.js";

/**
 * Local wall-clock time in an IANA zone -> UTC instant, for loaders. One implementation of zone
 * rules serves loading and bucketing (`time/zone.ts`, offsets sampled from `Intl` into a
 * transition table); DST follows Temporal's "compatible" disambiguation, see `ZoneOffsets.toUtc`.
 */

/** True for zones with a constant zero offset, which need no conversion. */
export function isUtcZone(zone: string): boolean {
  return zone === "UTC" || zone === "Etc/UTC" || zone === "GMT" || zone === "Etc/GMT" || zone === "Z";
}

/** Offset (ms, local minus UTC) of `zone` at the UTC instant `utc`. */
export function zoneOffset(zone: string, utc: number): number {
  return zoneOffsets(zone).offset(utc);
}

/** UTC instant of the wall-clock time `local` (ms, as if the local fields were UTC) in `zone`. */
export function localToUtc(local: number, zone: string): number {
  return isUtcZone(zone) ? local : zoneOffsets(zone).toUtc(local);
}
