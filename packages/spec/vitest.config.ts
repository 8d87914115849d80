import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests spawn dist/cli.js: build it once, from the current sources.
    globalSetup: ["test/global-setup.ts"],
    // The CLI tests spawn node, npm and pnpm; on a busy 2-core machine that takes minutes. The bound
    // only ends a hung run; no test judges speed.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
