/** A string literal's text to its value: quotes dropped, `\n`, `\t`, `\r`, `\u{…}` and `\x` escapes read. */
export function unquote(image: string): string {
  if (image.length < 2) return "";
  const body = image.slice(1, -1);
  if (!body.includes("\\")) return body;
  return body.replace(/\\(u\{[0-9a-fA-F]{1,6}\}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case "n": return "\n";
      case "t": return "\t";
      case "r": return "\r";
      case "u": {
        const cp = parseInt(e.slice(2, -1), 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
      }
      default: return e;
    }
  });
}
