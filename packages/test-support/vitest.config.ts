import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Upper bounds that only end a hung run (an `npm ci` of verdaccio on a loaded machine); no test
    // waits for a duration: readiness is verdaccio's "http address" line, then a ping.
    testTimeout: 5 * 60_000,
    hookTimeout: 10 * 60_000,
  },
});
