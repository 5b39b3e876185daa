import { basename } from "node:path";

/**
 * A progress line on stderr for a long load: only when stderr is a terminal, and only once the
 * load has taken more than a second (short loads print nothing). Call with bytes = -1 to finish.
 */
export function progressReporter(path: string, stream: NodeJS.WriteStream = process.stderr): ((bytes: number, total: number) => void) | undefined {
  if (!stream.isTTY) return undefined;
  const start = Date.now();
  let last = 0;
  let shown = false;
  return (bytes, total) => {
    const now = Date.now();
    if (bytes < 0) {
      if (shown) stream.write("\r\x1b[K");
      return;
    }
    if (now - start < 1000 || now - last < 100) return;
    last = now;
    shown = true;
    const pct = total > 0 ? Math.floor((bytes / total) * 100) : 0;
    stream.write(`\r\x1b[Kloading ${basename(path)}: ${pct}% (${mb(bytes)} of ${mb(total)} MB)`);
  };
}

const mb = (n: number) => (n / 1e6).toFixed(0);
