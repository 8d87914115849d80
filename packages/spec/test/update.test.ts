import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  descriptionPath,
  errorLines,
  fixtureMirror as mirror,
  fixtureSpec,
  fixtureSpecCopy,
  runCli,
  snapshotTree,
  tempDir,
} from "./helpers.js";

interface Sources {
  versions: { version: string; commit: string }[];
  [key: string]: unknown;
}

/** A private copy of the tests' spec/ folder (built from the fixture), so `update` can write into it. */
const specCopy = async () => fixtureSpecCopy(await tempDir("spec-update-"));

async function editSources(specDir: string, edit: (s: Sources) => unknown): Promise<void> {
  const file = join(specDir, "sources.json");
  const sources = JSON.parse(await readFile(file, "utf8")) as Sources;
  await writeFile(file, `${JSON.stringify(edit(sources) ?? sources, null, 2)}\n`);
}

describe("update from a mirror folder (the fixture)", () => {
  const runs: [string, { args: string[]; env?: Record<string, string> }][] = [
    ["--mirror", { args: ["--mirror", mirror] }],
    ["CODESPACES_SPEC_MIRROR", { args: [], env: { CODESPACES_SPEC_MIRROR: mirror } }],
  ];

  test.each(runs)(
    "running it again (mirror from %s) changes nothing: every file reported unchanged, bytes identical",
    async (_name, c) => {
      const specDir = await specCopy();
      const built = await snapshotTree(fixtureSpec());
      const result = await runCli(["update", "--spec-dir", specDir, ...c.args], {
        cwd: dirname(specDir),
        ...(c.env ? { env: c.env } : {}),
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/unchanged/);
      expect(result.stdout).not.toMatch(/^wrote /m);
      expect(await snapshotTree(specDir)).toEqual(built);
      expect(await readdir(dirname(specDir))).toEqual(["spec"]); // nothing written beside it either
    },
  );

  test("a version removed from sources.json has its folder removed; the others stay unchanged", async () => {
    const specDir = await specCopy();
    await editSources(specDir, (s) => void (s.versions = s.versions.filter((v) => v.version !== "2026-03-10")));
    const before = await snapshotTree(specDir);
    const result = await runCli(["update", "--spec-dir", specDir, "--mirror", mirror], { cwd: dirname(specDir) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^removed .*generated\/2026-03-10 \(no longer in sources\.json\)$/m);
    const after = await snapshotTree(specDir);
    const expected = Object.fromEntries(Object.entries(before).filter(([p]) => !p.startsWith("generated/2026-03-10")));
    expect(after).toEqual(expected);
  });

  test("a slice that differs from the one in spec/ is rewritten, and only that file is reported as written", async () => {
    const specDir = await specCopy();
    const slice = join(specDir, "generated", "2026-03-10", "openapi.json");
    await writeFile(slice, "{}\n");
    const result = await runCli(["update", "--spec-dir", specDir, "--mirror", mirror], { cwd: dirname(specDir) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/^wrote .*generated\/.*$/gm)).toEqual([
      expect.stringMatching(/generated\/2026-03-10\/openapi\.json$/),
    ]);
    expect(await snapshotTree(specDir)).toEqual(await snapshotTree(fixtureSpec()));
  });

  test("a version whose mirror file is missing fails the run and writes nothing for any version", async () => {
    const specDir = await specCopy();
    await editSources(specDir, (s) => void s.versions.push({ version: "2030-01-01", commit: "a".repeat(40) }));
    // Make the good versions stale, so a partial run would show: one changed, one missing, plus a
    // folder that a completed run would remove.
    await writeFile(join(specDir, "generated", "2022-11-28", "openapi.json"), "stale\n");
    await cp(join(specDir, "generated", "2026-03-10"), join(specDir, "generated", "2019-01-01"), { recursive: true });
    await writeFile(join(specDir, "generated", "2026-03-10", "provenance.json"), "stale too\n");
    const before = await snapshotTree(specDir);

    const result = await runCli(["update", "--spec-dir", specDir, "--mirror", mirror], { cwd: dirname(specDir) });
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toEqual([`spec: error: ${descriptionPath(mirror, "2030-01-01")}: cannot be read (ENOENT)`]);
    expect(await snapshotTree(specDir)).toEqual(before);
    expect(await readdir(dirname(specDir))).toEqual(["spec"]);
  });
});

describe("update rejects a bad request or config before touching anything", () => {
  const failures: [
    string,
    { edit?: (s: Sources) => unknown; raw?: string; args?: string[]; pointer: string; want: RegExp },
  ][] = [
    [
      "an unknown API version (--version 2099-01-01)",
      {
        args: ["--version", "2099-01-01"],
        pointer: "#/versions",
        want: /: unknown API version 2099-01-01 \(known: 2022-11-28, 2026-03-10\)$/,
      },
    ],
    [
      "a commit that is not a 40-hex sha",
      {
        edit: (s) => void (s.versions[0]!.commit = "main"),
        pointer: "#/versions/0/commit",
        want: /: must match pattern/,
      },
    ],
    [
      "a version that is not a date",
      {
        edit: (s) => void (s.versions[1]!.version = "latest"),
        pointer: "#/versions/1/version",
        want: /: must match pattern/,
      },
    ],
    [
      "a version that is not a real date (2022-13-45)",
      {
        edit: (s) => void (s.versions[1]!.version = "2022-13-45"),
        pointer: "#/versions/1/version",
        want: /: version 2022-13-45 is not a real date \(YYYY-MM-DD\)$/,
      },
    ],
    [
      "an upstream.path that climbs out of the mirror with ../",
      {
        edit: (s) => void ((s.upstream as { path: string }).path = "../../outside/api.github.com.{version}.json"),
        pointer: "#/upstream/path",
        want: /: "\.\.\/\.\.\/outside\/api\.github\.com\.\{version\}\.json" must be a relative path without empty, '\.' or '\.\.' segments, backslashes or '%'$/,
      },
    ],
    [
      "an upstream.repository named ..",
      {
        edit: (s) => void ((s.upstream as { repository: string }).repository = "github/.."),
        pointer: "#/upstream/repository",
        want: /: must match pattern/,
      },
    ],
    [
      "the same version listed twice",
      {
        edit: (s) => void s.versions.push({ ...s.versions[0]! }),
        pointer: "#/versions/2/version",
        want: /: version 2022-11-28 is listed twice$/,
      },
    ],
    [
      "no selection",
      { edit: (s) => void delete s.selection, pointer: "#", want: /: must have required property 'selection'$/ },
    ],
    [
      "an unknown top-level field",
      { edit: (s) => void (s.extra = true), pointer: "#", want: /: must NOT have additional properties$/ },
    ],
    ["sources.json that is not JSON", { raw: "{ versions: [", pointer: "", want: /: is not valid JSON \(.+\)$/ }],
  ];

  test.each(failures)("%s", async (_name, c) => {
    const specDir = await specCopy();
    if (c.edit) await editSources(specDir, c.edit);
    if (c.raw !== undefined) await writeFile(join(specDir, "sources.json"), c.raw);
    await mkdir(join(specDir, "generated", "2019-01-01")); // a completed run would remove it
    const before = await snapshotTree(specDir);
    // These fail before anything is read from the mirror.
    const result = await runCli(
      ["update", "--spec-dir", specDir, "--mirror", join(dirname(specDir), "no-such-mirror"), ...(c.args ?? [])],
      { cwd: dirname(specDir) },
    );
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`spec: error: ${join(specDir, "sources.json")}${c.pointer}: `)).toBe(true);
    expect(lines[0]).toMatch(c.want);
    expect(await snapshotTree(specDir)).toEqual(before);
    expect(await readdir(dirname(specDir))).toEqual(["spec"]);
  });
});
