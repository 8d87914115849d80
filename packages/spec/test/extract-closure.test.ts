import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { extractSelection, parseDescription, stringifyOrdered, type Selection } from "../src/index.js";
import { errorLines, fixtures, pointersOfKey, runCli, tempDir } from "./helpers.js";

/** Parses a fixture the way the CLI does (key order kept) and extracts a selection from it. */
async function extract(fixture: string, selection: Selection) {
  const file = join(fixtures, fixture);
  const { document } = await parseDescription(await readFile(file), file);
  const result = extractSelection(document, selection, file);
  return {
    ...result,
    text: stringifyOrdered(result.document),
    out: JSON.parse(stringifyOrdered(result.document)) as Slice,
  };
}

interface Slice {
  tags?: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

/** Response codes of one operation, in the order the serialised text lists them. */
function responseKeyOrder(text: string, path: string, method = "get"): string[] {
  const keys: string[] = [];
  const start = text.indexOf(`"${path}": {`);
  const op = text.indexOf(`"${method}": {`, start);
  const responses = text.indexOf(`"responses": {`, op);
  const indent = /\n( *)"responses"/.exec(text.slice(responses - 40, responses + 12))![1]!.length + 2;
  const end = text.indexOf(`\n${" ".repeat(indent - 2)}}`, responses);
  for (const m of text.slice(responses, end).matchAll(new RegExp(`\\n {${indent}}"([^"]+)": `, "g"))) keys.push(m[1]!);
  return keys;
}

describe("extractSelection keeps exactly the $ref closure of the selected operations", () => {
  const scenarios: [
    string,
    { selection: Selection; operations: string[]; components: Record<string, string[]>; tags: string[] },
  ][] = [
    [
      "category pets: shared components once, nested and cyclic refs, refs only via parameters/responses/headers/requestBodies/security, properties named $ref/example/value",
      {
        selection: { category: "pets" },
        operations: ["pets/get", "pets/update"],
        components: {
          schemas: [
            "Pet",
            "Animal",
            "Kind",
            "Owner",
            "RefProperty",
            "ExampleProperty",
            "ValueProperty",
            "NamedInDataFromSchemaExample",
            "NamedInDataFromMediaExample",
            "NamedInDataFromExampleValue",
            "IdSchema",
            "RateSchema",
            "BodySchema",
            "ErrorSchema",
          ],
          responses: ["NotFound"],
          parameters: ["Trace", "PetId"],
          examples: ["PetExample"],
          requestBodies: ["PetBody"],
          headers: ["RateLimit"],
          securitySchemes: ["apiKey"],
        },
        tags: ["pets", "misc"],
      },
    ],
    [
      "category/subcategory pets/read: the write operation's request body is not kept",
      {
        selection: { category: "pets", subcategory: "read" },
        operations: ["pets/get"],
        components: {
          schemas: [
            "Pet",
            "Animal",
            "Kind",
            "Owner",
            "RefProperty",
            "ExampleProperty",
            "ValueProperty",
            "NamedInDataFromSchemaExample",
            "NamedInDataFromMediaExample",
            "NamedInDataFromExampleValue",
            "IdSchema",
            "RateSchema",
            "ErrorSchema",
          ],
          responses: ["NotFound"],
          parameters: ["Trace", "PetId"],
          examples: ["PetExample"],
          headers: ["RateLimit"],
          securitySchemes: ["apiKey"],
        },
        tags: ["pets"],
      },
    ],
    [
      "one operationId: a self-referencing tree node terminates and discriminator.mapping targets are kept",
      {
        selection: { operationIds: ["trees/list"] },
        operations: ["trees/list"],
        components: { schemas: ["TreeNode", "Shape", "Square"] },
        tags: ["trees"],
      },
    ],
    [
      "two operationIds from different paths: operations in source order, path-level parameters kept",
      {
        selection: { operationIds: ["trees/list", "pets/update"] },
        operations: ["pets/update", "trees/list"],
        components: {
          schemas: [
            "NamedInDataFromMediaExample",
            "TreeNode",
            "Shape",
            "Square",
            "IdSchema",
            "BodySchema",
            "ErrorSchema",
          ],
          responses: ["NotFound"],
          parameters: ["PetId"],
          requestBodies: ["PetBody"],
        },
        tags: ["pets", "misc", "trees"],
      },
    ],
  ];

  test.each(scenarios)("%s", async (_name, want) => {
    const got = await extract("closure.json", want.selection);
    expect(got.operations.map((o) => o.operationId)).toEqual(want.operations);
    expect(got.components).toEqual(want.components);
    // The document holds the same components, section by section, in source order.
    expect(Object.keys(got.out.components ?? {})).toEqual(Object.keys(want.components));
    for (const [section, names] of Object.entries(want.components))
      expect(Object.keys(got.out.components![section]!)).toEqual(names);
    expect(got.out.tags?.map((t) => t.name)).toEqual(want.tags);
    // Names reached only from x-webhooks, unselected paths or a dropped x-octokit are not kept anywhere
    // (a data `$ref` that names nothing, or another document, is data: no error, nothing kept).
    for (const gone of [
      "Unused",
      "unusedScheme",
      "WebhookBody",
      "WebhookSchema",
      "x-webhooks",
      "x-octokit",
      "/unused",
    ]) {
      expect(got.text).not.toContain(gone);
    }
  });

  test("x-octokit is dropped at every depth while x-github is kept where it was", async () => {
    const { out, text } = await extract("closure.json", { category: "pets" });
    expect(text).not.toContain("x-octokit");
    expect(pointersOfKey(out, "x-github")).toEqual([
      "#/info/x-github",
      "#/paths/~1pets~1{petId}/get/x-github",
      "#/paths/~1pets~1{petId}/put/x-github",
      "#/components/schemas/Animal/x-github",
      "#/components/schemas/Animal/properties/name/x-github",
    ]);
    const o = out as unknown as {
      info: Record<string, unknown>;
      paths: Record<string, { get: Record<string, unknown> }>;
      components: { schemas: { Animal: { "x-github": unknown; properties: { name: Record<string, unknown> } } } };
    };
    expect(o.info["x-github"]).toEqual({ kept: "info" });
    expect(o.paths["/pets/{petId}"]!.get["x-github"]).toEqual({ category: "pets", subcategory: "read" });
    expect(o.components.schemas.Animal["x-github"]).toEqual({ kept: "schema" });
    expect(o.components.schemas.Animal.properties.name).toEqual({ type: "string", "x-github": { kept: "deep" } });
  });

  test("the slice keeps the selected methods and path-level keys, drops other methods and top-level extras", async () => {
    const { out } = await extract("closure.json", { category: "pets", subcategory: "write" });
    expect(Object.keys(out)).toEqual(["openapi", "info", "servers", "tags", "paths", "components"]);
    expect(Object.keys(out.paths)).toEqual(["/pets/{petId}"]);
    expect(Object.keys(out.paths["/pets/{petId}"]!)).toEqual(["parameters", "put"]);
  });

  test("example values containing a $ref key are kept verbatim as data", async () => {
    const { out } = await extract("closure.json", { category: "pets" });
    const examples = out.components!.examples as Record<string, { value: unknown }>;
    expect(examples.PetExample!.value).toEqual({ $ref: "#/components/schemas/NamedInDataFromExampleValue" });
  });

  test("a schema property literally named $ref is walked as a schema (its target is kept)", async () => {
    const got = await extract("property-named-ref.json", { operationIds: ["links/get"] });
    expect(got.components).toEqual({ schemas: ["Link", "Target"] });
  });

  test("an example value's $ref key stays data, and the component it names is kept (Prism resolves every $ref)", async () => {
    const got = await extract("example-data-ref.json", { operationIds: ["links/get"] });
    expect(got.components).toEqual({ examples: ["issue"], schemas: ["OnlyNamedInData"] });
    const media = (got.out.paths["/links"] as { get: { responses: Record<string, unknown> } }).get.responses["200"];
    expect(media).toMatchObject({
      content: {
        "application/json": {
          examples: {
            one: { value: { $ref: "#/components/schemas/OnlyNamedInData" } },
            github: { value: { $ref: "#/components/examples/issue" } },
          },
        },
      },
    });
  });

  test("YAML with unquoted integer response keys keeps them in source order (200, 304, 500, 401, 403, 404)", async () => {
    const got = await extract("ordered-responses.yaml", { category: "things" });
    expect(responseKeyOrder(got.text, "/things")).toEqual(["200", "304", "500", "401", "403", "404"]);
    expect(got.components).toEqual({ responses: ["internal"], schemas: ["thing"] });
  });
});

describe("extract CLI output is deterministic", () => {
  const cases: [string, { fixture: string; args: string[]; responseOrder?: [string, string[]] }][] = [
    [
      "JSON source, cyclic schema, operationId selection",
      { fixture: "closure.json", args: ["--operation-id", "trees/list"] },
    ],
    [
      "YAML source with integer response keys out of numeric order",
      {
        fixture: "ordered-responses.yaml",
        args: ["--select", "things/list"],
        responseOrder: ["/things", ["200", "304", "500", "401", "403", "404"]],
      },
    ],
  ];

  test.each(cases)(
    "%s: two runs give identical bytes, 2-space JSON, LF, trailing newline, source key order",
    async (_name, c) => {
      const dir = await tempDir();
      const texts: string[] = [];
      for (const run of ["a", "b"]) {
        const out = join(dir, run, "slice.json");
        const result = await runCli(["extract", "--from", join(fixtures, c.fixture), ...c.args, "--out", out]);
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        texts.push(await readFile(out, "utf8"), await readFile(join(dir, run, "slice.provenance.json"), "utf8"));
      }
      const [sliceA, provA, sliceB, provB] = texts as [string, string, string, string];
      expect(sliceB).toBe(sliceA);
      expect(provB).toBe(provA);
      for (const text of [sliceA, provA]) {
        expect(text.endsWith("}\n")).toBe(true);
        expect(text.endsWith("\n\n")).toBe(false);
        expect(text).not.toContain("\r");
        expect(text).not.toContain("\t");
        expect(text.split("\n")[1]).toMatch(/^ {2}"[^ ]/);
        expect(text.split("\n").every((l) => /^( {2})*\S|^$/.test(l))).toBe(true);
      }
      // The source's own key order: top-level keys as written, not sorted.
      expect(Object.keys(JSON.parse(sliceA) as object)[0]).toBe("openapi");
      if (c.responseOrder) expect(responseKeyOrder(sliceA, c.responseOrder[0])).toEqual(c.responseOrder[1]);
    },
  );

  // The structural validator (@seriousme/openapi-schema-validator) resolves every `$ref` key it meets:
  // validateStructure hands it a copy where non-reference `$ref` keys are renamed, and resolves only the
  // references itself.
  test("a slice with a schema property named $ref passes the CLI's validation", async () => {
    const dir = await tempDir();
    const result = await runCli([
      "extract",
      "--from",
      join(fixtures, "property-named-ref.json"),
      "--operation-id",
      "links/get",
      "--out",
      join(dir, "s.json"),
    ]);
    expect(errorLines(result.stderr)).toEqual([]);
    expect(result.code).toBe(0);
  });

  // Same cause: an Example Object's `value` containing a `$ref` key is data, and the schema it names
  // is (correctly) not kept by the extractor.
  test("a slice whose example value contains a $ref key passes the CLI's validation", async () => {
    const dir = await tempDir();
    const result = await runCli([
      "extract",
      "--from",
      join(fixtures, "example-data-ref.json"),
      "--operation-id",
      "links/get",
      "--out",
      join(dir, "s.json"),
    ]);
    expect(errorLines(result.stderr)).toEqual([]);
    expect(result.code).toBe(0);
  });
});
