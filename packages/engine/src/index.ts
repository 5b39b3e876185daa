export * from "./table/table.js";
export * from "./load/index.js";
export { filterRows } from "./table/filter.js";
export { evaluate, evaluatePlan, Evaluation, compareRaw, displayValue, type EvalResult, type ResultRow, type InstanceResult } from "./eval/evaluate.js";
export { plan, formatPlan, type EvalRequest, type Plan, type ContextPlan, type InstancePlan } from "./plan/plan.js";
export { exprKey } from "./plan/expr-key.js";
export * from "./time/index.js";
export { formatValue, formatDuration, type DisplaySpec } from "./format/format-value.js";
