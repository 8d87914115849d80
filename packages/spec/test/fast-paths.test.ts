import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { extractSelection } from "../src/extract.js";
import {
  asParsedInPlace,
  markKey,
  parseJsonBytesOrdered,
  parseJsonOrdered,
  setOwn,
  stringifyOrdered,
} from "../src/json-order.js";
import { parseDescription } from "../src/parse.js";
import { ALL_OPERATIONS } from "../src/selection.js";
import { fixtures, fixtureSlice, packageRoot } from "./helpers.js";

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

describe("asParsedInPlace: the value a parse of the serialised slice gives, without parsing", () => {
  /** What the pipeline did before: serialise, then parse the text again. */
  const reparsed = (value: unknown) => JSON.parse(stringifyOrdered(value)) as unknown;
  /** A value spelt out: key order, prototypes, -0 and undefined members all show (toStrictEqual reads an own `constructor`). */
  const spelt = (value: unknown): unknown => {
    if (Array.isArray(value)) return { array: value.map(spelt) };
    if (typeof value === "object" && value !== null) {
      const object = value as Record<string, unknown>;
      const prototype = Object.getPrototypeOf(object) === Object.prototype ? "Object.prototype" : "other";
      return { prototype, entries: Object.keys(object).map((key) => [key, spelt(object[key])]) };
    }
    return Object.is(value, -0) ? "-0" : value === undefined ? "undefined" : value;
  };
  const same = (actual: unknown, want: unknown) => expect(spelt(actual)).toEqual(spelt(want));

  /**
   * In-memory documents as the parser and the extraction leave them: integer-like keys marked, plain and
   * prototype-less objects, and what JSON text cannot spell (`undefined`, -0, non-finite numbers).
   */
  const memoryArb = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.oneof(fc.string({ maxLength: 4 }), fc.double(), fc.constantFrom(-0, 0, 1e308, true, null, undefined)),
      fc.array(tie("value"), { maxLength: 4 }),
      fc
        .tuple(
          fc.boolean(),
          fc.uniqueArray(
            fc.tuple(
              fc.oneof(
                fc.constantFrom("__proto__", "constructor", "toString", "200", "304", "0", "10", "x-y"),
                fc.string({ maxLength: 3 }).filter((k) => !k.includes("\uE000")),
              ),
              tie("value"),
            ),
            { maxLength: 5, selector: ([key]) => key },
          ),
        )
        .map(([prototypeless, entries]) => {
          const object: Record<string, unknown> = prototypeless ? Object.create(null) : {};
          for (const [key, child] of entries) setOwn(object, markKey(key), child);
          return object;
        }),
    ),
  })).value;

  test("generated documents (fast-check): equal to the reparsed text, key order and prototypes included", () => {
    fc.assert(
      fc.property(memoryArb, (value) => {
        const root = Object.assign(Object.create(null), { value }); // a slice is an object, as the extraction makes it
        const want = reparsed(root); // before: the walk uses `root` up
        same(asParsedInPlace(root), want);
      }),
      { numRuns: 300 },
    );
  });

  test("a whole-description extraction: the slice as the checks used to read it", async () => {
    const file = join(fixtures, "closure.json");
    const { document } = await parseDescription(await readFile(file), file);
    const slice = extractSelection(document, ALL_OPERATIONS, file).document;
    const want = reparsed(slice);
    same(asParsedInPlace(slice), want);
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
