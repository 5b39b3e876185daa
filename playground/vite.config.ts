import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

// The packages are read from source, as the test suite does: no build order between them and the
// playground, and the dev server reloads on a change to the language or the engine.
const src = (path: string) => fileURLToPath(new URL(`../packages/${path}`, import.meta.url));

export default defineConfig({
  base: "./", // the built site works from any static host and any sub-path
  resolve: {
    alias: [
      { find: /^@yardstick\/model$/, replacement: src("model/src/index.ts") },
      { find: /^@yardstick\/language$/, replacement: src("language/src/index.ts") },
      { find: /^@yardstick\/language-service$/, replacement: src("language-service/src/index.ts") },
      { find: /^@yardstick\/engine$/, replacement: src("engine/src/index.ts") },
    ],
  },
  server: { fs: { allow: [".."] } },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // monaco is one large chunk, loaded after the first paint (see src/main.ts).
    chunkSizeWarningLimit: 4500,
    reportCompressedSize: false,
  },
  worker: { format: "es" },
});
