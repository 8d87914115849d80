import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderPackage } from "../src/package-template.js";
import { DEFINITIONS_CONST, responseSchemasOf, responseSchemasSource } from "../src/response-schemas.js";

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

/** What a comment-stripping expression takes for the start or end of a comment (publint 0.3.25's does). */
const COMMENT_MARKER = /\/\*|\*\//;

/** The generated `src/generated/schemas.ts` of a package with these response schemas. */
function schemasModule(schemas: Record<string, Record<string, unknown>>, slice = false): string {
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
    ...(slice
      ? {
          slice: { name: "@acme/x", title: "x", clientName: "XClient", regenerate: "pnpm generate", runtime: "^0.0.0" },
        }
      : {}),
  });
  return files["src/generated/schemas.ts"]!;
}

/** What a module of `const` declarations (`as const`, no other TypeScript) evaluates `name` to. */
function evaluate(source: string, name: string): unknown {
  const body = source.replace(/^export /gm, "").replace(/ as const;$/gm, ";");
  return new Function(`${body}\nreturn ${name};`)();
}

/** The `responseSchemas` object a generated `src/generated/schemas.ts` evaluates to. */
function emitted(schemas: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return evaluate(schemasModule(schemas), "responseSchemas") as Record<string, unknown>;
}

/** `responseSchemasSource`'s text as a module, and what its table evaluates to. */
function sourceValue(schemas: Record<string, Record<string, unknown>>): { text: string; value: unknown } {
  const { table, definitions } = responseSchemasSource(schemas);
  const text = `${definitions === undefined ? "" : `const ${DEFINITIONS_CONST} = ${definitions};\n`}const table = ${table};`;
  return { text, value: evaluate(text, "table") };
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
    expect(responseSchemasSource(plain)).toEqual({ table: JSON.stringify(plain, null, 2) });
  });
});

describe("comment markers in strings", () => {
  it("writes a `/` next to a `*` as `\\u002f`: the emitted module holds no `/*` or `*/`, and the same strings", () => {
    const schemas = {
      "repos/list": {
        "200": {
          description: "Patterns such as `monalisa/*` or `*/*`; a path `a/*/b`, `/**/`, `\\/*` (a backslash first)",
          properties: { "*/": { pattern: "^[a-z]/*$" }, "/*": { enum: ["*/*", "/", "*"] } },
        },
      },
    };
    expect(sourceValue(schemas).text).not.toMatch(COMMENT_MARKER);
    expect(emitted(schemas)).toStrictEqual(schemas);
    // Only those slashes: a URL keeps its bytes.
    expect(responseSchemasSource({ a: { "200": { format: "https://x/y" } } }).table).toContain('"https://x/y"');
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
        const { text, value } = sourceValue(schemas);
        expect(text).not.toMatch(COMMENT_MARKER);
        expect(value).toStrictEqual(JSON.parse(JSON.stringify(schemas)));
      }),
      { numRuns: 500 },
    );
  });
});

describe("shared component schemas", () => {
  const shared = JSON.parse(`{
    "openapi": "3.0.3",
    "info": { "title": "t", "version": "1" },
    "paths": {
      "/a": { "get": { "operationId": "a/get", "responses": { "200": { "description": "ok", "content": { "application/json": {
        "schema": { "$ref": "#/components/schemas/machine" } } } } } } },
      "/b": { "get": { "operationId": "b/list", "responses": { "200": { "description": "ok", "content": { "application/json": {
        "schema": { "type": "array", "items": { "$ref": "#/components/schemas/machine" } } } } } } } },
      "/c": { "get": { "operationId": "c/get", "responses": { "200": { "description": "ok", "content": { "application/json": {
        "schema": { "$ref": "#/components/schemas/only-c" } } } } } } }
    },
    "components": { "schemas": {
      "machine": { "title": "Machine", "description": "A machine.", "type": "object", "required": ["cpus"],
        "properties": { "cpus": { "type": "integer", "description": "Cores." }, "os": { "$ref": "#/components/schemas/os" } } },
      "os": { "type": "string", "enum": ["linux"], "nullable": true },
      "only-c": { "type": "object", "properties": { "title": { "type": "string", "description": "A property named title stays." } } }
    } }
  }`) as Record<string, unknown>;

  it("converts each component once, without its prose, and writes it once", () => {
    const schemas = responseSchemasOf(shared) as Record<
      string,
      Record<string, { definitions?: Record<string, unknown> }>
    >;
    const a = schemas["a/get"]!["200"]!.definitions!;
    const b = schemas["b/list"]!["200"]!.definitions!;
    expect(a.machine).toBe(b.machine);
    expect(a.os).toBe(b.os);
    expect(a.machine).toStrictEqual({
      type: "object",
      required: ["cpus"],
      properties: { cpus: { type: "integer" }, os: { $ref: "#/definitions/os" } },
    });
    expect(schemas["c/get"]!["200"]!.definitions!["only-c"]).toStrictEqual({
      type: "object",
      properties: { title: { type: "string" } },
    });

    const module = schemasModule(schemas);
    expect(module.match(/"required": \[/g)).toHaveLength(1); // machine's body, once
    expect(module).toContain(`"machine": ${DEFINITIONS_CONST}["machine"]`);
    expect(module).toContain(`"only-c": {`); // used by one schema: in place
    const value = emitted(schemas) as typeof schemas;
    expect(value).toStrictEqual(schemas);
    expect(value["a/get"]!["200"]!.definitions!.machine).toBe(value["b/list"]!["200"]!.definitions!.machine);
    // A slice package's module: the table and the constant are typed, not `as const`.
    expect(schemasModule(schemas, true)).toContain(
      `const ${DEFINITIONS_CONST}: { readonly [name: string]: Record<string, unknown> | boolean } = {`,
    );
  });

  it("is the same value for any sharing of any definitions (property-based)", () => {
    const text = fc.string({ unit: fc.constantFrom("/", "*", "\\", '"', "a", "_"), maxLength: 6 });
    const names = fc.constantFrom("__proto__", "a", "b/*", "c~d");
    fc.assert(
      fc.property(
        fc.dictionary(names, fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }), { maxKeys: 4 }),
        fc.array(fc.tuple(text, fc.array(names, { maxLength: 4 }), fc.dictionary(text, text, { maxKeys: 2 })), {
          maxLength: 4,
        }),
        (pool, uses) => {
          const schemas = Object.fromEntries(
            uses.map(([operationId, used, rest], i) => [
              `${operationId}${i}`,
              {
                "200": {
                  ...rest,
                  definitions: Object.fromEntries(used.filter((n) => Object.hasOwn(pool, n)).map((n) => [n, pool[n]])),
                },
              },
            ]),
          );
          const { text: source, value } = sourceValue(schemas);
          expect(source).not.toMatch(COMMENT_MARKER);
          expect(value).toStrictEqual(JSON.parse(JSON.stringify(schemas)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
