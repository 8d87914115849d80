import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { planOperation } from "../src/case-plan.js";
import { loadClientPackage, packageDir, type ClientModule } from "../src/client-loader.js";
import type { ContractTarget } from "../src/checks/context.js";
import type { CheckId } from "../src/checks/failure.js";
import { runCase } from "../src/contract-checks.js";
import { staleDefects, type KnownDefect } from "../src/known-defects.js";
import { startMockFleet } from "../src/mock-fleet.js";
import { craftedAnswer, SERVE_HEADER } from "../src/recording-proxy.js";
import { parseSlViolations } from "../src/violations.js";
import { checkResponseValidation, type NegativeOutcome } from "../src/negative-controls.js";
import { listOperations, type OpenApiDocument } from "../src/spec-catalog.js";
import { loadTargets } from "../src/targets.js";

// The same checks as contract.test.ts, run against inputs broken on purpose: each must be reported.
const [base] = await loadTargets(inject("contractMocks").slice(0, 1));
if (!base) throw new Error("no API version to mutate");
const op = base.spec.operations[0]!;
const cases = planOperation(base.spec.version, op);
const caseOf = (column: string) => {
  const found = cases.find((c) => c.column === column);
  if (!found) throw new Error(`${op.operationId} has no ${column} case to mutate`);
  return found;
};
/** A failure of `check` at `pointer` (the detail is for people and may be reworded). */
const failed = (check: CheckId, pointer: string) => expect.objectContaining({ check, pointer });

// Made in beforeAll, not at import: a filtered run (`-t`) that skips every test here runs no
// hooks, and would leave the folder behind.
let scratch = "";
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "contract-mutants-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe(`mutations of ${base.spec.version} ${op.operationId} are reported`, () => {
  test("a response schema whose total_count is a string: Prism and ajv both report /total_count", async () => {
    const document = structuredClone(base.spec.document) as OpenApiDocument;
    const json = (document.paths[op.path]![op.method] as any).responses["200"].content["application/json"];
    json.schema.properties.total_count = { type: "string" };
    const specPath = join(scratch, "openapi.json");
    writeFileSync(specPath, JSON.stringify(document));
    const schemas = structuredClone(base.schemas) as any;
    schemas[op.operationId]["200"].properties.total_count = { type: "string" };

    const fleet = await startMockFleet([{ version: base.spec.version, specPath }], { validating: false });
    try {
      const spec = { ...base.spec, specPath, document, operations: listOperations(document) };
      const result = await runCase({ ...base, spec, schemas, mock: fleet.mocks[0]! }, caseOf("200"));
      expect(result.failures).toEqual(
        expect.arrayContaining([
          failed("prism-response", "/response/body/total_count"),
          failed("ajv-response", "/response/body/total_count"),
        ]),
      );
    } finally {
      await fleet.stop();
    }
  });

  test("a response schema Prism 5.14 cannot compile (`nullable: true` without `type`): Prism loads a copy it can, and still validates the response", async () => {
    const document = structuredClone(base.spec.document) as OpenApiDocument;
    const json = (document.paths[op.path]![op.method] as any).responses["200"].content["application/json"];
    // GitHub's `issue-field-value.value` (`nullable` beside an `anyOf`) in this slice: a machine or, by its `nullable`, null.
    json.schema.properties.machines.items = { nullable: true, anyOf: [json.schema.properties.machines.items] };
    const specPath = join(scratch, "uncompilable.json");
    writeFileSync(specPath, JSON.stringify(document));
    const fleet = await startMockFleet([{ version: base.spec.version, specPath }]);
    const mock = fleet.mocks[0]!;
    try {
      expect(mock.specPath).toBe(specPath);
      expect(mock.prism?.changed).toEqual([
        `${op.pointer}/responses/200/content/application~1json/schema/properties/machines/items`,
      ]);
      const spec = { ...base.spec, specPath, document, operations: listOperations(document) };
      // The negative control: a body of the wrong type through `prism proxy` is flagged.
      const outcome: NegativeOutcome = { checked: [], failures: [] };
      await checkResponseValidation(spec, spec.operations[0]!, mock.validatingUrl, outcome);
      expect(outcome.checked).toHaveLength(1);
      expect(outcome.failures).toEqual([]);
      // And it means what the description means as the packages read it: an item may be null, not a string.
      const flagged = async (body: unknown) => {
        const url = `${mock.validatingUrl}${op.path.replace(/\{([^{}]+)\}/g, "x")}`;
        const response = await fetch(url, {
          headers: { accept: "application/json", [SERVE_HEADER]: craftedAnswer(200, body) },
        });
        await response.arrayBuffer();
        return parseSlViolations(response.headers.get("sl-violations")).response.map((v) => v.pointer);
      };
      expect(await flagged({ total_count: 1, machines: [null] })).toEqual([]);
      expect(await flagged({ total_count: 1, machines: ["a machine"] })).not.toEqual([]);
    } finally {
      await fleet.stop();
    }
    expect(existsSync(mock.prism!.specPath)).toBe(false);
  });

  // src/checks/known-defect-policy.ts: the same violation, listed as a known defect, is excused in the
  // example case and fails the dynamic case.
  test("a package schema whose total_count is a string, listed as a defect: excused for examples, not for dynamic", async () => {
    const schemas = structuredClone(base.schemas) as any;
    schemas[op.operationId]["200"].properties.total_count = { type: "string" };
    const listed: KnownDefect = {
      ...base.defects[0]!,
      id: "listed-total-count",
      appliesTo: [{ version: base.spec.version, operationId: op.operationId, status: "200" }],
      responsePointers: ["/total_count"],
      detectedBy: ["ajv"],
    };
    const mutant: ContractTarget = { ...base, schemas, defects: [...base.defects, listed], dynamicSamples: 3 };
    const example = await runCase(mutant, caseOf("200"));
    expect(example.knownDefects).toContain("listed-total-count");
    expect(example.failures).toEqual([]);
    const dynamic = await runCase(mutant, caseOf("dynamic"));
    expect(dynamic.knownDefects).toEqual([]);
    expect(dynamic.failures).toContainEqual(failed("ajv-response", "/response/body/total_count"));
  });

  test("a client built against a wrong path: the mock answers 404 and the request went elsewhere", async () => {
    const dir = join(scratch, "wrong-path");
    const real = packageDir(base.spec.version);
    cpSync(join(real, "dist"), join(dir, "dist"), { recursive: true });
    cpSync(join(real, "package.json"), join(dir, "package.json"));
    symlinkSync(join(real, "node_modules"), join(dir, "node_modules"), "dir");
    const file = join(dir, "dist", "generated", "client.js");
    const source = readFileSync(file, "utf8");
    const wrong = op.path.replace(/\/[^/]+$/, "/machine-types");
    expect(source).toContain(JSON.stringify(op.path));
    writeFileSync(file, source.replace(JSON.stringify(op.path), JSON.stringify(wrong)));
    const mutant = await loadClientPackage(dir);
    expect(mutant.client.operations[Object.keys(mutant.client.operations)[0]!]!.path).toBe(wrong);

    const result = await runCase({ ...base, client: mutant.client }, caseOf("200"));
    expect(result.failures).toEqual(
      expect.arrayContaining([
        failed("client-resolves", "/result"),
        failed("mock-status", "/response/status"),
        failed("path", "/request/path"),
      ]),
    );
    // The mock's answer was a 404, and the request went to the mutant's path.
    expect(result.failures).toContainEqual(
      expect.objectContaining({ check: "client-resolves", detail: expect.stringContaining("404") }),
    );
    expect(result.failures).toContainEqual(
      expect.objectContaining({ check: "path", detail: expect.stringContaining("machine-types") }),
    );
  });

  // src/checks/deprecation.ts: the warning is held to the headers the client received.
  test("a Deprecation header the mock did not send, added on the way to the client: its warning is reported", async () => {
    const target: ContractTarget = {
      ...base,
      wrapFetch: (fetch) => async (input, init) => {
        const response = await fetch(input, init);
        const headers = new Headers(response.headers);
        headers.set("deprecation", "true");
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      },
    };
    const result = await runCase(target, caseOf("200"));
    expect(result.failures).toContainEqual(failed("deprecation-warning", "/log/warn"));
    expect(result.deprecationWarnings.length).toBeGreaterThan(0);
    for (const line of result.deprecationWarnings) expect(line).toMatch(new RegExp(`^${op.operationId} is deprecated`));
  });

  test("an operation marked deprecated: Prism's Deprecation header makes the client warn once; a client that never sees it is reported", async () => {
    const document = structuredClone(base.spec.document) as OpenApiDocument;
    (document.paths[op.path]![op.method] as any).deprecated = true;
    const specPath = join(scratch, "deprecated.json");
    writeFileSync(specPath, JSON.stringify(document));
    const fleet = await startMockFleet([{ version: base.spec.version, specPath }], { validating: false });
    try {
      const spec = { ...base.spec, specPath, document, operations: listOperations(document) };
      const target: ContractTarget = { ...base, spec, mock: fleet.mocks[0]! };
      const warned = await runCase(target, caseOf("200"));
      expect(warned.failures).toEqual([]);
      expect(warned.deprecationWarnings.length).toBeGreaterThan(0);
      for (const line of warned.deprecationWarnings)
        expect(line).toMatch(new RegExp(`^${op.operationId} is deprecated \\(Deprecation: `));
      const stripped = await runCase(
        {
          ...target,
          wrapFetch: (fetch) => async (input, init) => {
            const response = await fetch(input, init);
            const headers = new Headers(response.headers);
            headers.delete("deprecation");
            headers.delete("sunset");
            return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
          },
        },
        caseOf("200"),
      );
      expect(stripped.failures).toContainEqual(failed("deprecation-warning", "/log/warn"));
      expect(stripped.deprecationWarnings).toEqual([]);
    } finally {
      await fleet.stop();
    }
  });

  test.each(["200", "404"])(
    "a client that drops X-GitHub-Api-Version: the %s case reports the missing header",
    async (column) => {
      const target: ContractTarget = {
        ...base,
        wrapFetch: (fetch) => (input, init) => {
          const request = new Request(input, init);
          const headers = new Headers(request.headers);
          headers.delete("x-github-api-version");
          return fetch(new Request(request, { headers }));
        },
      };
      const result = await runCase(target, caseOf(column));
      expect(result.failures).toContainEqual(failed("api-version-header", "/request/headers/x-github-api-version"));
    },
  );

  // Checks that compared two `undefined`s used to pass here: the data must be there to compare.
  test.each<[string, [CheckId, string][]]>([
    ["200", [["data-present", "/result"]]],
    [
      "304",
      [
        ["not-modified-result", "/result"],
        ["data-equals-body", "/result"],
      ],
    ],
  ])("a client that resolves with no data: the %s case reports it", async (column, expected) => {
    const createClient: ClientModule["createClient"] = (options) =>
      new Proxy(base.client.createClient(options), {
        get(client, name, receiver) {
          const value = Reflect.get(client, name, receiver);
          return typeof value === "function"
            ? async (...args: unknown[]) => void (await value.apply(client, args))
            : value;
        },
      });
    const result = await runCase({ ...base, client: { ...base.client, createClient } }, caseOf(column));
    expect(result.failures).toEqual(expect.arrayContaining(expected.map(([check, pointer]) => failed(check, pointer))));
  });

  test("without the known-defects file, the example's missing prebuild_availability fails the 200 case", async () => {
    const result = await runCase({ ...base, defects: [] }, caseOf("200"));
    expect(result.failures).toEqual(
      expect.arrayContaining([
        failed("prism-response", "/response/body/machines/0/prebuild_availability"),
        failed("ajv-response", "/response/body/machines/0/prebuild_availability"),
      ]),
    );
  });

  test("a listed defect that no longer occurs is reported as stale", async () => {
    // The last expectation below holds trivially for an empty list: there must be a defect to keep.
    expect(base.defects.length).toBeGreaterThan(0);
    const result = await runCase(base, caseOf("200"));
    expect(result.observations.length).toBeGreaterThan(0);
    const target = { version: base.spec.version, operationId: op.operationId, status: "200" };
    const fixed: KnownDefect = {
      ...base.defects[0]!,
      id: "fixed-upstream",
      appliesTo: [target],
      responsePointers: ["/total_count"],
    };
    const ran = [target];
    expect(staleDefects([fixed], new Set(result.observations), ran)).toEqual([
      `fixed-upstream: no longer reported by prism at /total_count (${base.spec.version} ${op.operationId} 200)`,
      `fixed-upstream: no longer reported by ajv at /total_count (${base.spec.version} ${op.operationId} 200)`,
    ]);
    expect(
      staleDefects(
        base.defects.map((d) => ({ ...d, appliesTo: [target] })),
        new Set(result.observations),
        ran,
      ),
    ).toEqual([]);
  });
});
