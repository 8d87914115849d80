import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { planOperation } from "../src/case-plan.js";
import { loadClientPackage, packageDir, type ClientModule } from "../src/client-loader.js";
import { runCase, type ContractTarget } from "../src/contract-checks.js";
import { staleDefects, type KnownDefect } from "../src/known-defects.js";
import { startMockFleet } from "../src/mock-fleet.js";
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
          expect.stringMatching(/prism reports type at \/total_count/),
          expect.stringMatching(/ajv reports type at \/total_count/),
        ]),
      );
    } finally {
      await fleet.stop();
    }
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
        expect.stringMatching(/client rejected: NotFoundError 404/),
        expect.stringMatching(/went to .*machine-types, expected/),
      ]),
    );
  });

  test.each(["200", "404"])(
    "a client that drops X-GitHub-Api-Version: the %s case reports the missing header",
    async (column) => {
      const target: ContractTarget = {
        ...base,
        wrapFetch: (fetch) => (request) => {
          const headers = new Headers(request.headers);
          headers.delete("x-github-api-version");
          return fetch(new Request(request, { headers }));
        },
      };
      const result = await runCase(target, caseOf(column));
      expect(result.failures).toContainEqual(expect.stringMatching(/X-GitHub-Api-Version: \(missing\), expected/));
    },
  );

  // Checks that compared two `undefined`s used to pass here: the data must be there to compare.
  test.each([
    ["200", [/example "default": the client resolved with no data/]],
    ["304", [/304 without cache: resolved with undefined/, /304 with cache: the 200 resolved with undefined/]],
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
    expect(result.failures).toEqual(expect.arrayContaining(expected.map((e) => expect.stringMatching(e))));
  });

  test("without the known-defects file, the example's missing prebuild_availability fails the 200 case", async () => {
    const result = await runCase({ ...base, defects: [] }, caseOf("200"));
    expect(result.failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/prism reports required at \/machines\/0\/prebuild_availability/),
        expect.stringMatching(/ajv reports required at \/machines\/0\/prebuild_availability/),
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
