/** The Results tab: one row per KPI and group, values in the KPI's format, statuses coloured. */
import type { KpiInfo, ResultView } from "../worker/protocol";
import { h, replace } from "./dom";
import { cellText } from "./text";

/** Rows drawn at most; the rest are counted (a million-row grouping would freeze the page). */
const MAX_ROWS = 2000;

export function renderResults(el: HTMLElement, results: ResultView[], kpis: KpiInfo[], onExplain: (r: ResultView) => void, onDefinition: (k: KpiInfo) => void): void {
  const info = new Map(kpis.map((k) => [k.name, k]));
  if (results.length === 0) {
    replace(el, h("p", { class: "empty" }, "No results: the spec has no KPIs, or none could be computed (see Problems)."));
    return;
  }
  const body = h("tbody");
  let previous = "";
  for (const r of results.slice(0, MAX_ROWS)) {
    const k = info.get(r.kpi);
    const first = r.kpi !== previous;
    previous = r.kpi;
    const group = Object.entries(r.group).map(([n, v]) => h("span", { class: "dim" }, h("span", { class: "dim-name" }, n, "="), cellText(v)));
    body.append(
      h("tr", { class: first ? "kpi-first" : null, "data-kpi": r.kpi },
        h("td", { class: "kpi" }, first
          ? [k ? h("button", { class: "link kpi-label", title: k.description ?? "Show the definition", onclick: () => onDefinition(k) }, k.label ?? r.kpi) : h("span", { class: "kpi-label" }, r.kpi), h("span", { class: "kpi-name" }, r.kpi)]
          : null),
        h("td", { class: "group" }, group.length ? group : h("span", { class: "muted" }, "all")),
        h("td", { class: "num value" },
          h("button", { class: "cell-link", title: r.reason ? `${r.reason} (click to explain)` : "Explain this value", onclick: () => onExplain(r) }, r.display)),
        h("td", { class: "num target" }, r.targetDisplay),
        h("td", null, r.status ? h("span", { class: `status tone-${r.tone}` }, r.status.replace(/_/g, " ")) : null),
        h("td", { class: "num n" }, String(r.n)),
      ),
    );
  }
  replace(
    el,
    h("table", { class: "results" },
      h("thead", null, h("tr", null, h("th", null, "KPI"), h("th", null, "Group"), h("th", { class: "num" }, "Value"), h("th", { class: "num" }, "Target"), h("th", null, "Status"), h("th", { class: "num", title: "Rows in the group after filters" }, "n"))),
      body,
    ),
    results.length > MAX_ROWS ? h("p", { class: "muted" }, `Showing ${MAX_ROWS} of ${results.length} rows; narrow them with "by" or "where".`) : null,
  );
}
