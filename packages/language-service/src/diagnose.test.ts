import { describe, expect, it } from "vitest";
import { compile } from "@yardstick/language";
import { diagnose } from "./diagnose.js";
import { range, DATASETS } from "./test-support.js";

describe("diagnose", () => {
  it("reports an unknown name at the name, with the compiler's code, message and suggestion", () => {
    const { text, start, end } = range(DATASETS + `kpi k {\n  from tickets\n  value avg(<|satisfactoin|>)\n}\n`);
    const [d, ...rest] = diagnose([{ path: "main.kpi", text }]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      path: "main.kpi", start, end, severity: "error", code: "unknown-name",
      message: '"satisfactoin" is neither a column of "tickets" nor a KPI.',
      hints: ['Did you mean "satisfaction"?'],
      data: { suggestions: ["satisfaction"] },
    });
  });

  it("gives the same diagnostics as the compiler the CLI uses", () => {
    const text = DATASETS + `kpi k {\n  from tickts\n  value count(\n}\nkpi j { from tickets value sum(ticket_id) }\n`;
    const ours = diagnose([{ path: "m.kpi", text }]);
    const cli = compile([{ path: "m.kpi", text }]).diagnostics;
    expect(ours.map((d) => [d.code, d.message, d.start, d.end])).toEqual(cli.map((d) => [d.code, d.message, d.span?.start, d.span?.end]));
    expect(ours.length).toBeGreaterThan(0);
  });

  it("reports syntax errors of partial text without throwing", () => {
    const ds = diagnose([{ path: "m.kpi", text: "kpi k {\n  value sum(" }]);
    expect(ds.map((d) => d.code)).toContain("syntax-error");
  });

  it("places diagnostics in the document they belong to, with related locations", () => {
    const a = { path: "a.kpi", text: 'import "b.kpi"\nkpi k { value 1 }\n' };
    const b = { path: "b.kpi", text: "kpi k { value 2 }\n" };
    const ds = diagnose([a, b]);
    const dup = ds.find((d) => d.code === "duplicate-definition")!;
    expect(dup.path).toBe("b.kpi");
    expect(dup.related[0]).toMatchObject({ path: "a.kpi", message: 'KPI "k" is first defined here' });
    expect(a.text.slice(dup.related[0]!.start, dup.related[0]!.end)).toBe("k");
  });

  it("reports a missing import at the import's path", () => {
    const text = 'import "nope.kpi"\n';
    const [d] = diagnose([{ path: "a.kpi", text }]);
    expect(d).toMatchObject({ code: "import-not-found", path: "a.kpi" });
    expect(text.slice(d!.start, d!.end)).toBe('"nope.kpi"');
  });

  it("warns on company-over-customer ratios only when asked, as --lint-perspective", () => {
    const text = DATASETS + `kpi k {\n  from tickets\n  value sum(cost) / sum(satisfaction)\n}\n`;
    expect(diagnose([{ path: "m.kpi", text }])).toEqual([]);
    expect(diagnose([{ path: "m.kpi", text }], { lintPerspective: true }).map((d) => d.code)).toEqual(["company-over-customer"]);
  });

  it("is empty for no documents", () => {
    expect(diagnose([])).toEqual([]);
  });
});
