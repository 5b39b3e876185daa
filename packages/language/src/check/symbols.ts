import type { Span } from "@yardstick/model";
import type * as A from "../syntax/ast.js";
import type { Reporter } from "./context.js";

export interface ParsedFile {
  path: string;
  text: string;
  ast: A.FileNode;
}

/** A definition and its file (a class: see model-nodes.ts). */
export class Declared<T> {
  constructor(public decl: T, public file: string) {}
}

export interface Declarations {
  datasets: Map<string, Declared<A.DatasetDecl>>;
  kpis: Map<string, Declared<A.KpiDecl>>;
  rules: Map<string, Declared<A.RuleDecl>>;
  tests: Map<string, Declared<A.TestDecl>>;
}

/**
 * Gathers every top-level definition of the project. Names are global; a second definition of a
 * name is reported with the first as a related location, and only the first is kept.
 */
export function collectDeclarations(files: ParsedFile[], r: Reporter): Declarations {
  const d: Declarations = { datasets: new Map(), kpis: new Map(), rules: new Map(), tests: new Map() };
  const add = <T>(map: Map<string, Declared<T>>, kind: string, name: string, span: Span, decl: T, file: string) => {
    const first = map.get(name) as (Declared<T> & { span?: Span }) | undefined;
    if (first) {
      r.report("duplicate-definition", { kind, name }, span, {
        related: [{ file: first.file, span: spanOfDecl(first.decl), message: `${kind} "${name}" is first defined here` }],
      });
      return;
    }
    map.set(name, new Declared(decl, file));
  };
  for (const f of files) {
    r.file = f.path;
    f.ast.items.forEach((item, i) => {
      switch (item.kind) {
        case "HeaderDecl":
          if (i !== 0) r.report("misplaced-header", {}, item.span);
          else if (item.version !== 1) r.report("unsupported-version", { version: item.version }, item.span);
          break;
        case "DatasetDecl":
          if (item.name) add(d.datasets, "Dataset", item.name.name, item.name.span, item, f.path);
          break;
        case "KpiDecl":
          if (item.name) add(d.kpis, "KPI", item.name.name, item.name.span, item, f.path);
          break;
        case "RuleDecl":
          if (item.name) add(d.rules, "Rule", item.name.name, item.name.span, item, f.path);
          break;
        case "TestDecl":
          if (item.name) add(d.tests, "Test", item.name.value, item.name.span, item, f.path);
          break;
        case "ImportDecl":
          break;
      }
    });
  }
  return d;
}

function spanOfDecl(decl: unknown): Span {
  const n = decl as { name?: { span: Span } };
  return n.name?.span ?? { start: 0, end: 0 };
}
