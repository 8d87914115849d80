import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Upper bounds that only end a hung run, never a verdict on speed: one test installs verdaccio,
    // installs, versions, builds, publishes and installs again, which on a loaded 2-core machine
    // takes minutes. Readiness is awaited as events (verdaccio's "http address" line, then a ping).
    // 10 minutes was not enough once, with two CPU hogs and three more builds beside it (load average 24).
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
