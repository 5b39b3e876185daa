import datasets from "../../examples/airline/datasets.kpi?raw";
import kpis from "../../examples/airline/kpis.kpi?raw";
import rules from "../../examples/airline/rules.kpi?raw";
import tests from "../../examples/airline/airline.test.kpi?raw";

const log: unknown[] = [];
(window as unknown as { __log: unknown[] }).__log = log;
const { mountEditor } = await import("../src/editor/monaco-adapter");
const host = mountEditor({
  container: document.getElementById("editor")!,
  files: [
    { path: "/airline/datasets.kpi", text: datasets },
    { path: "/airline/kpis.kpi", text: kpis },
    { path: "/airline/rules.kpi", text: rules },
    { path: "/airline/airline.test.kpi", text: tests },
  ],
  active: "/airline/kpis.kpi",
  dark: false,
  onChange: (files, changed) => log.push({ ev: "change", changed, n: files.length, t: performance.now() }),
  onDiagnostics: (ds) => log.push({ ev: "diagnostics", n: ds.length, t: performance.now() }),
  onActiveChange: (path) => log.push({ ev: "active", path }),
  onRun: () => log.push({ ev: "run" }),
  onShare: () => log.push({ ev: "share" }),
});
host.setColumnSamples({ flights: { route: ["AMS-LHR", "AMS-BCN", "AMS-CDG"], passengers: ["90", "160"] } });
host.setKpiValues({ on_time_performance: { value: 0.6, status: "off_track", period: "2025-03" } });
(window as unknown as { __host: unknown }).__host = host;
