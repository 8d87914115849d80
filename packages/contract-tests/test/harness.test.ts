import { describe, expect, it } from "vitest";
import { callArguments, patternSample, sampleValue } from "../src/call-arguments.js";
import type { OpenApiDocument, OperationSpec } from "../src/spec-catalog.js";
import { clientMethod } from "../src/checks/context.js";
import { toJsonSchema } from "@codespaces-clients/spec";
import { prismCompatible, prismUncompilable, setAll } from "../src/schema-walk.js";
import { createSchemaChecker, parseSlViolations } from "../src/violations.js";

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

  describe("prismCompatible: the copy of a slice that Prism loads", () => {
    const field = {
      description: "A field's value",
      nullable: true,
      anyOf: [{ type: "string" }, { type: "number" }],
    };
    const document = {
      paths: {
        "/issues": {
          get: {
            responses: {
              "200": {
                content: {
                  "application/json": {
                    schema: { $ref: "#/components/schemas/issue" },
                    // Data is not a schema: an example may hold `nullable: true`, and enum values stay.
                    examples: { default: { value: { nullable: true, value: null } } },
                  },
                },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          issue: {
            type: "object",
            "x-note": { nullable: true },
            properties: {
              value: field,
              // Properties named like data keywords are schemas too.
              default: { nullable: true, $ref: "#/components/schemas/user" },
              enum: { nullable: true },
              conclusion: { type: "string", nullable: true, enum: ["success", null] },
              state: { type: "string", nullable: true, enum: ["open", "closed"] },
            },
          },
          user: { type: "object", properties: { login: { type: "string" } } },
        },
      },
    };

    it("rewrites what Prism cannot compile, names where, and leaves data, `x-` keys and its input alone", () => {
      const input = structuredClone(document);
      const { document: copy, changed } = prismCompatible(input);
      expect(input).toEqual(document);
      expect(changed.sort()).toEqual([
        "#/components/schemas/issue/properties/conclusion",
        "#/components/schemas/issue/properties/default",
        "#/components/schemas/issue/properties/enum",
        "#/components/schemas/issue/properties/value",
      ]);
      const props = copy.components.schemas.issue.properties;
      expect(props.value).toEqual({
        description: "A field's value",
        anyOf: [{ anyOf: [{ type: "string" }, { type: "number" }] }, { enum: [null] }],
      });
      expect(props.default).toEqual({ anyOf: [{ $ref: "#/components/schemas/user" }, { enum: [null] }] });
      expect(props.enum).toEqual({});
      expect(props.conclusion).toEqual({ type: "string", nullable: true, enum: ["success"] });
      expect(props.state).toEqual(document.components.schemas.issue.properties.state);
      expect(copy.components.schemas.issue["x-note"]).toEqual({ nullable: true });
      expect(copy.paths["/issues"].get.responses["200"].content["application/json"].examples).toEqual(
        document.paths["/issues"].get.responses["200"].content["application/json"].examples,
      );
      // Nothing Prism cannot compile is left, and a slice without such schemas comes back unchanged.
      expect(prismUncompilable({ $ref: "#/components/schemas/issue" }, copy)).toBeUndefined();
      const clean = { components: { schemas: { user: document.components.schemas.user } } };
      expect(prismCompatible(clean)).toEqual({ document: clean, changed: [] });
    });

    it("means what the description means as the packages read it (toJsonSchema): the same values pass", () => {
      const { document: copy } = prismCompatible(document);
      const check = createSchemaChecker();
      const schemaOf = (doc: typeof document) =>
        ({
          ...(toJsonSchema(doc.components.schemas.issue) as object),
          components: toJsonSchema(doc.components),
        }) as object;
      const before = schemaOf(document);
      const after = schemaOf(copy);
      const values = [null, "x", 1, true, {}, [], { login: "l" }, { login: 1 }];
      const bodies = [
        {},
        ...values.flatMap((v) => [{ value: v }, { default: v }, { enum: v }]),
        ...[null, "success", "failure", "open", "other"].flatMap((v) => [{ conclusion: v }, { state: v }]),
      ];
      const verdicts = (schema: object) => bodies.map((body) => check(schema, body).length === 0);
      expect(verdicts(after)).toEqual(verdicts(before));
      // …and the checker can tell them apart: some pass, some fail.
      expect(new Set(verdicts(before))).toEqual(new Set([true, false]));
    });
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
