import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "pg-chromium-")), {
  executablePath: "/usr/bin/chromium", headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"], viewport: { width: 1100, height: 600 } });
const page = context.pages()[0];
page.on("console", (m) => console.log("console", m.type(), m.text()));
await page.goto("http://127.0.0.1:4179/dev-editor.html");
await page.waitForFunction(() => window.__yardstickEditor && document.querySelector(".view-lines .view-line"));
await new Promise((r) => setTimeout(r, 500));
const kt = await page.evaluate(() => window.__yardstickEditor.getValue());
const ro = kt.indexOf("by route") + 4;
await page.evaluate((o) => window.__yardstickEditor.setCursor(o), ro);
await page.evaluate(() => window.__yardstickEditor.editor.trigger("test", "editor.action.showHover", {}));
await new Promise((r) => setTimeout(r, 1500));
await page.screenshot({ path: "/tmp/ys-hover2.png" });
console.log(await page.evaluate(() => [...document.querySelectorAll(".monaco-hover")].map((e) => [e.className, JSON.stringify(e.getBoundingClientRect()), getComputedStyle(e).visibility, getComputedStyle(e).opacity, e.textContent.slice(0, 200)].join(" | ")).join("\n")));
await context.close();
