import { describe, expect, test } from "vitest";
import { typesOf } from "../src/index.js";

/** A slice with what typesOf makes lighter: a shared path parameter, headerless responses, docs. */
const document = {
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  paths: {
    "/repos/{owner}/things": {
      get: {
        operationId: "things/list",
        summary: "List things",
        description: "Lists the owner’s things — all of them…",
        parameters: [
          { $ref: "#/components/parameters/owner" },
          { name: "kind", in: "query", schema: { type: "string", enum: ["a", "b"] } },
        ],
        responses: {
          "200": {
            description: "Response",
            headers: { Link: { description: "Next page", schema: { type: "string" } } },
            content: { "application/json": { schema: { $ref: "#/components/schemas/thing" } } },
          },
          "304": { $ref: "#/components/responses/not_modified" },
          "404": {
            description: "Not found",
            content: { "application/json": { schema: { $ref: "#/components/schemas/thing" } } },
          },
        },
      },
    },
  },
  components: {
    parameters: {
      owner: { name: "owner", in: "path", required: true, description: "The owner.", schema: { type: "string" } },
    },
    responses: { not_modified: { description: "Not modified" } },
    schemas: {
      thing: {
        type: "object",
        description: "A thing’s data",
        properties: {
          name: { type: "string", enum: ["it’s"] },
          headers: { type: "object", additionalProperties: true },
        },
      },
    },
  },
};

describe("typesOf: lighter types for every consumer's tsc", async () => {
  const types = await typesOf(document);
  const section = (name: string) => types.slice(types.indexOf(`export interface ${name} {`)).split("\n}\n")[0]!;

  test("a parameter reference becomes the parameter's type; the parameter itself stays in components", () => {
    expect(types).not.toContain('components["parameters"]');
    expect(section("operations")).toMatch(/\/\*\* @description The owner\. \*\/\n\s+owner: string;/);
    expect(section("components")).toMatch(/parameters: \{\n[^}]*owner: string;/);
  });

  test("responses lose only a headers index signature; named headers and schemas keep theirs", () => {
    expect(types).not.toMatch(/headers: \{\s*\[name: string\]: unknown;\s*\};\s*content/);
    expect(section("components")).toMatch(/not_modified: \{\};/);
    expect(section("operations")).toMatch(
      /headers: \{\n\s+\/\*\* @description Next page \*\/\n\s+Link\?: string;\n\s+\[name: string\]: unknown;/,
    );
    expect(section("components")).toMatch(/headers\?: \{\n\s+\[key: string\]: unknown;/);
  });

  test("paths' methods carry no JSDoc (each client method has its own) nor an empty parameters; the operation stays typed", () => {
    expect(section("paths")).not.toContain("/**");
    expect(section("paths")).not.toContain("parameters");
    expect(section("paths")).toContain('get: operations["things/list"];');
  });

  test("typographic punctuation in comments becomes ASCII; string literal types keep theirs", () => {
    expect(types).toContain("A thing's data");
    expect(types).toContain('name?: "it’s";');
    expect(types.replace(/"it’s"/, "")).not.toMatch(/[‘’“”–—…→]/);
  });
});
