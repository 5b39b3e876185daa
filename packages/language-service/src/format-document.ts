import { format } from "@yardstick/language";
import type { Document } from "./types.js";

/**
 * The document in canonical layout, or null when it cannot be formatted: a file with syntax
 * errors is left alone (the formatter would have to guess), as is one the formatter refuses.
 */
export function formatDocument(doc: Document, lineWidth = 100): { text: string } | null {
  const r = format(doc.text, { lineWidth, file: doc.path });
  if (r.diagnostics.length > 0) return null;
  return { text: r.text };
}
