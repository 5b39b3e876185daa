/**
 * A structural key of a model node: its JSON with `origin` left out and object keys sorted, so
 * two occurrences of the same expression anywhere in a model get the same key. This is what
 * deduplicates aggregates, contexts and KPI instances.
 */
export function exprKey(node: unknown): string {
  if (node === null || typeof node !== "object") return JSON.stringify(node) ?? "null";
  if (Array.isArray(node)) return `[${node.map(exprKey).join(",")}]`;
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => k !== "origin" && obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${exprKey(obj[k])}`).join(",")}}`;
}
