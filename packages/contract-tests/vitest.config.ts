import { defineConfig } from "vitest/config";

/** Settings shared with vitest.coverage-matrix.config.ts. */
export const shared = {
  // One Prism mock per API version for the whole run (test/global-setup.ts).
  globalSetup: ["test/global-setup.ts"],
  // No test waits for a duration: they wait for events (Prism listening, a file appearing, a
  // process exiting). These limits only end a hung run; a slow or loaded machine never hits them.
  testTimeout: 5 * 60_000,
  hookTimeout: 5 * 60_000,
  teardownTimeout: 5 * 60_000,
  // A test that asserts nothing fails instead of passing.
  expect: { requireAssertions: true },
};

export default defineConfig({
  test: {
    ...shared,
    // The Codespaces-category client (test/category.test.ts) is prepared beside the machines mocks.
    globalSetup: [...shared.globalSetup, "test/category-setup.ts"],
    include: ["test/**/*.test.ts"],
    // 2 workers on the 2-core machine: the files wait on processes that need the same cores (the
    // fleet's Prisms, the lifecycle test's 5 child runs with 2 Prisms each, TypeScript programs),
    // so more workers would not add CPU, only contention. Correctness does not depend on it.
    maxWorkers: 2,
  },
});
