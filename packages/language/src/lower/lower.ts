import { diagnostic, validateModel, type Diagnostic, type Model } from "@yardstick/model";
import type { CheckedProgram } from "../check/program.js";

/**
 * The checked program as the model: plain JSON, validated by the model's zod schemas, no AST
 * references. A schema failure is a bug in the checker and is reported as an internal error.
 */
export function lower(program: CheckedProgram): { model: Model; diagnostics: Diagnostic[] } {
  const model: Model = {
    version: 1,
    datasets: [...program.datasets.values()].map((d) => d.model),
    kpis: [...program.kpis.values()],
    rules: [...program.rules.values()],
    tests: program.tests,
    files: program.files.map((f) => f.path),
  };
  const v = validateModel(model);
  if (!v.ok) {
    return { model, diagnostics: [diagnostic("internal-error", { text: `the model failed validation: ${v.issues.slice(0, 5).join("; ")}` })] };
  }
  return { model, diagnostics: [] };
}
