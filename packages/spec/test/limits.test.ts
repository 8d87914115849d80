import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { errorLines, fixtures, runCli, snapshotTree, tempDir } from "./helpers.js";

/**
 * Hostile input ends at a documented limit (packages/spec/README.md, "Limits"): exit 1, one line naming
 * the file and the pointer, nothing written. Each input is small, and each limit stops the work at
 * once, so no case depends on how fast the machine is.
 * Over 300 lines on purpose: one test per documented limit, kept beside the others it must agree with.
 */

/** A minimal description with one operation (`x/get`) and `extra` as further top-level text. */
const jsonDoc = (info: string) =>
  `{"openapi":"3.0.3","info":{"title":"t","version":"1","x-data":${info}},"paths":{"/x":{"get":{"operationId":"x/get","responses":{"200":{"description":"ok"}}}}}}`;
const yamlDoc = (extra: string) =>
  `openapi: 3.0.3\ninfo:\n  title: t\n  version: "1"\npaths:\n  /x:\n    get:\n      operationId: x/get\n      responses:\n        "200":\n          description: ok\n${extra}`;

/** A "billion laughs": ten anchors, each a list of ten aliases of the one before (10^9 nodes expanded). */
const aliasBomb = () => {
  let text = "x-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (let i = 1; i < 10; i++)
    text += `  a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(", ")}]\n`;
  return text;
};

interface Case {
  /** File name (its extension says JSON or YAML) and content. */
  readonly file: string;
  readonly content: () => string;
  /** The pointer the line names (after the file), or "" for none. */
  readonly pointer: string | RegExp;
  readonly want: RegExp;
}

const ptr0 = (prefix: string, n: number) => `${prefix}${"/0".repeat(n)}`;

const cases: [string, Case][] = [
  [
    "a YAML alias bomb (760 bytes)",
    {
      file: "bomb.yaml",
      content: () => yamlDoc(aliasBomb()),
      pointer: /^#\/x-bomb\/a\d(\/\d)+$/,
      want: /: YAML aliases expand to more than 100000 nodes \(the limit\)$/,
    },
  ],
  [
    "a YAML alias inside the node it names",
    {
      file: "self.yaml",
      content: () => yamlDoc("x-self: &s\n  again: *s\n"),
      pointer: "#/x-self/again",
      want: /: YAML alias \*s is inside the node it names \(a cycle, which JSON cannot hold\)$/,
    },
  ],
  [
    "a YAML alias inside a list it names, two levels down",
    {
      file: "self-list.yaml",
      content: () => yamlDoc("x-self: &s\n  - [1, *s]\n"),
      pointer: "#/x-self/0/1",
      want: /: YAML alias \*s is inside the node it names/,
    },
  ],
  [
    "YAML nested 300 levels (the parser copes; the limit is 256)",
    {
      file: "deep.yaml",
      content: () => yamlDoc(`x-deep: ${"[".repeat(300)}${"]".repeat(300)}\n`),
      pointer: ptr0("#/x-deep", 256),
      want: /: nests objects and arrays deeper than 256 levels \(the limit\)$/,
    },
  ],
  [
    "YAML nested 100,000 levels (the parser runs out of stack first)",
    {
      file: "deeper.yaml",
      content: () => yamlDoc(`x-deep: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`),
      pointer: "",
      want: /: nests too deeply for the YAML parser \(the limit is 256 levels of objects and arrays\)$/,
    },
  ],
  [
    "YAML block sequences nested 100,000 levels",
    {
      file: "deeper-block.yaml",
      content: () => yamlDoc(`x-deep:\n  ${"- ".repeat(100_000)}1\n`),
      pointer: "",
      want: /: nests too deeply for the YAML parser \(the limit is 256 levels of objects and arrays\)$/,
    },
  ],
  [
    "JSON nested 100,000 levels in a kept node",
    {
      file: "deep.json",
      content: () => jsonDoc(`${"[".repeat(100_000)}${"]".repeat(100_000)}`),
      pointer: ptr0("#/info/x-data", 255),
      want: /: nests objects and arrays deeper than 256 levels \(the limit\)$/,
    },
  ],
  [
    "JSON nested 300 levels of objects in a kept node",
    {
      file: "deep-objects.json",
      content: () => jsonDoc(`${'{"a":'.repeat(300)}1${"}".repeat(300)}`),
      pointer: `#/info/x-data${"/a".repeat(255)}`,
      want: /: nests objects and arrays deeper than 256 levels \(the limit\)$/,
    },
  ],
];

describe("hostile documents end at a limit with one line", () => {
  test.each(cases)("%s", async (_name, c) => {
    const dir = await tempDir();
    const source = join(dir, c.file);
    await writeFile(source, c.content());
    await mkdir(join(dir, "out"));
    const before = await snapshotTree(dir);
    const result = await runCli(
      ["extract", "--from", source, "--operation-id", "x/get", "--out", join(dir, "out", "s.json")],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines, result.stderr.slice(0, 2000)).toHaveLength(1);
    const line = lines[0]!;
    expect(line.startsWith(`spec: error: ${source}`)).toBe(true);
    const [where, ...rest] = line.slice(`spec: error: ${source}`.length).split(": ");
    if (typeof c.pointer === "string") expect(where).toBe(c.pointer);
    else expect(where).toMatch(c.pointer);
    expect(`: ${rest.join(": ")}`).toMatch(c.want);
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe("sizes: CODESPACES_SPEC_MAX_BYTES bounds every source", () => {
  test("a file larger than the limit is refused before it is read", async () => {
    const dir = await tempDir();
    const source = join(dir, "big.json");
    await writeFile(source, jsonDoc(`"${"x".repeat(2000)}"`));
    const result = await runCli(
      ["extract", "--from", source, "--operation-id", "x/get", "--out", join(dir, "s.json")],
      { cwd: dir, env: { CODESPACES_SPEC_MAX_BYTES: "1000" } },
    );
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^spec: error: ${source}: is \\d+ bytes, more than the limit of 1000 bytes \\(CODESPACES_SPEC_MAX_BYTES\\)$`,
        ),
      ),
    ]);
    expect(Object.keys(await snapshotTree(dir))).toEqual(["big.json"]);
  });

  test("an endless FIFO is read only up to the limit", async () => {
    const dir = await tempDir();
    const fifo = join(dir, "endless.json");
    execFileSync("mkfifo", [fifo]);
    // A writer that never ends by itself; reading stops at the limit, then the writer gets EPIPE and ends.
    const writer = (await import("node:child_process")).spawn(
      process.execPath,
      [
        "-e",
        `const fs=require("fs");const fd=fs.openSync(${JSON.stringify(fifo)},"w");const b=Buffer.alloc(65536,32);try{for(let i=0;i<1e5;i++)fs.writeSync(fd,b)}catch{}`,
      ],
      { stdio: "ignore" },
    );
    try {
      const result = await runCli(
        ["extract", "--from", fifo, "--operation-id", "x/get", "--out", join(dir, "s.json")],
        { cwd: dir, env: { CODESPACES_SPEC_MAX_BYTES: "100000" } },
      );
      expect(result.code).toBe(1);
      expect(errorLines(result.stderr)).toEqual([
        `spec: error: ${fifo}: is more than the limit of 100000 bytes (CODESPACES_SPEC_MAX_BYTES); reading stopped there`,
      ]);
    } finally {
      writer.kill();
    }
  });
});

describe("settings from the environment are checked where they are given", () => {
  const bad: [string, { env: Record<string, string>; want: string }][] = [
    [
      "an empty CODESPACES_SPEC_TIMEOUT_MS",
      {
        env: { CODESPACES_SPEC_TIMEOUT_MS: "" },
        want: "CODESPACES_SPEC_TIMEOUT_MS: is set but empty; set a positive integer (milliseconds) or unset it",
      },
    ],
    [
      "CODESPACES_SPEC_TIMEOUT_MS=0",
      {
        env: { CODESPACES_SPEC_TIMEOUT_MS: "0" },
        want: 'CODESPACES_SPEC_TIMEOUT_MS: must be a positive integer (milliseconds) of at most 2147483647, not "0"',
      },
    ],
    [
      "CODESPACES_SPEC_TIMEOUT_MS=1e3",
      {
        env: { CODESPACES_SPEC_TIMEOUT_MS: "1e3" },
        want: 'CODESPACES_SPEC_TIMEOUT_MS: must be a positive integer (milliseconds) of at most 2147483647, not "1e3"',
      },
    ],
    [
      "CODESPACES_SPEC_TIMEOUT_MS beyond a timer's range",
      {
        env: { CODESPACES_SPEC_TIMEOUT_MS: "9999999999" },
        want: 'CODESPACES_SPEC_TIMEOUT_MS: must be a positive integer (milliseconds) of at most 2147483647, not "9999999999"',
      },
    ],
    [
      "an empty CODESPACES_SPEC_MAX_BYTES",
      {
        env: { CODESPACES_SPEC_MAX_BYTES: " " },
        want: "CODESPACES_SPEC_MAX_BYTES: is set but empty; set a positive integer (bytes) or unset it",
      },
    ],
    [
      "CODESPACES_SPEC_MAX_BYTES=-5",
      {
        env: { CODESPACES_SPEC_MAX_BYTES: "-5" },
        want: "CODESPACES_SPEC_MAX_BYTES: must be a positive integer (bytes) of at most",
      },
    ],
    [
      "CODESPACES_SPEC_OFFLINE=yes",
      { env: { CODESPACES_SPEC_OFFLINE: "yes" }, want: 'CODESPACES_SPEC_OFFLINE: must be 1 or 0, not "yes"' },
    ],
    [
      "an empty CODESPACES_SPEC_CACHE",
      { env: { CODESPACES_SPEC_CACHE: "" }, want: "CODESPACES_SPEC_CACHE: is set but empty; set a folder or unset it" },
    ],
    [
      "an empty CODESPACES_SPEC_MIRROR",
      {
        env: { CODESPACES_SPEC_MIRROR: "" },
        want: "CODESPACES_SPEC_MIRROR: is set but empty; set a folder or unset it",
      },
    ],
  ];

  test.each(bad)("%s: exit 1, one line naming the variable, before any work", async (_name, c) => {
    const dir = await tempDir();
    const result = await runCli(
      [
        "extract",
        "--from",
        join(fixtures, "closure.json"),
        "--operation-id",
        "trees/list",
        "--out",
        join(dir, "s.json"),
      ],
      { cwd: dir, env: c.env },
    );
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`spec: error: ${c.want}`), lines[0]).toBe(true);
    expect(await snapshotTree(dir)).toEqual({});
  });
});

describe("sources are what they say, and stay inside their roots", () => {
  test("--from ftp://user:pw@… is refused by its scheme, without the password", async () => {
    const dir = await tempDir();
    const result = await runCli(
      ["extract", "--from", "ftp://user:s3cr3t-pw@127.0.0.1/x.json", "--out", join(dir, "s.json")],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      'spec: error: ftp://127.0.0.1/x.json: unsupported source scheme "ftp:" (use a path, http(s):// or npm:)',
    ]);
    expect(result.stderr).not.toContain("s3cr3t");
  });

  test("spec diff and spec update --from refuse an unsupported scheme the same way", async () => {
    const dir = await tempDir();
    const diff = await runCli(["diff", join(fixtures, "closure.json"), "file:///etc/x.json"], { cwd: dir });
    expect(diff.code).toBe(1);
    expect(errorLines(diff.stderr)).toEqual([
      'spec: error: file:///etc/x.json: unsupported source scheme "file:" (use a path, http(s):// or npm:)',
    ]);
    const update = await runCli(
      ["update", "--from", "ftp://u:s3cr3t-pw@h/x.json", "--version", "2022-11-28", "--spec-dir", join(dir, "spec")],
      { cwd: dir },
    );
    expect(update.code).toBe(1);
    expect(errorLines(update.stderr)).toEqual([
      'spec: error: ftp://h/x.json: unsupported source scheme "ftp:" (use a path, http(s):// or npm:)',
    ]);
  });

  test("npm:<name>@<version>/../../x --offline is not an npm version: nothing outside the cache is read", async () => {
    const dir = await tempDir();
    const cache = join(dir, "cache");
    await mkdir(cache);
    // What the traversal would reach: a valid description outside the cache.
    await mkdir(join(dir, "x"));
    await writeFile(join(dir, "x", "f"), jsonDoc("1"));
    const spec = "npm:foo@1.0.0/../../x#f";
    const result = await runCli(
      ["extract", "--from", spec, "--offline", "--operation-id", "x/get", "--out", join(dir, "s.json")],
      { cwd: dir, env: { CODESPACES_SPEC_CACHE: cache } },
    );
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      `spec: error: ${spec}: version "1.0.0/../../x" is not an npm version, range or tag`,
    ]);
  });

  test("npm:<name>@<version>#<file> with an absolute or dotted file is refused", async () => {
    for (const spec of ["npm:foo@1.0.0#/etc/passwd", "npm:foo@1.0.0#a/./b", "npm:foo@1.0.0#a//b"]) {
      const result = await runCli(["extract", "--from", spec, "--offline", "--out", "s.json"], {
        cwd: await tempDir(),
      });
      expect(result.code).toBe(1);
      expect(errorLines(result.stderr)).toEqual([
        `spec: error: ${spec}: the file inside the package must be a relative path without '.', '..' or empty segments`,
      ]);
    }
  });
});
