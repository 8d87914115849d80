import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One temp repository, one verdaccio and one consumer shared by the pairs, in order.
    fileParallelism: false,
    sequence: { concurrent: false },
    // Upper bounds only end a hung run (the replay test sets its own, longer, per test); no test
    // waits for a duration.
    testTimeout: 5 * 60_000,
    hookTimeout: 20 * 60_000,
    teardownTimeout: 5 * 60_000,
  },
});
