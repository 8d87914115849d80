import { readFileSync } from "node:fs";
import { announceSkip } from "@codespaces-clients/test-support";
import { afterAll, describe, expect, inject, test } from "vitest";
import { caseTitle, planVersion, uncoveredPairs } from "../src/case-plan.js";
import { CATEGORY, flaggedExamplesIn } from "../src/category.js";
import type { ContractTarget } from "../src/checks/context.js";
import { loadClientPackage } from "../src/client-loader.js";
import { ContractRun } from "../src/contract-run.js";
import { summaryLine } from "../src/coverage-matrix.js";
import { listOperations, type OpenApiDocument, type VersionSpec } from "../src/spec-catalog.js";
import { createSchemaChecker } from "../src/violations.js";

// The Codespaces-category proof (issue 13): every operation × documented status of the whole
// `codespaces` category, generated into a temp workspace by test/category-setup.ts, against Prism.
// The same cases as the machines packages (src/case-plan.ts), plus request bodies and pagination.
const setup = inject("contractCategory");
/** Dynamic bodies per operation: the machines packages run 50; here 48 operations share the budget. */
const DYNAMIC_SAMPLES = 5;

if ("skipped" in setup) {
  announceSkip(CATEGORY.label, setup.skipped);
  describe.skip(CATEGORY.label, () => {
    test("contract run", () => {});
  });
} else if ("error" in setup) {
  describe(CATEGORY.label, () => {
    test("the category client is extracted, generated and built", () => {
      throw new Error(setup.error);
    });
  });
} else {
  const document = JSON.parse(readFileSync(setup.specPath, "utf8")) as OpenApiDocument;
  const spec: VersionSpec = {
    version: CATEGORY.label,
    specPath: setup.specPath,
    document,
    operations: listOperations(document),
  };
  const { client, schemas } = await loadClientPackage(setup.packageDir);
  const target: ContractTarget = {
    spec,
    mock: setup.mock,
    client,
    schemas,
    defects: [],
    checkSchema: createSchemaChecker(),
    dynamicSamples: DYNAMIC_SAMPLES,
    flaggedExamples: flaggedExamplesIn(document, setup.flaggedExamples),
  };
  const run = new ContractRun([target]);

  describe(CATEGORY.label, () => {
    test("the category has every shape this proof is for", () => {
      const ops = spec.operations;
      // Every operation became a method of the generated client (another category's refused ones aside).
      const generated = new Set(Object.values(client.operations).map((o) => o.operationId));
      const missing = ops.map((o) => o.operationId).filter((id) => !generated.has(id));
      expect(missing).toEqual(setup.refused);
      if (!CATEGORY.isTheProof) return;
      const statuses = new Set(ops.flatMap((o) => o.responses.map((r) => r.status)));
      // Otherwise the cases below would pass on a category that lost what they exist to prove.
      expect(ops.length).toBeGreaterThanOrEqual(40);
      expect([...statuses].filter((s) => ["201", "202", "204"].includes(s)).sort()).toEqual(["201", "202", "204"]);
      expect(ops.filter((o) => o.requestBody).length).toBeGreaterThan(5);
      expect(ops.filter((o) => o.paginated).length).toBeGreaterThan(3);
      expect(new Set(ops.map((o) => o.method))).toEqual(new Set(["get", "post", "put", "patch", "delete"]));
      expect(setup.refused).toEqual([]);
    });

    for (const c of planVersion(spec)) {
      test(`${c.operationId} ${caseTitle(c, DYNAMIC_SAMPLES)}`, async () => {
        const result = await run.result(c);
        expect(result.failures).toEqual([]);
      });
    }

    test("deprecated operations: their clients warned, once per client (so the deprecation check saw headers)", async () => {
      const deprecated = spec.operations.filter((o) => o.deprecated).map((o) => o.operationId);
      // The category marks some operations deprecated; without one, the check would have nothing to see.
      if (CATEGORY.isTheProof || deprecated.length) expect(deprecated.length).toBeGreaterThan(0);
      const plan = planVersion(spec);
      for (const id of deprecated) {
        const results = await Promise.all(plan.filter((c) => c.operationId === id).map((c) => run.result(c)));
        const lines = results.flatMap((r) => r.deprecationWarnings);
        expect(lines.length, id).toBeGreaterThan(0);
        expect(
          lines.every((l) => l.startsWith(`${id} is deprecated (Deprecation: `)),
          lines.join("\n"),
        ).toBe(true);
      }
      // And no other operation's clients warned.
      const others = run.finished().results.filter((r) => !deprecated.includes(r.operationId));
      expect(others.flatMap((r) => r.deprecationWarnings)).toEqual([]);
    });

    test("Prism rejects requests that violate the spec (validation is on)", async () => {
      const outcome = await run.negativeControls(CATEGORY.label);
      const unchecked = spec.operations
        .map((o) => o.operationId)
        .filter((id) => !outcome.checked.some((c) => c.startsWith(`${id}: `)));
      expect(unchecked, "operations without a negative control").toEqual([]);
      expect(outcome.failures).toEqual([]);
    });

    test("every documented (operation, status) pair has a runnable contract case", () => {
      expect(uncoveredPairs([spec], run.plan)).toEqual([]);
    });
  });

  afterAll(() => {
    const { results, negative } = run.finished();
    if (results.length === 0) return;
    const extra = {
      negativeControls: negative.reduce((n, v) => n + v.checked.length, 0),
      negativeFailures: negative.reduce((n, v) => n + v.failures.length, 0),
    };
    console.log(`${CATEGORY.label}: ${summaryLine(results, extra)}`);
  });
}
