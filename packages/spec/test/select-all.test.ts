import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readSourcesConfig } from "../src/config.js";
import { SpecError } from "../src/errors.js";
import { fixtures, runCli, snapshotTree, tempDir } from "./helpers.js";

/**
 * `--all-operations` selects every operation (also one without `x-github`), `--select <category>` a
 * whole category, and glob-like or mixed forms are refused with one line. Small fixtures only.
 */

/** Three operations in two categories, and one that GitHub's `x-github` does not describe at all. */
const DOCUMENT = {
  openapi: "3.0.3",
  info: { title: "selection fixture", version: "1" },
  paths: {
    "/a": {
      get: {
        operationId: "cat-a/list",
        "x-github": { category: "cat-a", subcategory: "one" },
        responses: { "200": { $ref: "#/components/responses/ok" } },
      },
      post: {
        operationId: "cat-a/create",
        "x-github": { category: "cat-a", subcategory: "two" },
        responses: { "201": { description: "created" } },
      },
    },
    "/b": {
      get: {
        operationId: "cat-b/get",
        "x-github": { category: "cat-b", subcategory: "one" },
        responses: { "200": { description: "ok" } },
      },
    },
    "/plain": { get: { operationId: "plain/get", responses: { "204": { description: "none" } } } },
  },
  components: {
    responses: { ok: { description: "ok", content: { "application/json": { schema: { type: "string" } } } } },
    schemas: { unused: { type: "object" } },
  },
};
const ALL_IDS = ["cat-a/list", "cat-a/create", "cat-b/get", "plain/get"];

async function extract(args: string[]) {
  const dir = await tempDir("spec-select-");
  const from = join(dir, "api.json");
  await writeFile(from, JSON.stringify(DOCUMENT));
  const result = await runCli(["extract", "--from", from, "--out", "slice.json", ...args], { cwd: dir });
  const read = async (name: string) => JSON.parse(await readFile(join(dir, name), "utf8")) as Record<string, unknown>;
  return { dir, result, read, text: () => readFile(join(dir, "slice.json"), "utf8") };
}

const operationIdsOf = (slice: Record<string, unknown>) =>
  Object.values(slice.paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) =>
    Object.values(item).map((op) => op.operationId),
  );

describe("extract --all-operations", () => {
  test("keeps every operation, those without x-github too, and only the components they use", async () => {
    const { result, read } = await extract(["--all-operations"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^extracted 4 operations, 1 components /);
    const slice = await read("slice.json");
    expect(operationIdsOf(slice)).toEqual(ALL_IDS);
    expect(slice.components).toEqual({ responses: DOCUMENT.components.responses });
    const provenance = await read("slice.provenance.json");
    expect(provenance).toMatchObject({ selection: "all operations", operations: ALL_IDS });
  });

  test("writes the same slice bytes as naming every operationId", async () => {
    const all = await extract(["--all-operations"]);
    const named = await extract(ALL_IDS.flatMap((id) => ["--operation-id", id]));
    expect(named.result.code, named.result.stderr).toBe(0);
    expect(await all.text()).toBe(await named.text());
  });

  test("--select <category> without a subcategory keeps the whole category", async () => {
    const { result, read } = await extract(["--select", "cat-a"]);
    expect(result.code, result.stderr).toBe(0);
    const slice = await read("slice.json");
    expect(operationIdsOf(slice)).toEqual(["cat-a/list", "cat-a/create"]);
    expect(await read("slice.provenance.json")).toMatchObject({ selection: "x-github cat-a/*" });
  });
});

describe("selection forms that are not supported are refused with one line (exit 2, nothing written)", () => {
  const usage: [string, { args: string[]; want: RegExp }][] = [
    [
      "--select '*'",
      {
        args: ["--select", "*"],
        want: /^spec: --select takes a literal <category> or <category>\/<subcategory>, not the pattern "\*": use --all-operations for every operation/,
      },
    ],
    ["--select 'cat-a/*'", { args: ["--select", "cat-a/*"], want: /^spec: --select takes a literal .*"cat-a\/\*"/ }],
    ["--select 'cat-?'", { args: ["--select", "cat-?"], want: /^spec: --select takes a literal .*"cat-\?"/ }],
    [
      "--all-operations with --select",
      {
        args: ["--all-operations", "--select", "cat-a"],
        want: /^spec: --all-operations selects every operation: use it without --select and --operation-id$/,
      },
    ],
    [
      "--all-operations with --operation-id",
      { args: ["--all-operations", "--operation-id", "cat-a/list"], want: /^spec: --all-operations selects every/ },
    ],
    [
      "--all-operations=yes",
      { args: ["--all-operations=yes"], want: /^spec: Option '--all-operations' does not take/ },
    ],
  ];

  test.each(usage)("%s", async (_name, c) => {
    const { dir, result } = await extract(c.args);
    expect(result.code).toBe(2);
    const [first, ...rest] = result.stderr.split("\n");
    expect(first).toMatch(c.want);
    expect(rest[0]).toBe("usage:");
    expect(Object.keys(await snapshotTree(dir))).toEqual(["api.json"]);
  });
});

describe('sources.json selection { "all": true }', () => {
  async function sourcesWith(selection: unknown): Promise<string> {
    const dir = await tempDir("spec-select-config-");
    const config = JSON.parse(await readFile(join(fixtures, "spec-sources.json"), "utf8")) as Record<string, unknown>;
    await writeFile(join(dir, "sources.json"), JSON.stringify({ ...config, selection }));
    return dir;
  }

  test("is read as every operation", async () => {
    const config = await readSourcesConfig(await sourcesWith({ all: true }));
    expect(config.selection).toEqual({ all: true });
  });

  test.each([
    ["with a category", { all: true, category: "codespaces" }, /"all": true selects every operation/],
    ["set to false", { all: false }, /must be equal to constant/],
  ])("is refused %s, naming #/selection", async (_name, selection, want) => {
    const dir = await sourcesWith(selection);
    const error = await readSourcesConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toMatch(want);
    expect((error as SpecError).message).toContain(`${join(dir, "sources.json")}#/selection`);
  });
});
