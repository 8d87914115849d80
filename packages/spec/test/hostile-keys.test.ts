import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  diffDescriptions,
  extractSelection,
  parseDescription,
  parseJsonOrdered,
  stringifyOrdered,
} from "../src/index.js";
import { errorLines, fixtures, runCli, tempDir } from "./helpers.js";

/**
 * Keys named like `Object.prototype` members (`__proto__`, `constructor`, `toString`, `hasOwnProperty`)
 * are names like any other: they survive extraction and diff exactly, and never change a prototype. A
 * plain `out[key] = value` once turned `__proto__` into a prototype change: a component of that name
 * was dropped (a dangling `$ref`, exit 0) and the YAML reader lost it too.
 */
const hostile = join(fixtures, "hostile");
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures poke at arbitrary OpenAPI nodes

/** Object.keys of a node of the serialised slice (JSON.parse keeps `__proto__` as an own key). */
const keysAt = (text: string, ...path: string[]) =>
  Object.keys(path.reduce((node: Doc, key) => node[key], JSON.parse(text) as Doc));

describe("keys named __proto__, constructor, toString survive extraction", () => {
  test.each(["keys.json", "keys.yaml"])(
    "%s: the closure keeps them in source order, with their content, and pollutes nothing",
    async (file) => {
      const before = Object.getOwnPropertyNames(Object.prototype).sort();
      const where = join(hostile, file);
      const { document } = await parseDescription(await readFile(where), where);
      const result = extractSelection(document, { operationIds: ["things/get"] }, where);
      const text = stringifyOrdered(result.document);
      expect(result.components).toEqual({
        schemas: ["__proto__", "constructor", "toString"],
        parameters: ["__proto__"],
        headers: ["toString"],
      });
      expect(keysAt(text, "components")).toEqual(["schemas", "parameters", "headers"]);
      expect(keysAt(text, "components", "schemas")).toEqual(["__proto__", "constructor", "toString"]);
      expect(keysAt(text, "components", "schemas", "__proto__", "properties")).toEqual([
        "__proto__",
        "constructor",
        "toString",
      ]);
      expect(
        keysAt(text, "paths", "/things/{id}", "get", "responses", "200", "content", "application/json", "example"),
      ).toEqual(["__proto__", "constructor", "toString"]);
      expect(keysAt(text, "paths", "/things/{id}", "get", "responses", "200", "headers")).toEqual(["constructor"]);
      expect(JSON.parse(text).components.schemas.__proto__.properties.__proto__).toEqual({
        $ref: "#/components/schemas/constructor",
      });
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
      expect(({} as Doc).polluted).toBeUndefined();
    },
  );

  test("a path named __proto__ is in the slice, not only in the operations list", async () => {
    const doc = parseJsonOrdered(
      '{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"__proto__":{"get":{"operationId":"p/get","responses":{"200":{"description":"ok"}}}},"constructor":{"get":{"operationId":"c/get","responses":{"200":{"description":"ok"}}}}}}',
    ) as Doc;
    const result = extractSelection(doc, { operationIds: ["p/get", "c/get"] }, "inline");
    expect(result.operations.map((o) => o.path)).toEqual(["__proto__", "constructor"]);
    expect(keysAt(stringifyOrdered(result.document), "paths")).toEqual(["__proto__", "constructor"]);
  });

  test("the JSON and the YAML spelling give the same slice bytes through the CLI, and it passes validation", async () => {
    const dir = await tempDir();
    const texts: string[] = [];
    for (const file of ["keys.json", "keys.yaml"]) {
      const out = join(dir, `${file}.slice.json`);
      const result = await runCli(
        ["extract", "--from", join(hostile, file), "--operation-id", "things/get", "--out", out],
        { cwd: dir },
      );
      expect(errorLines(result.stderr)).toEqual([]);
      expect(result.code).toBe(0);
      texts.push(await readFile(out, "utf8"));
      const provenance = JSON.parse(await readFile(join(dir, `${file}.slice.provenance.json`), "utf8")) as Doc;
      expect(provenance.components).toEqual({
        schemas: ["__proto__", "constructor", "toString"],
        parameters: ["__proto__"],
        headers: ["toString"],
      });
    }
    expect(texts[1]).toBe(texts[0]);
  });
});

describe("diff sees changes to keys named like Object.prototype members", () => {
  const slice = async () => {
    const where = join(hostile, "keys.json");
    const { document } = await parseDescription(await readFile(where), where);
    return JSON.parse(
      stringifyOrdered(extractSelection(document, { operationIds: ["things/get"] }, where).document),
    ) as Doc;
  };

  const edits: [string, { edit: (d: Doc) => void; want: { rule: string; pointer: string; detail: string }[] }][] = [
    [
      "response property toString removed",
      {
        edit: (d) => delete d.components.schemas.__proto__.properties.toString,
        want: [
          {
            rule: "response-property-removed",
            pointer: "#/components/schemas/__proto__/properties/toString",
            detail: "property toString removed",
          },
        ],
      },
    ],
    [
      "response header constructor removed",
      {
        edit: (d) => delete d.paths["/things/{id}"].get.responses["200"].headers.constructor,
        want: [
          {
            rule: "response-header-removed",
            pointer: "#/paths/~1things~1{id}/get/responses/200/headers/constructor",
            detail: "header constructor removed",
          },
        ],
      },
    ],
    [
      "a keyword named constructor added to a schema",
      {
        edit: (d) => (d.components.schemas.toString.constructor = "x"),
        want: [
          {
            rule: "other-changed",
            pointer: "#/components/schemas/toString/constructor",
            detail: 'constructor (none) → "x"',
          },
        ],
      },
    ],
  ];

  test.each(edits)("%s is reported at its pointer", async (_name, c) => {
    const old = await slice();
    const changed = await slice();
    c.edit(changed);
    const found = diffDescriptions(old, changed).changes.map((ch) => ({
      rule: ch.rule,
      pointer: ch.pointer,
      detail: ch.detail,
    }));
    expect(found).toEqual(c.want);
  });

  test("a removed keyword named toString reads as (none), not as a function", async () => {
    const old = await slice();
    old.components.schemas.toString.toString = "custom";
    const changes = diffDescriptions(old, await slice()).changes;
    expect(changes.map((c) => c.detail)).toEqual(['toString "custom" → (none)']);
  });
});
