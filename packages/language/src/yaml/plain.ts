import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar } from "yaml";

/** Where a value sits in the YAML text: its node, and the key node when it is a map value. */
export interface Located {
  node: Node | null;
  key: Scalar | null;
}

/** A path into the plain value: map keys and list indexes. */
export type Path = ReadonlyArray<string | number>;

export const pathKey = (path: Path): string => path.map(String).join("\u0000");

/** A map key as the plain value's property name. */
export function keyString(key: unknown): string {
  if (isScalar(key)) return key.value === null || key.value === undefined ? "" : String(key.value);
  if (isSeq(key) || isMap(key)) return JSON.stringify(toPlainValue(key, null));
  return String(key ?? "");
}

function toPlainValue(node: unknown, doc: Document | null, index?: Map<string, Located>, path: Array<string | number> = [], key: Scalar | null = null): unknown {
  if (isAlias(node)) {
    // Aliases are reported by parseYaml; one that resolves to nothing stands for its own text.
    const target = doc ? node.resolve(doc) : undefined;
    return target ? toPlainValue(target, doc, index, path, key) : `*${node.source}`;
  }
  index?.set(pathKey(path), { node: (node as Node) ?? null, key });
  if (isScalar(node)) return node.value ?? null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = keyString(pair.key);
      // A repeated key is reported by the AST builder (as the `.kpi` checker would); the first one is validated.
      if (Object.prototype.hasOwnProperty.call(out, k)) continue;
      const keyNode = isScalar(pair.key) ? pair.key : null;
      path.push(k);
      const v = pair.value === null || pair.value === undefined ? null : toPlainValue(pair.value, doc, index, path, keyNode);
      if (pair.value === null || pair.value === undefined) index?.set(pathKey(path), { node: null, key: keyNode });
      path.pop();
      out[k] = v;
    }
    return out;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => {
      path.push(i);
      const v = toPlainValue(item, doc, index, path, null);
      path.pop();
      return v;
    });
  }
  return null;
}

/**
 * The plain value of a YAML document (maps as objects, keys as strings) for schema validation,
 * with an index from each path to the YAML node it came from, for positions.
 */
export function toPlain(doc: Document): { value: unknown; index: Map<string, Located> } {
  const index = new Map<string, Located>();
  const value = toPlainValue(doc.contents, doc, index);
  return { value, index };
}
