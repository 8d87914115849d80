import { defineConfig } from "vitest/config";
import { shared } from "./vitest.config.js";

// `pnpm coverage-matrix`: the full contract run, then writes coverage-matrix.md (test/write-coverage-matrix.ts).
export default defineConfig({
  test: {
    ...shared,
    include: ["test/write-coverage-matrix.ts"],
  },
});
