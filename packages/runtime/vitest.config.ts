import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Upper bounds that only end a hung run (e.g. a request nobody releases); no test relies on
    // them to judge speed. Timeouts, backoff and rate-limit waits are tested with fake timers,
    // and "the request arrived" with events, so a busy machine only makes the run slower.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Compile-only tests of the published types (test/*.test-d.ts), run with tsc.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
