// Scratch build of dev-editor.html only (not part of the site).
import { defineConfig, mergeConfig } from "vite";
import base from "../vite.config";
import { fileURLToPath } from "node:url";

export default mergeConfig(base, defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  build: { outDir: "/tmp/ys-dev-editor-dist", emptyOutDir: true, rollupOptions: { input: fileURLToPath(new URL("./dev-editor.html", import.meta.url)) } },
  preview: { port: 4179, strictPort: true, host: "127.0.0.1" },
}));
