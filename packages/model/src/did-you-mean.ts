/** Damerau–Levenshtein distance (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  const n = s.length;
  const m = t.length;
  let prev2: number[] = new Array(m + 1).fill(0);
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  let cur: number[] = new Array(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * The candidates closest to `input`, best first: those within 40% of the input's length
 * (at least one edit), as graphql-js `suggestionList` does.
 */
export function suggest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const threshold = Math.max(1, Math.floor(input.length * 0.4));
  const scored: Array<[string, number]> = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c) || c === input) continue;
    seen.add(c);
    const d = editDistance(input, c);
    const prefix = c.toLowerCase().startsWith(input.toLowerCase()) && input.length >= 3;
    if (d <= threshold || prefix) scored.push([c, prefix ? Math.min(d, threshold) : d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, max).map((x) => x[0]);
}

/** `Did you mean "a"?` / `Did you mean "a" or "b"?`, or undefined when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const list = suggest(input, candidates);
  if (list.length === 0) return undefined;
  const quoted = list.map((s) => `"${s}"`);
  if (quoted.length === 1) return `Did you mean ${quoted[0]}?`;
  return `Did you mean ${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}?`;
}
