/** Test helpers (not built): source text with the cursor or a range marked inline. */

/** `kpi x { value <|> }`: the text without the marker, and the marker's offset. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf("<|>");
  if (offset < 0 || marked.indexOf("<|>", offset + 1) >= 0) throw new Error("mark exactly one cursor with <|>");
  return { text: marked.slice(0, offset) + marked.slice(offset + 3), offset };
}

/** `value <|avg(x)|>`: the text without the markers, and the marked range. */
export function range(marked: string): { text: string; start: number; end: number } {
  const start = marked.indexOf("<|");
  const close = marked.indexOf("|>", start + 2);
  if (start < 0 || close < 0) throw new Error("mark a range with <|...|>");
  const text = marked.slice(0, start) + marked.slice(start + 2, close) + marked.slice(close + 2);
  return { text, start, end: close - 2 };
}

export const DATASETS = `yardstick 1

dataset customers "Customers" from "customers.csv" {
  customer_id: string key
  segment: string in ("smb", "enterprise")
  signed_up: date time
}

dataset tickets "Support tickets" from "tickets.csv" {
  ticket_id: string key
  customer_id: string -> customers
  opened_at: timestamp time
  resolved_at: timestamp?
  satisfaction: int? in 1..5 @customer
  cost: number unit EUR @company
  let hours_open = hours_between(opened_at, resolved_at)
}
`;
