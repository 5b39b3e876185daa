import { describe, expect, it } from "vitest";
import { formatDocument } from "./format-document.js";

describe("formatDocument", () => {
  it("lays a document out canonically, and is idempotent", () => {
    const text = "kpi   k {\n      value    count()\n}\n";
    const out = formatDocument({ path: "a.kpi", text })!;
    expect(out.text).toBe("kpi k {\n  value count()\n}\n");
    expect(formatDocument({ path: "a.kpi", text: out.text })!.text).toBe(out.text);
  });

  it("honours the line width", () => {
    const text = 'kpi k {\n  value sum(aaaaaaaaaa where bbbbbbbbbbbb = "cccccccccccc" and dddddddddd = "eeeeeeeeeeee")\n}\n';
    const wide = formatDocument({ path: "a.kpi", text }, 200)!.text;
    const narrow = formatDocument({ path: "a.kpi", text }, 40)!.text;
    expect(wide.split("\n").length).toBeLessThan(narrow.split("\n").length);
  });

  it("is null when the document has syntax errors", () => {
    expect(formatDocument({ path: "a.kpi", text: "kpi k {\n  value sum(\n" })).toBeNull();
  });
});
