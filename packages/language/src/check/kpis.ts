import {
  aOrAn,
  BUILTIN_STATUSES, isValidTimeZone, didYouMean,
  type Comparator, type Dim, type Expr, type Format, type Kpi, type Span, type StatusArm, type TargetArm,
} from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import { firstOfKind, type DatasetSymbol, type Reporter } from "./context.js";
import { checkCondition, checkDim, checkExpr, type ExprEnv } from "./expr.js";
import {
  BucketNode, DimNode, emptyList, exactList, FormatNode, KpiRecord, LitNode, originOf, StatusArmNode,
  TargetArmNode,
} from "./model-nodes.js";

const FORMATS = ["percent", "number", "integer", "currency", "duration"] as const;

/** A checked KPI with what the program check needs of it (a class: see model-nodes.ts). */
export class CheckedKpi {
  constructor(
    public kpi: Kpi,
    public file: string,
    /** KPI references with the span of the first use, for cycle reports. */
    public refs: Map<string, Span>,
    /** False when an error was reported inside this KPI. */
    public ok: boolean,
  ) {}
}

/** Checks one KPI definition and lowers it to the model. */
export function checkKpi(
  decl: A.KpiDecl,
  file: string,
  r: Reporter,
  datasets: Map<string, DatasetSymbol>,
  kpiNames: ReadonlySet<string>,
  kpisWithTarget: ReadonlySet<string>,
): CheckedKpi {
  r.file = file;
  const errorsBefore = r.errorCount;
  const name = decl.name.name;
  const clauses = decl.clauses;
  for (const c of clauses) {
    const first = firstOfKind(clauses, c.kind)!;
    if (first !== c) r.report("duplicate-clause", { clause: clauseWord(c) }, c.span, { related: [{ file, span: first.span, message: "first given here" }] });
  }
  const get = <K extends A.KpiClause["kind"]>(kind: K) => firstOfKind(clauses, kind) as Extract<A.KpiClause, { kind: K }> | undefined;

  const kpi: Kpi = new KpiRecord({
    name,
    label: decl.label?.value ?? null,
    description: get("DescriptionClause")?.text.value ?? null,
    owner: get("OwnerClause")?.text.value ?? null,
    tags: get("TagsClause")?.tags.map((t) => t.value) ?? emptyList(),
    from: null,
    where: null,
    value: new LitNode("lit", "null", null, originOf(file, decl.name.span)),
    by: emptyList(),
    unit: get("UnitClause")?.unit.name ?? null,
    format: null,
    direction: get("DirectionClause")?.direction ?? "higher",
    minSamples: null,
    zone: "UTC",
    timeColumn: null,
    target: emptyList(),
    status: emptyList(),
    ratio: null,
    dependsOn: emptyList(),
    origin: originOf(file, decl.name.span),
  });

  const fromClause = get("FromClause");
  let scope: DatasetSymbol | null = null;
  // After a syntax error the dataset name may be missing: already reported, and nothing to check.
  if (fromClause?.dataset) {
    scope = datasets.get(fromClause.dataset.name) ?? null;
    if (!scope) {
      const hint = didYouMean(fromClause.dataset.name, datasets.keys());
      r.report("unknown-dataset", { name: fromClause.dataset.name }, fromClause.dataset.span, { hints: hint ? [hint] : [] });
    } else {
      kpi.from = scope.model.name;
      kpi.zone = scope.model.zone;
      kpi.timeColumn = scope.model.timeColumn;
    }
  }
  const zoneClause = get("ZoneClause");
  if (zoneClause) {
    if (isValidTimeZone(zoneClause.zone.value)) kpi.zone = zoneClause.zone.value;
    else r.report("unknown-time-zone", { name: zoneClause.zone.value }, zoneClause.zone.span);
  }

  const refs = new Map<string, Span>();
  const env: ExprEnv = { file, r, datasets, kpiNames, scope, zone: kpi.zone, place: `KPI "${name}"`, kpiRefs: refs, usesTime: null, kpisWithTarget };

  if (fromClause?.where && scope) {
    kpi.where = checkCondition(fromClause.where, { ...env, place: "a `where` filter" }, "row", "A `where` filter").e;
  }

  const valueClause = get("ValueClause");
  if (!valueClause) {
    r.report("missing-clause", { what: `KPI "${name}"`, clause: "value", hint: "Add `value <expression>`, e.g. `value avg(score)`." }, decl.name.span);
  } else if (fromClause && !scope) {
    // Unknown dataset already reported; its columns cannot be checked.
  } else {
    const v = checkExpr(valueClause.expr, env, "value");
    kpi.value = v.e;
    if (v.level === "row" && r.errorCount === errorsBefore) {
      r.report("row-level-outside-aggregate", { name: "this value" }, valueClause.expr.span);
    }
  }

  const byClause = get("ByClause");
  if (byClause) {
    if (!scope) {
      if (fromClause === undefined) {
        // KPIs built from other KPIs group by time buckets only (resolved against the KPIs they read).
        kpi.by = byClause.dims.map((d) => kpiOfKpisDim(d, file, kpi.zone, r)).filter((d): d is Dim => d !== null);
      }
    } else {
      kpi.by = byClause.dims.map((d) => checkDim(d, { ...env, place: "a grouping" }));
      dupDims(kpi.by, r);
    }
  }

  const fmt = get("FormatClause");
  if (fmt) {
    const kind = fmt.format.name as Format["kind"];
    if (!(FORMATS as readonly string[]).includes(kind)) {
      const hint = didYouMean(fmt.format.name, FORMATS);
      r.report("unknown-format", { name: fmt.format.name }, fmt.format.span, { hints: hint ? [hint] : [] });
    } else {
      if (fmt.decimals !== undefined && !(Number.isInteger(fmt.decimals) && fmt.decimals >= 0 && fmt.decimals <= 12)) {
        r.report("invalid-argument", { text: "`decimals` must be a whole number from 0 to 12.", hint: "For example `format percent decimals 1`." }, fmt.span);
      } else kpi.format = new FormatNode(kind, fmt.decimals ?? null);
    }
  }

  const ms = get("MinSamplesClause");
  if (ms) {
    if (!Number.isInteger(ms.count) || ms.count < 0) r.report("invalid-argument", { text: "`min samples` needs a whole number.", hint: "For example `min samples 30`." }, ms.countSpan);
    else kpi.minSamples = ms.count;
  }

  const target = get("TargetClause");
  if (target) kpi.target = checkTarget(target, kpi, env, r, fromClause !== undefined);

  const status = get("StatusClause");
  if (status) kpi.status = checkStatus(status, kpi, env, r, file);

  if (env.usesTime && !kpi.timeColumn && scope) {
    r.report("no-time-column", { what: env.usesTime.what, dataset: scope.model.name, example: "created_at" }, env.usesTime.span);
  }

  kpi.dependsOn = Array.from(refs.keys());
  return new CheckedKpi(kpi, file, refs, r.errorCount === errorsBefore);
}

function clauseWord(c: A.KpiClause): string {
  switch (c.kind) {
    case "DescriptionClause": return "description";
    case "OwnerClause": return "owner";
    case "TagsClause": return "tags";
    case "FromClause": return "from";
    case "ValueClause": return "value";
    case "ByClause": return "by";
    case "UnitClause": return "unit";
    case "FormatClause": return "format";
    case "DirectionClause": return "higher/lower is better";
    case "MinSamplesClause": return "min samples";
    case "ZoneClause": return "zone";
    case "TargetClause": return "target";
    case "StatusClause": return "status";
  }
}

function dupDims(dims: Dim[], r: Reporter): void {
  const seen = new Set<string>();
  for (const d of dims) {
    if (seen.has(d.name)) r.report("duplicate-clause", { clause: d.name }, d.origin);
    seen.add(d.name);
  }
}

/** In a KPI without `from`, `by` may only name time buckets: each referenced KPI buckets its own time column. */
function kpiOfKpisDim(d: A.Expr, file: string, zone: string, r: Reporter): Dim | null {
  const unit = d.kind === "NameRef" ? (["day", "week", "month", "quarter", "year"] as const).find((u) => u === d.name) : undefined;
  if (!unit) {
    r.report("invalid-per", { text: "A KPI built from other KPIs can only be grouped by time buckets (day, week, month, quarter, year)." }, d.span);
    return null;
  }
  const o = originOf(file, d.span);
  return new DimNode(unit, new BucketNode("bucket", unit, new LitNode("lit", "timestamp", null, o), zone, "period", o), o);
}

function checkTarget(c: Extract<A.KpiClause, { kind: "TargetClause" }>, kpi: Kpi, env: ExprEnv, r: Reporter, hasFrom: boolean): TargetArm[] {
  const arms: TargetArm[] = [];
  c.arms.forEach((a, i) => {
    const comparator: Comparator = a.comparator ?? (kpi.direction === "lower" ? "<=" : ">=");
    const v = checkExpr(a.value, { ...env, place: "a target" }, "constant");
    if (v.e.type !== "int" && v.e.type !== "number" && v.e.type !== "null") {
      r.report("invalid-target", { text: `A target must be a number, not ${aOrAn(v.e.type)}.`, hint: "For example `target >= 0.8`." }, a.value.span);
    }
    let when: Expr | null = null;
    if (a.when) {
      if (!env.scope) {
        if (kpi.from === null && hasFrom) return;
        r.report("invalid-target", { text: "Per-dimension targets need a `from` dataset.", hint: "Give the KPI a `from`, or use one target." }, a.when.span);
      } else {
        when = checkCondition(a.when, { ...env, place: "a target condition" }, "row", "A target condition").e;
      }
    } else if (i < c.arms.length - 1) {
      r.report("invalid-target", { text: "Only the last target may lack a `when`.", hint: "Write `target >= 0.7 when channel = \"phone\" else >= 0.6`." }, a.span);
    }
    arms.push(new TargetArmNode(when, comparator, v.e, originOf(env.file, a.span)));
  });
  return exactList(arms);
}

function checkStatus(c: Extract<A.KpiClause, { kind: "StatusClause" }>, kpi: Kpi, env: ExprEnv, r: Reporter, file: string): StatusArm[] {
  const arms: StatusArm[] = [];
  const labels = new Map<string, Span>();
  let otherwise: Span | undefined;
  const statusEnv: ExprEnv = {
    ...env,
    scope: null,
    subjectKpi: kpi.name,
    kpiRefs: new Map(),
    place: "a status condition",
  };
  for (const a of c.arms) {
    const label = a.label.name;
    if ((BUILTIN_STATUSES as readonly string[]).includes(label)) {
      r.report("reserved-status", { name: label }, a.label.span);
    } else if (labels.has(label)) {
      r.report("duplicate-status", { name: label }, a.label.span, { related: [{ file, span: labels.get(label)!, message: "first defined here" }] });
    }
    labels.set(label, a.label.span);
    if (otherwise) r.report("unreachable-status", { name: label }, a.label.span);
    let when: Expr | null = null;
    if (a.otherwise) otherwise = a.span;
    else if (a.when) when = checkCondition(a.when, statusEnv, "status", "A status condition").e;
    arms.push(new StatusArmNode(label, when, originOf(file, a.span)));
  }
  if (!otherwise && c.arms.length > 0) r.report("status-without-otherwise", {}, c.span);
  for (const k of statusEnv.kpiRefs.keys()) if (k !== kpi.name && !env.kpiRefs.has(k)) env.kpiRefs.set(k, c.span);
  return exactList(arms);
}
