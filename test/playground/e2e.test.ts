/**
 * End-to-end tests of the built playground in Chromium. `npm test` builds the site first. Without
 * a browser the tests are skipped locally (one line says how to run them) and fail under CI.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { Browser, CHROMIUM, HAVE_BROWSER, HAVE_SITE, nextRun, runs, screenshot, serve, serveUnder, settled } from "./browser";

const REPO = join(import.meta.dirname, "../..");
const mustRun = !!process.env.CI;
const reason = !HAVE_BROWSER ? `no Chromium at ${CHROMIUM}; apt-get install chromium, or set YARDSTICK_CHROMIUM` : !HAVE_SITE ? "playground/dist is missing; run npm run build" : "";

if (reason && mustRun) {
  describe("playground end to end", () => {
    it("has a browser and a built site under CI", () => {
      throw new Error(`Cannot run the playground tests: ${reason}.`);
    });
  });
} else if (reason) {
  describe.skip(`playground end to end (skipped: ${reason})`, () => {
    it("runs in Chromium", () => undefined);
  });
} else {
  describe("playground end to end", { timeout: 90_000 }, () => {
    let server: Awaited<ReturnType<typeof serve>>;
    let browser: Browser;

    beforeAll(async () => {
      server = await serve();
      browser = await Browser.launch();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    interface Hook {
      runs: number;
      editorReady: boolean;
      result: {
        ok: boolean;
        complete: boolean;
        results: Array<{ kpi: string; group: Record<string, unknown>; value: number | null; display: string }>;
        tests: Array<{ name: string; passed: boolean }>;
        datasets: Array<{ name: string; rows: number; source: string | null }>;
        diagnostics: Array<{ code: string; message: string; line?: number }>;
      };
      state: { files: Array<{ path: string; text: string }>; active: string };
    }
    const app = (page: Page) => page.evaluate(() => {
      const y = (window as unknown as { __yardstick: Hook }).__yardstick;
      return { runs: y.runs, editorReady: y.editorReady, result: y.result, state: y.state };
    });
    const editorReady = (page: Page) => page.waitForFunction(() => (window as unknown as { __yardstick: Hook }).__yardstick.editorReady, null, { timeout: 30_000 });

    async function open(hash = "#example/customer-centric-it"): Promise<Page> {
      const page = await browser.page();
      await page.goto(`${server.url}${hash}`);
      await settled(page);
      return page;
    }

    it("shows an example's results table, statuses and passing tests", async () => {
      const page = await open();
      const rows = page.locator("table.results tbody tr");
      expect(await rows.count()).toBeGreaterThan(50);
      await expect.poll(() => page.locator("table.results .kpi-name").allTextContents()).toContain("nps");
      expect(await page.locator("table.results .status.tone-good").count()).toBeGreaterThan(0);
      // The value the CLI computes for the same KPI and group (examples are checked in test/examples.test.ts).
      const { result } = await app(page);
      const nps = result.results.find((r) => r.kpi === "nps" && r.group["customer.segment"] === "smb" && r.group.month === "2025-07");
      expect(nps?.display).toBe("14.6 points");
      expect(result.tests.length).toBeGreaterThan(0);
      expect(result.tests.filter((t) => !t.passed)).toEqual([]);
      await page.click('[data-tab="tests"]');
      await expect.poll(() => page.locator(".tests > li.pass").count()).toBe(result.tests.length);
      await screenshot(page, "results");
      await editorReady(page);
      await screenshot(page, "editor");
      // A KPI's name in the table opens its definition in the editor.
      await page.click('[data-tab="results"]');
      await page.locator('table.results tr[data-kpi="csat"] button.kpi-label').click();
      await expect.poll(() => page.evaluate(() => window.__yardstickEditor!.active?.())).toBe("/customer-centric-it/kpis.kpi");
      const selected = await page.evaluate(() => {
        const ed = window.__yardstickEditor!.editor as unknown as { getModel(): { getValueInRange(r: unknown): string }; getSelection(): unknown };
        return ed.getModel().getValueInRange(ed.getSelection());
      });
      expect(selected).toContain("csat");
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("draws a chart per KPI with its target line", async () => {
      const page = await open();
      await page.click('[data-tab="charts"]');
      await page.waitForSelector('figure.chart[data-kpi="nps"] canvas', { timeout: 15_000 });
      const drawn = await page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('figure.chart[data-kpi="nps"] canvas')!;
        const ctx = canvas.getContext("2d")!;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
        return { width: canvas.width, inked, legend: [...document.querySelectorAll('figure.chart[data-kpi="nps"] .u-legend .u-label')].map((e) => e.textContent) };
      });
      expect(drawn.width).toBeGreaterThan(200);
      expect(drawn.inked).toBeGreaterThan(1000);
      expect(drawn.legend).toContain("target");
      await screenshot(page, "charts");
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("explains a clicked value down to its rows", async () => {
      const page = await open();
      await page.locator('table.results tr[data-kpi="nps"] button.cell-link').first().click();
      await page.waitForSelector("#panel-explain .explain", { timeout: 15_000 });
      const text = await page.locator("#panel-explain").innerText();
      expect(text).toContain("Net Promoter Score");
      expect(text).toMatch(/share\(recommend >= 9\)/);
      await screenshot(page, "explain");
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("underlines an unknown column, offers the Did-you-mean fix, and the fix gives the value back", async () => {
      const page = await open();
      await editorReady(page);
      const path = "/customer-centric-it/kpis.kpi";
      const original = await page.evaluate((p) => window.__yardstickEditor!.getValue(p), path);
      expect(original).toContain("share(recommend >= 9)");
      const before = await runs(page);
      // A typo in the NPS formula: `recommnd` instead of `recommend`.
      await page.evaluate(([p, t]) => window.__yardstickEditor!.setValue(t!, p), [path, original.replace("share(recommend >= 9)", "share(recommnd >= 9)")] as const);
      await page.waitForFunction((p) => window.__yardstickEditor!.markers(p).some((m) => m.code === "unknown-name"), path, { timeout: 10_000 });
      const marker = (await page.evaluate((p) => window.__yardstickEditor!.markers(p), path)).find((m) => m.code === "unknown-name")!;
      expect(marker.message).toContain("recommnd");
      await expect.poll(() => page.locator(".squiggly-error").count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await nextRun(page, before);
      expect((await app(page)).result.ok).toBe(false);
      await screenshot(page, "unknown-column");

      // The quick fix, through monaco's own lightbulb menu: put the cursor on the word and press Ctrl+.
      await page.evaluate(([p, line, col]) => {
        const ed = window.__yardstickEditor!;
        ed.setActive(p as string);
        ed.editor.setPosition({ lineNumber: line as number, column: (col as number) + 1 });
        ed.editor.focus();
      }, [path, marker.startLineNumber, marker.startColumn] as const);
      const fixRuns = await runs(page);
      await page.keyboard.press("Control+.");
      const fix = page.locator(".action-widget .monaco-list-row", { hasText: "recommend" }).first();
      await fix.waitFor({ timeout: 10_000 });
      await screenshot(page, "quick-fix");
      await fix.click();
      await expect.poll(() => page.evaluate((p) => window.__yardstickEditor!.getValue(p), path)).toBe(original);
      await nextRun(page, fixRuns);
      const { result } = await app(page);
      expect(result.ok).toBe(true);
      expect(result.results.find((r) => r.kpi === "nps" && r.group["customer.segment"] === "smb" && r.group.month === "2025-07")?.display).toBe("14.6 points");
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("binds an uploaded CSV (and NDJSON) to a dataset, shows its rows, its problems and the new values, and shares it in a link", async () => {
      const page = await open("#example/kpi-vectors");
      await page.click('[data-tab="data"]');
      await page.waitForSelector('section.dataset[data-dataset="responses"]');
      const before = await runs(page);
      // Ten answers: 5 promoters, 2 passives, 3 detractors (NPS 20), one row with an out-of-range score.
      const csv = "answered_on,recommend,satisfaction,ease\n" +
        ["2025-01-02,10,5,7", "2025-01-03,9,4,6", "2025-01-04,9,5,7", "2025-01-05,10,5,7", "2025-01-06,9,4,5", "2025-01-07,8,4,5", "2025-01-08,7,3,4", "2025-01-09,6,2,3", "2025-01-10,3,1,2", "2025-01-11,0,1,1", "2025-01-12,11,5,7"].join("\n") + "\n";
      await page.setInputFiles('section.dataset[data-dataset="responses"] input[type=file]', { name: "answers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await nextRun(page, before);
      const { result } = await app(page);
      const responses = result.datasets.find((d) => d.name === "responses")!;
      expect(responses.source).toBe("answers.csv");
      // The out-of-range row fails the load (the dataset's policy is fail) with line and column.
      const bad = result.diagnostics.find((d) => d.line === 12);
      expect(bad?.message).toMatch(/11/);
      await expect.poll(() => page.locator('section.dataset[data-dataset="responses"] .problem').count()).toBeGreaterThan(0);
      await screenshot(page, "upload-bad-row");
      // Without the bad row the table loads and NPS follows the new data.
      const again = await runs(page);
      await page.setInputFiles('section.dataset[data-dataset="responses"] input[type=file]', { name: "answers.csv", mimeType: "text/csv", buffer: Buffer.from(csv.replace("2025-01-12,11,5,7\n", "")) });
      await nextRun(page, again);
      const after = (await app(page)).result;
      expect(after.datasets.find((d) => d.name === "responses")!.rows).toBe(10);
      expect(after.results.find((r) => r.kpi === "nps")?.value).toBeCloseTo(20, 9);
      await page.waitForSelector('section.dataset[data-dataset="responses"] table.preview tbody tr');
      expect(await page.locator('section.dataset[data-dataset="responses"] table.preview tbody tr').count()).toBe(10);
      await screenshot(page, "upload");

      // The link carries the small upload: a fresh browser gets the same data and values.
      await page.keyboard.press("Control+s");
      await expect.poll(() => page.evaluate(() => location.hash), { timeout: 5000 }).toMatch(/^#v1\//);
      const link = await page.evaluate(() => location.href);
      const other = await Browser.launch();
      try {
        const fresh = await other.page();
        await fresh.goto(link);
        await settled(fresh);
        const shared = await fresh.evaluate(() => (window as unknown as { __yardstick: Hook }).__yardstick.result);
        expect(shared.datasets.find((d) => d.name === "responses")).toMatchObject({ source: "answers.csv", rows: 10 });
        expect(shared.results.find((r) => r.kpi === "nps")?.value).toBeCloseTo(20, 9);
        expect(other.errors).toEqual([]);
      } finally {
        await other.close();
      }

      // NDJSON binds the same way.
      const ndjson = csv.trim().split("\n").slice(1, 11).map((line) => {
        const [answered_on, recommend, satisfaction, ease] = line.split(",");
        return JSON.stringify({ answered_on, recommend: Number(recommend), satisfaction: Number(satisfaction), ease: Number(ease) });
      }).join("\n");
      const beforeJson = await runs(page);
      await page.click('[data-tab="data"]');
      await page.setInputFiles('section.dataset[data-dataset="responses"] input[type=file]', { name: "answers.ndjson", mimeType: "application/x-ndjson", buffer: Buffer.from(ndjson) });
      await nextRun(page, beforeJson);
      const json = (await app(page)).result;
      expect(json.datasets.find((d) => d.name === "responses")).toMatchObject({ source: "answers.ndjson", rows: 10 });
      expect(json.results.find((r) => r.kpi === "nps")?.value).toBeCloseTo(20, 9);
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("reads Parquet in the browser: plain pages with its own reader, ZSTD pages through parquet-wasm", async () => {
      const { DuckDBInstance } = await import("@duckdb/node-api");
      const db = await DuckDBInstance.create(":memory:");
      const duck = await db.connect();
      const dir = mkdtempSync(join(tmpdir(), "yardstick-e2e-parquet-"));
      const answers = [[10, 5, 7], [9, 4, 6], [9, 5, 7], [10, 5, 7], [9, 4, 5], [8, 4, 5], [7, 3, 4], [6, 2, 3], [3, 1, 2], [0, 1, 1]];
      const values = answers.map(([r, s, e], i) => `(DATE '2025-02-${String(i + 1).padStart(2, "0")}', ${r}, ${s}, ${e})`).join(", ");
      const page = await open("#example/kpi-vectors");
      try {
        for (const codec of ["snappy", "zstd"]) {
          const path = join(dir, `answers-${codec}.parquet`);
          await duck.run(`COPY (SELECT * FROM (VALUES ${values}) t(answered_on, recommend, satisfaction, ease)) TO '${path}' (FORMAT parquet, COMPRESSION ${codec})`);
          await page.click('[data-tab="data"]');
          await page.waitForSelector('section.dataset[data-dataset="responses"] input[type=file]', { state: "attached" });
          const before = await runs(page);
          await page.setInputFiles('section.dataset[data-dataset="responses"] input[type=file]', path);
          await nextRun(page, before);
          const { result } = await app(page);
          const responses = result.datasets.find((d) => d.name === "responses")!;
          expect(responses.source).toBe(`answers-${codec}.parquet`);
          expect(responses.rows).toBe(10);
          expect(result.results.find((r) => r.kpi === "nps")?.value).toBeCloseTo(20, 9);
        }
      } finally {
        duck.closeSync();
        rmSync(dir, { recursive: true, force: true });
      }
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("starts from the blank template with its own rows, and Ctrl+Enter runs again", async () => {
      const page = await open();
      await page.selectOption("#gallery", "blank");
      await page.waitForFunction(() => (window as unknown as { __yardstick: Hook }).__yardstick.state.files.some((f) => f.path === "/scratch/main.kpi"));
      await settled(page);
      await expect.poll(async () => (await app(page)).result.results.filter((r) => r.kpi === "nps").length).toBe(3);
      const { result } = await app(page);
      // January: 10, 7, 3, 9, 9 -> 3 promoters, 1 detractor of 5 = 40 points.
      expect(result.results.find((r) => r.group.month === "2025-01")?.value).toBeCloseTo(40, 9);
      const before = await runs(page);
      await page.keyboard.press("Control+Enter");
      await nextRun(page, before);
      await screenshot(page, "blank");
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("opens a share link in a fresh browser with the same spec, data and results", async () => {
      const page = await open("#example/airline");
      await editorReady(page);
      const path = "/airline/kpis.kpi";
      const text = await page.evaluate((p) => window.__yardstickEditor!.getValue(p), path);
      const before = await runs(page);
      const entries = await page.evaluate(() => history.length);
      // An edit: a KPI the example does not have.
      const edited = `${text}\nkpi flights_counted "Flights counted" {\n  from flights\n  value count()\n}\n`;
      await page.evaluate(([p, t]) => window.__yardstickEditor!.setValue(t!, p), [path, edited] as const);
      await nextRun(page, before);
      const first = (await app(page)).result;
      const counted = first.results.find((r) => r.kpi === "flights_counted");
      expect(counted?.value).toBeGreaterThan(0);
      // Edits replace the hash: no history entry per keystroke.
      await page.waitForFunction(() => location.hash.startsWith("#v1/"), null, { timeout: 5000 });
      expect(await page.evaluate(() => history.length)).toBe(entries);
      await page.keyboard.press("Control+s");
      await expect.poll(() => page.evaluate(() => location.hash), { timeout: 5000 }).toMatch(/^#v1\//);
      const link = await page.evaluate(() => location.href);
      expect(link.length).toBeLessThan(32_000);
      await page.close();

      const other = await Browser.launch();
      try {
        const fresh = await other.page();
        await fresh.goto(link);
        await settled(fresh);
        const shared = await fresh.evaluate(() => (window as unknown as { __yardstick: Hook }).__yardstick.state.files.find((f) => f.path === "/airline/kpis.kpi")?.text);
        expect(shared).toBe(edited);
        const result = await fresh.evaluate(() => (window as unknown as { __yardstick: Hook }).__yardstick.result);
        expect(result.results.map((r) => [r.kpi, r.group, r.value])).toEqual(first.results.map((r) => [r.kpi, r.group, r.value]));
        await screenshot(fresh, "shared-link");
        expect(other.errors).toEqual([]);
      } finally {
        await other.close();
      }
      expect(browser.errors).toEqual([]);
    });

    it("keeps the session across a reload, and a link wins over it", async () => {
      const page = await open("#example/airline");
      await editorReady(page);
      const before = await runs(page);
      await page.evaluate(() => window.__yardstickEditor!.setValue(`${window.__yardstickEditor!.getValue()}\n// kept\n`));
      await nextRun(page, before);
      await page.waitForTimeout(800); // the autosave's debounce
      await page.goto(server.url);
      await settled(page);
      expect((await app(page)).state.files.some((f) => f.text.endsWith("// kept\n"))).toBe(true);
      // A link opened in a new tab wins over the autosave of the same browser.
      const linked = await browser.page();
      await linked.goto(`${server.url}#example/kpi-vectors`);
      await settled(linked);
      expect((await app(linked)).state.files.map((f) => f.path)).toContain("/kpi-vectors/vectors.kpi");
      await linked.close();
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("the site has no console or page errors in dark mode on a narrow screen", async () => {
      const page = await browser.page();
      await page.emulateMedia({ colorScheme: "dark" });
      await page.setViewportSize({ width: 420, height: 800 });
      await page.goto(`${server.url}#example/customer-centric-it`);
      await settled(page);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
      await page.click("#view-toggle");
      await expect.poll(() => page.locator("table.results tbody tr").count()).toBeGreaterThan(10);
      await screenshot(page, "narrow-dark");
      expect(browser.errors).toEqual([]);
      await page.close();
    });

    it("works from a sub-path of a plain static host", async () => {
      const html = readFileSync(join(REPO, "playground/dist/index.html"), "utf8");
      expect(html).not.toMatch(/(src|href)="\/assets\//);
      const host = await serveUnder("/teams/cx/kpi-playground/");
      try {
        const page = await browser.page();
        await page.goto(`${host.url}#example/airline`);
        await settled(page);
        expect((await app(page)).result.results.length).toBeGreaterThan(10);
        await page.waitForFunction(() => (window as unknown as { __yardstick: Hook }).__yardstick.editorReady, null, { timeout: 30_000 });
        expect(browser.errors).toEqual([]);
        await page.close();
      } finally {
        await host.close();
      }
    });
  });
}

declare global {
  interface Window {
    __yardstickEditor?: {
      setValue(text: string, path?: string): void;
      getValue(path?: string): string;
      setActive(path: string): void;
      active?(): string;
      markers(path?: string): Array<{ code: string; message: string; startLineNumber: number; startColumn: number; severity: string }>;
      editor: { setPosition(p: { lineNumber: number; column: number }): void; focus(): void };
    };
  }
}
