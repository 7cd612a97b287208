// Builds chat.html, index.html and prebuilt.html with hashed assets under dist/assets/.
// widget.js has a stable name, so it is built separately (vite.loader.config.js).
/// <reference types="vitest/config" />
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2020",
    sourcemap: false,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        chat: resolve(import.meta.dirname, "chat.html"),
        index: resolve(import.meta.dirname, "index.html"),
        prebuilt: resolve(import.meta.dirname, "prebuilt.html"),
      },
    },
  },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.js"],
    // The page loads its locale before drawing anything; the tests start in English likewise.
    setupFiles: ["test/setup-locale.js"],
  },
});
