/**
 * The page's side of the engine worker: one worker for the page's life, runs numbered so a late
 * answer to an old run is dropped, explain requests answered by promise.
 */
import type { DataFile, FromWorker, RunOptions, ToWorker } from "../worker/protocol";
import type { SpecFile } from "../editor/types";
import EngineWorker from "../worker/engine.worker?worker";

export type RunResult = Extract<FromWorker, { type: "result" }>;

export interface EngineEvents {
  onResult(result: RunResult): void;
  onProgress(phase: string, detail: string | undefined): void;
  onError(message: string): void;
}

export class EngineClient {
  private readonly worker: Worker;
  private nextId = 1;
  private latestRun = 0;
  private readonly explains = new Map<number, (tree: unknown) => void>();

  constructor(private readonly events: EngineEvents) {
    this.worker = new EngineWorker({ name: "yardstick-engine" });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => events.onError(e.message || "The engine worker failed to start.");
  }

  private send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  /** Sends data files; with `transfer`, their buffers move to the worker (no copy, unusable here afterwards). */
  addFiles(files: DataFile[], transfer = false): void {
    this.send({ type: "files", files }, transfer ? files.flatMap((f) => (f.bytes ? [f.bytes] : [])) : []);
  }

  bind(bindings: Record<string, string | null>): void {
    this.send({ type: "bind", bindings });
  }

  /** Starts a run; any run still being computed stops at its next checkpoint. */
  run(files: SpecFile[], options: RunOptions): number {
    const id = this.nextId++;
    this.latestRun = id;
    this.send({ type: "run", id, files, options });
    return id;
  }

  explain(kpi: string, group: Record<string, string>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.explains.set(id, resolve);
      this.send({ type: "explain", id, kpi, group });
    });
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case "ready":
        performance.mark("yardstick:worker-ready");
        return;
      case "progress":
        if (m.id === this.latestRun) this.events.onProgress(m.phase, m.detail);
        return;
      case "result":
        if (m.id !== this.latestRun) return;
        this.events.onResult(m);
        return;
      case "cancelled":
        return;
      case "explained":
        this.explains.get(m.id)?.(m.tree);
        this.explains.delete(m.id);
        return;
      case "error":
        if (this.explains.has(m.id)) {
          this.explains.get(m.id)?.(null);
          this.explains.delete(m.id);
        }
        this.events.onError(m.message);
        return;
    }
  }
}
