import { describe, expect, it } from "vitest";
import { hover } from "./hover.js";
import { cursor, DATASETS } from "./test-support.js";

const KPIS = `
kpi cost_per_ticket "Cost per ticket" {
  description "What a ticket costs us."
  from tickets
  value sum(cost) / count()
  unit EUR
  format number decimals 2
  lower is better
  target <= 30
}

kpi resolved "Resolved share" {
  from tickets
  value share(resolved_at is not null)
  format percent decimals 1
}
`;

function at(marked: string, values?: Parameters<typeof hover>[3]) {
  const { text, offset } = cursor(DATASETS + KPIS + marked);
  return hover({ path: "main.kpi", text }, offset, undefined, values);
}

describe("hover", () => {
  it("shows a function's signature and documentation", () => {
    const h = at(`kpi k {\n  from tickets\n  value med<|>ian(cost)\n}`)!;
    expect(h.markdown).toContain("median(x)");
    expect(h.markdown).toContain("interpolated");
    const { text } = cursor(DATASETS + KPIS + `kpi k {\n  from tickets\n  value med<|>ian(cost)\n}`);
    expect(text.slice(h.start, h.end)).toBe("median");
  });

  it("shows a column's type, nullability, perspective and constraint", () => {
    const h = at(`kpi k {\n  from tickets\n  value avg(satis<|>faction)\n}`)!;
    expect(h.markdown).toContain("`int?` column of `tickets`");
    expect(h.markdown).toContain("nullable");
    expect(h.markdown).toContain("perspective: customer");
    expect(h.markdown).toContain("range: 1..5");
    expect(at(`kpi k {\n  from customers\n  by seg<|>ment\n}`)!.markdown).toContain('allowed: "smb", "enterprise"');
  });

  it("shows a column on its declaration and through a relation path", () => {
    expect(at(`<|>`)).toBeNull();
    const { text, offset } = cursor(DATASETS.replace("cost: number", "co<|>st: number"));
    expect(hover({ path: "d.kpi", text }, offset)!.markdown).toContain("unit: EUR");
    expect(at(`kpi k {\n  from tickets\n  value count()\n  by customer.seg<|>ment\n}`)!.markdown).toContain("column of `customers`");
    expect(at(`kpi k {\n  from tickets\n  value count()\n  by custo<|>mer.segment\n}`)!.markdown).toContain("relation of `tickets` to `customers`");
  });

  it("shows a KPI's label, description, unit, format and target", () => {
    const h = at(`kpi k {\n  value cost_per<|>_ticket * 2\n}`)!;
    expect(h.markdown).toContain("**cost_per_ticket** — Cost per ticket");
    expect(h.markdown).toContain("What a ticket costs us.");
    expect(h.markdown).toContain("unit: EUR");
    expect(h.markdown).toContain("format: number (2 decimals)");
    expect(h.markdown).toContain("Target: `<= 30`");
  });

  it("shows a KPI's current value, formatted, when values are given", () => {
    const h = at(`kpi k {\n  value reso<|>lved\n}`, { resolved: { value: 0.8125, status: "on_target", period: "2025-01" } })!;
    expect(h.markdown).toContain("Current value: **81.3%** (2025-01) · status `on_target`");
    expect(at(`kpi k {\n  value cost_per<|>_ticket\n}`, { cost_per_ticket: { value: 12.5 } })!.markdown).toContain("**12.50 EUR**");
  });

  it("shows a dataset's label and source", () => {
    const h = at(`kpi k {\n  from tick<|>ets\n}`)!;
    expect(h.markdown).toContain("**tickets** — Support tickets");
    expect(h.markdown).toContain("Source: `tickets.csv` (csv)");
    expect(h.markdown).toContain("time column `opened_at`");
  });

  it("is null over keywords, numbers and unknown names", () => {
    expect(at(`kpi k {\n  fr<|>om tickets\n}`)).toBeNull();
    expect(at(`kpi k {\n  from tickets\n  value 4<|>2\n}`)).toBeNull();
    expect(at(`kpi k {\n  from tickets\n  value avg(nope<|>)\n}`)).toBeNull();
  });

  it("works inside a broken definition", () => {
    expect(at(`kpi k {\n  from tickets\n  value sum(co<|>st) /`)!.markdown).toContain("column of `tickets`");
  });
});
