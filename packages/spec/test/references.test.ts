import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { diffDescriptions, extractSelection, stringifyOrdered } from "../src/index.js";
import { describe1, errorLines, runCli, snapshotTree, tempDir } from "./helpers.js";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures poke at arbitrary OpenAPI nodes

async function extractCli(doc: Doc) {
  const dir = await tempDir();
  const source = join(dir, "d.json");
  await writeFile(source, JSON.stringify(doc));
  const out = join(dir, "out.json");
  const before = await snapshotTree(dir);
  const result = await runCli(["extract", "--from", source, "--operation-id", "x/get", "--out", out], { cwd: dir });
  return { ...result, source, out, dir, before };
}

const pet = (mapping: Record<string, string>): Doc => ({
  schemas: {
    Pet: {
      type: "object",
      required: ["kind"],
      properties: { kind: { type: "string" } },
      discriminator: { propertyName: "kind", mapping },
    },
    Dog: { type: "object", properties: { bark: { type: "boolean" } } },
  },
});

describe("discriminator.mapping", () => {
  test("a value that is an external URL is refused with its pointer (it was kept silently, dangling)", async () => {
    const run = await extractCli(
      describe1({ $ref: "#/components/schemas/Pet" }, pet({ dog: "https://example.com/pets.json#/Dog" })),
    );
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      `spec: error: ${run.source}#/components/schemas/Pet/discriminator/mapping/dog: discriminator mapping "https://example.com/pets.json#/Dog" is neither a local reference (#/…) nor the name of a schema in #/components/schemas; a slice cannot keep references into other documents (bundle the description first)`,
    ]);
    expect(await snapshotTree(run.dir)).toEqual(run.before);
  });

  test("a value that names a schema (OAS: `dog: Dog`) keeps that schema", () => {
    const result = extractSelection(
      describe1({ $ref: "#/components/schemas/Pet" }, pet({ dog: "Dog" })),
      { operationIds: ["x/get"] },
      "inline",
    );
    expect(result.components).toEqual({ schemas: ["Pet", "Dog"] });
  });
});

describe("examples are checked against schemas reached through any internal $ref", () => {
  test("a parameter whose schema is $ref '#/components/parameters/p/schema' next to an example: a warning, not a crash", async () => {
    const doc = describe1(
      { type: "object" },
      { parameters: { p: { name: "p", in: "query", schema: { type: "string", maxLength: 3 } } } },
      {
        parameters: [
          { name: "q", in: "query", schema: { $ref: "#/components/parameters/p/schema" }, example: "too long" },
        ],
      },
    );
    const run = await extractCli(doc);
    expect(run.code, run.stderr).toBe(0);
    expect(errorLines(run.stderr)).toEqual([
      `warning: ${run.source}#/paths/~1x/get/parameters/0/example: example does not match schema #/paths/~1x/get/parameters/0/schema: String is too long (8 > 3).`,
    ]);
  });
});

describe("schema patterns run in linear time", () => {
  // JavaScript's engine needs ~2^n steps here: 30 characters took about a minute, 40 would take about a day.
  test("^(a+)+$ against a 40-character example answers (a plain mismatch warning), where backtracking would run for hours", async () => {
    const run = await extractCli(
      describe1({ type: "string", pattern: "^(a+)+$" }, {}, { example: `${"a".repeat(39)}!` }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(errorLines(run.stderr)).toEqual([
      `warning: ${run.source}#/paths/~1x/get/responses/200/content/application~1json/example: example does not match schema #/paths/~1x/get/responses/200/content/application~1json/schema: String does not match pattern "^(a+)+$".`,
    ]);
  });

  test("a pattern the linear engine cannot run (a lookahead) is a warning naming its pointer, and does not fail the example", async () => {
    const run = await extractCli(
      describe1(
        { $ref: "#/components/schemas/Code" },
        { schemas: { Code: { type: "string", pattern: "^(?=.*\\d)\\w+$" } } },
        { example: "abc" },
      ),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(errorLines(run.stderr)).toEqual([
      `warning: ${run.source}#/components/schemas/Code/pattern: pattern "^(?=.*\\\\d)\\\\w+$" cannot be checked in linear time (invalid or unsupported Perl syntax: \`(?=\`); examples are not checked against it`,
    ]);
  });
});

describe("long $ref chains cost no stack", () => {
  /** `C0` → `C1` → … → `C<n-1>`, each a $ref to the next through a property. */
  const chain = (n: number): Doc => {
    const schemas: Doc = {};
    for (let i = 0; i < n; i++)
      schemas[`C${i}`] =
        i + 1 < n
          ? { type: "object", properties: { next: { $ref: `#/components/schemas/C${i + 1}` } } }
          : { type: "string" };
    return describe1({ $ref: "#/components/schemas/C0" }, { schemas });
  };

  test("extraction keeps a chain of 20,000 components", () => {
    const result = extractSelection(chain(20_000), { operationIds: ["x/get"] }, "inline");
    expect(result.components.schemas).toHaveLength(20_000);
    expect(stringifyOrdered(result.document)).toContain('"C19999"');
  });

  test("diff of a chain deeper than the limit is one error naming the limit and the pointer", () => {
    const old = chain(20_000);
    const changed = chain(20_000);
    changed.components.schemas.C19999.type = "integer";
    expect(() => diffDescriptions(old, changed, undefined, { old: "old.json", new: "new.json" })).toThrow(
      /^new\.json#\/components\/schemas\/C256: schemas nest deeper than 256 levels, \$refs followed \(the limit\)$/,
    );
  });
});
