import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderPackage } from "../src/package-template.js";
import { responseSchemasOf, responseSchemasSource } from "../src/response-schemas.js";

/** A slice whose names are hostile: a schema property, a component and a status called `__proto__`. */
const slice = JSON.parse(`{
  "openapi": "3.0.3",
  "info": { "title": "t", "version": "1" },
  "paths": {
    "/things": {
      "get": {
        "operationId": "things/list",
        "responses": {
          "200": { "$ref": "#/components/responses/ok" },
          "__proto__": { "description": "odd", "content": { "application/json": { "schema": { "type": "string" } } } }
        }
      }
    }
  },
  "components": {
    "responses": {
      "ok": {
        "description": "ok",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/__proto__" } } }
      }
    },
    "schemas": {
      "__proto__": {
        "type": "object",
        "properties": { "__proto__": { "type": "string" }, "a~b/c": { "$ref": "#/components/schemas/a~0b~1c" } }
      },
      "a~b/c": { "type": "integer" }
    }
  }
}`) as Record<string, unknown>;

/** The `responseSchemas` object a generated `src/generated/schemas.ts` evaluates to. */
function emitted(schemas: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const files = renderPackage({
    apiVersion: "2026-03-10",
    version: "0.0.0",
    operations: [],
    slicePath: "spec/generated/2026-03-10/openapi.json",
    sliceSha256: "0".repeat(64),
    provenance: { from: "test", sha256: "0".repeat(64) },
    generator: "0.0.0",
    openapiTypescript: "0.0.0",
    types: "export interface paths {}\n",
    responseSchemas: schemas,
    schemas: [],
  });
  const source = files["src/generated/schemas.ts"]!;
  const literal = source.slice(
    source.indexOf("export const responseSchemas = ") + 31,
    source.lastIndexOf(" as const;"),
  );
  return new Function(`return (${literal});`)() as Record<string, unknown>;
}

describe("response schemas with hostile names", () => {
  const schemas = responseSchemasOf(slice);
  const list = schemas["things/list"] as Record<string, Record<string, unknown>>;

  it("keeps `__proto__` as an own key in memory (status, component and property names)", () => {
    expect(Object.keys(list)).toEqual(["200", "__proto__"]);
    const ok = list["200"] as { definitions: Record<string, { properties: Record<string, unknown> }> };
    expect(Object.keys(ok.definitions)).toEqual(["__proto__", "a~b/c"]);
    expect(Object.keys(ok.definitions.__proto__!.properties)).toEqual(["__proto__", "a~b/c"]);
  });

  it("writes them so the generated module's object has the same own keys and plain prototypes", () => {
    const value = emitted(schemas) as Record<string, Record<string, Record<string, unknown>>>;
    expect(value).toStrictEqual(JSON.parse(JSON.stringify(schemas)));
    const out = value["things/list"]!;
    expect(Object.keys(out)).toEqual(["200", "__proto__"]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    const definitions = out["200"]!.definitions as Record<string, { properties: object }>;
    expect(Object.keys(definitions.__proto__!.properties)).toEqual(["__proto__", "a~b/c"]);
    expect(Object.getPrototypeOf(definitions.__proto__!.properties)).toBe(Object.prototype);
  });

  it("writes the bytes JSON.stringify writes when no key is `__proto__`", () => {
    const plain = { op: { "200": { enum: ['"__proto__": not a key'], properties: { x: { type: "string" } } } } };
    expect(responseSchemasSource(plain)).toBe(JSON.stringify(plain, null, 2));
  });
});

describe("comment markers in strings", () => {
  /** What a comment-stripping expression sees as a comment: publint 0.3.25's, bounded to one line here. */
  const COMMENT_MARKER = /\/\*|\*\//;

  it("writes a `/` next to a `*` as `\\u002f`: the emitted module holds no `/*` or `*/`, and the same strings", () => {
    const schemas = {
      "repos/list": {
        "200": {
          description: "Patterns such as `monalisa/*` or `*/*`; a path `a/*/b`, `/**/`, `\\/*` (a backslash first)",
          properties: { "*/": { pattern: "^[a-z]/*$" }, "/*": { enum: ["*/*", "/", "*"] } },
        },
      },
    };
    const source = responseSchemasSource(schemas);
    expect(source).not.toMatch(COMMENT_MARKER);
    expect(emitted(schemas)).toStrictEqual(schemas);
    // Only those slashes: a URL keeps its bytes.
    expect(responseSchemasSource({ a: { "200": { format: "https://x/y" } } })).toContain('"https://x/y"');
  });

  it("holds for any JSON document (property-based)", () => {
    const text = fc.string({ unit: fc.constantFrom("/", "*", "\\", '"', "a", "\n", "_"), maxLength: 12 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        text,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(text, tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(text, fc.dictionary(text, json, { maxKeys: 2 }), { maxKeys: 3 }), (schemas) => {
        const source = responseSchemasSource(schemas);
        expect(source).not.toMatch(COMMENT_MARKER);
        expect(new Function(`return (${source});`)()).toStrictEqual(JSON.parse(JSON.stringify(schemas)));
      }),
      { numRuns: 500 },
    );
  });
});
