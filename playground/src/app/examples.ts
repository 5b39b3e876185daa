/**
 * The gallery: every example suite of the repository, read at build time. Spec texts are loaded on
 * demand (one small chunk per example); data files ship as static assets the worker fetches.
 */
import type { SpecFile } from "../editor/types";
import type { DataFile, DataFormat } from "../worker/protocol";

const readmes = import.meta.glob("../../../examples/*/README.md", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const specs = import.meta.glob(["../../../examples/*/*.kpi", "../../../examples/*/*.kpi.yaml"], { query: "?raw", import: "default" }) as Record<string, () => Promise<string>>;
const data = import.meta.glob("../../../examples/*/data/*.{csv,json,ndjson,parquet}", { query: "?url", import: "default", eager: true }) as Record<string, string>;

const ROOT = "../../../examples";

export interface Example {
  id: string;
  title: string;
  summary: string;
}

const idOf = (key: string) => key.slice(ROOT.length + 1).split("/")[0]!;

/** The examples, in the order of their ids, with the title and first paragraph of their README. */
export const EXAMPLES: Example[] = Object.entries(readmes)
  .map(([key, text]) => {
    const lines = text.split("\n");
    const title = (lines.find((l) => l.startsWith("# ")) ?? idOf(key)).replace(/^# /, "");
    const start = lines.findIndex((l, i) => i > 0 && l.trim() !== "" && !l.startsWith("#"));
    const para: string[] = [];
    for (let i = start; i >= 0 && i < lines.length && lines[i]!.trim() !== ""; i++) para.push(lines[i]!.trim());
    return { id: idOf(key), title, summary: para.join(" ") };
  })
  .sort((a, b) => a.id.localeCompare(b.id));

/** The spec files of an example, as `/<id>/<file>`; the file to show first is the one with the KPIs. */
export async function exampleFiles(id: string): Promise<{ files: SpecFile[]; active: string }> {
  const entries = Object.entries(specs).filter(([key]) => idOf(key) === id);
  const files = await Promise.all(entries.map(async ([key, load]) => ({ path: key.slice(ROOT.length), text: await load() })));
  files.sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  const active = files.find((f) => /\/kpis?\.kpi$/.test(f.path))?.path ?? files.find((f) => !f.path.includes(".test."))?.path ?? files[0]?.path ?? "";
  return { files, active };
}

/** Datasets first, then KPIs, rules, anything else, tests last: the order a reader follows. */
function rank(path: string): number {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (name.includes(".test.")) return 4;
  if (name.startsWith("dataset")) return 0;
  if (name.startsWith("kpi")) return 1;
  if (name.startsWith("rule")) return 2;
  return 3;
}

export function formatOf(name: string): DataFormat | null {
  const n = name.toLowerCase();
  if (n.endsWith(".csv") || n.endsWith(".tsv") || n.endsWith(".txt")) return "csv";
  if (n.endsWith(".ndjson") || n.endsWith(".jsonl")) return "ndjson";
  if (n.endsWith(".json")) return "json";
  if (n.endsWith(".parquet") || n.endsWith(".pq")) return "parquet";
  return null;
}

/** Every example data file, at the path a spec's `from "data/…"` resolves to. */
export function exampleData(): DataFile[] {
  return Object.entries(data).map(([key, url]) => {
    const path = key.slice(ROOT.length);
    const name = path.slice(1);
    return { path, name, format: formatOf(path) ?? "csv", url };
  });
}

/** The blank template: one dataset, one KPI and a few rows of data to start from. */
export const BLANK: { files: SpecFile[]; active: string; data: DataFile } = {
  active: "/scratch/main.kpi",
  files: [{ path: "/scratch/main.kpi", text: `yardstick 1

// Paste a CSV on the Data tab and bind it to this dataset, or edit the columns to match yours.
dataset responses from "responses.csv" {
  answered_at: timestamp time
  segment: string
  score: int? in 0..10 @customer
}

kpi nps "Net Promoter Score" {
  from responses where score is not null
  value 100 * (share(score >= 9) - share(score <= 6))
  by month
  unit points
  format number decimals 1
  higher is better
  target >= 30
}
` }],
  data: {
    path: "/scratch/responses.csv",
    name: "responses.csv",
    format: "csv",
    bytes: new TextEncoder().encode(
      "answered_at,segment,score\n" +
        ["2025-01-06T09:12:00Z,smb,10", "2025-01-09T14:30:00Z,enterprise,7", "2025-01-15T08:05:00Z,smb,3", "2025-01-21T16:45:00Z,smb,9",
         "2025-01-28T11:20:00Z,enterprise,9", "2025-02-03T10:00:00Z,smb,6", "2025-02-11T13:15:00Z,enterprise,10", "2025-02-17T09:40:00Z,smb,8",
         "2025-02-24T15:55:00Z,enterprise,", "2025-03-04T12:10:00Z,smb,10", "2025-03-12T10:35:00Z,enterprise,9", "2025-03-19T17:00:00Z,smb,2"].join("\n") + "\n",
    ).buffer as ArrayBuffer,
  },
};
