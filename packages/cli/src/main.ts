import { Command, CommanderError, Option } from "commander";
import { runCheck } from "./commands/check.js";
import { runFmt } from "./commands/fmt.js";
import { runEval } from "./commands/eval.js";
import { runTestCommand } from "./commands/test.js";
import { runAlerts } from "./commands/alerts.js";
import { runExplain } from "./commands/explain.js";
import { runDiff } from "./commands/diff.js";
import { runInit } from "./commands/init.js";
import { runConvert } from "./commands/convert.js";
import { UsageError } from "./files.js";

const VERSION = "0.1.0";

/** Runs the CLI; returns the exit code (0 success, 1 findings, 2 usage or I/O error). */
export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let code = 0;
  const debug = argv.includes("--debug");
  const program = new Command()
    .name("yardstick")
    .description("Define, compute, judge and test customer-centric KPIs.")
    .version(VERSION)
    .option("--debug", "show stack traces for internal errors")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      "\nExamples:\n  yardstick check examples\n  yardstick eval examples/customer-centric-it --by quarter\n  yardstick test examples\n  yardstick explain examples/customer-centric-it --kpi nps\n\nExit codes: 0 success, 1 findings (errors, failed tests, unformatted files), 2 usage or I/O errors.\nRun `yardstick <command> --help` for a command's options.",
    );

  program
    .command("check")
    .description("Parse and check KPI specs; report problems with their location.")
    .argument("<paths...>", ".kpi files or folders (each folder with .kpi files is one project)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--lint-perspective", "warn on company-over-customer ratios")
    .addHelpText("after", "\nExamples:\n  yardstick check examples\n  yardstick check specs/kpis.kpi --format json\n\nExit codes: 0 clean, 1 errors found, 2 usage or I/O error.")
    .action((paths: string[], opts: { format: "text" | "json"; lintPerspective?: boolean }) => {
      code = runCheck(paths, { format: opts.format, lintPerspective: opts.lintPerspective ?? false }, io.out, io.err);
    });

  program
    .command("fmt")
    .description("Rewrite KPI specs in the canonical layout (comments kept, tables aligned).")
    .argument("<paths...>", ".kpi files or folders")
    .option("--check", "write nothing; list files that are not formatted and exit 1 if any")
    .option("--line-width <n>", "where long expressions break", (v) => Number.parseInt(v, 10), 100)
    .addHelpText("after", "\nExamples:\n  yardstick fmt examples\n  yardstick fmt --check specs   # in CI\n\nFiles with syntax errors are left unchanged (exit 1).")
    .action((paths: string[], opts: { check?: boolean; lineWidth: number }) => {
      code = runFmt(paths, { check: opts.check ?? false, lineWidth: opts.lineWidth }, io.out, io.err);
    });

  const collect = (v: string, prev: string[]) => [...prev, v];
  program
    .command("eval")
    .description("Compute KPIs on their data, with targets and statuses.")
    .argument("<spec>", "a .kpi file or a folder of specs")
    .option("--kpi <name>", "only this KPI (repeatable)", collect, [])
    .option("--by <dims>", "regroup every KPI, e.g. \"customer.segment, month\"")
    .option("--where <condition>", "extra row filter, e.g. 'channel = \"phone\"'")
    .option("--from <date>", "first day included (on each KPI's time column)")
    .option("--to <date>", "first day excluded")
    .option("--as-of <timestamp>", "the instant `now()` and trailing windows refer to")
    .option("--data <dataset=path>", "read a dataset from another file (repeatable)", collect, [])
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "markdown"]).default("table"))
    .option("--timings", "print check, load, plan and evaluation times and peak memory to stderr")
    .addHelpText("after", '\nExamples:\n  yardstick eval examples/customer-centric-it\n  yardstick eval specs --kpi nps --by "customer.segment, quarter" --format markdown\n  yardstick eval specs --data surveys=exports/surveys-2025.parquet --timings')
    .action(async (spec: string, opts: { kpi: string[]; by?: string; where?: string; from?: string; to?: string; asOf?: string; data: string[]; format: "table" | "json" | "csv" | "markdown"; timings?: boolean }) => {
      code = await runEval([spec], { ...opts, timings: opts.timings ?? false }, io.out, io.err);
    });

  program
    .command("test")
    .description("Run the test blocks of KPI specs on their fixture rows.")
    .argument("<paths...>", ".kpi files or folders (each folder with .kpi files is one project)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--filter <text>", "only tests whose name contains this text")
    .addHelpText("after", "\nExamples:\n  yardstick test examples\n  yardstick test specs/kpis.test.kpi --format json\n\nExit codes: 0 all passed, 1 a test failed or a spec has errors, 2 usage or I/O error.")
    .action((paths: string[], opts: { format: "text" | "json"; filter?: string }) => {
      code = runTestCommand(paths, { format: opts.format, ...(opts.filter !== undefined ? { filter: opts.filter } : {}) }, io.out, io.err);
    });

  program
    .command("alerts")
    .description("Run the rules over the data's history and list the alert episodes, newest first.")
    .argument("<spec>", "a .kpi file or a folder of specs")
    .option("--since <date>", "only episodes still firing or active on or after this date or period (2025-03-01, 2025-03)")
    .option("--rule <name>", "only this rule (repeatable)", collect, [])
    .option("--as-of <timestamp>", "the instant `now()` and trailing windows refer to")
    .option("--data <dataset=path>", "read a dataset from another file (repeatable)", collect, [])
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText("after", "\nExamples:\n  yardstick alerts examples/customer-centric-it\n  yardstick alerts specs --since 2025-03-01 --format json")
    .action(async (spec: string, opts: { since?: string; rule: string[]; asOf?: string; data: string[]; format: "table" | "json" }) => {
      code = await runAlerts([spec], opts, io.out, io.err);
    });

  program
    .command("explain")
    .description("Show where one KPI value comes from: the formula as a tree with every intermediate value, the target and status decisions, and the rows that contributed.")
    .argument("<spec>", "a .kpi file or a folder of specs")
    .requiredOption("--kpi <name>", "the KPI to explain")
    .option("--group <dims>", 'the group, as dimension=label pairs: "customer.segment=smb, month=2025-07"')
    .option("--rows <n>", "sample rows to show", "5")
    .option("--by <dims>", "regroup the KPI first, e.g. \"channel, month\" (\"\" for its overall value)")
    .option("--where <condition>", "extra row filter, e.g. 'channel = \"phone\"'")
    .option("--from <date>", "first day included (on the KPI's time column)")
    .option("--to <date>", "first day excluded")
    .option("--as-of <timestamp>", "the instant `now()` and trailing windows refer to")
    .option("--data <dataset=path>", "read a dataset from another file (repeatable)", collect, [])
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addHelpText("after", '\nWithout --group, a KPI grouped by `by` is explained on its first group (the others are listed).\n\nExamples:\n  yardstick explain examples/customer-centric-it --kpi nps --group "customer.segment=smb, month=2025-07"\n  yardstick explain examples/customer-centric-it --kpi clv --group segment=smb --rows 10\n  yardstick explain specs --kpi fcr --group "channel=phone" --format json\n\nExit codes: 0 explained, 1 spec or data errors or nothing to explain, 2 usage error.')
    .action(async (spec: string, opts: { kpi: string; group?: string; rows: string; by?: string; where?: string; from?: string; to?: string; asOf?: string; data: string[]; format: "text" | "json" }) => {
      code = await runExplain([spec], opts, io.out, io.err);
    });

  program
    .command("diff")
    .description("Compare two versions of a spec: definitions added, removed, renamed or changed in meaning, and how the changed KPIs' values move.")
    .argument("<old>", "the old version: a .kpi file, a folder of specs, or - for stdin")
    .argument("<new>", "the new version: a .kpi file, a folder of specs, or - for stdin")
    .option("--data <dataset=path>", "read a dataset from this file, on both sides (repeatable)", collect, [])
    .option("--no-values", "compare the definitions only; evaluate nothing")
    .option("--as-of <timestamp>", "the instant `now()` and trailing windows refer to")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .addHelpText(
      "after",
      "\nFormatting, comments and the order of definitions are no change. A removed and an added definition that\n" +
        "mean the same apart from the name are a rename. With data (each dataset's own source in the new spec\n" +
        "unless --data names another file) every changed, renamed or affected KPI is evaluated on both versions,\n" +
        "on the same data, and each group shows old, new, delta and status.\n\n" +
        "With -, the piped text stands in for the file named on the other side: its imports and data paths\n" +
        "resolve from that file's folder.\n\n" +
        "Examples:\n" +
        "  yardstick diff old/kpis.kpi kpis.kpi\n" +
        "  git show main:specs/kpis.kpi | yardstick diff - specs/kpis.kpi\n" +
        "  yardstick diff base/specs specs --format markdown > diff.md\n" +
        "  yardstick diff old new --data tickets=exports/tickets.parquet --format json\n\n" +
        "Exit codes: 0 compared (whatever changed), 1 either version has errors, 2 usage or I/O error.",
    )
    .action(async (oldPath: string, newPath: string, opts: { data: string[]; values: boolean; asOf?: string; format: "text" | "json" | "markdown" }) => {
      code = await runDiff(oldPath, newPath, { data: opts.data, values: opts.values, format: opts.format, ...(opts.asOf ? { asOf: opts.asOf } : {}) }, io.out, io.err);
    });

  program
    .command("init")
    .description("Write a starter project: a spec with a dataset, two KPIs and a rule, a test file, sample data and a README.")
    .argument("[dir]", "the folder to write into (created if needed)", ".")
    .addHelpText("after", "\nNothing is overwritten: if any of the files exists, init writes nothing and exits 2.\n\nExamples:\n  yardstick init my-kpis && yardstick test my-kpis\n  yardstick init            # into the current folder\n\nExit codes: 0 written, 2 a file exists or cannot be written.")
    .action((dir: string) => {
      code = runInit(dir, io.out, io.err);
    });

  program
    .command("convert")
    .description("Convert a spec between .kpi and .kpi.yaml (the same model), comments kept.")
    .argument("<file>", "a .kpi or .kpi.yaml file")
    .addOption(new Option("--to <surface>", "what to write (default: the other one)").choices(["yaml", "kpi"]))
    .option("-o, --output <file>", "write here instead of to standard output")
    .option("--rewrite-imports", "point imports at the converted twins (a.kpi -> a.kpi.yaml, or back)")
    .option("--line-width <n>", "where long .kpi expressions break (--to kpi)", (v) => Number.parseInt(v, 10), 100)
    .addHelpText(
      "after",
      "\nA round trip gives back the same model; from .kpi, the same text as `yardstick fmt`.\n" +
        "Files with errors are not converted (exit 1).\n\n" +
        "Examples:\n" +
        "  yardstick convert specs/kpis.kpi --to yaml -o specs/kpis.kpi.yaml\n" +
        "  yardstick convert specs/kpis.kpi.yaml --to kpi > kpis.kpi\n" +
        "  yardstick convert specs/datasets.kpi --rewrite-imports -o specs/datasets.kpi.yaml\n\n" +
        "Exit codes: 0 converted, 1 the file has errors, 2 usage or I/O error.",
    )
    .action((file: string, opts: { to?: "yaml" | "kpi"; output?: string; rewriteImports?: boolean; lineWidth: number }) => {
      code = runConvert(file, { ...(opts.to ? { to: opts.to } : {}), ...(opts.output !== undefined ? { output: opts.output } : {}), rewriteImports: opts.rewriteImports ?? false, lineWidth: opts.lineWidth }, io.out, io.err);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.err.write(`yardstick: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === "string" && err.path) {
      io.err.write(`yardstick: cannot read ${err.path}: ${err.message}\n`);
      return 2;
    }
    io.err.write(`yardstick: internal error: ${(e as Error).message}\n`);
    if (debug) io.err.write(`${(e as Error).stack}\n`);
    else io.err.write("Run again with --debug for details, and please report it.\n");
    return 2;
  }
}
