/**
 * The playground in a real browser: the built site (`playground/dist`) served by vite's preview
 * server on 127.0.0.1, driven by playwright-core in Debian's Chromium (never a downloaded one).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";
import { preview, type PreviewServer } from "vite";

export const ROOT = fileURLToPath(new URL("../../playground/", import.meta.url));
export const DIST = join(ROOT, "dist");
export const ARTIFACTS = fileURLToPath(new URL("../../test-results/playground/", import.meta.url));

/** The browser: `YARDSTICK_CHROMIUM`, else Debian's package. */
export const CHROMIUM = process.env.YARDSTICK_CHROMIUM ?? "/usr/bin/chromium";
export const HAVE_BROWSER = existsSync(CHROMIUM);
export const HAVE_SITE = existsSync(join(DIST, "index.html"));

export async function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({
    root: ROOT,
    configFile: join(ROOT, "vite.config.ts"),
    logLevel: "warn",
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("The preview server has no address.");
  return { url, close: () => server.close() };
}

const TYPES: Record<string, string> = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".csv": "text/csv",
  ".ttf": "font/ttf", ".json": "application/json", ".svg": "image/svg+xml",
};

/** `playground/dist` under a sub-path (`/some/where/`) of a plain static server, as a static host would serve it. */
export async function serveUnder(prefix: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const rel = path.startsWith(prefix) ? path.slice(prefix.length) || "index.html" : null;
    const file = rel === null || rel.includes("..") ? null : join(DIST, rel);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A fresh browser profile; every page error and console error is recorded for the test to assert on. */
export class Browser {
  readonly errors: string[] = [];
  private constructor(readonly context: BrowserContext, private readonly profile: string) {}

  static async launch(): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), "yardstick-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 800 },
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]).catch(() => undefined);
    return new Browser(context, profile);
  }

  async page(): Promise<Page> {
    const page = await this.context.newPage();
    page.on("pageerror", (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error") this.errors.push(`console.error: ${m.text()}`);
    });
    return page;
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Waits until the newest run has its complete answer (values, tests and charts). */
export async function settled(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => {
    const y = (window as unknown as { __yardstick?: { result?: { complete: boolean } | null } }).__yardstick;
    return y?.result?.complete === true;
  }, null, { timeout });
}

/** Waits for a run newer than `runs` to complete. */
export async function nextRun(page: Page, runs: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((n) => {
    const y = (window as unknown as { __yardstick?: { runs: number; result?: { complete: boolean } | null } }).__yardstick;
    return !!y && y.runs > n && y.result?.complete === true;
  }, runs, { timeout });
}

export async function runs(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __yardstick: { runs: number } }).__yardstick.runs);
}
