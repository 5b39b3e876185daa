/** ANSI colour, only when the stream is a TTY and NO_COLOR is not set. */
export interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const ANSI: Colors = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  blue: wrap(34, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

const id = (s: string) => s;
export const PLAIN: Colors = { red: id, yellow: id, green: id, blue: id, cyan: id, dim: id, bold: id };

export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return PLAIN;
  if (env["FORCE_COLOR"] && env["FORCE_COLOR"] !== "0") return ANSI;
  return stream.isTTY ? ANSI : PLAIN;
}
