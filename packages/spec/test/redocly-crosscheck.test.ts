import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, test } from "vitest";
import { fixtureSlice, fixtureSpec } from "./helpers.js";

/** A second, independent validator: Redocly's structural rules and $ref resolution. */
const rules = { struct: "error", "no-unresolved-refs": "error" } as const;

async function lint(source: string, name: string) {
  const config = await createConfig({ rules });
  const problems = await lintFromString({ source, absoluteRef: join("/slices", name), config });
  return problems
    .filter((p) => p.severity === "error")
    .map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ""}: ${p.message}`);
}

const versions = readdirSync(join(fixtureSpec(), "generated")).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));

describe("Redocly cross-check of the slices `update` writes (built from the fixture)", () => {
  test("there is at least one version", () => {
    expect(versions.length).toBeGreaterThan(0);
  });

  test.each(versions)("generated/%s/openapi.json has no struct or unresolved-ref errors", async (version) => {
    expect(await lint(await readFile(fixtureSlice(version), "utf8"), `${version}.json`)).toEqual([]);
  });

  test("the same check catches a dangling $ref and a misspelt field", async () => {
    const text = (await readFile(fixtureSlice(versions[0]!), "utf8"))
      .replace('"#/components/schemas/basic-error"', '"#/components/schemas/no-such-schema"')
      .replace('"description": "Response"', '"descripton": "Response"');
    const errors = await lint(text, "broken.json");
    expect(errors).toContainEqual(expect.stringMatching(/^no-unresolved-refs .*: Can't resolve \$ref$/));
    expect(errors).toContainEqual(expect.stringMatching(/^struct .*: Property `descripton` is not expected here\.$/));
  });
});

describe("slices keep GitHub's response order", () => {
  test.each(versions)("%s lists 200, 304, 500, 401, 403, 404 for every operation", async (version) => {
    const text = await readFile(fixtureSlice(version), "utf8");
    const codes = [...text.matchAll(/^ {10}"(\d{3}|default)": \{$/gm)].map((m) => m[1]);
    expect(codes).toEqual(["200", "304", "500", "401", "403", "404", "200", "304", "500", "401", "403", "404"]);
  });
});
