import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Several tests spawn tsc, the generator, `pnpm pack` and `npm install`: on a busy 2-core
    // machine these take minutes. The bound only ends a hung run; no test judges speed.
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
