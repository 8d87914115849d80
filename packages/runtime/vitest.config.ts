import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The fixture client is a generated package's src (test/fixtures/client.ts): its runtime import
  // must be this package's src, the code under test, not the built dist.
  resolve: {
    alias: [
      {
        find: /^@codespaces-clients\/runtime$/,
        replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)),
      },
      {
        find: /^@codespaces-clients\/runtime\/paths$/,
        replacement: fileURLToPath(new URL("./src/paths.ts", import.meta.url)),
      },
    ],
  },
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
