import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests spawn dist/cli.js: build it once, from the current sources.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
  },
});
