import { describe, expect, test } from "vitest";
import { validateExamples } from "../src/index.js";
import { describe1 } from "./helpers.js";

/**
 * The example checks' engine (example-check.ts): the interpreter with ajv-formats' formats, patterns
 * and integer formats as the checks had them with Ajv, nothing run on a backtracking engine, and one
 * finding per mismatch (not one per schema level above it).
 */

const EXAMPLE = "#/paths/~1x/get/responses/200/content/application~1json/example";
const SCHEMA = "#/paths/~1x/get/responses/200/content/application~1json/schema";

/** The findings as `<pointer below the example>: <message without the common prefix>`. */
function findingsOf(schema: unknown, example: unknown): string[] {
  return validateExamples(describe1(schema, {}, { example })).map((f) => {
    const below = f.pointer.startsWith(EXAMPLE) ? f.pointer.slice(EXAMPLE.length) : f.pointer;
    return `${below || "/"}: ${f.message.replace(`example does not match schema ${SCHEMA}: `, "")}`;
  });
}

describe("formats are ajv-formats' (the interpreter's own are not used)", () => {
  test.each<[string, { schema: unknown; example: unknown; want: string[] }]>([
    ["a uri that is one", { schema: { type: "string", format: "uri" }, example: "https://x.test/a", want: [] }],
    [
      "a uri that is not one",
      {
        schema: { type: "string", format: "uri" },
        example: "not a uri",
        want: ['/: String does not match format "uri".'],
      },
    ],
    [
      "a date-time without its time zone (RFC 3339 needs one)",
      {
        schema: { type: "string", format: "date-time" },
        example: "2026-11-30T12:00:00",
        want: ['/: String does not match format "date-time".'],
      },
    ],
    [
      "byte (base64), which only ajv-formats knows",
      {
        schema: { type: "string", format: "byte" },
        example: "not base64!",
        want: ['/: String does not match format "byte".'],
      },
    ],
    // GitHub's own format names that ajv-formats does not know are not checked (Ajv with strict: false).
    ["an unknown format", { schema: { type: "string", format: "repo.nwo" }, example: "", want: [] }],
  ])("%s", (_name, { schema, example, want }) => {
    expect(findingsOf(schema, example)).toEqual(want);
  });
});

describe("int32 and int64 keep ajv-formats' range checks on numbers", () => {
  test.each<[string, { format: string; example: unknown; fails: boolean }]>([
    ["int32 at its maximum", { format: "int32", example: 2147483647, fails: false }],
    ["int32 one above", { format: "int32", example: 2147483648, fails: true }],
    ["int32 at its minimum", { format: "int32", example: -2147483648, fails: false }],
    ["int32 one below", { format: "int32", example: -2147483649, fails: true }],
    ["int64 far above int32", { format: "int64", example: 2 ** 40, fails: false }],
    ["int64 above 2^63", { format: "int64", example: 2 ** 64, fails: true }],
    ["a string is not a number (the format does not apply)", { format: "int32", example: "x", fails: false }],
  ])("%s", (_name, { format, example, fails }) => {
    const findings = findingsOf({ format }, example);
    expect(findings.length > 0).toBe(fails);
  });
});

describe("patterns run in linear time, patternProperties not at all", () => {
  test("a pattern a backtracking engine needs hours for answers at once, in the pattern's own words", () => {
    expect(findingsOf({ type: "string", pattern: "^(a+)+$" }, `${"a".repeat(40)}!`)).toEqual([
      '/: String does not match pattern "^(a+)+$".',
    ]);
  });

  test("a pattern next to a format: both are checked", () => {
    expect(findingsOf({ type: "string", format: "uri", pattern: "^https://" }, "http://x.test/")).toEqual([
      '/: String does not match pattern "^https://".',
    ]);
    expect(findingsOf({ type: "string", format: "uri", pattern: "^https://" }, "https://a b")).toEqual([
      '/: String does not match format "uri".',
    ]);
  });

  test("patternProperties: a warning at the keyword, and a hostile name against a hostile key answers at once", () => {
    const schema = { type: "object", patternProperties: { "^(a+)+$": { type: "integer" } } };
    expect(findingsOf(schema, { [`${"a".repeat(40)}!`]: "not an integer" })).toEqual([
      `${SCHEMA}/patternProperties: patternProperties are not checked in examples (the example checks could run their names only with a backtracking engine; OAS 3.0 has no such keyword)`,
    ]);
  });
});

describe("one finding per mismatch", () => {
  const item = {
    type: "object",
    additionalProperties: false,
    required: ["id"],
    properties: { id: { type: "integer" }, tags: { type: "array", items: { type: "string" } } },
  };

  test.each<[string, { example: unknown; want: string[] }]>([
    ["a matching example", { example: [{ id: 1, tags: ["a"] }], want: [] }],
    [
      "a wrong type two levels down: the leaf only, not the array and object around it",
      {
        example: [{ id: 1, tags: ["a", 2] }],
        want: ['/0/tags/1: Instance type "number" is invalid. Expected "string".'],
      },
    ],
    [
      "an extra property: one finding where the object is, naming it",
      {
        example: [{ id: 1, extra: true }],
        want: ['/0: Property "extra" does not match additional properties schema.'],
      },
    ],
    ["a missing property", { example: [{}], want: ['/0: Instance does not have required property "id".'] }],
  ])("%s", (_name, { example, want }) => {
    expect(findingsOf({ type: "array", items: item }, example)).toEqual(want);
  });

  test("an own property named like an Object.prototype member is checked as any other", () => {
    const schema = { type: "object", required: ["constructor"], properties: { toString: { type: "integer" } } };
    expect(findingsOf(schema, JSON.parse('{"toString": "x"}'))).toEqual([
      '/: Instance does not have required property "constructor".',
      '/toString: Instance type "string" is invalid. Expected "integer".',
    ]);
  });
});

describe("an example shared by several operations", () => {
  /**
   * One `#/components/examples` entry in three responses: two under `$ref`s to the same schema (checked
   * once, reported for both), one under another schema (its own verdict, not the first one's).
   */
  const responseWith = (schema: unknown) => ({
    description: "ok",
    content: { "application/json": { schema, examples: { shared: { $ref: "#/components/examples/shared" } } } },
  });
  const document = {
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/a": { get: { responses: { "200": responseWith({ $ref: "#/components/schemas/Id" }) } } },
      "/b": { get: { responses: { "200": responseWith({ $ref: "#/components/schemas/Id" }) } } },
      "/c": { get: { responses: { "200": responseWith({ $ref: "#/components/schemas/Named" }) } } },
    },
    components: {
      schemas: {
        Id: { type: "object", required: ["id"], properties: { id: { type: "integer" } } },
        Named: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
      },
      examples: { shared: { value: { id: "1", name: "n" } } },
    },
  };

  test("each operation's schema gives its own findings, and each operation is named", () => {
    const schemaOf = (path: string) => `#/paths/~1${path}/get/responses/200/content/application~1json/schema`;
    expect(validateExamples(document).map((f) => `${f.pointer} ${f.message}`)).toEqual(
      ["a", "b"].map(
        (path) =>
          `#/components/examples/shared/value/id example does not match schema ${schemaOf(path)}: Instance type "string" is invalid. Expected "integer".`,
      ),
    );
  });
});
