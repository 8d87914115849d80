import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One test that installs, versions, builds, publishes and installs again: minutes, not seconds.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
