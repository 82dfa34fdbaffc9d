import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The build lands in the router's package data: the router serves it at `/`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "../router/static/web",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      "/graphql": { target: "http://127.0.0.1:4000", ws: true },
      "/auth": "http://127.0.0.1:4000",
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    // Typing-heavy tests take ~1 s alone and over 5 s (Vitest's default limit) on a machine
    // shared by many jobs: no test is about speed, so the limit only guards against a hang.
    testTimeout: 30_000,
  },
});
