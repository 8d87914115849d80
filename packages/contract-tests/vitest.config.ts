import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One Prism mock per API version for the whole run (test/global-setup.ts).
    globalSetup: ["test/global-setup.ts"],
    // The files mostly wait on Prism and child runs, not on CPU: run them side by side.
    maxWorkers: 4,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
