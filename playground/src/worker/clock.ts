/** When the worker's code began to run, before its dependencies initialised (imported first). */
export const workerClockStart = performance.now();
