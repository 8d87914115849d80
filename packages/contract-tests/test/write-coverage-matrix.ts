import { writeFileSync } from "node:fs";
import { expect, inject, test } from "vitest";
import { formatFailure } from "../src/checks/failure.js";
import { ContractRun } from "../src/contract-run.js";
import { renderMatrix, summaryLine } from "../src/coverage-matrix.js";
import { loadTargets } from "../src/targets.js";

// Run only by `pnpm coverage-matrix` (vitest.coverage-matrix.config.ts); `pnpm test` never
// includes this file, so a test run leaves the committed coverage-matrix.md as it is.
const MATRIX_FILE = new URL("../coverage-matrix.md", import.meta.url);

test("writes coverage-matrix.md from a full contract run", async () => {
  if (process.env.CONTRACT_VERSIONS)
    throw new Error("coverage-matrix.md covers every API version: unset CONTRACT_VERSIONS");
  const run = new ContractRun(await loadTargets(inject("contractMocks")));
  const { results, negative } = await run.all();
  expect(results).toHaveLength(run.plan.length);
  // Written whatever the outcome (a failing case shows as **FAIL**); the step fails too then.
  writeFileSync(MATRIX_FILE, renderMatrix(results, negative));
  const neg = Object.values(negative);
  console.log(
    summaryLine(results, {
      negativeControls: neg.reduce((n, v) => n + v.checked.length, 0),
      negativeFailures: neg.reduce((n, v) => n + v.failures.length, 0),
    }),
  );
  expect(
    results
      .filter((r) => r.failures.length > 0)
      .map((r) => `${r.version} ${r.operationId} ${r.column}: ${r.failures.map(formatFailure).join("; ")}`),
  ).toEqual([]);
  expect(neg.flatMap((v) => v.failures)).toEqual([]);
});
