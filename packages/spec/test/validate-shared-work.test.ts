import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { validateExamples } from "../src/index.js";
import { fixtures } from "./helpers.js";

/**
 * The whole-API work savings keep the answers: the structure check on an owned copy (worked on in
 * place) finds what it finds on a borrowed one, and leaves a borrowed one untouched; example checks that
 * share one converted schema report each example on its own.
 */

/** From dist/ (test/global-setup.ts builds it): the structure check runs the build's precompiled OAS validators. */
const { validateStructure } = (await import(
  new URL("../dist/index.js", import.meta.url).href
)) as typeof import("../src/index.js");

const load = async (name: string) =>
  JSON.parse(await readFile(join(fixtures, name), "utf8")) as Record<string, unknown>;

describe("validateStructure: owned (in place) and borrowed (copied) give the same findings", () => {
  test.each(["example-data-ref.json", "property-named-ref.json", "closure.json"])("%s", async (name) => {
    const borrowed = await load(name);
    const before = JSON.stringify(borrowed);
    const findings = await validateStructure(borrowed);
    expect(JSON.stringify(borrowed)).toBe(before); // a borrowed document is not changed
    expect(await validateStructure(await load(name), { owned: true })).toEqual(findings);
  });

  test("an invalid document: the same first error either way", async () => {
    const broken = { ...(await load("closure.json")), info: { title: 1 } };
    const findings = await validateStructure(structuredClone(broken));
    expect(findings.length).toBeGreaterThan(0);
    expect(await validateStructure(structuredClone(broken), { owned: true })).toEqual(findings);
  });

  test("a $ref that points nowhere is one finding at the object holding it, either way", async () => {
    const doc = await load("example-data-ref.json");
    (doc.paths as Record<string, Record<string, { responses: unknown }>>)["/links"]!.get!.responses = {
      "200": { $ref: "#/components/responses/nope" },
    };
    const findings = await validateStructure(structuredClone(doc));
    expect(findings).toEqual([
      { pointer: "#/paths/~1links/get/responses/200", message: '$ref "#/components/responses/nope" points nowhere' },
    ]);
    expect(await validateStructure(structuredClone(doc), { owned: true })).toEqual(findings);
  });
});

describe("validateExamples: schemas converted once, findings per example", () => {
  const media = (schema: unknown, example: unknown) => ({
    description: "ok",
    content: { "application/json": { schema, example } },
  });
  const op = (id: string, schema: unknown, example: unknown) => ({
    get: { operationId: id, responses: { "200": media(schema, example) } },
  });
  const document = (paths: Record<string, unknown>) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths,
    components: {
      schemas: {
        item: {
          type: "object",
          required: ["id"],
          properties: { id: { type: "integer" }, owner: { $ref: "#/components/schemas/user" } },
        },
        user: { type: "object", required: ["login"], properties: { login: { type: "string" } } },
      },
    },
  });

  test("one $ref target used by many operations: each bad example is reported at its own pointer", () => {
    const ref = { $ref: "#/components/schemas/item" };
    const findings = validateExamples(
      document({
        "/a": op("a", ref, { id: 1, owner: { login: "x" } }),
        "/b": op("b", { ...ref }, { id: "two" }),
        "/c": op("c", { type: "array", items: ref }, [{ id: 3, owner: {} }]),
        "/d": op("d", { type: "array", items: { ...ref } }, [{ id: 4, owner: { login: 5 } }]),
      }),
    );
    expect(findings.map((f) => `${f.pointer}: ${f.message}`)).toEqual([
      '#/paths/~1b/get/responses/200/content/application~1json/example/id: example does not match schema #/paths/~1b/get/responses/200/content/application~1json/schema: Instance type "string" is invalid. Expected "integer".',
      '#/paths/~1c/get/responses/200/content/application~1json/example/0/owner: example does not match schema #/paths/~1c/get/responses/200/content/application~1json/schema: Instance does not have required property "login".',
      '#/paths/~1d/get/responses/200/content/application~1json/example/0/owner/login: example does not match schema #/paths/~1d/get/responses/200/content/application~1json/schema: Instance type "number" is invalid. Expected "string".',
    ]);
  });

  test("a $ref that cannot be resolved is the same finding at every example that meets it", () => {
    const findings = validateExamples(
      document({
        "/a": op("a", { $ref: "#/components/schemas/missing" }, 1),
        "/b": op("b", { type: "array", items: { $ref: "#/components/schemas/missing" } }, [1]),
      }),
    );
    expect(findings).toHaveLength(2);
    const reasons = findings.map((f) => f.message.replace(/^example not checked: schema \S+ /, ""));
    expect(reasons[0]).toMatch(/^cannot be read \(.*missing/);
    expect(reasons[1]).toBe(reasons[0]);
  });
});
