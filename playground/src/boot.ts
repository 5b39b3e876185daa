/** Imported first by main.ts: marks when the page's code began to run. */
performance.mark("yardstick:code");
