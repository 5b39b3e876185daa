import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { UsageError } from "../files.js";

/**
 * `yardstick init [dir]`: a starter project that checks, tests and evaluates clean at once: a spec
 * with one dataset, two KPIs with targets and a rule, a test file, sample data and a README.
 */

const SPEC = `yardstick 1

// A starter KPI spec: one dataset, two KPIs with targets, one alert rule.
// yardstick check .   checks it, yardstick eval .   computes it on data/tickets.csv,
// yardstick test .    runs the fixture tests in kpis.test.kpi.

dataset tickets "Support tickets" from "data/tickets.csv" {
  ticket_id: string key
  channel: string in ("phone", "email", "chat")
  opened_at: timestamp time
  resolved_at: timestamp? // empty while the ticket is open
  contacts: int in 1..    // contacts needed until resolved
}

kpi fcr "First-contact resolution" {
  description "Share of resolved tickets that needed a single contact. Open tickets are not counted."
  from tickets where resolved_at is not null
  value share(contacts = 1)
  by channel, month
  format percent
  target >= 0.7
}

kpi resolution_time "Resolution time" {
  description "Median hours from opening to resolution, resolved tickets only."
  from tickets where resolved_at is not null
  value median(hours_between(opened_at, resolved_at))
  by channel, month
  unit hours
  format number decimals 1
  lower is better
  target <= 24
}

rule fcr_below_target "First-contact resolution below target" {
  when fcr < target for 2 periods // two months in a row
  recover when fcr >= target
  severity warning
  message "FCR on {channel} is {fcr} in {month}, target {target}"
}
`;

const TESTS = `yardstick 1

import "kpis.kpi"

// Fixture tests: a few hand-made rows and the values they must give. Each expected value is
// worked out in the comment above it.

test "FCR and resolution time count resolved tickets only" {
  given tickets
    | ticket_id | channel | opened_at            | resolved_at          | contacts |
    | t1        | phone   | 2025-01-06T09:00:00Z | 2025-01-06T10:00:00Z | 1        |
    | t2        | phone   | 2025-01-07T09:00:00Z | 2025-01-07T15:00:00Z | 2        |
    | t3        | email   | 2025-01-08T09:00:00Z | 2025-01-09T09:00:00Z | 1        |
    | t4        | email   | 2025-01-09T09:00:00Z |                      | 1        |
  // t4 is open. Of the 3 resolved tickets, t1 and t3 took one contact.
  expect fcr = 0.6666666666667
  expect fcr by channel = { "phone": 0.5, "email": 1 }
  expect status of fcr by channel = { "phone": off_target, "email": on_target }
  // Hours to resolve: t1 1, t2 6, t3 24. The median is 6; phone's is (1 + 6) / 2.
  expect resolution_time = 6
  expect resolution_time by channel = { "phone": 3.5, "email": 24 }
}

test "the rule fires after two months below target" {
  given tickets
    | ticket_id | channel | opened_at  | resolved_at | contacts |
    | a1        | chat    | 2025-01-10 | 2025-01-10  | 2        |
    | a2        | chat    | 2025-02-10 | 2025-02-10  | 3        |
    | a3        | chat    | 2025-03-10 | 2025-03-10  | 1        |
  // FCR on chat: January 0 and February 0 (fires in February), March 1 (recovers).
  expect alert fcr_below_target from 2025-02 to 2025-02
}
`;

const README = `# KPI spec

A starter Yardstick project, written by \`yardstick init\`.

| file | what |
| --- | --- |
| \`kpis.kpi\` | the dataset \`tickets\`, the KPIs \`fcr\` (first-contact resolution) and \`resolution_time\`, the rule \`fcr_below_target\` |
| \`kpis.test.kpi\` | fixture tests: hand-made rows and the values they must give |
| \`data/tickets.csv\` | six months of sample tickets (replace with your export) |

\`\`\`sh
yardstick check .      # parse and check; exit 0 clean, 1 errors
yardstick eval .       # every KPI by channel and month, with targets and statuses, then alerts
yardstick test .       # run the tests; ends with "N passed, N failed"
yardstick fmt .        # rewrite the specs in the canonical layout
\`\`\`

Next steps:

- Point the dataset at your own data: \`from "exports/tickets.csv"\` in \`kpis.kpi\`, or
  \`yardstick eval . --data tickets=exports/tickets.parquet\` without touching the spec.
- Add a KPI: a \`kpi\` block with \`from\`, \`value\` and, if it has one, a \`target\`. Add a test for
  it in \`kpis.test.kpi\`.
- Keep the spec in git: run \`yardstick fmt --check .\` and \`yardstick test .\` in CI, and
  \`yardstick diff\` in pull requests to see what a change does to the numbers.
`;

/** A small deterministic PRNG (mulberry32), so the sample data is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Six months of tickets on three channels. Phone resolves 80% at first contact and chat 75%;
 * email holds 75% but drops to 50% in April and May (so the rule fires for
 * email in May and recovers in June) and takes longer to resolve then. The last days of June
 * have open tickets.
 */
export function sampleTickets(): string {
  const rnd = prng(20250101);
  const lines = ["ticket_id,channel,opened_at,resolved_at,contacts"];
  const channels: Array<{ name: string; fcr: (m: number) => number; hours: (m: number) => [number, number] }> = [
    { name: "phone", fcr: () => 0.8, hours: () => [0.5, 8] },
    { name: "email", fcr: (m) => (m === 4 || m === 5 ? 0.5 : 0.75), hours: (m) => (m === 4 || m === 5 ? [12, 60] : [4, 28]) },
    { name: "chat", fcr: () => 0.75, hours: () => [0.2, 6] },
  ];
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + ":00Z";
  let id = 0;
  for (let m = 1; m <= 6; m++) {
    for (const ch of channels) {
      const n = 14 + Math.floor(rnd() * 6);
      // Exactly the channel's share of tickets is solved at first contact, in shuffled order.
      const first = Math.round(n * ch.fcr(m));
      const solved = Array.from({ length: n }, (_, i) => i < first);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [solved[i], solved[j]] = [solved[j]!, solved[i]!];
      }
      for (let i = 0; i < n; i++) {
        const day = 1 + Math.floor(rnd() * 28);
        const opened = Date.UTC(2025, m - 1, day, 7 + Math.floor(rnd() * 10), Math.floor(rnd() * 60));
        const [lo, hi] = ch.hours(m);
        const hours = lo + rnd() * (hi - lo);
        const resolved = opened + Math.round(hours * 60) * 60_000;
        const open = m === 6 && day >= 27;
        const contacts = solved[i] ? 1 : 2 + Math.floor(rnd() * 3);
        id++;
        lines.push(`T-${String(id).padStart(4, "0")},${ch.name},${iso(opened)},${open ? "" : iso(resolved)},${contacts}`);
      }
    }
  }
  return lines.join("\n") + "\n";
}

export interface InitFile { path: string; text: string }

/** The files of a starter project, paths relative to its folder. */
export function starterFiles(): InitFile[] {
  return [
    { path: "kpis.kpi", text: SPEC },
    { path: "kpis.test.kpi", text: TESTS },
    { path: "data/tickets.csv", text: sampleTickets() },
    { path: "README.md", text: README },
  ];
}

/** Writes the starter project into `dir` (created if needed). Refuses (exit 2) when any file exists. */
export function runInit(dir: string, out: NodeJS.WriteStream, _err: NodeJS.WriteStream): number {
  const root = resolve(dir);
  if (existsSync(root) && !statSync(root).isDirectory()) throw new UsageError(`${dir} is a file, not a folder.`);
  const files = starterFiles();
  const clash = files.filter((f) => existsSync(join(root, f.path))).map((f) => join(dir, f.path));
  if (clash.length) {
    throw new UsageError(`init writes nothing over existing files, and ${clash.length === 1 ? "this one exists" : "these exist"}: ${clash.join(", ")}. Choose an empty folder: yardstick init my-kpis`);
  }
  for (const f of files) {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text, { flag: "wx" });
  }
  const shown = relative(process.cwd(), root) || ".";
  const q = /^[\w./-]+$/.test(shown) ? shown : JSON.stringify(shown);
  out.write(
    `Created a KPI spec in ${shown}:\n${files.map((f) => `  ${join(shown, f.path)}`).join("\n")}\n\n` +
      `Next:\n  yardstick check ${q}\n  yardstick test ${q}\n  yardstick eval ${q}\n`,
  );
  return 0;
}
