import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { toJsonSchema, validateExamples, type NullableEnumMode } from "../src/index.js";
import { errorLines, fixtureSlice, fixtures, runCli, tempDir } from "./helpers.js";

/**
 * Project decision "allow-null": `nullable: true` admits null even when `enum` does not list it
 * (openapi-typescript types `prebuild_availability` as "none" | "ready" | "in_progress" | null).
 * `strict` is the literal OAS 3.0.3 reading, where the enum still rejects null.
 */
describe("toJsonSchema: nullable + enum", () => {
  const schema = { type: "string", nullable: true, enum: ["none", "ready", "in_progress"] };
  const cases: [NullableEnumMode | "default", unknown][] = [
    ["default", { type: ["string", "null"], enum: ["none", "ready", "in_progress", null] }],
    ["allow-null", { type: ["string", "null"], enum: ["none", "ready", "in_progress", null] }],
    ["strict", { type: ["string", "null"], enum: ["none", "ready", "in_progress"] }],
  ];
  test.each(cases)("mode %s", (mode, want) => {
    expect(toJsonSchema(schema, mode === "default" ? {} : { nullableEnum: mode })).toEqual(want);
  });

  test("an enum that already lists null is not given a second null", () => {
    expect(toJsonSchema({ type: "string", nullable: true, enum: ["a", null] })).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
  });
});

describe("validateExamples on a real slice, with prebuild_availability set in GitHub's example", () => {
  const machinePointer = "#/components/examples/codespace-machines-list/value/machines";
  const cases: [string, { value: unknown; mode: NullableEnumMode; warns: boolean }][] = [
    ["null is accepted in allow-null mode", { value: null, mode: "allow-null", warns: false }],
    ["null is rejected in strict mode", { value: null, mode: "strict", warns: true }],
    ['"ready" is accepted in allow-null mode', { value: "ready", mode: "allow-null", warns: false }],
    ['"ready" is accepted in strict mode', { value: "ready", mode: "strict", warns: false }],
    ['"bogus" is rejected in allow-null mode', { value: "bogus", mode: "allow-null", warns: true }],
    ['"bogus" is rejected in strict mode', { value: "bogus", mode: "strict", warns: true }],
  ];

  test.each(cases)("%s", async (_name, c) => {
    const document = JSON.parse(await readFile(fixtureSlice("2022-11-28"), "utf8")) as {
      components: { examples: Record<string, { value: { machines: Record<string, unknown>[] } }> };
    };
    for (const machine of document.components.examples["codespace-machines-list"]!.value.machines)
      machine.prebuild_availability = c.value;
    const findings = validateExamples(document as unknown as Record<string, unknown>, c.mode);
    const onField = findings.filter((f) => f.pointer.endsWith("/prebuild_availability"));
    // Nothing else is wrong with the example once the required field is present.
    expect(findings).toEqual(onField);
    if (!c.warns) return expect(findings).toEqual([]);
    expect(onField.map((f) => f.pointer)).toEqual(
      expect.arrayContaining([
        `${machinePointer}/0/prebuild_availability`,
        `${machinePointer}/1/prebuild_availability`,
      ]),
    );
    expect(onField.some((f) => /Instance does not match any of/.test(f.message))).toBe(true);
  });

  test("without the field (GitHub's example as published) both modes warn that it is required", async () => {
    const document = JSON.parse(await readFile(fixtureSlice("2022-11-28"), "utf8")) as Record<string, unknown>;
    for (const mode of ["allow-null", "strict"] as const) {
      const findings = validateExamples(document, mode);
      expect(findings.map((f) => f.pointer)).toContain(`${machinePointer}/0`);
      expect(findings.every((f) => /required property "prebuild_availability"/.test(f.message))).toBe(true);
    }
  });
});

describe("extract --nullable-enum", () => {
  const cases: [string, { args: string[]; warning: boolean }][] = [
    ["default (allow-null): an example with null passes silently", { args: [], warning: false }],
    ["allow-null: an example with null passes silently", { args: ["--nullable-enum", "allow-null"], warning: false }],
    [
      "strict: an example with null is a warning with its pointer, not an error",
      { args: ["--nullable-enum", "strict"], warning: true },
    ],
  ];

  test.each(cases)("%s", async (_name, c) => {
    const dir = await tempDir();
    const from = join(fixtures, "nullable-enum.json");
    const result = await runCli([
      "extract",
      "--from",
      from,
      "--operation-id",
      "machines/list",
      ...c.args,
      "--out",
      join(dir, "s.json"),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = errorLines(result.stderr);
    if (!c.warning) return expect(lines).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^warning: ${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}#/paths/~1machines/get/responses/200/content/application~1json/example/prebuild_availability: .*Instance does not match any of \\[`,
      ),
    );
  });
});
