import { describe, expect, it } from "vitest";
import { codeActions } from "./code-actions.js";
import { diagnose } from "./diagnose.js";
import { range, DATASETS } from "./test-support.js";
import type { TextEdit } from "./types.js";

function apply(text: string, edits: TextEdit[]): string {
  return [...edits].sort((x, y) => y.start - x.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

describe("codeActions", () => {
  it("offers the suggestion of an unknown column, and applying it clears the error", () => {
    const { text, start, end } = range(DATASETS + `kpi k {\n  from tickets\n  value avg(<|satisfactoin|>)\n}\n`);
    const doc = { path: "m.kpi", text };
    const actions = codeActions(doc, start, end, diagnose([doc]));
    expect(actions).toEqual([{ title: 'Did you mean "satisfaction"?', fixes: "unknown-name", edits: [{ start, end, newText: "satisfaction" }] }]);
    expect(diagnose([{ path: "m.kpi", text: apply(text, actions[0]!.edits) }])).toEqual([]);
  });

  it("reads suggestions from hints when a diagnostic has no data (unknown format, dataset)", () => {
    const { text, start, end } = range(DATASETS + `kpi k {\n  from tickets\n  value count()\n  format <|percnt|>\n}\n`);
    const doc = { path: "m.kpi", text };
    const [a] = codeActions(doc, start, start, diagnose([doc]));
    expect(a).toMatchObject({ title: 'Did you mean "percent"?', edits: [{ start, end, newText: "percent" }] });
    const ds = range(DATASETS + `kpi k {\n  from <|tickts|>\n  value count()\n}\n`);
    const d2 = { path: "m.kpi", text: ds.text };
    expect(codeActions(d2, ds.start, ds.end, diagnose([d2])).map((x) => x.title)).toEqual(['Did you mean "tickets"?']);
  });

  it("offers nothing for diagnostics outside the range or of another document", () => {
    const { text, start } = range(DATASETS + `kpi k {\n  from tickets\n  value avg(satisfactoin)\n}\n<||>`);
    const doc = { path: "m.kpi", text };
    expect(codeActions(doc, start, start, diagnose([doc]))).toEqual([]);
    expect(codeActions({ path: "other.kpi", text }, 0, text.length, diagnose([doc]))).toEqual([]);
  });

  it("inverts a company-over-customer ratio", () => {
    const { text, start } = range(DATASETS + `kpi k {\n  from tickets\n  value <||>sum(cost) / sum(satisfaction)\n}\n`);
    const doc = { path: "m.kpi", text };
    const actions = codeActions(doc, start, start, []);
    expect(actions.map((a) => a.title)).toEqual(["Invert this company-over-customer ratio"]);
    const fixed = apply(text, actions[0]!.edits);
    expect(fixed).toContain("value sum(satisfaction) / sum(cost)");
    expect(codeActions({ path: "m.kpi", text: fixed }, start, start, [])).toEqual([]);
  });

  it("keeps precedence when a side of the ratio is an operation", () => {
    const { text, start } = range(DATASETS + `kpi k {\n  from tickets\n  value <||>2 * sum(cost) / (sum(satisfaction) + 1)\n}\n`);
    const [a] = codeActions({ path: "m.kpi", text }, start, start, []);
    expect(apply(text, a!.edits)).toContain("value (sum(satisfaction) + 1) / (2 * sum(cost))");
  });

  it("leaves customer-over-company ratios alone", () => {
    const { text, start } = range(DATASETS + `kpi k {\n  from tickets\n  value <||>sum(satisfaction) / sum(cost)\n}\n`);
    expect(codeActions({ path: "m.kpi", text }, start, start, [])).toEqual([]);
  });
});
