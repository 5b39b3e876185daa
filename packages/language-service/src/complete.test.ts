import { describe, expect, it } from "vitest";
import { complete } from "./complete.js";
import { cursor, DATASETS } from "./test-support.js";
import type { CompletionItem } from "./types.js";

const KPIS = `
kpi csat "Customer satisfaction" {
  description "Mean satisfaction of resolved tickets."
  from tickets where resolved_at is not null
  value avg(satisfaction)
  status {
    happy when value >= 4
    unhappy otherwise
  }
}
`;

/** Completions at the `<|>` of a document appended to the shared datasets. */
function at(marked: string): CompletionItem[] {
  const { text, offset } = cursor(DATASETS + KPIS + marked);
  return complete({ path: "main.kpi", text }, offset);
}

const labels = (items: CompletionItem[], kind?: CompletionItem["kind"]) =>
  items.filter((i) => !kind || i.kind === kind).map((i) => i.label);

describe("complete", () => {
  it("offers datasets after `from`", () => {
    const items = at(`kpi k {\n  from <|>\n}`);
    expect(labels(items)).toEqual(["customers", "tickets"]);
    expect(items[1]).toMatchObject({ kind: "dataset", detail: "Support tickets", documentation: "Source: `tickets.csv` (csv)" });
  });

  it("replaces the whole word around the cursor", () => {
    const { text, offset } = cursor(DATASETS + `kpi k {\n  from tick<|>ts\n}`);
    const item = complete({ path: "m.kpi", text }, offset).find((i) => i.label === "tickets")!;
    expect(text.slice(item.replaceStart, item.replaceEnd)).toBe("tickts");
    expect(item.replaceStart).toBe(offset - 4);
  });

  it("offers the KPI's columns with their types, functions and KPIs in a value", () => {
    const items = at(`kpi k {\n  from tickets\n  value sum(<|>\n}`);
    const cols = items.filter((i) => i.kind === "column");
    expect(cols.map((c) => c.label)).toContain("satisfaction");
    expect(cols.find((c) => c.label === "satisfaction")!.detail).toBe("int? @customer");
    expect(cols.find((c) => c.label === "hours_open")!.detail).toBe("number?");
    expect(items.find((i) => i.label === "customer")).toMatchObject({ kind: "dataset", detail: "-> customers" });
    const avg = items.find((i) => i.label === "avg")!;
    expect(avg).toMatchObject({ kind: "function", detail: "avg(x)", insertText: "avg($1)", snippet: true });
    expect(labels(items, "kpi")).toEqual(["csat", "k"]);
  });

  it("finds the dataset even when `from` comes after the cursor", () => {
    expect(labels(at(`kpi k {\n  value count_distinct(<|>)\n  from customers\n}`), "column")).toEqual(["customer_id", "segment", "signed_up"]);
  });

  it("follows relation paths to the related dataset's columns", () => {
    const items = at(`kpi k {\n  from tickets\n  value count() by customer.<|>\n}`);
    expect(labels(items)).toEqual(["customer_id", "segment", "signed_up", "tickets"]);
  });

  it("offers related rows as a dataset member, and their columns", () => {
    expect(labels(at(`kpi k {\n  from customers\n  value avg(count(<|>))\n}`), "dataset")).toEqual(["tickets"]);
    expect(labels(at(`kpi k {\n  from customers\n  value sum(tickets.<|>)\n}`), "column")).toContain("cost");
  });

  it("keeps KPIs and aggregates out of row filters", () => {
    const items = at(`kpi k {\n  from tickets where <|>\n  value count()\n}`);
    expect(labels(items, "column")).toContain("cost");
    expect(labels(items, "kpi")).toEqual([]);
    expect(labels(items, "function")).not.toContain("sum");
    expect(labels(items, "function")).toContain("hours_between");
  });

  it("offers time buckets in `by`", () => {
    expect(labels(at(`kpi k {\n  from tickets\n  value count()\n  by <|>\n}`), "unit")).toEqual(["day", "week", "month", "quarter", "year"]);
  });

  it("offers operators after an operand", () => {
    const items = at(`kpi k {\n  from tickets\n  value share(satisfaction <|>)\n}`);
    expect(labels(items)).toContain("is null");
    expect(labels(items)).toContain("where");
    expect(labels(items, "column")).toEqual([]);
  });

  it("offers the clauses not yet written at the start of a KPI line", () => {
    const items = at(`kpi k {\n  from tickets\n  value count()\n  <|>\n}`);
    const l = labels(items, "keyword");
    expect(l).toContain("target");
    expect(l).toContain("format");
    expect(l).toContain("status");
    expect(l).not.toContain("from");
    expect(l).not.toContain("value");
    expect(items.find((i) => i.label === "status")!.insertText).toContain("otherwise");
  });

  it("still offers a clause keyword while it is being typed", () => {
    expect(labels(at(`kpi k {\n  from tickets\n  valu<|>\n}`))).toContain("value");
  });

  it("offers formats after `format`, then `decimals`", () => {
    expect(labels(at(`kpi k {\n  format <|>\n}`))).toEqual(["percent", "number", "integer", "currency", "duration"]);
    expect(labels(at(`kpi k {\n  format percent <|>\n}`))).toEqual(["decimals"]);
  });

  it("offers units in use after `unit`", () => {
    expect(labels(at(`kpi k {\n  unit <|>\n}`))).toContain("EUR");
  });

  it("offers status labels at the start of a status line, then `when`/`otherwise`", () => {
    const l = labels(at(`kpi k {\n  from tickets\n  value count()\n  status {\n    <|>\n  }\n}`));
    expect(l).toEqual(expect.arrayContaining(["happy", "unhappy", "on_track", "off_track"]));
    expect(labels(at(`kpi k {\n  status {\n    good <|>\n  }\n}`))).toEqual(["when", "otherwise"]);
  });

  it("offers value, target and KPIs in a status condition", () => {
    const items = at(`kpi k {\n  from tickets\n  value count()\n  status {\n    good when <|>\n  }\n}`);
    expect(labels(items, "keyword")).toEqual(["value", "target", "n"]);
    expect(labels(items, "kpi")).toContain("csat");
    expect(labels(items, "column")).toEqual([]);
  });

  it("offers types after `:` in a dataset, datasets after `->`, modifiers after the type", () => {
    expect(labels(at(`dataset d {\n  x: <|>\n}`))).toEqual(["string", "int", "number", "bool", "date", "timestamp", "duration"]);
    expect(labels(at(`dataset d {\n  x: string -> <|>\n}`))).toEqual(["customers", "tickets", "d"]);
    expect(labels(at(`dataset d {\n  x: string <|>\n}`))).toEqual(expect.arrayContaining(["key", "time", "in", "->"]));
    expect(labels(at(`dataset d {\n  <|>\n}`))).toEqual(["let", "zone", "on bad rows"]);
  });

  it("offers the dataset's own columns in a derived column", () => {
    const { text, offset } = cursor(DATASETS.replace("let hours_open = hours_between(opened_at, resolved_at)", "let late = <|>"));
    expect(labels(complete({ path: "d.kpi", text }, offset), "column")).toContain("opened_at");
  });

  it("offers the statuses of the KPI in `expect status of K =`", () => {
    const items = at(`test "t" {\n  expect status of csat = <|>\n}`);
    expect(labels(items, "status")).toEqual(["happy", "unhappy", "on_target", "off_target", "insufficient_data"]);
    expect(labels(at(`test "t" {\n  expect status of <|>\n}`), "kpi")).toEqual(["csat"]);
    expect(labels(at(`test "t" {\n  given <|>\n}`))).toEqual(["customers", "tickets"]);
    expect(labels(at(`test "t" {\n  <|>\n}`))).toEqual(["given", "expect", "as of"]);
  });

  it("offers definitions at the top level", () => {
    expect(labels(at(`<|>`))).toEqual(["dataset", "kpi", "rule", "test", "import"]);
    expect(labels(at(`kpi <|>`))).toEqual([]);
  });

  it("offers rule clauses and KPI names in conditions", () => {
    expect(labels(at(`rule r {\n  <|>\n}`))).toContain("severity");
    expect(labels(at(`rule r {\n  when <|>\n}`), "kpi")).toEqual(["csat"]);
    expect(labels(at(`rule r {\n  severity <|>\n}`))).toEqual(["info", "warning", "critical"]);
  });

  it("works on broken text: an unclosed KPI, a dangling operator", () => {
    expect(labels(at(`kpi k {\n  from tickets\n  value sum(cost) / <|>`), "column")).toContain("satisfaction");
    expect(labels(at(`kpi k {\n  from tickets\n  value (((<|>\nkpi other { from customers value count() }`), "column")).toContain("cost");
    const { text, offset } = cursor(`kpi k {\n  from <|>`);
    expect(complete({ path: "x.kpi", text }, offset)).toEqual([]);
  });

  it("reads datasets from other documents of the project", () => {
    const { text, offset } = cursor(`import "data.kpi"\nkpi k {\n  from tickets\n  value avg(<|>)\n}`);
    const items = complete({ path: "k.kpi", text }, offset, [{ path: "data.kpi", text: DATASETS }]);
    expect(labels(items, "column")).toContain("satisfaction");
  });

  it("offers nothing inside comments and strings", () => {
    expect(at(`kpi k {\n  // from <|>\n}`)).toEqual([]);
    expect(at(`kpi k {\n  description "from <|>"\n}`)).toEqual([]);
    expect(at(`kpi k {\n  description "from <|>\n}`)).toEqual([]);
  });
});
