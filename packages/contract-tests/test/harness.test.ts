import { describe, expect, it } from "vitest";
import { callArguments, patternSample, sampleValue } from "../src/call-arguments.js";
import type { OpenApiDocument, OperationSpec } from "../src/spec-catalog.js";
import { clientMethod } from "../src/checks/context.js";
import { prismUncompilable, setAll } from "../src/schema-walk.js";
import { parseSlViolations } from "../src/violations.js";

// Pieces of the harness that other categories than `codespaces` need (CONTRACT_CATEGORY_SELECT).
describe("contract harness", () => {
  it("finds a namespaced method (`pulls.get` of a slice of several categories) and a plain one", () => {
    const get = () => "pull";
    const list = () => "list";
    const client = { pulls: { get }, list };
    expect(clientMethod(client, "pulls.get")).toBe(get);
    expect(clientMethod(client, "list")).toBe(list);
    expect(clientMethod(client, "pulls.list")).toBeUndefined();
    expect(clientMethod(client, "issues.get")).toBeUndefined();
  });

  it("samples a string parameter with a format as that format, and keeps examples and readable names", () => {
    const param = (schema: Record<string, unknown>) => ({
      name: "since_when",
      in: "query" as const,
      required: false,
      schema,
    });
    expect(sampleValue(param({ type: "string", format: "date-time" }))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(sampleValue(param({ type: "string", format: "date-time", example: "2024-01-01T00:00:00Z" }))).toBe(
      "2024-01-01T00:00:00Z",
    );
    expect(sampleValue(param({ type: "string" }))).toBe("since-when-sample");
    expect(sampleValue(param({ type: "integer" }))).toBe(1);
    expect(sampleValue(param({ type: "array", items: { type: "string", enum: ["total", "name"] } }))).toBe("total");
  });

  it("makes values that a parameter's or a body field's pattern matches, the same on every run", () => {
    const param = (pattern: string) => ({
      name: "version",
      in: "path" as const,
      required: true,
      schema: { type: "string", pattern },
    });
    // actions/get-custom-image-version-for-org's `version`: Prism answered 422 to `version-sample`.
    expect(sampleValue(param("^\\d+\\.\\d+\\.\\d+$"))).toBe("44.44.44");
    // A readable sample that matches is kept.
    expect(sampleValue(param("^[a-z-]+$"))).toBe("version-sample");
    expect(patternSample("^sha256:[a-f0-9]{64}$", "x")).toBe(`sha256:${"7".repeat(64)}`);
    expect(patternSample("^ssh-(rsa|dss|ed25519) ", "x")).toBe("ssh-dss ");
    // What it cannot make or judge, it leaves: an invalid expression, a lookbehind and counts past 1,000
    // (RE2 runs neither), and a string past its budget, which counts every level (so 3 × 1,000 letters
    // are 9,000 and pass, 4 × 1,000 are 12,000 and do not).
    expect(patternSample("[", "kept")).toBe("kept");
    expect(patternSample("^(?<=x)y$", "kept")).toBe("kept");
    expect(patternSample("^a{1000000}$", "kept")).toBe("kept");
    expect(patternSample("^((a{999}){999}){999}$", "kept")).toBe("kept");
    expect(patternSample(`^${"[a-z]{1000}".repeat(3)}$`, "kept")).toHaveLength(3000);
    expect(patternSample(`^${"[a-z]{1000}".repeat(4)}$`, "kept")).toBe("kept");
    // A body field openapi-sampler cannot make (users/create-public-ssh-key-for-authenticated-user's `key`).
    const op: OperationSpec = {
      operationId: "users/create-public-ssh-key-for-authenticated-user",
      pointer: "#/paths/~1user~1keys/post",
      method: "post",
      path: "/user/keys",
      parameters: [],
      requestBody: {
        required: true,
        schema: {
          type: "object",
          required: ["key"],
          properties: { title: { type: "string" }, key: { type: "string", pattern: "^ssh-(rsa|dss|ed25519) " } },
        },
        examples: {},
      },
      responses: [],
      paginated: false,
      deprecated: false,
    };
    const call = callArguments(op, { openapi: "3.0.3", paths: {} } as unknown as OpenApiDocument, ["title", "key"]);
    expect(call.bodyProblem).toBeUndefined();
    expect(call.body).toEqual({ title: "string", key: "ssh-dss " });
  });

  it("finds what Prism cannot compile (nullable without type, null listed twice) through $refs and schema lists", () => {
    const root = {
      components: {
        schemas: {
          issue: {
            type: "object",
            properties: { fields: { type: "array", items: { $ref: "#/components/schemas/field" } } },
          },
          field: {
            type: "object",
            properties: { value: { nullable: true, anyOf: [{ type: "string" }, { type: "number" }] } },
          },
          suite: {
            type: "object",
            properties: { conclusion: { type: "string", nullable: true, enum: ["success", null] } },
          },
          sound: {
            type: "object",
            properties: {
              reason: { type: "string", nullable: true, enum: ["a"] },
              self: { $ref: "#/components/schemas/sound" },
            },
          },
        },
      },
    };
    const without = "`nullable: true` without `type`";
    expect(prismUncompilable({ $ref: "#/components/schemas/issue" }, root)).toEqual({
      pointer: "#/components/schemas/field/properties/value",
      what: without,
    });
    expect(
      prismUncompilable({ oneOf: [{ type: "string" }, { $ref: "#/components/schemas/field" }] }, root, "#/x"),
    ).toEqual({
      pointer: "#/components/schemas/field/properties/value",
      what: without,
    });
    expect(prismUncompilable({ $ref: "#/components/schemas/suite" }, root)).toEqual({
      pointer: "#/components/schemas/suite/properties/conclusion",
      what: "`nullable: true` beside an `enum` that already lists `null`",
    });
    expect(prismUncompilable({ $ref: "#/components/schemas/sound" }, root)).toBeUndefined();
  });

  it("sets a value at every item of an array site (`classifications/*`) and at a property site", () => {
    const body = { alerts: [{ classifications: ["source", "test"] }, { classifications: [] }] };
    expect(setAll(structuredClone(body), ["alerts", "*", "classifications", "*"], null)).toEqual({
      alerts: [{ classifications: [null, null] }, { classifications: [] }],
    });
    expect(setAll({ a: [{ b: 1 }, { b: 2 }] }, ["a", "*", "b"], 3)).toEqual({ a: [{ b: 3 }, { b: 3 }] });
  });

  it("leaves out Prism's note that a request sends a deprecated parameter, and keeps its violations", () => {
    const header = JSON.stringify([
      {
        location: ["request", "query", "sort"],
        severity: "Warning",
        code: "deprecated",
        message: "Query param sort is deprecated",
      },
      { location: ["request", "query", "since"], severity: "Error", code: "format", message: "must match format" },
    ]);
    expect(parseSlViolations(header).request).toEqual([
      { pointer: "/request/query/since", message: "request.query.since: must match format" },
    ]);
  });

  it("reports Prism's line of text for too many violations as one response violation, not a crash", () => {
    expect(parseSlViolations("Too many violations! Only the first ones are shown.")).toEqual({
      request: [],
      response: [
        {
          source: "prism",
          pointer: "",
          code: "sl-violations",
          message: "Too many violations! Only the first ones are shown.",
        },
      ],
    });
  });
});
