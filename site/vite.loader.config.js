// widget.js: the one-tag loader, a classic script with a stable name (hosts reference it).
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  publicDir: false,
  build: {
    outDir: "dist",
    emptyOutDir: false,
    target: "es2020",
    lib: {
      entry: resolve(import.meta.dirname, "src/loader/widget.js"),
      formats: ["iife"],
      name: "ConnectChatLoader",
      fileName: () => "widget.js",
    },
  },
});
