import { parseTemporalLiteral, type ColumnType, type Literal } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import type { Reporter } from "./context.js";

/**
 * The constant a literal stands for, checked against the type it must fit (constraint values,
 * bounds). Returns undefined (after reporting) when it does not fit.
 */
export function constantValue(e: A.Expr, type: ColumnType, what: string, r: Reporter): Literal | undefined {
  const mismatch = (found: string) => {
    r.report("constraint-type-mismatch", { text: `${found} does not fit ${what}.` }, e.span);
    return undefined;
  };
  switch (e.kind) {
    case "NumberLit":
      if (!Number.isFinite(e.value)) return mismatch(`The number ${e.text}`);
      if (type === "int") return Number.isInteger(e.value) ? e.value : mismatch(`The decimal ${e.text}`);
      if (type === "number" || type === "duration") return e.value;
      return mismatch(`The number ${e.text}`);
    case "UnaryExpr":
      if (e.operator === "-" && e.operand.kind === "NumberLit") {
        const v = constantValue(e.operand, type, what, r);
        return typeof v === "number" ? -v : v;
      }
      return mismatch("This expression");
    case "StringLit":
      if (type === "string") return e.value;
      return mismatch(`The string "${e.value}"`);
    case "TemporalLit": {
      const t = parseTemporalLiteral(e.text);
      if (!t) {
        r.report("invalid-literal", { text: e.text, kind: "date or time", hint: "Dates look like 2025-01-31, timestamps like 2025-01-31T09:30:00Z." }, e.span);
        return undefined;
      }
      if (type === "date" && t.kind === "date") return e.text;
      if (type === "timestamp" && (t.kind === "timestamp" || t.kind === "date")) return e.text;
      return mismatch(`The ${t.kind} ${e.text}`);
    }
    case "BoolLit":
      return type === "bool" ? e.value : mismatch(`${e.value}`);
    case "NullLit":
      return mismatch("null");
    case "NameRef":
      return mismatch(`The name ${e.name}`);
    default:
      return mismatch("This expression");
  }
}
