import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, inject, test } from "vitest";
import { planVersion, uncoveredPairs, type CaseSpec } from "../src/case-plan.js";
import { runCase, runNegativeControls, RETRY, type CaseResult } from "../src/contract-checks.js";
import { renderMatrix, summaryLine } from "../src/coverage-matrix.js";
import { staleDefects } from "../src/known-defects.js";
import { loadTargets } from "../src/targets.js";

const MATRIX_FILE = new URL("../coverage-matrix.md", import.meta.url);
const targets = await loadTargets(inject("contractMocks"));
const planned = targets.flatMap((t) => planVersion(t.spec));
const results: CaseResult[] = [];
const negative: Record<string, { checked: string[]; failures: string[] }> = {};

const behaviour = (c: CaseSpec): string => {
  switch (c.kind) {
    case "example":
      return `answers ${c.column} with the spec's example, sent with the pinned version and the caller's parameters`;
    case "not-modified":
      return "answers 304 as a typed NotModified without cache, and with the cached data from the ETag cache";
    case "error":
      return `answers ${c.column} with GitHubApiError carrying the body's message, without retrying`;
    case "retried-error":
      return `answers ${c.column} with GitHubApiError after ${RETRY.retries} retries`;
    case "dynamic":
      return "parses 50 dynamic responses that all match the schema";
    case "nullable-enum":
      return "accepts null and every enum value of each nullable enum in client, ajv and Prism";
    case "unsupported":
      return `documents ${c.column}, which the suite has no behaviour for`;
  }
};

for (const target of targets) {
  describe(target.spec.version, () => {
    for (const c of planVersion(target.spec)) {
      test(`${c.operationId} ${behaviour(c)}`, async () => {
        const result = await runCase(target, c);
        results.push(result);
        if (c.kind === "dynamic") console.log(`${c.version} ${c.operationId}: ${result.notes.join("; ")}`);
        expect(result.failures).toEqual([]);
      });
    }

    test("Prism rejects requests that violate the spec (validation is on)", async () => {
      const outcome = await runNegativeControls(target.spec, target.mock.prismUrl);
      negative[target.spec.version] = outcome;
      expect(outcome.checked.length).toBeGreaterThan(0);
      expect(outcome.failures).toEqual([]);
    });
  });
}

describe("coverage", () => {
  test("every documented (operation, status) pair of every version has a contract case that ran", () => {
    expect(uncoveredPairs(targets.map((t) => t.spec), planned)).toEqual([]);
    const ran = new Set(results.map((r) => `${r.version} ${r.operationId} ${r.column}`));
    expect(planned.filter((c) => !ran.has(`${c.version} ${c.operationId} ${c.column}`)).map((c) => `${c.version} ${c.operationId} ${c.column}`)).toEqual([]);
  });

  test("every listed known spec defect still occurs", () => {
    const versions = new Set(targets.map((t) => t.spec.version));
    const defects = targets[0]?.defects.map((d) => ({ ...d, appliesTo: d.appliesTo.filter((a) => versions.has(a.version)) })) ?? [];
    const observed = new Set(results.flatMap((r) => r.observations));
    const run = results.map((r) => ({ version: r.version, operationId: r.operationId, status: r.column }));
    expect(staleDefects(defects, observed, run)).toEqual([]);
  });
});

afterAll(() => {
  const extra = {
    negativeControls: Object.values(negative).reduce((n, v) => n + v.checked.length, 0),
    negativeFailures: Object.values(negative).reduce((n, v) => n + v.failures.length, 0),
  };
  // A partial run (CONTRACT_VERSIONS, a filter, a crash) must not overwrite the committed matrix.
  if (!process.env.CONTRACT_VERSIONS && results.length === planned.length) writeFileSync(MATRIX_FILE, renderMatrix(results, negative));
  console.log(summaryLine(results, extra));
});
