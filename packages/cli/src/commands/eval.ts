import { uniqueDiagnostics, type Diagnostic, type Model } from "@yardstick/model";
import { compileQuery } from "@yardstick/language";
import { evaluatePlan, evaluateRules, loadProjection, plan, ruleGrouping, type EvalRequest, type RulesRequest } from "@yardstick/engine";
import { loadModelData } from "@yardstick/engine/node";
import { colorsFor } from "../render/color.js";
import { diagnosticJson, renderDiagnostic } from "../render/diagnostics.js";
import { renderCsv, renderMarkdown, renderTable } from "../render/results.js";
import { compileFromDisk, displayPath, projectsFrom, UsageError } from "../files.js";
import { renderAlertsTable } from "./alerts.js";

export interface EvalFlags {
  kpi: string[];
  by?: string;
  where?: string;
  from?: string;
  to?: string;
  asOf?: string;
  data: string[];
  format: "table" | "json" | "csv" | "markdown";
  timings: boolean;
}

/** Parses `dataset=path` bindings. */
export function dataBindings(list: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const item of list) {
    const eq = item.indexOf("=");
    if (eq <= 0 || eq === item.length - 1) throw new UsageError(`--data takes dataset=path, not "${item}".`);
    m.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return m;
}

const ms = (t: number) => `${t.toFixed(1)} ms`;

/** `yardstick eval`: check, load data, evaluate, print. Exit 1 when the spec or the data has errors. */
export async function runEval(paths: string[], flags: EvalFlags, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<number> {
  const projects = projectsFrom(paths);
  if (projects.length !== 1) throw new UsageError(`eval takes one spec file or one folder of specs; ${paths.join(" ")} holds ${projects.length} projects.`);
  const t0 = performance.now();
  const sources = new Map<string, string>();
  const compiled = compileFromDisk(projects[0]!, sources);
  const c = colorsFor(err);
  const report = (ds: Diagnostic[]) => {
    for (const d of ds) err.write(renderDiagnostic(d, sources, c, displayPath) + "\n\n");
  };
  const specErrors = compiled.diagnostics.filter((d) => d.severity === "error");
  if (specErrors.length) {
    if (flags.format === "json") out.write(JSON.stringify({ results: [], alerts: [], diagnostics: compiled.diagnostics.map((d) => diagnosticJson(d, sources)) }, null, 2) + "\n");
    else report(compiled.diagnostics);
    return 1;
  }
  const model: Model = compiled.model;
  const unknown = flags.kpi.filter((k) => !model.kpis.some((m) => m.name === k));
  if (unknown.length) throw new UsageError(`Unknown KPI ${unknown.map((k) => `"${k}"`).join(", ")}. KPIs: ${model.kpis.map((k) => k.name).join(", ")}.`);
  const kpiNames = flags.kpi.length ? flags.kpi : model.kpis.map((k) => k.name);
  const q = compileQuery(compiled.program, kpiNames, { by: flags.by, where: flags.where }, "<query>");
  if (q.diagnostics.some((d) => d.severity === "error")) {
    for (const d of q.diagnostics) err.write(`yardstick: ${flags.by && d.message ? "" : ""}${d.message}${d.hints.length ? ` (${d.hints.join(" ")})` : ""}\n`);
    return 2;
  }
  const tCheck = performance.now();
  const request: EvalRequest = { kpis: flags.kpi.length ? flags.kpi : undefined, ...q.query };
  if (flags.from) request.from = flags.from;
  if (flags.to) request.to = flags.to;
  if (flags.asOf) request.asOf = flags.asOf;
  const p = plan(model, request);
  // Rules run over the whole history of each group (a backtest) on the same data, filter and bounds.
  const rulesRequest: RulesRequest = {};
  if (flags.kpi.length) rulesRequest.rules = model.rules.filter((r) => r.kpis.some((k) => flags.kpi.includes(k))).map((r) => r.name);
  if (request.where) rulesRequest.where = request.where;
  if (request.from !== undefined) rulesRequest.from = request.from;
  if (request.to !== undefined) rulesRequest.to = request.to;
  if (request.asOf !== undefined) rulesRequest.asOf = request.asOf;
  // Load only what the KPIs (and the rules that will run) read: the datasets and columns their
  // plans use. A rule may regroup its KPIs, so each rule counts as every KPI on its grouping.
  const plans = [p];
  const kpiByName = new Map(model.kpis.map((k) => [k.name, k]));
  const ruleNames = rulesRequest.rules ? new Set(rulesRequest.rules) : null;
  for (const rule of model.rules) {
    if (ruleNames && !ruleNames.has(rule.name)) continue;
    const rq: EvalRequest = { by: ruleGrouping(rule, kpiByName) };
    if (request.where) rq.where = request.where;
    plans.push(plan(model, rq));
  }
  const projection = loadProjection(model, plans);
  const tPlan = performance.now();
  const loaded = await loadModelData(model, { overrides: dataBindings(flags.data), progress: true, only: projection.datasets, columns: projection.columns });
  const tLoad = performance.now();
  const result = evaluatePlan(p, loaded.tables);
  const rules = evaluateRules(model, loaded.tables, rulesRequest);
  result.alerts = rules.alerts;
  const tEval = performance.now();
  const diagnostics = uniqueDiagnostics([...compiled.diagnostics, ...loaded.diagnostics, ...result.diagnostics, ...rules.diagnostics]);
  const dataErrors = loaded.diagnostics.filter((d) => d.severity === "error").length;
  switch (flags.format) {
    case "json":
      out.write(JSON.stringify({ results: result.results, alerts: result.alerts, diagnostics: diagnostics.map((d) => diagnosticJson(d, sources)) }, null, 2) + "\n");
      break;
    case "csv":
      report(diagnostics);
      out.write(renderCsv(result.results));
      break;
    case "markdown":
      report(diagnostics);
      out.write(renderMarkdown(model, result.results));
      break;
    default:
      report(diagnostics);
      out.write(renderTable(model, result.results, colorsFor(out)) + "\n");
      if (model.rules.length > 0) {
        const oc = colorsFor(out);
        out.write(`\n${oc.bold("Alerts")}\n${renderAlertsTable(rules.alerts, oc)}\n`);
      }
  }
  if (flags.timings) {
    const mem = process.memoryUsage();
    err.write(
      `timings: check ${ms(tCheck - t0)}, load ${ms(tLoad - tPlan)}, plan ${ms(tPlan - tCheck)}, evaluate ${ms(tEval - tLoad)}; ` +
        `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heap ${(mem.heapUsed / 1e6).toFixed(0)} MB\n`,
    );
  }
  return dataErrors > 0 ? 1 : 0;
}
