import { z } from "zod";
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { diagnostic, didYouMean, type Diagnostic, type Span } from "@yardstick/model";
import { pathKey, type Located, type Path } from "./plain.js";
import { DEFINITION_KEY, DEFINITION_SCHEMAS, FILE, type DefinitionKind } from "./schema.js";

type Issue = z.core.$ZodIssue;

/**
 * Validates the plain value of a `.kpi.yaml` file against the schemas and turns every problem into
 * a positioned diagnostic: `yaml-unknown-key` (with "Did you mean") and `yaml-invalid`.
 */
export function validateYaml(value: unknown, index: Map<string, Located>, source: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    if (value === null) return out; // an empty file (or only comments) defines nothing
    out.push(invalid(`Expected a map of definitions (datasets, kpis, rules, tests) at the top of the file, but found ${describe(value)}.`, { start: 0, end: 0 }, file));
    return out;
  }
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const m = DEFINITION_KEY.exec(k);
    if (m) {
      const schema = DEFINITION_SCHEMAS[m[1] as DefinitionKind];
      const r = schema.safeParse(v);
      if (!r.success) report(r.error.issues, [k], { schema, value: v, base: [k], index, source, file, out });
    } else rest[k] = v;
  }
  const r = FILE.safeParse(rest);
  if (!r.success) report(r.error.issues, [], { schema: FILE, value: rest, base: [], index, source, file, out });
  return out;
}

function invalid(text: string, span: Span, file: string, hints: string[] = []): Diagnostic {
  return diagnostic("yaml-invalid", { text }, { file, span, hints });
}

/** What issues are reported against: the schema and value they came from, at path `base`. */
interface Context {
  schema: z.ZodType;
  value: unknown;
  base: Path;
  index: Map<string, Located>;
  source: string;
  file: string;
  out: Diagnostic[];
}

function report(issues: readonly Issue[], prefix: Path, ctx: Context): void {
  const { index, source, file, out } = ctx;
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as Array<string | number>)];
    if (issue.code === "invalid_union") {
      // A value of the right kind for one of the alternatives (a map where a map is allowed) gets
      // that alternative's problems; otherwise the value has the wrong type for all of them.
      const fitting = issue.errors.filter((branch) => !wrongType(branch));
      if (fitting.length === 1) {
        report(fitting[0]!, path, ctx);
        continue;
      }
    }
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schemaAt(ctx.schema, path.slice(ctx.base.length), ctx.value));
      for (const key of issue.keys) {
        const at = index.get(pathKey([...path, key]));
        const hint = didYouMean(key, known);
        out.push(
          diagnostic("yaml-unknown-key", { name: key, where: placeOf(path) }, {
            file,
            span: spanOf(at?.key ?? at?.node ?? null, source),
            hints: hint ? [hint] : known.length > 0 ? [`Known keys here: ${known.join(", ")}.`] : [],
          }),
        );
      }
      continue;
    }
    const at = index.get(pathKey(path));
    const found = at?.node ?? null;
    const key = path.length > 0 ? path[path.length - 1] : undefined;
    const where = typeof key === "string" ? ` for ${quote(key)}` : typeof key === "number" ? ` for item ${key + 1}` : "";
    const span = found && !(isScalar(found) && found.value === null) ? spanOf(found, source) : spanOf(at?.key ?? found, source);
    out.push(invalid(`Expected ${expected(issue)}${where}${placeSuffix(path)}, but found ${describeNode(found)}.`, span, file));
  }
}

/** The issues say the value itself has the wrong type (not something inside it). */
function wrongType(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.path.length === 0 && (i.code === "invalid_type" || (i.code === "invalid_union" && i.errors.every(wrongType))));
}

const quote = (s: string) => `"${s}"`;

/** What the schema wanted, as a noun phrase. */
function expected(issue: Issue): string {
  const msg = issue.message ?? "";
  if (!msg.startsWith("Invalid input") && !msg.startsWith("Invalid option") && msg !== "") return msg;
  if (issue.code === "invalid_type") {
    switch (issue.expected) {
      case "string": return "a string";
      case "number": return "a number";
      case "boolean": return "true or false";
      case "object": return "a map";
      case "array": return "a list";
      default: return String(issue.expected);
    }
  }
  if (issue.code === "invalid_value") return issue.values.map((v) => String(v)).join(" or ");
  return "something else";
}

/** ` in KPI "nps"`, ` in column "x" of dataset "t"`: where a key sits, for messages. */
function placeOf(path: Path): string {
  const p = path.map(String);
  const def = DEFINITION_KEY.exec(p[0] ?? "");
  const sections: Record<string, string> = { datasets: "dataset", kpis: "KPI", rules: "rule", tests: "test" };
  let kind: string | undefined;
  let nameAt = 1;
  if (def) {
    kind = def[1] === "kpi" ? "KPI" : def[1];
    nameAt = 0;
  } else if (p[0] && sections[p[0]]) kind = sections[p[0]];
  if (!kind || p.length <= nameAt) return "the file";
  const name = def ? def[2]! : p[1]!;
  const owner = `${kind} ${quote(name)}`;
  const rest = p.slice(nameAt + 1);
  if (rest[0] === "columns" && rest.length >= 2) return `column ${quote(rest[1]!)} of ${owner}`;
  if (rest[0] === "given" && rest.length >= 2) return `the table of ${quote(rest[1]!)} in ${owner}`;
  if (rest[0] === "expect" && rest.length >= 2) return `expectation ${Number(rest[1]) + 1} of ${owner}`;
  return owner;
}

function placeSuffix(path: Path): string {
  const place = placeOf(path.slice(0, -1));
  return place === "the file" ? "" : ` in ${place}`;
}

function spanOf(node: Node | null, source: string): Span {
  const r = node?.range;
  if (!r) return { start: source.length, end: source.length };
  return { start: r[0], end: Math.max(r[0], r[1]) };
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  if (typeof v === "string") return quote(v.length > 40 ? v.slice(0, 40) + "…" : v);
  return String(v);
}

function describeNode(n: Node | null): string {
  if (!n) return "nothing";
  if (isMap(n)) return "a map";
  if (isSeq(n)) return "a list";
  if (isScalar(n)) return describe(n.value);
  return "something else";
}

/** The schema that validates the value at `path`, following the data through unions. */
function schemaAt(schema: z.ZodType, path: Path, value: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  let v: unknown = value;
  for (let i = 0; i <= path.length; i++) {
    s = unwrap(s, v);
    if (i === path.length || !s) break;
    const seg = path[i]!;
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(seg)];
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return undefined;
    v = v && typeof v === "object" ? (v as Record<string, unknown>)[String(seg)] : undefined;
  }
  return s;
}

function unwrap(s: z.ZodType | undefined, v: unknown): z.ZodType | undefined {
  for (let guard = 0; s && guard < 10; guard++) {
    if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodUnion) {
      const options = s.options as z.ZodType[];
      const isObj = v !== null && typeof v === "object" && !Array.isArray(v);
      s = options.find((o) => (Array.isArray(v) ? o instanceof z.ZodArray : isObj ? o instanceof z.ZodObject || o instanceof z.ZodRecord : false));
    } else break;
  }
  return s;
}

function knownKeys(s: z.ZodType | undefined): string[] {
  if (s instanceof z.ZodObject) return Object.keys(s.shape as object);
  return [];
}
