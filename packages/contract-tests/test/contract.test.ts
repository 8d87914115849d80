import { afterAll, describe, expect, inject, test } from "vitest";
import { caseTitle, planVersion, uncoveredPairs } from "../src/case-plan.js";
import { ContractRun } from "../src/contract-run.js";
import { summaryLine } from "../src/coverage-matrix.js";
import { listVersions } from "../src/spec-catalog.js";
import { loadTargets } from "../src/targets.js";

// Every test here stands alone: results come from a memoized run (src/contract-run.ts), so a test
// that checks results computes what it needs itself, whatever ran before it (`-t coverage` works).
// This file writes nothing: `coverage-matrix.md` is written only by `pnpm coverage-matrix`.
const targets = await loadTargets(inject("contractMocks"));
const run = new ContractRun(targets);

for (const target of targets) {
  describe(target.spec.version, () => {
    for (const c of planVersion(target.spec)) {
      test(`${c.operationId} ${caseTitle(c)}`, async () => {
        const result = await run.result(c);
        if (c.kind === "dynamic" || c.kind === "nullable-enum")
          console.log(`${c.version} ${c.operationId}: ${result.notes.join("; ")}`);
        expect(result.failures).toEqual([]);
      });
    }

    test("Prism rejects requests that violate the spec (validation is on)", async () => {
      const outcome = await run.negativeControls(target.spec.version);
      // Not just "something was checked" (the unknown-path control always is): every operation has controls.
      const unchecked = target.spec.operations
        .map((o) => o.operationId)
        .filter((id) => !outcome.checked.some((c) => c.startsWith(`${id}: `)));
      expect(unchecked, "operations without a negative control").toEqual([]);
      expect(outcome.failures).toEqual([]);
    });
  });
}

describe("coverage", () => {
  test("a mock was started for every API version", () => {
    // Otherwise the checks below would pass on an empty plan.
    expect(targets.map((t) => t.spec.version)).toEqual(listVersions());
    expect(run.plan.length).toBeGreaterThan(0);
  });

  test("every documented (operation, status) pair of every version has a runnable contract case", () => {
    expect(
      uncoveredPairs(
        targets.map((t) => t.spec),
        run.plan,
      ),
    ).toEqual([]);
  });

  test("every listed known spec defect still occurs", async () => {
    const defects = targets[0]!.defects;
    expect(await run.staleDefects(defects)).toEqual([]);
  });
});

afterAll(() => {
  const { results, negative } = run.finished();
  if (results.length === 0 && negative.length === 0) return;
  const extra = {
    negativeControls: negative.reduce((n, v) => n + v.checked.length, 0),
    negativeFailures: negative.reduce((n, v) => n + v.failures.length, 0),
  };
  const partial =
    results.length < run.plan.length ? ` (${results.length} of ${run.plan.length} planned cases ran)` : "";
  console.log(summaryLine(results, extra) + partial);
});
