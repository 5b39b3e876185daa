/**
 * `yardstick convert`, run through the CLI's entry point: both directions, `-o`, imports rewritten
 * for a whole project, and what happens with bad input.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { format } from "@yardstick/language";
import { main } from "../../packages/cli/src/main.js";
import { cleanup, workspace } from "../cli/cli-helpers.js";

const KPI = `yardstick 1

// Support desk KPIs.
dataset tickets from "tickets.csv" {
  ticket_id: string key
  channel: string in ("phone", "email") // where it came in
  opened_at: timestamp time
  contacts: int in 1..
}

kpi fcr "First-contact resolution" {
  from tickets where channel = "phone"
  value share(contacts = 1)
  format percent decimals 1
  target >= 0.7
}
`;

afterAll(() => cleanup());

function capture() {
  let text = "";
  return { write: (s: string) => ((text += s), true), isTTY: false, get text() { return text; } };
}

async function run(args: string[]) {
  const out = capture();
  const err = capture();
  const code = await main(args, { out: out as never, err: err as never });
  return { code, stdout: out.text, stderr: err.text };
}

describe("yardstick convert", () => {
  it("writes YAML to standard output, and converts it back to the fmt text", async () => {
    const dir = workspace({ "kpis.kpi": KPI });
    const toYaml = await run(["convert", join(dir, "kpis.kpi"), "--to", "yaml"]);
    expect(toYaml.code).toBe(0);
    expect(toYaml.stderr).toBe("");
    expect(toYaml.stdout).toBe(`yardstick: 1

# Support desk KPIs.
datasets:
  tickets:
    from: tickets.csv
    columns:
      ticket_id: {type: string, key: true}
      channel: {type: string, in: [phone, email]} # where it came in
      opened_at: {type: timestamp, time: true}
      contacts: {type: int, in: 1..}

kpis:
  fcr:
    label: First-contact resolution
    from: tickets
    where: channel = "phone"
    value: share(contacts = 1)
    format: percent
    decimals: 1
    target: ">= 0.7"
`);
    const yamlDir = workspace({ "kpis.kpi.yaml": toYaml.stdout });
    const back = await run(["convert", join(yamlDir, "kpis.kpi.yaml")]);
    expect(back.code).toBe(0);
    expect(back.stdout).toBe(format(KPI).text);
  });

  it("-o writes a file; --to defaults to the other surface", async () => {
    const dir = workspace({ "kpis.kpi": KPI });
    const r = await run(["convert", join(dir, "kpis.kpi"), "-o", join(dir, "kpis.kpi.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("converted");
    expect(readFileSync(join(dir, "kpis.kpi.yaml"), "utf8")).toContain("kpis:\n  fcr:\n");
    const check = await run(["check", join(dir, "kpis.kpi.yaml")]);
    expect(check.code).toBe(0);
  });

  it("--rewrite-imports points imports at the converted twins", async () => {
    const dir = workspace({ "a.kpi": 'import "b.kpi"\nimport "c.kpi.yaml"\n' });
    const r = await run(["convert", join(dir, "a.kpi"), "--rewrite-imports"]);
    expect(r.stdout).toBe("import:\n  - b.kpi.yaml\n  - c.kpi.yaml\n");
    const y = workspace({ "a.kpi.yaml": "import: [b.kpi.yaml, c.kpi]\n" });
    const back = await run(["convert", join(y, "a.kpi.yaml"), "--rewrite-imports"]);
    expect(back.stdout).toBe('import "b.kpi"\nimport "c.kpi"\n');
  });

  it("a file with errors is not converted: its diagnostics, with YAML lines and columns, and exit 1", async () => {
    const dir = workspace({ "bad.kpi.yaml": "kpis:\n  fcr:\n    value: share(contacts = )\n    colour: red\n", "bad.kpi": "kpi k {\n  value 1 +\n}\n" });
    const y = await run(["convert", join(dir, "bad.kpi.yaml")]);
    expect(y.code).toBe(1);
    expect(y.stdout).toBe("");
    expect(y.stderr).toContain("bad.kpi.yaml:3:29: error[syntax-error]");
    expect(y.stderr).toContain("bad.kpi.yaml:4:5: error[yaml-unknown-key]");
    expect(y.stderr).toContain("was not converted");
    const k = await run(["convert", join(dir, "bad.kpi")]);
    expect(k.code).toBe(1);
    expect(k.stderr).toContain("bad.kpi:3:1: error[syntax-error]");
  });

  it("usage errors exit 2", async () => {
    const dir = workspace({ "a.kpi": "kpi k { value 1 }\n", "a.txt": "" });
    expect((await run(["convert", join(dir, "a.kpi"), "--to", "kpi"])).code).toBe(2);
    expect((await run(["convert", join(dir, "a.txt")])).code).toBe(2);
    expect((await run(["convert", join(dir, "missing.kpi")])).code).toBe(2);
    expect((await run(["convert", join(dir, "a.kpi"), "--to", "json"])).code).toBe(2);
  });

  it("is listed in --help", async () => {
    const r = await run(["convert", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--to <surface>");
    expect(r.stdout).toContain("--rewrite-imports");
  });
});
