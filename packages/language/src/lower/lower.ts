import { diagnostic, validateModel, type Diagnostic, type Model } from "@yardstick/model";
import type { CheckedProgram } from "../check/program.js";
import { ModelRecord } from "../check/model-nodes.js";

/**
 * The checked program as the model: plain JSON, validated by the model's zod schemas, no AST
 * references. A schema failure is a bug in the checker and is reported as an internal error.
 * Validation costs about as much as checking; editors that re-check on every keystroke may turn
 * it off (`validate: false`), the checker's output already has the schema's shape.
 */
export function lower(program: CheckedProgram, options: { validate?: boolean } = {}): { model: Model; diagnostics: Diagnostic[] } {
  const model: Model = new ModelRecord({
    version: 1,
    datasets: [...program.datasets.values()].map((d) => d.model),
    kpis: [...program.kpis.values()],
    rules: [...program.rules.values()],
    tests: program.tests,
    files: program.files.map((f) => f.path),
  });
  if (options.validate === false) return { model, diagnostics: [] };
  const v = validateModel(model);
  if (!v.ok) {
    return { model, diagnostics: [diagnostic("internal-error", { text: `the model failed validation: ${v.issues.slice(0, 5).join("; ")}` })] };
  }
  return { model, diagnostics: [] };
}
