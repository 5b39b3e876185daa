/** A group value or cell as the results table shows it (null as ∅). */
export function cellText(v: string | number | boolean | null | undefined): string {
  return v === null || v === undefined ? "∅" : String(v);
}
