export { diffModels, kpiDatasets, type ModelDiff, type EntityChange, type EntityKind, type FieldChange, type Affected } from "./diff.js";
export { printExpr as specText } from "@yardstick/model";
