import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { errorLines, fixtures, runCli, snapshotTree, tempDir } from "./helpers.js";

const bad = join(fixtures, "bad");

interface Failure {
  /** `--from` value. */
  readonly from: string;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /** What the one stderr line names first: the file, URL or npm source, plus a pointer where one applies. */
  readonly where: string;
  readonly want: RegExp;
  readonly timeout?: number;
}

/**
 * Every bad input: exit 1, exactly one line `spec: error: <where><#pointer>: <what>`, and the output
 * folder byte-for-byte as it was (no half-written slice, no stray temp file).
 */
const failures: [string, Failure][] = [
  [
    "a missing file",
    {
      from: join(bad, "does-not-exist.json"),
      where: join(bad, "does-not-exist.json"),
      want: /: cannot be read \(ENOENT\)$/,
    },
  ],
  ["a directory instead of a file", { from: bad, where: bad, want: /: cannot be read \(EISDIR\)$/ }],
  ["an empty file", { from: join(bad, "empty.json"), where: join(bad, "empty.json"), want: /: is empty$/ }],
  ["a file of blank lines", { from: join(bad, "blank.yaml"), where: join(bad, "blank.yaml"), want: /: is empty$/ }],
  [
    "truncated JSON",
    { from: join(bad, "truncated.json"), where: join(bad, "truncated.json"), want: /: is not valid JSON \(.+\)$/ },
  ],
  [
    "text that is neither JSON nor YAML",
    {
      from: join(bad, "garbage.yaml"),
      where: join(bad, "garbage.yaml"),
      want: /: is neither valid JSON nor valid YAML \(.+\)$/,
    },
  ],
  [
    "YAML that is a plain scalar",
    {
      from: join(bad, "scalar.yaml"),
      where: join(bad, "scalar.yaml"),
      want: /: is neither a JSON nor a YAML object \(a plain scalar\)/,
    },
  ],
  [
    "a Swagger 2.0 document",
    {
      from: join(bad, "swagger-2.json"),
      where: `${join(bad, "swagger-2.json")}#/swagger`,
      want: /: is Swagger 2\.0, not OpenAPI 3\.x$/,
    },
  ],
  [
    "a document without an openapi field",
    {
      from: join(bad, "no-openapi-field.json"),
      where: `${join(bad, "no-openapi-field.json")}#/openapi`,
      want: /: is not an OpenAPI 3\.x description/,
    },
  ],
  [
    "YAML with openapi: 2.0 (a number)",
    {
      from: join(bad, "openapi-2.yaml"),
      where: `${join(bad, "openapi-2.yaml")}#/openapi`,
      want: /: is not OpenAPI 3\.x \("openapi" is the number 2;/,
    },
  ],
  [
    'a document with openapi "2.0.0"',
    {
      from: join(bad, "openapi-2-string.json"),
      where: `${join(bad, "openapi-2-string.json")}#/openapi`,
      want: /: is OpenAPI 2\.0\.0; only 3\.x is supported$/,
    },
  ],
  [
    "a selection that matches nothing",
    {
      from: join(fixtures, "closure.json"),
      args: ["--select", "nothing/here"],
      where: `${join(fixtures, "closure.json")}#/paths`,
      want: /: selection x-github nothing\/here matched no operation$/,
    },
  ],
  [
    "an unknown --operation-id (named even when another id matches)",
    {
      from: join(fixtures, "closure.json"),
      args: ["--operation-id", "trees/list", "--operation-id", "no/such-op"],
      where: `${join(fixtures, "closure.json")}#/paths`,
      want: /: no operation has operationId no\/such-op$/,
    },
  ],
  [
    "a $ref that points nowhere (the pointer is the $ref's own place)",
    {
      from: join(bad, "dangling-ref.json"),
      args: ["--operation-id", "x/get"],
      where: `${join(bad, "dangling-ref.json")}#/paths/~1x/get/responses/200/content/application~1json/schema/$ref`,
      want: /: \$ref "#\/components\/schemas\/Missing" points nowhere$/,
    },
  ],
  [
    "an external $ref",
    {
      from: join(bad, "external-ref.json"),
      args: ["--operation-id", "x/get"],
      where: `${join(bad, "external-ref.json")}#/paths/~1x/get/parameters/0/$ref`,
      want: /: external \$ref "other\.json#\/x" is not supported/,
    },
  ],
  [
    "an npm source that is neither installed nor cached, offline",
    {
      from: "npm:@octokit/openapi@0.0.1-nope",
      args: ["--offline"],
      where: "npm:@octokit/openapi@0.0.1-nope",
      want: /: is not installed and not in the cache .+ \(offline: npm pack not tried\)$/,
    },
  ],
  [
    "an npm source that is not installed, with CODESPACES_SPEC_OFFLINE=1",
    {
      from: "npm:@octokit/openapi@0.0.1-nope",
      env: { CODESPACES_SPEC_OFFLINE: "1" },
      where: "npm:@octokit/openapi@0.0.1-nope",
      want: /: is not installed and not in the cache .+ \(offline: npm pack not tried\)$/,
    },
  ],
  [
    "an npm package that does not exist on the registry",
    {
      from: "npm:@codespaces-clients-test/no-such-package@1.0.0",
      where: "npm:@codespaces-clients-test/no-such-package@1.0.0",
      want: /: is not installed and could not be fetched \(npm pack: .+\)$/,
      timeout: 90_000,
    },
  ],
];

describe("extract fails loudly on bad input and leaves the output untouched", () => {
  test.each(failures)("%s", { timeout: 90_000 }, async (_name, c) => {
    const dir = await tempDir();
    const outDir = join(dir, "out");
    const cache = join(dir, "cache");
    await mkdir(outDir);
    await mkdir(cache);
    const out = join(outDir, "slice.json");
    await writeFile(out, "known slice bytes\n");
    await writeFile(join(outDir, "slice.provenance.json"), "known provenance bytes\n");
    const before = await snapshotTree(dir);

    const result = await runCli(["extract", "--from", c.from, ...(c.args ?? []), "--out", out], {
      cwd: dir,
      env: { CODESPACES_SPEC_CACHE: cache, ...c.env },
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`spec: error: ${c.where}: `)).toBe(true);
    expect(lines[0]).toMatch(c.want);
    expect(await snapshotTree(dir)).toEqual(before); // includes: no .pack-* or .tmp left behind
  });
});

describe("usage errors exit 2 and write nothing", () => {
  const usage: [string, { args: string[]; want: RegExp }][] = [
    ["no --out", { args: ["extract", "--from", "x.json"], want: /^spec: --out is required$/ }],
    ["no --from", { args: ["extract", "--out", "x.json"], want: /^spec: --from is required$/ }],
    [
      "--select together with --operation-id",
      {
        args: ["extract", "--from", "x.json", "--out", "o.json", "--select", "a/b", "--operation-id", "c"],
        want: /^spec: use either --select or --operation-id/,
      },
    ],
    [
      "--nullable-enum with an unknown mode",
      {
        args: ["extract", "--from", "x.json", "--out", "o.json", "--nullable-enum", "loose"],
        want: /^spec: --nullable-enum takes allow-null or strict$/,
      },
    ],
    [
      "an unknown option",
      {
        args: ["extract", "--from", "x.json", "--out", "o.json", "--frobnicate"],
        want: /^spec: Unknown option '--frobnicate'/,
      },
    ],
    ["an unknown command", { args: ["frobnicate"], want: /^spec: unknown command "frobnicate"$/ }],
  ];

  test.each(usage)("%s", async (_name, c) => {
    const dir = await tempDir();
    const result = await runCli(c.args, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toMatch(c.want);
    expect(result.stderr).toContain("usage:");
    expect(await snapshotTree(dir)).toEqual({});
  });
});
