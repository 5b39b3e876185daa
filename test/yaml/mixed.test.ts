/**
 * Mixed projects: a `.kpi` file imports a `.kpi.yaml` file and the reverse; a folder's `.kpi` and
 * `.kpi.yaml` files are one project for `check`, `eval` and `test`.
 */
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "@yardstick/language";
import { main } from "../../packages/cli/src/main.js";
import { cleanup, workspace } from "../cli/cli-helpers.js";

const DATASETS_YAML = `yardstick: 1
datasets:
  tickets:
    from: tickets.csv
    columns:
      ticket_id: {type: string, key: true}
      channel: {type: string, in: [phone, email]}
      opened_at: {type: timestamp, time: true}
      contacts: {type: int, in: 1..}
`;

const KPIS_KPI = `yardstick 1
import "datasets.kpi.yaml"

kpi fcr "First-contact resolution" {
  from tickets
  value share(contacts = 1)
  by channel
  target >= 0.5
}
`;

const TESTS_YAML = `import: kpis.kpi
tests:
  FCR per channel:
    given:
      tickets:
        - {ticket_id: t1, channel: phone, opened_at: 2025-01-05T10:00:00Z, contacts: 1}
        - {ticket_id: t2, channel: phone, opened_at: 2025-01-06T10:00:00Z, contacts: 2}
        - {ticket_id: t3, channel: email, opened_at: 2025-01-07T10:00:00Z, contacts: 1}
    expect:
      - fcr by channel: {phone: 0.5, email: 1}
      - status of fcr by channel: {phone: on_target, email: on_target}
`;

const CSV = `ticket_id,channel,opened_at,contacts
t1,phone,2025-01-05T10:00:00Z,1
t2,phone,2025-01-06T10:00:00Z,3
t3,email,2025-01-07T10:00:00Z,1
t4,email,2025-01-08T10:00:00Z,1
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

describe("mixed .kpi / .kpi.yaml projects", () => {
  it("a .kpi file imports a .kpi.yaml file", () => {
    const r = compile([
      { path: "specs/kpis.kpi", text: KPIS_KPI },
      { path: "specs/datasets.kpi.yaml", text: DATASETS_YAML },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual(["specs/kpis.kpi", "specs/datasets.kpi.yaml"]);
    expect(r.model.kpis[0]!.from).toBe("tickets");
    expect(r.model.datasets[0]!.origin.file).toBe("specs/datasets.kpi.yaml");
  });

  it("a .kpi.yaml file imports a .kpi file (which imports YAML again)", () => {
    const r = compile([
      { path: "specs/tests.kpi.yaml", text: TESTS_YAML },
      { path: "specs/kpis.kpi", text: KPIS_KPI },
      { path: "specs/datasets.kpi.yaml", text: DATASETS_YAML },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.model.tests.map((t) => t.name)).toEqual(["FCR per channel"]);
    expect(r.model.tests[0]!.fixtures[0]!.rows[1]).toEqual(["t2", "phone", "2025-01-06T10:00:00Z", "2"]);
  });

  it("errors point into the file they are in, whichever surface it uses", () => {
    const r = compile([
      { path: "kpis.kpi", text: KPIS_KPI.replace("share(contacts = 1)", "share(contact = 1)") },
      { path: "datasets.kpi.yaml", text: DATASETS_YAML.replace("contacts: {type: int", "contacts: {type: integer") },
    ]);
    expect(r.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(["datasets.kpi.yaml unknown-type", "kpis.kpi unknown-name"]);
    const yamlErr = r.diagnostics[0]!;
    expect(DATASETS_YAML.replace("type: int", "type: integer").slice(yamlErr.span!.start, yamlErr.span!.end)).toBe("integer");
  });

  it("an import of another kind of file is still unsupported", () => {
    const r = compile([{ path: "a.kpi.yaml", text: "import: b.json\n" }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["unsupported-file"]);
  });

  it("check, test and eval take a folder's .kpi and .kpi.yaml files as one project", async () => {
    const dir = workspace({ "datasets.kpi.yaml": DATASETS_YAML, "kpis.kpi": KPIS_KPI, "tests.kpi.yaml": TESTS_YAML, "tickets.csv": CSV });
    const check = await run(["check", dir]);
    expect(check.stderr).toBe("");
    expect(check.stdout).toContain("Checked 3 files, 1 KPI");
    expect(check.code).toBe(0);

    const test = await run(["test", dir]);
    expect(test.code).toBe(0);
    expect(test.stdout).toContain("FCR per channel");

    const ev = await run(["eval", dir, "--format", "json"]);
    expect(ev.code).toBe(0);
    const rows = JSON.parse(ev.stdout).results as Array<{ kpi: string; group: Record<string, unknown>; value: number }>;
    expect(rows.filter((r) => r.kpi === "fcr").map((r) => r.value).sort()).toEqual([0.5, 1]);
  });

  it("a .kpi.yaml file named on the command line is a project", async () => {
    const dir = workspace({ "datasets.kpi.yaml": DATASETS_YAML, "kpis.kpi": KPIS_KPI, "tests.kpi.yaml": TESTS_YAML, "tickets.csv": CSV });
    const r = await run(["test", `${dir}/tests.kpi.yaml`]);
    expect(r.code).toBe(0);
    const bad = await run(["check", `${dir}/tickets.csv`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("is not a .kpi or .kpi.yaml file");
  });
});
