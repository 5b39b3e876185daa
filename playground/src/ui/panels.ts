/** The smaller tabs: alerts, tests, problems, explain, data and the compiled model. */
import type { Diagnostic } from "@yardstick/model";
import type { ExplainNode, ExplainTree, RowSample } from "@yardstick/engine";
import type { AlertView, DatasetView, TestView } from "../worker/protocol";
import { h, replace } from "./dom";
import { cellText } from "./text";

/** A place in a spec file the editor can show. */
export interface Place {
  path: string;
  start: number;
  end: number;
}

export function renderAlerts(el: HTMLElement, alerts: AlertView[], rules: number): void {
  if (alerts.length === 0) {
    replace(el, h("p", { class: "empty" }, rules === 0 ? "The spec has no rules." : `No alert fired (${rules} rule${rules === 1 ? "" : "s"} checked over the whole history).`));
    return;
  }
  replace(
    el,
    h("table", { class: "alerts" },
      h("thead", null, h("tr", null, h("th", null, "Rule"), h("th", null, "Group"), h("th", null, "Severity"), h("th", null, "From"), h("th", null, "To"), h("th", null, "Message"))),
      h("tbody", null,
        alerts.map((a) =>
          h("tr", null,
            h("td", null, a.label ?? a.rule),
            h("td", { class: "group" }, Object.entries(a.group).map(([n, v]) => `${n}=${cellText(v)}`).join(", ") || "all"),
            h("td", null, h("span", { class: `severity sev-${a.severity}` }, a.severity)),
            h("td", null, a.from),
            h("td", null, a.to ?? h("span", { class: "firing" }, "firing")),
            h("td", null, a.message),
          ),
        ),
      ),
    ),
  );
}

export function renderTests(el: HTMLElement, tests: TestView[], reveal: (p: Place) => void): void {
  if (tests.length === 0) {
    replace(el, h("p", { class: "empty" }, "The spec has no tests. A test gives fixture rows and expected values: see the examples' *.test.kpi files."));
    return;
  }
  const failed = tests.filter((t) => !t.passed).length;
  replace(
    el,
    h("p", { class: failed ? "summary bad" : "summary good" }, `${tests.length - failed} passed, ${failed} failed`),
    h("ul", { class: "tests" },
      tests.map((t) =>
        h("li", { class: t.passed ? "pass" : "fail" },
          h("button", { class: "link", onclick: () => reveal({ path: t.file, start: t.start, end: t.end }) }, t.passed ? "✓ " : "✗ ", t.name),
          h("span", { class: "muted" }, ` ${t.expectations} expectation${t.expectations === 1 ? "" : "s"}`),
          t.failures.length
            ? h("ul", { class: "failures" },
                t.failures.map((f) =>
                  h("li", null,
                    h("button", { class: "link", onclick: () => reveal({ path: f.file, start: f.start, end: f.end }) }, f.expectation),
                    h("div", { class: "diff" }, h("span", null, "expected ", h("code", null, f.expected)), h("span", null, " actual ", h("code", null, f.actual))),
                  ),
                ),
              )
            : null,
        ),
      ),
    ),
  );
}

/** `line:col` of an offset in a text. */
export function lineCol(text: string | undefined, offset: number): string {
  if (text === undefined) return "";
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return `${line}:${offset - start + 1}`;
}

/** Spec diagnostics (from the editor or the worker) and data/evaluation diagnostics, errors first. */
export function renderProblems(el: HTMLElement, diagnostics: Diagnostic[], texts: ReadonlyMap<string, string>, reveal: (p: Place) => void): void {
  if (diagnostics.length === 0) {
    replace(el, h("p", { class: "empty good" }, "No problems."));
    return;
  }
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...diagnostics].sort((a, b) => order[a.severity] - order[b.severity]);
  replace(
    el,
    h("ul", { class: "problems" },
      sorted.map((d) => {
        const inSpec = d.file !== undefined && d.span !== undefined && texts.has(d.file);
        const where = inSpec ? `${d.file}:${lineCol(texts.get(d.file!), d.span!.start)}` : d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ""}` : ""}` : "";
        return h("li", { class: `problem sev-${d.severity}`, "data-code": d.code },
          h("span", { class: `severity sev-${d.severity}` }, d.severity),
          " ",
          inSpec ? h("button", { class: "link where", onclick: () => reveal({ path: d.file!, start: d.span!.start, end: d.span!.end }) }, where) : h("span", { class: "where" }, where),
          " ",
          h("code", { class: "code" }, d.code),
          " ",
          h("span", { class: "message" }, d.message),
          d.hints.length ? h("div", { class: "hint" }, d.hints.join(" ")) : null,
        );
      }),
    ),
  );
}

/** The explain tree of one value: the formula down to the rows, then the target and status. */
export function renderExplain(el: HTMLElement, tree: unknown): void {
  const t = tree as ExplainTree | null;
  if (!t) {
    replace(el, h("p", { class: "empty" }, "Click a value in the Results tab to see how it was computed."));
    return;
  }
  replace(el, explainTree(t, true));
}

function explainTree(t: ExplainTree, top: boolean): HTMLElement {
  const group = Object.entries(t.group).map(([n, v]) => `${n}=${cellText(v)}`).join(", ");
  return h("div", { class: top ? "explain" : "explain nested" },
    h("div", { class: "explain-head" },
      h("strong", null, t.label ?? t.kpi), group ? h("span", { class: "muted" }, ` for ${group}`) : null,
      " = ", h("span", { class: "value" }, t.display), t.reason ? h("span", { class: "muted" }, ` (${t.reason})`) : null,
      h("span", { class: "muted" }, `, n = ${t.n}`),
    ),
    t.error ? h("p", { class: "bad" }, t.error) : null,
    t.notes.length ? h("ul", { class: "notes muted" }, t.notes.map((n) => h("li", null, n))) : null,
    t.formula ? [h("div", { class: "explain-sub" }, "Value"), h("ul", { class: "tree" }, node(t.formula))] : null,
    t.target ? [h("div", { class: "explain-sub" }, "Target"), h("ul", { class: "tree" }, node(t.target))] : null,
    t.status ? [h("div", { class: "explain-sub" }, "Status"), h("ul", { class: "tree" }, node(t.status))] : null,
    t.sample && t.sample.rows.length ? [h("div", { class: "explain-sub" }, "Rows"), sampleTable(t.sample)] : null,
  );
}

function node(n: ExplainNode): HTMLElement {
  const head = h("span", { class: `node kind-${n.kind}${n.chosen ? " chosen" : ""}` },
    n.role ? h("span", { class: "role" }, `${n.role}: `) : null,
    h("code", null, n.text),
    n.display !== "" && n.kind !== "literal" ? [" = ", h("span", { class: "value" }, n.display)] : null,
    n.reason ? h("span", { class: "muted" }, ` (${n.reason})`) : null,
    n.detail ? h("span", { class: "detail" }, ` ${n.detail}`) : null,
  );
  const kids: HTMLElement[] = n.children.map(node);
  if (n.explain) kids.push(h("li", null, explainTree(n.explain, false)));
  if (n.sample && n.sample.rows.length) kids.push(h("li", null, sampleTable(n.sample)));
  if (kids.length === 0) return h("li", null, head);
  return h("li", null, h("details", { open: n.kind !== "rows" && n.kind !== "filter" }, h("summary", null, head), h("ul", { class: "tree" }, kids)));
}

function sampleTable(s: RowSample): HTMLElement {
  return h("div", { class: "sample" },
    h("div", { class: "muted" }, `${s.total} row${s.total === 1 ? "" : "s"} of ${s.dataset}${s.file ? ` (${s.file})` : ""}; the first ${s.rows.length}:`),
    h("table", { class: "preview" },
      h("thead", null, h("tr", null, h("th", null, s.unit), s.columns.map((c) => h("th", null, c)))),
      h("tbody", null, s.rows.map((r) => h("tr", null, h("td", { class: "muted" }, r.line ?? ""), r.values.map((v) => h("td", null, cellText(v)))))),
    ),
  );
}

export interface DataActions {
  /** A file for a dataset (from the picker, a drop or a paste). */
  bind(dataset: string, file: File | { name: string; text: string }): void;
  /** Back to the spec's own data. */
  unbind(dataset: string): void;
}

/** The Data tab: each dataset with its source, rows, preview and load problems; drop, pick or paste data. */
export function renderData(el: HTMLElement, datasets: DatasetView[], diagnostics: Diagnostic[], actions: DataActions): void {
  if (datasets.length === 0) {
    replace(el, h("p", { class: "empty" }, "The spec declares no datasets."));
    return;
  }
  replace(
    el,
    h("p", { class: "muted" }, "Drop a CSV, JSON or Parquet file on a dataset to bind it, pick one, or paste CSV text. Files stay in this browser."),
    datasets.map((d) => datasetCard(d, diagnostics.filter((x) => (x.data as { dataset?: string } | undefined)?.dataset === d.name || (d.source !== null && x.file === d.source)), actions)),
  );
}

function datasetCard(d: DatasetView, problems: Diagnostic[], actions: DataActions): HTMLElement {
  const picker = h("input", { type: "file", accept: ".csv,.tsv,.json,.ndjson,.jsonl,.parquet", class: "visually-hidden", "data-dataset": d.name }) as HTMLInputElement;
  picker.addEventListener("change", () => {
    const f = picker.files?.[0];
    if (f) actions.bind(d.name, f);
  });
  const paste = h("textarea", { rows: 4, placeholder: `${d.columns.map((c) => c.name).join(",")}\n…`, spellcheck: "false" }) as HTMLTextAreaElement;
  const card = h("section", { class: "dataset", "data-dataset": d.name },
    h("header", null,
      h("strong", null, d.label ?? d.name), d.label ? h("span", { class: "muted" }, ` ${d.name}`) : null,
      h("span", { class: "source" }, d.source ? ` ← ${d.source}` : " (no data)"),
      h("span", { class: "muted" }, d.source ? ` · ${d.rows.toLocaleString("en")} rows${d.skipped ? `, ${d.skipped} skipped` : ""}${d.loadMs >= 1 ? ` · loaded in ${Math.round(d.loadMs)} ms` : ""}` : ""),
      h("span", { class: "actions" },
        h("button", { class: "small", onclick: () => picker.click() }, "Bind file…"),
        d.uploaded ? h("button", { class: "small", onclick: () => actions.unbind(d.name) }, "Use the spec's data") : null,
        picker,
      ),
    ),
    problems.length
      ? h("ul", { class: "problems" }, problems.map((p) => h("li", { class: `problem sev-${p.severity}` }, h("span", { class: `severity sev-${p.severity}` }, p.severity), " ",
          h("span", { class: "where" }, `${p.file ?? ""}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ""}` : ""}`), " ", h("code", null, p.code), " ", p.message)))
      : null,
    d.preview.length
      ? h("div", { class: "scroll-x" },
          h("table", { class: "preview" },
            h("thead", null, h("tr", null, d.columns.map((c) => h("th", { title: `${c.type}${c.nullable ? "?" : ""}${c.perspective ? ` @${c.perspective}` : ""}` }, c.name, h("span", { class: "type" }, ` ${c.type}${c.nullable ? "?" : ""}`))))),
            h("tbody", null, d.preview.map((row) => h("tr", null, row.map((v) => h("td", null, v))))),
          ))
      : null,
    h("details", { class: "paste" }, h("summary", null, "Paste CSV"), paste,
      h("button", { class: "small", onclick: () => paste.value.trim() && actions.bind(d.name, { name: `${d.name}.csv`, text: paste.value }) }, `Bind to ${d.name}`)),
  );
  card.addEventListener("dragover", (e) => {
    e.preventDefault();
    card.classList.add("drop");
  });
  card.addEventListener("dragleave", () => card.classList.remove("drop"));
  card.addEventListener("drop", (e) => {
    e.preventDefault();
    card.classList.remove("drop");
    const f = e.dataTransfer?.files[0];
    if (f) actions.bind(d.name, f);
  });
  return card;
}

export function renderModel(el: HTMLElement, model: unknown): void {
  if (!model) {
    replace(el, h("p", { class: "empty" }, "The spec has errors: fix them to see the compiled model."));
    return;
  }
  const json = JSON.stringify(model, (k, v) => (k === "origin" ? undefined : v), 2);
  replace(el, h("p", { class: "muted" }, "The checked model every back end reads (positions left out)."), h("pre", { class: "model" }, json));
}
