import { describe, expect, it } from "vitest";
import { createAjvValidator, relaxSchema, ResponseValidationError, type JsonSchema } from "../src/validate.js";
import type { ResponseValidationContext } from "../src/index.js";
import { createClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch, sendJson, startServer } from "./helpers.js";

const OPERATION = "codespaces/codespace-machines-for-authenticated-user";

/** The 200 schema of the operation, as GitHub's description has it (trimmed). */
const machinesSchema: JsonSchema = {
  type: "object",
  required: ["total_count", "machines"],
  properties: {
    total_count: { type: "integer" },
    machines: {
      type: "array",
      items: {
        title: "Codespace machine",
        type: "object",
        additionalProperties: false,
        required: ["name", "cpus", "prebuild_availability"],
        properties: {
          name: { type: "string", example: "standardLinux" },
          created_at: { type: "string", format: "date-time" },
          cpus: { type: "integer" },
          operating_system: { type: "string", enum: ["linux", "windows"] },
          prebuild_availability: { type: "string", nullable: true, enum: ["none", "ready", "in_progress", null] },
          enum: { type: "string", description: "a property that happens to be called enum" },
        },
      },
    },
  },
  "x-github": { category: "codespaces" },
};

const clientAnswering = (body: unknown) => {
  const { fetch } = recordingFetch(() => json(body));
  return createClient({ fetch, validate: createAjvValidator({ [OPERATION]: { "200": machinesSchema } }) });
};

const machine = (extra: Record<string, unknown>) => ({
  total_count: 1,
  machines: [{ name: "standardLinux", cpus: 4, prebuild_availability: "ready", ...extra }],
});

describe("the validate hook", () => {
  it("is called with operationId, status and data, and its error rejects the call", async () => {
    const seen: ResponseValidationContext[] = [];
    const failure = new Error("invalid");
    const { fetch } = recordingFetch(() => json(MACHINES));
    const gh = createClient({
      fetch,
      validate: (context) => {
        seen.push(context);
        if (seen.length === 2) throw failure;
      },
    });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).resolves.toEqual(MACHINES);
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).rejects.toBe(failure);
    expect(seen[0]).toEqual({ operationId: OPERATION, status: 200, data: MACHINES });
  });

  it("is not called for error answers", async () => {
    let calls = 0;
    const { fetch } = recordingFetch(() => json({ message: "Not Found" }, { status: 404 }));
    const gh = createClient({ fetch, validate: () => void calls++ });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).rejects.toMatchObject({
      status: 404,
    });
    expect(calls).toBe(0);
  });
});

describe("createAjvValidator", () => {
  it.each([
    { description: "the documented shape", body: machine({}) },
    { description: "an additive field", body: machine({ gpus: 1 }) },
    { description: "a new enum value", body: machine({ operating_system: "macos", prebuild_availability: "warming" }) },
    { description: "a null where nullable", body: machine({ prebuild_availability: null }) },
    { description: "a string whose format is not checked", body: machine({ created_at: "yesterday" }) },
  ])("accepts $description", async ({ body }) => {
    await expect(
      clientAnswering(body).codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }),
    ).resolves.toEqual(body);
  });

  it.each([
    { description: "a wrong type", body: machine({ cpus: "four" }), path: /\/machines\/0\/cpus must be integer/ },
    {
      description: "a missing required field",
      body: { total_count: 1, machines: [{ name: "x", cpus: 1 }] },
      path: /must have required property 'prebuild_availability'/,
    },
    {
      description: "an enum value of the wrong type",
      body: machine({ operating_system: 7 }),
      path: /\/machines\/0\/operating_system must be string/,
    },
    {
      description: "a wrong type for a property named enum",
      body: machine({ enum: 1 }),
      path: /\/machines\/0\/enum must be string/,
    },
  ])("rejects $description with ResponseValidationError", async ({ body, path }) => {
    const error = await clientAnswering(body)
      .codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ name: "ResponseValidationError", operationId: OPERATION, status: 200 });
    expect((error as Error).message).toMatch(path);
  });

  it("passes responses it has no schema for", () => {
    const validate = createAjvValidator({ [OPERATION]: { "200": machinesSchema } });
    expect(() => validate({ operationId: "other/op", status: 200, data: 1 })).not.toThrow();
    expect(() => validate({ operationId: OPERATION, status: 201, data: 1 })).not.toThrow();
  });

  it("relaxSchema removes enum and closed objects but keeps types and properties named enum", () => {
    const relaxed = relaxSchema(machinesSchema) as any;
    const item = relaxed.properties.machines.items;
    expect(item.additionalProperties).toBeUndefined();
    expect(item.properties.operating_system).toEqual({ type: "string" });
    expect(item.properties.prebuild_availability).toEqual({ type: "string", nullable: true });
    expect(item.properties.enum).toEqual({ type: "string", description: "a property that happens to be called enum" });
    expect((machinesSchema as any).properties.machines.items.additionalProperties).toBe(false); // input untouched
  });
});

describe("schema patterns run in linear time (issue #10)", () => {
  const withPattern = (pattern: string): JsonSchema => ({
    type: "object",
    properties: { machines: { type: "array", items: { type: "object", properties: { name: { pattern } } } } },
  });

  it("^(a+)+$ against a 30-character name that fails it finishes (JavaScript's engine backtracks for minutes)", async () => {
    const server = await startServer((_req, res) =>
      sendJson(res, 200, { total_count: 1, machines: [{ name: `${"a".repeat(29)}!` }] }),
    );
    try {
      const gh = createClient({
        baseUrl: server.baseUrl,
        validate: createAjvValidator({ [OPERATION]: { "200": withPattern("^(a+)+$") } }),
      });
      const error = await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect((error as ResponseValidationError).errors[0]).toMatchObject({ keyword: "pattern" });
    } finally {
      await server.close();
    }
  });

  it("a matching name passes; a pattern RE2 cannot run is skipped with one warning naming it", async () => {
    const warnings: string[] = [];
    const { fetch } = recordingFetch(() => json({ total_count: 1, machines: [{ name: "aaaa" }] }));
    const validate = createAjvValidator(
      { [OPERATION]: { "200": withPattern("^(a+)+$"), "201": withPattern("^(?=a)a+$") } },
      { logger: { warn: (line) => void warnings.push(line) } },
    );
    const gh = createClient({ fetch, validate });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).resolves.toMatchObject({
      total_count: 1,
    });
    expect(() => validate({ operationId: OPERATION, status: 201, data: { machines: [{ name: "b" }] } })).not.toThrow();
    expect(warnings).toEqual([expect.stringMatching(/^response schema pattern \/\^\(\?=a\)a\+\$\/ is not checked: /)]);
  });
});
