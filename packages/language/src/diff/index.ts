export { diffModels, kpiDatasets, type ModelDiff, type EntityChange, type EntityKind, type FieldChange, type Affected } from "./diff.js";
export { exprText as specText } from "./text.js";
