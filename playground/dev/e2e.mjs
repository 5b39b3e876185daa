// Scratch end-to-end check of the editor adapter (deleted after use).
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const url = process.argv[2] ?? "http://127.0.0.1:4179/dev-editor.html";
const userDataDir = mkdtempSync(join(tmpdir(), "pg-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium", headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1100, height: 600 },
});
const page = context.pages()[0] ?? (await context.newPage());
const errors = [];
page.on("pageerror", (e) => errors.push("pageerror: " + e.message));
page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") errors.push(`console.${m.type()}: ${m.text()}`); });
let passed = 0, failed = 0;
const check = (name, ok, info = "") => { if (ok) passed++; else failed++; console.log(`${ok ? "ok  " : "FAIL"} ${name}${info ? "  " + info : ""}`); };
const ev = (fn, arg) => page.evaluate(fn, arg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await page.goto(url);
await page.waitForFunction(() => window.__yardstickEditor && document.querySelector(".view-lines .view-line"), null, { timeout: 30000 });
await sleep(300);

// 1. Highlighting
const kpisText = await ev(() => window.__yardstickEditor.getValue());
const lineOf = (text, needle) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
const l1 = lineOf(kpisText, "kpi on_time_performance");
const toks = await ev((n) => window.__yardstickEditor.tokens(n), l1);
check("tokens of a kpi line", JSON.stringify(toks.map((t) => t.scope).filter(Boolean)) === JSON.stringify(["keyword.declaration", "identifier.declaration", "string", "delimiter.bracket"]), JSON.stringify(toks));
const l2 = lineOf(kpisText, "value share(arrival_delay_min <= 15)");
const toks2 = await ev((n) => window.__yardstickEditor.tokens(n), l2);
check("tokens of a value line", toks2.some((t) => t.text === "value" && t.scope === "keyword.soft") && toks2.some((t) => t.text === "share" && t.scope === "predefined"), JSON.stringify(toks2));
const mtk = await ev(() => new Set([...document.querySelectorAll(".view-line span span")].map((s) => s.className)).size);
check("rendered spans use several token colours", mtk >= 6, `classes=${mtk}`);
const colours = await ev(() => { const s = [...document.querySelectorAll(".view-line span span")].find((e) => e.textContent === "kpi"); return s ? getComputedStyle(s).color : null; });
check("kpi keyword is coloured (light: blue)", colours === "rgb(0, 0, 255)", String(colours) + JSON.stringify(await ev(() => [...document.querySelectorAll(".view-line")].map((l) => [...l.querySelectorAll("span span")].map((s) => s.textContent + "=" + s.className).join(" ")).filter((t) => t.includes("kpi")).slice(0, 3))));

// 2. Initial diagnostics
await ev(() => window.__yardstickEditor.flush());
const m0 = await ev(() => window.__yardstickEditor.markers());
check("example has no error markers", m0.filter((m) => m.severity === "error").length === 0, JSON.stringify(m0.slice(0, 3)));

// 3. Squiggle for an unknown column, timed from the edit to the markers
const broken = kpisText.replace("share(arrival_delay_min <= 15)", "share(arrival_delay_mn <= 15)");
const timing = await ev(async (text) => {
  const h = window.__yardstickEditor;
  const t0 = performance.now();
  h.setValue(text);
  return await new Promise((resolve) => {
    const poll = () => { const ms = h.markers().filter((m) => m.severity === "error"); if (ms.length) resolve({ ms: performance.now() - t0, markers: ms, check: h.lastCheck, started: h.lastCheck.at - h.lastCheck.ms - t0 }); else setTimeout(poll, 1); };
    poll();
  });
}, broken);
check("unknown column marker", timing.markers.some((m) => m.code.startsWith("unknown") && m.startLineNumber === l2), JSON.stringify(timing.markers));
check("edit → markers under 100 ms", timing.ms < 100, `${timing.ms.toFixed(1)} ms (check ${timing.check.ms.toFixed(1)} ms, started after ${timing.started.toFixed(1)} ms)`);
await page.waitForSelector(".squiggly-error", { timeout: 3000 }).catch(() => null);
check("squiggle rendered", (await page.locator(".squiggly-error").count()) > 0);
const log1 = await ev(() => window.__log.filter((e) => e.ev === "change"));
check("onChange called with the changed path", log1.some((e) => e.changed === "/airline/kpis.kpi"), JSON.stringify(log1));

// 4. Quick fix through the UI (Ctrl+.)
const mk = timing.markers[0];
const off = broken.indexOf("arrival_delay_mn") + 3;
await ev((o) => window.__yardstickEditor.setCursor(o), off);
await page.keyboard.press("Control+.");
await page.waitForSelector(".action-widget", { timeout: 5000 }).catch(() => null);
const menu = await ev(() => [...document.querySelectorAll("*")].filter((e) => e.children.length === 0 && /Did you mean/.test(e.textContent)).map((e) => e.className + "|" + e.textContent + "|" + e.closest("[class*=action]")?.className).join("\n"));
check("quick fix menu offers Did you mean", /Did you mean "arrival_delay_min"/.test(menu), JSON.stringify(menu.slice(0, 200)));
await page.keyboard.press("Enter");
await sleep(200);
const fixed = await ev(() => window.__yardstickEditor.getValue());
check("quick fix applied", fixed.includes("share(arrival_delay_min <= 15)") && !fixed.includes("arrival_delay_mn"));
await ev(() => window.__yardstickEditor.flush());
check("markers cleared after fix", (await ev(() => window.__yardstickEditor.markers())).filter((m) => m.severity === "error").length === 0);

// 5. Completion: columns after typing `.`-free context via Ctrl+Space, and `flight.` via typing
const withLine = fixed.replace("  value share(arrival_delay_min <= 15)\n", "  value share(arrival_delay_min <= 15)\n  where pas\n");
await ev((t) => window.__yardstickEditor.setValue(t), withLine);
await ev((o) => window.__yardstickEditor.setCursor(o), withLine.indexOf("where pas") + "where pas".length);
await page.keyboard.press("Control+Space");
await page.waitForSelector(".suggest-widget.visible .monaco-list-row", { timeout: 5000 }).catch(() => null);
const rows = await page.locator(".suggest-widget.visible .monaco-list-row").allInnerTexts().catch(() => []);
check("completion shows columns", rows.some((r) => r.includes("passengers")), JSON.stringify(rows.slice(0, 8)));
await page.keyboard.press("Enter");
await sleep(100);
check("completion accepted", (await ev(() => window.__yardstickEditor.getValue())).includes("  where passengers\n"));
await page.keyboard.press("Escape");
// typing a space after `from` pops datasets; after an operand it does not
await page.keyboard.type(" ");
await sleep(300);
check("typing a space after an operand shows no completion", (await page.locator(".suggest-widget.visible").count()) === 0);
await page.keyboard.press("Escape");
await ev((t) => window.__yardstickEditor.setValue(t), fixed);
// typing a space after `from` shows the datasets
await ev((o) => window.__yardstickEditor.setCursor(o), fixed.indexOf("from flights where not cancelled") + 4);
await page.keyboard.type(" ");
await page.waitForSelector(".suggest-widget.visible .monaco-list-row", { timeout: 5000 }).catch(() => null);
const rows3 = await page.locator(".suggest-widget.visible .monaco-list-row").allInnerTexts().catch(() => []);
check("a space after `from` shows datasets", rows3.some((r) => r.includes("bag_reports")), JSON.stringify(rows3.slice(0, 4)));
await page.keyboard.press("Escape");
await ev((t) => window.__yardstickEditor.setValue(t), fixed);

// `.` trigger: `flight.` completes the related dataset's columns
const kt0 = await ev(() => window.__yardstickEditor.getValue());
const at = kt0.indexOf("by flight.route, cabin") + "by flight".length;
await ev((t) => window.__yardstickEditor.setValue(t), kt0.slice(0, at) + kt0.slice(at + ".route".length));
await ev((o) => window.__yardstickEditor.setCursor(o), at);
await page.keyboard.type(".");
await page.waitForSelector(".suggest-widget.visible .monaco-list-row", { timeout: 5000 }).catch(() => null);
const rows2 = await page.locator(".suggest-widget.visible .monaco-list-row").allInnerTexts().catch(() => []);
check("'.' triggers member completion", rows2.some((r) => r.includes("route")), JSON.stringify(rows2.slice(0, 6)));
await page.keyboard.press("Escape");
await ev((t) => window.__yardstickEditor.setValue(t), kt0);

// 6. Hover with samples
await ev(() => window.__yardstickEditor.setActive("/airline/kpis.kpi"));
const kt = await ev(() => window.__yardstickEditor.getValue());
const ro = kt.indexOf("by route") + 4;
await ev((o) => window.__yardstickEditor.setCursor(o), ro);
await ev(() => window.__yardstickEditor.editor.trigger("test", "editor.action.showHover", {}));
await page.waitForFunction(() => [...document.querySelectorAll(".monaco-hover")].some((e) => /column of/.test(e.innerText)), null, { timeout: 5000 }).catch(() => null);
const hov = (await page.locator(".monaco-hover").allInnerTexts()).join(" // ");
if (!/column of/.test(hov)) { await page.screenshot({ path: "/tmp/ys-hover.png" }); console.log(await ev(() => [...document.querySelectorAll("[class*=hover]")].map((e) => e.className + ":" + e.getBoundingClientRect().height + ":" + e.innerText.slice(0, 50)).join("\n"))); }
check("hover on a column with samples", /route/.test(hov) && /column of/.test(hov) && /Sample values: AMS-LHR, AMS-BCN, AMS-CDG/.test(hov), JSON.stringify(hov));
await page.keyboard.press("Escape");
const ko = kt.indexOf("kpi on_time_performance") + 6;
await ev((o) => window.__yardstickEditor.setCursor(o), ko);
await ev(() => window.__yardstickEditor.editor.trigger("test", "editor.action.showHover", {}));
await page.waitForFunction(() => [...document.querySelectorAll(".monaco-hover")].some((e) => /Current value/.test(e.innerText)), null, { timeout: 5000 }).catch(() => null);
const hov2 = (await page.locator(".monaco-hover").allInnerTexts()).join(" // ");
check("hover on a KPI with its value", /Current value: 60\.0%/.test(hov2), JSON.stringify(hov2));
await page.keyboard.press("Escape");

// 7. Formatting
const messy = kt.replace("  owner \"operations\"\n", "      owner    \"operations\"\n");
await ev((t) => window.__yardstickEditor.setValue(t), messy);
await ev(() => window.__host.format());
await sleep(300);
const afterFmt = await ev(() => window.__yardstickEditor.getValue());
check("format restores layout", afterFmt === kt, JSON.stringify([afterFmt === messy, afterFmt.length, kt.length]));
await ev((t) => window.__yardstickEditor.setValue(t), kt);

// 8. Keybindings
await ev(() => window.__yardstickEditor.editor.focus());
await page.keyboard.press("Control+Enter");
await page.keyboard.press("Control+s");
await sleep(100);
const evs = await ev(() => window.__log.map((e) => e.ev));
check("Ctrl+Enter runs, Ctrl+S shares", evs.includes("run") && evs.includes("share"), JSON.stringify(evs.slice(-5)));
check("Ctrl+Enter did not insert a line", (await ev(() => window.__yardstickEditor.getValue())) === kt);

// 9. Cross-file diagnostics and view state
await ev(() => window.__yardstickEditor.setCursor(2000));
const ds = await ev(() => window.__yardstickEditor.getValue("/airline/datasets.kpi"));
await ev((t) => window.__yardstickEditor.setValue(t, "/airline/datasets.kpi"), ds.replace("  cancelled: bool\n", "  canceled: bool\n"));
await ev(() => window.__yardstickEditor.flush());
const cross = await ev(() => window.__yardstickEditor.markers("/airline/kpis.kpi"));
check("an edit in datasets.kpi marks kpis.kpi", cross.some((m) => m.severity === "error" && /cancelled/.test(m.message)), JSON.stringify(cross.slice(0, 2)));
await ev(() => window.__yardstickEditor.setActive("/airline/datasets.kpi"));
await ev(() => window.__yardstickEditor.setActive("/airline/kpis.kpi"));
check("view state kept across file switches", (await ev(() => window.__yardstickEditor.cursor())) === 2000);
const act = await ev(() => window.__log.filter((e) => e.ev === "active").map((e) => e.path));
check("onActiveChange on setActive", act.includes("/airline/datasets.kpi"), JSON.stringify(act));
await ev((t) => window.__yardstickEditor.setValue(t, "/airline/datasets.kpi"), ds);

// 10. Keystroke → markers, on the 196-line test file grown past 500 lines
await ev(() => window.__yardstickEditor.setActive("/airline/airline.test.kpi"));
const grown = await ev(() => {
  const h = window.__yardstickEditor;
  const src = h.getValue();
  const blocks = src.slice(src.indexOf("test \"")).split("\ntest ").slice(0, 3);
  let text = src, n = 0;
  while (text.split("\n").length < 520) text += "\ntest " + blocks[n % 3].replace(/^(test )?"/, `"copy ${n++} `) + "\n";
  h.setValue(text);
  h.flush();
  return { lines: text.split("\n").length, errors: h.markers().filter((m) => m.severity === "error").length };
});
check("grown file has no errors", grown.errors === 0, JSON.stringify(grown));
const gtext = await ev(() => window.__yardstickEditor.getValue());
const results = [];
for (let k = 0; k < 6; k++) {
  const pos = gtext.indexOf("expect completion_factor = ") + "expect completion_factor".length;
  await ev((o) => window.__yardstickEditor.setCursor(o), pos);
  await ev(() => { window.__t0 = null; document.addEventListener("keydown", () => { window.__t0 ??= performance.now(); }, { capture: true, once: true }); });
  await page.keyboard.type("xyzuvw"[k]);
  const r = await page.waitForFunction(() => {
    const m = window.__yardstickEditor.markers().find((m) => /completion_factor[xyzuvw]/.test(m.message));
    const c = window.__yardstickEditor.lastCheck;
    return m ? { ms: Math.round(performance.now() - window.__t0), check: Math.round(c.ms), ls: Math.round(c.diagnoseMs), started: Math.round(c.at - c.ms - window.__t0) } : null;
  }, null, { polling: "raf", timeout: 5000 }).then((h) => h.jsonValue()).catch(() => null);
  results.push(r);
  await page.keyboard.press("Backspace");
  await ev(() => window.__yardstickEditor.flush());
}
check(`keystroke → markers under 100 ms on ${grown.lines} lines`, results.every((r) => r && r.ms < 100), JSON.stringify(results));

// 11. Theme and setFiles, dispose
await ev(() => window.__yardstickEditor.setActive("/airline/kpis.kpi"));
await ev(() => window.__host.setTheme(true));
await sleep(100);
const dark = await ev(() => { const s = [...document.querySelectorAll(".view-line span span")].find((e) => e.textContent === "kpi"); return [document.querySelector(".monaco-editor").className.includes("vs-dark"), s ? getComputedStyle(s).color : null]; });
check("dark theme", dark[0] && dark[1] === "rgb(86, 156, 214)", JSON.stringify(dark));
await ev(() => window.__host.setFiles([{ path: "/x/a.kpi", text: "yardstick 1\nimport \"b.kpi\"\n" }, { path: "/x/b.kpi", text: "yardstick 1\n" }], "/x/a.kpi"));
check("setFiles replaces models", JSON.stringify(await ev(() => window.__yardstickEditor.files().map((f) => f.path))) === '["/x/a.kpi","/x/b.kpi"]' && (await ev(() => window.__yardstickEditor.markers().length)) === 0);
check("old models disposed", await ev(() => window.__yardstickEditor.editor.getModel().uri.path === "/x/a.kpi"));
await ev(() => window.__host.dispose());
check("dispose removes the hook", await ev(() => window.__yardstickEditor === undefined));
await sleep(200);
check("no page errors or console errors/warnings", errors.length === 0, JSON.stringify(errors));
console.log(`${passed} passed, ${failed} failed`);
await context.close();
process.exit(failed ? 1 : 0);
