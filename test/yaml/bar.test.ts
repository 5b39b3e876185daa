/**
 * The bar of the YAML surface: a `.kpi.yaml` file with a wrong type, an unknown key and a
 * misspelled column gives exactly three diagnostics, each at the right YAML line and column, with
 * the codes the DSL uses where the problem is the same.
 */
import { afterAll, describe, expect, it } from "vitest";
import { LineIndex } from "@yardstick/model";
import { compile } from "@yardstick/language";
import { main } from "../../packages/cli/src/main.js";
import { cleanup, workspace } from "../cli/cli-helpers.js";

const SPEC = `yardstick: 1

datasets:
  tickets:
    from: data/tickets.csv
    columns:
      ticket_id: {type: string, key: true}
      channel: {type: string, in: [phone, email, chat]}
      opened_at: {type: timestamp, time: true}
      contacts: {type: int, in: 1..}

kpis:
  fcr:
    label: First-contact resolution
    from: tickets
    where: chanel = "phone"
    value: share(contacts = 1)
    min_samples: thirty
    colour: green
    target: ">= 0.7"
`;

afterAll(() => cleanup());

function capture() {
  let text = "";
  return { write: (s: string) => ((text += s), true), isTTY: false, get text() { return text; } };
}

describe("a YAML file with three mistakes", () => {
  it("gives exactly three diagnostics, at the YAML line and column of each", () => {
    const r = compile([{ path: "specs/kpis.kpi.yaml", text: SPEC }]);
    const ix = new LineIndex(SPEC);
    const at = (d: (typeof r.diagnostics)[number]) => {
      const p = ix.position(d.span!.start);
      return `${p.line}:${p.column} ${d.code} ${SPEC.slice(d.span!.start, d.span!.end)}`;
    };
    expect(r.diagnostics.map(at)).toEqual([
      '16:12 unknown-column chanel',
      "18:18 yaml-invalid thirty",
      "19:5 yaml-unknown-key colour",
    ]);
    const [column, type, key] = r.diagnostics;
    expect(column!.message).toBe('Dataset "tickets" has no column "chanel".');
    expect(column!.hints).toEqual(['Did you mean "channel"?']);
    expect(type!.message).toBe('Expected a number for "min_samples" in KPI "fcr", but found "thirty".');
    expect(key!.message).toBe('Unknown key "colour" in KPI "fcr".');
    expect(key!.hints[0]).toMatch(/^Known keys here: label, description, owner, tags, from, where, value, by/);
  });

  it("`yardstick check` renders them like any other diagnostic: file:line:column and a code frame", async () => {
    const dir = workspace({ "kpis.kpi.yaml": SPEC });
    const out = capture();
    const err = capture();
    const code = await main(["check", `${dir}/kpis.kpi.yaml`], { out: out as never, err: err as never });
    expect(code).toBe(1);
    expect(err.text).toContain("kpis.kpi.yaml:16:12: error[unknown-column]: Dataset \"tickets\" has no column \"chanel\".");
    expect(err.text).toContain("kpis.kpi.yaml:18:18: error[yaml-invalid]: Expected a number for \"min_samples\" in KPI \"fcr\", but found \"thirty\".");
    expect(err.text).toContain("kpis.kpi.yaml:19:5: error[yaml-unknown-key]: Unknown key \"colour\" in KPI \"fcr\".");
    expect(err.text).toContain('16 |     where: chanel = "phone"');
    expect(err.text).toMatch(/3 errors/);
  });

  it("a misspelled key gets a Did you mean", () => {
    const r = compile([{ path: "k.kpi.yaml", text: SPEC.replace("    colour: green\n", "").replace("target:", "targett:") }]);
    const d = r.diagnostics.find((x) => x.code === "yaml-unknown-key")!;
    expect(d.message).toBe('Unknown key "targett" in KPI "fcr".');
    expect(d.hints).toEqual(['Did you mean "target"?']);
  });
});
