import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, test } from "vitest";
import { parseJsonBytesOrdered, parseJsonOrdered } from "../src/json-order.js";
import { fixtureSlice, packageRoot } from "./helpers.js";

/**
 * The performance shortcuts (bench/RESULTS.md) must not change answers: the one-byte JSON route of
 * `parseDescription` and the precompiled OAS schema validators give what the general code gives.
 */
describe("parseJsonBytesOrdered: same value as the general parser, or no answer", () => {
  // What parseDescription does without the shortcut, for a JSON text without a BOM.
  const general = (text: string) => parseJsonOrdered(text);
  const cases: [string, { given: string; fast: boolean }][] = [
    ["ASCII, integer keys in source order", { given: '{"b":{"200":1,"100":2},"a":"x"}', fast: true }],
    [
      "non-ASCII text, astral characters and U+2028 in strings",
      { given: '{"d":"’ é 😀 \u2028","200":{"k":"“q”"},"x":"\\"500\\": y"}', fast: true },
    ],
    ["a key that looks like a number inside a string", { given: '{"s":"\\"200\\":1","404":{}}', fast: true }],
    ["leading JSON whitespace", { given: ' \r\n\t{"a":1}', fast: true }],
    ["a BOM", { given: '\ufeff{"a":"é"}', fast: false }],
    ["leading non-JSON whitespace", { given: '\u00a0{"a":1}', fast: false }],
    ["a non-ASCII character after a backslash (an invalid escape)", { given: '{"a":"\\’"}', fast: false }],
    ["a non-ASCII character outside strings", { given: '{"a":1}\u00a0', fast: false }],
    ["the key-order marker already present", { given: '{"a":"\\ue000"}', fast: false }],
    ["an array", { given: "[1]", fast: false }],
    ["truncated JSON", { given: '{"a":"é"', fast: false }],
  ];
  test.each(cases)("%s", (_name, { given, fast }) => {
    const value = parseJsonBytesOrdered(Buffer.from(given, "utf8"));
    expect(value !== undefined).toBe(fast);
    if (value === undefined) return; // the general path answers (and words any error) on its own
    const want = general(given);
    expect(value).toStrictEqual(want);
    expect(JSON.stringify(value)).toBe(JSON.stringify(want)); // key order too
  });

  test("a real slice takes the fast route and parses to the same value", async () => {
    const bytes = await readFile(fixtureSlice("2022-11-28"));
    const value = parseJsonBytesOrdered(bytes);
    expect(value).toBeDefined();
    expect(JSON.stringify(value)).toBe(JSON.stringify(general(bytes.toString("utf8"))));
  });
});

const precompiledDir = join(packageRoot, "dist", "oas-schemas");

/** The precompiled validators exist after `pnpm build` (scripts/precompile-oas-schemas.mjs), not after plain tsc. */
describe.skipIf(!existsSync(precompiledDir))("precompiled OAS schemas: same findings as the library", () => {
  const slice = async () => JSON.parse(await readFile(fixtureSlice("2022-11-28"), "utf8")) as Record<string, unknown>;
  const cases: [string, (d: Record<string, any>) => void][] = [
    ["a valid 3.0 slice", () => undefined],
    ["a missing required field", (d) => delete d.info.title],
    [
      "an unknown top-level field and an empty operation",
      (d) => Object.assign(d, { foo: 1, paths: { ...d.paths, "/x": { get: {} } } }),
    ],
    ["a bad format", (d) => (d.info.contact = { email: "not an email" })],
    ["the same document as 3.1", (d) => (d.openapi = "3.1.0")],
    [
      "3.1 with a license that has both identifier and url",
      (d) =>
        Object.assign(d, {
          openapi: "3.1.0",
          info: { ...d.info, license: { name: "x", identifier: "MIT", url: "u" } },
        }),
    ],
  ];
  test.each(cases)("%s", async (_name, mutate) => {
    const document = await slice();
    mutate(document);
    const version = (document.openapi as string).slice(0, 3);
    const { default: validate, builtFrom } = await import(pathToFileURL(join(precompiledDir, `v${version}.js`)).href);
    expect(builtFrom).toMatch(/^@seriousme\/openapi-schema-validator@/);
    const library = await new Validator({ allErrors: true }).validate(structuredClone(document));
    const valid = validate(document) as boolean;
    expect(valid).toBe(library.valid);
    if (!valid) expect(validate.errors).toEqual(library.errors);
  });
});
