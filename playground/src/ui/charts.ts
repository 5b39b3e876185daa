/**
 * The Charts tab: each KPI over time with its target (dashed) and the periods its rules were
 * firing (shaded). uPlot (about 23 kB gzipped) is loaded with the tab, not with the page.
 */
import type uPlotType from "uplot";
import type { KpiInfo, SeriesView } from "../worker/protocol";
import { h, replace } from "./dom";

let uPlotModule: Promise<typeof uPlotType> | null = null;
const load = () => (uPlotModule ??= Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(([m]) => m.default));

const PALETTE_LIGHT = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2"];
const PALETTE_DARK = ["#60a5fa", "#fbbf24", "#34d399", "#a78bfa", "#f472b6", "#22d3ee"];

let charts: uPlotType[] = [];

function format(v: number | null, f: SeriesView["format"]): string {
  if (v === null || !Number.isFinite(v)) return "—";
  if (f.percent) return `${(v * 100).toFixed(f.decimals ?? 1)}%`;
  const d = f.decimals ?? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 ? 1 : 3);
  return `${v.toFixed(d)}${f.unit ? ` ${f.unit}` : ""}`;
}

export async function renderCharts(el: HTMLElement, series: SeriesView[], kpis: KpiInfo[], dark: boolean): Promise<void> {
  for (const c of charts) c.destroy();
  charts = [];
  if (series.length === 0) {
    replace(el, h("p", { class: "empty" }, "No KPIs to chart."));
    return;
  }
  const uPlot = await load();
  const labels = new Map(kpis.map((k) => [k.name, k.label ?? k.name]));
  const palette = dark ? PALETTE_DARK : PALETTE_LIGHT;
  const axis = dark ? "#c9d1d9" : "#24292f";
  const grid = dark ? "#30363d" : "#e5e7eb";
  const width = Math.max(320, el.clientWidth - 32);
  replace(el);
  for (const s of series) {
    const card = h("figure", { class: "chart", "data-kpi": s.kpi }, h("figcaption", null, h("strong", null, labels.get(s.kpi) ?? s.kpi), h("span", { class: "muted" }, `${s.format.unit ? ` in ${s.format.unit}` : ""}${s.bucket ? ` by ${s.bucket}` : ""}`)));
    el.append(card);
    if (s.note || s.periods.length === 0) {
      card.append(h("p", { class: "muted" }, s.note ?? "No values to chart."));
      continue;
    }
    const x = s.periods.map((_, i) => i);
    const hasTarget = s.target.some((t) => t !== null);
    const data: Array<Array<number | null>> = [x, ...s.lines.map((l) => l.values)];
    const seriesOpts: uPlotType.Series[] = [
      { label: s.bucket, value: (_u, i) => (i === null ? "" : (s.periods[i] ?? "")) },
      ...s.lines.map((l, i) => ({ label: l.label, stroke: palette[i % palette.length], width: 2, points: { show: s.periods.length <= 40 }, spanGaps: false, value: (_u: uPlotType, v: number | null) => format(v, s.format) })),
    ];
    if (hasTarget) {
      data.push(s.target);
      seriesOpts.push({ label: "target", stroke: dark ? "#f87171" : "#dc2626", width: 1.5, dash: [6, 4], points: { show: false }, value: (_u, v) => format(v, s.format) });
    }
    const episodes = s.episodes
      .map((e) => ({ ...e, i0: s.periods.indexOf(e.from), i1: e.to === null ? s.periods.length - 1 : s.periods.indexOf(e.to) }))
      .filter((e) => e.i0 >= 0 && e.i1 >= 0);
    const opts: uPlotType.Options = {
      width,
      height: 220,
      scales: { x: { time: false } },
      axes: [
        { stroke: axis, grid: { stroke: grid }, ticks: { stroke: grid }, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (s.periods[t] ?? "") : "")) },
        { stroke: axis, grid: { stroke: grid }, ticks: { stroke: grid }, size: 56, values: (_u, ticks) => ticks.map((t) => format(t, { unit: null, percent: s.format.percent, decimals: s.format.percent ? 0 : null })) },
      ],
      series: seriesOpts,
      legend: { live: true },
      hooks: {
        // Alert episodes as shaded bands behind the lines.
        drawClear: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            for (const e of episodes) {
              const left = u.valToPos(e.i0 - 0.5, "x", true);
              const right = u.valToPos(e.i1 + 0.5, "x", true);
              ctx.fillStyle = e.severity === "critical" ? "rgba(220,38,38,0.14)" : e.severity === "warning" ? "rgba(217,119,6,0.14)" : "rgba(37,99,235,0.10)";
              ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
            }
            ctx.restore();
          },
        ],
      },
    };
    charts.push(new uPlot(opts, data as uPlotType.AlignedData, card));
    if (episodes.length) {
      card.append(h("p", { class: "episodes muted" }, "Shaded: ", episodes.map((e, i) => [i ? "; " : "", `${e.rule}${e.group ? ` (${e.group})` : ""} ${e.severity} ${e.from}–${e.to ?? "now"}`])));
    }
  }
}
