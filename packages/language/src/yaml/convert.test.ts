import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasErrors } from "@yardstick/model";
import { format } from "../format/format.js";
import { stripSpans } from "../format/ast-equal.js";
import { compile } from "../project.js";
import { parse } from "../syntax/parse.js";
import { kpiToYaml, yamlToKpi } from "./convert.js";
import { parseYaml } from "./parse-yaml.js";

const CASES = join(import.meta.dirname, "..", "..", "..", "..", "test", "cases");
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f.endsWith(".kpi") ? [join(d, f)] : []));

/** Corpus files whose mistakes YAML cannot write: a key given twice, a header that is not first. */
const UNREPRESENTABLE: Record<string, string[]> = {
  "errors/names/duplicate-modifiers.kpi": ["duplicate-clause"],
  "errors/names/duplicates.kpi": ["duplicate-column", "duplicate-definition", "duplicate-clause"],
  "errors/names/statuses.kpi": ["duplicate-status"],
  "errors/syntax/misplaced-header.kpi": ["misplaced-header"],
};

describe("every file of the corpus without syntax errors converts both ways", () => {
  const files = walk(CASES).filter((f) => !hasErrors(parse(readFileSync(f, "utf8")).diagnostics));

  it.each(files.map((f) => [f.slice(CASES.length + 1), f]))("%s", (name, f) => {
    const text = readFileSync(f, "utf8");
    const y = kpiToYaml(text, { file: f });
    const unrepresentable = UNREPRESENTABLE[name];
    if (unrepresentable) {
      expect(y.text).toBe("");
      expect([...new Set(y.diagnostics.map((d) => d.code))].sort()).toEqual([...unrepresentable].sort());
      return;
    }
    expect(y.diagnostics).toEqual([]);
    const back = yamlToKpi(y.text, { file: `${f}.yaml` });
    expect(back.diagnostics).toEqual([]);
    expect(back.text).toBe(format(text).text);
    expect(kpiToYaml(back.text).text).toBe(y.text);
  });
});

describe(".kpi → YAML", () => {
  it("keeps comments and blank lines where YAML can hold them, and the round trip is the fmt text", () => {
    const kpi = `// file head

yardstick 1 // version

import "a.kpi" // after import
import "b.kpi"

kpi nps "NPS" { // head
  // before from

  from surveys where x // after where
  value 100 * ( // open paren
    share(a) -
    share(b)
  )
  status { // open status
    good when value > 0 // good

    // between arms
    bad otherwise
  }

  // end of kpi
}

test "t" {
  given surveys
    | a | b | // header comment
    | 1 | 2 | // row comment
  expect nps = 1 // after expect
}

// end of file
`;
    const y = kpiToYaml(kpi);
    expect(y.diagnostics).toEqual([]);
    expect(y.text).toBe(`# file head

yardstick: 1 # version

import:
  - a.kpi # after import
  - b.kpi

kpis:
  nps:
    label: NPS # head
    # before from

    from: surveys
    where: x # after where
    value: |-
      100 *
          ( // open paren
          share(a) - share(b))
    status: # open status
      good: value > 0 # good

      # between arms
      bad: otherwise

    # end of kpi

tests:
  t:
    given:
      surveys:
        columns: [a, b] # header comment
        rows:
          - [1, 2] # row comment
    expect:
      - nps: 1 # after expect

# end of file
`);
    expect(yamlToKpi(y.text).text).toBe(format(kpi).text);
  });

  it("quotes what YAML would read otherwise, and keeps names, numbers and cells as written", () => {
    const kpi = `dataset \`shipments 2025\` "2025" from "data/x y.csv" {
  \`shipment no\`: string key
  \`value\`: number unit %
  \`from\`: string in ("null", "", "2025-01", "a: b", "# x", "yes", "1e3", "plain")
  let \`x y\` = \`shipment no\` = "a\\"b"
}

kpi k "null" {
  description "a: b # c"
  owner "true"
  from \`shipments 2025\`
  value sum(\`value\`) / 1e3
  unit "per 1k"
  target >= -5
}

test "t: 1" {
  given \`shipments 2025\`
    | shipment no | value | from |
    | a b         | 1.50  | ""   |
  expect k = -2.5 ± 1e-3
}
`;
    const y = kpiToYaml(kpi);
    expect(y.diagnostics).toEqual([]);
    expect(y.text).toContain('"`value`": {type: number, unit: "%"}');
    expect(y.text).toContain('in: ["null", "", "2025-01", "a: b", "# x", yes, "1e3", plain]');
    expect(y.text).toContain('label: "null"');
    expect(y.text).toContain("- [a b, 1.50, \"\"]");
    expect(y.text).toContain("- k: -2.5 ± 1e-3");
    expect(yamlToKpi(y.text).text).toBe(format(kpi).text);
  });

  it("what YAML cannot write as constants is written in .kpi syntax", () => {
    const kpi = 'dataset d {\n  a: string in ("x", y)\n}\n\ntest "t" {\n  expect k by segment = { smb: 25, "mid": 3 }\n}\n';
    const y = kpiToYaml(kpi);
    expect(y.diagnostics).toEqual([]);
    expect(y.text).toContain(`a: {type: string, in: '("x", y)'}`);
    expect(y.text).toContain(`- 'k by segment = { smb: 25, "mid": 3 }'`);
    expect(yamlToKpi(y.text).text).toBe(format(kpi).text);
  });

  it("an unquoted cell that YAML cannot write plain is written quoted: the same rows", () => {
    const kpi = 'dataset d { a: string }\ntest "t" {\n  given d\n    | a    |\n    | null |\n    | [x   |\n  expect k = 1\n}\n';
    const y = kpiToYaml(kpi);
    expect(y.diagnostics).toEqual([]);
    expect(y.text).toContain('- ["null"]\n          - ["[x"]');
    const rows = (t: string, yaml: boolean) => {
      const ast = yaml ? parseYaml(t).ast : parse(t).ast;
      const test = ast.items.find((i) => i.kind === "TestDecl");
      return test?.kind === "TestDecl" && test.clauses[0]?.kind === "GivenClause" ? test.clauses[0].rows.map((r) => r.cells.map((c) => c.text)) : [];
    };
    expect(rows(y.text, true)).toEqual(rows(kpi, false));
  });

  it("rewrites imports when asked (a whole project converted)", () => {
    const y = kpiToYaml('import "datasets.kpi"\nkpi k { value 1 }\n', { importPath: (p) => `${p}.yaml` });
    expect(y.text).toBe("import: datasets.kpi.yaml\n\nkpis:\n  k:\n    value: 1\n");
  });

  it("writes one key per definition when kinds of definitions alternate", () => {
    const y = kpiToYaml("dataset a { x: int }\nkpi k { from a value sum(x) }\ndataset b { y: int }\n");
    expect(y.text).toBe("dataset a:\n  columns:\n    x: int\n\nkpi k:\n  from: a\n  value: sum(x)\n\ndataset b:\n  columns:\n    y: int\n");
    expect(yamlToKpi(y.text).text).toBe("dataset a {\n  x: int\n}\n\nkpi k {\n  from a\n  value sum(x)\n}\n\ndataset b {\n  y: int\n}\n");
  });

  it("does not convert a file with syntax errors, or what YAML cannot say", () => {
    expect(kpiToYaml("kpi k { value 1 + }\n").diagnostics.map((d) => d.code)).toEqual(["syntax-error"]);
    const twice = kpiToYaml("kpi k {\n  value 1\n  value 2\n}\n");
    expect(twice.text).toBe("");
    expect(twice.diagnostics.map((d) => [d.code, d.message])).toEqual([["duplicate-clause", '"value" is given more than once.']]);
  });
});

describe("YAML → .kpi", () => {
  it("prints hand-written YAML in the canonical layout, comments kept", () => {
    const yaml = `yardstick: 1
datasets:
  tickets:   # the desk's export
    from: tickets.csv
    columns:
      ticket_id: string key
      channel: {type: string, in: [phone, email]}   # where it came in
      opened_at:
        type: timestamp
        time: true

kpis:
  # resolution
  fcr:
    from: tickets
    where: >-
      channel = "phone"
      and ticket_id is not null
    value: share(contacts = 1)
    by: [channel]
    target:
      - '>= 0.7 when channel = "phone"'
      - 0.6
tests:
  one:
    given:
      tickets:
        - {ticket_id: t1, channel: phone}
        - {ticket_id: "t 2"}
    expect:
      - fcr by channel: {phone: 1}
`;
    const k = yamlToKpi(yaml);
    expect(k.diagnostics).toEqual([]);
    expect(k.text).toBe(`yardstick 1

dataset tickets from "tickets.csv" { // the desk's export
  ticket_id: string key
  channel: string in ("phone", "email") // where it came in
  opened_at: timestamp time
}

// resolution
kpi fcr {
  from tickets where channel = "phone" and ticket_id is not null
  value share(contacts = 1)
  by channel
  target >= 0.7 when channel = "phone" else 0.6
}

test "one" {
  given tickets
    | ticket_id | channel |
    | t1        | phone   |
    | "t 2"     |         |
  expect fcr by channel = { "phone": 1 }
}
`);
    expect(format(k.text).changed).toBe(false);
  });

  it("reads the same tree from the .kpi it prints", () => {
    const yaml = "kpis:\n  k:\n    value: |\n      sum(a) // first\n        + 1e3\n";
    const k = yamlToKpi(yaml);
    expect(k.text).toBe(format("kpi k {\n  value sum(a) // first\n    + 1e3\n}\n").text);
    expect(stripSpans(parse(k.text).ast)).toEqual(stripSpans(parseYaml(yaml).ast));
  });

  it("does not convert a file with problems: YAML syntax, shape, expressions", () => {
    expect(yamlToKpi("kpis: [\n").diagnostics.map((d) => d.code)).toContain("yaml-syntax");
    expect(yamlToKpi("kpis:\n  k:\n    valu: 1\n    colour: red\n").diagnostics.map((d) => d.code)).toEqual(["yaml-unknown-key", "yaml-unknown-key"]);
    expect(yamlToKpi("kpis:\n  k:\n    value: 1 +\n").diagnostics.map((d) => d.code)).toEqual(["syntax-error"]);
  });
});

describe("the example in README.md", () => {
  const readme = readFileSync(join(import.meta.dirname, "README.md"), "utf8");
  const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
  const datasets = `dataset customers {
  customer_id: string key
  segment: string
}

dataset agents {
  agent_id: string key
}
`;

  it("checks clean, and converts to .kpi and back", () => {
    const r = compile([{ path: "spec.kpi.yaml", text: yaml }, { path: "datasets.kpi", text: datasets }]);
    expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    expect(r.model.kpis.map((k) => k.name)).toEqual(["fcr"]);
    expect(r.model.tests[0]!.expectations).toHaveLength(5);
    const kpi = yamlToKpi(yaml);
    expect(kpi.diagnostics).toEqual([]);
    const again = compile([{ path: "spec.kpi", text: kpi.text }, { path: "datasets.kpi", text: datasets }]);
    expect(again.diagnostics).toEqual([]);
  });
});

describe("names that YAML values cannot carry", () => {
  it("a status label in backquotes keeps the .kpi expectation text", () => {
    const kpi = 'kpi k {\n  value 1\n  status {\n    `at risk` otherwise\n  }\n}\n\ntest "t" {\n  expect status of k = `at risk`\n}\n';
    const y = kpiToYaml(kpi);
    expect(y.diagnostics).toEqual([]);
    expect(y.text).toContain("- status of k = `at risk`");
    expect(yamlToKpi(y.text).text).toBe(format(kpi).text);
  });
});
