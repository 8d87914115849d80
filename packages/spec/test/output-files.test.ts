import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { SpecError, writeFilesAtomically } from "../src/index.js";
import { errorLines, fixtureMirror, fixtureSpecCopy, fixtures, runCli, snapshotTree, tempDir } from "./helpers.js";

const closure = join(fixtures, "closure.json");
const extract = (out: string, cwd: string) =>
  runCli(["extract", "--from", closure, "--operation-id", "trees/list", "--out", out], { cwd });

/**
 * Every entry below `dir` with its kind, and the bytes of regular files (`snapshotTree` reads every
 * entry, and reading a FIFO without a writer would wait for ever).
 */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      const name = relative(dir, p);
      if (entry.isDirectory()) {
        out[`${name}/`] = "directory";
        await walk(p);
      } else if (entry.isSymbolicLink()) out[name] = `link -> ${await readlink(p)}`;
      else if (entry.isFIFO()) out[name] = "fifo";
      else if (entry.isFile()) out[name] = `file: ${await readFile(p, "latin1")}`;
      else out[name] = "other";
    }
  };
  await walk(dir);
  return out;
}

describe("extract --out replaces only a regular file (or a symlink to one), and writes the slice and its provenance together or not at all", () => {
  // Never /dev/null or another real device: a FIFO or a folder in a temp folder stands for them.
  const refusals: [string, { prepare: (dir: string) => Promise<void>; out: string; names: string; want: RegExp }][] = [
    [
      "--out names a FIFO",
      {
        prepare: async (d) => void execFileSync("mkfifo", [join(d, "s.json")]),
        out: "s.json",
        names: "s.json",
        want: /: is a FIFO, not a regular file; refusing to replace it$/,
      },
    ],
    [
      "--out names a directory",
      {
        prepare: (d) => mkdir(join(d, "s.json")).then(() => undefined),
        out: "s.json",
        names: "s.json",
        want: /: is a directory, not a regular file; refusing to replace it$/,
      },
    ],
    [
      "--out names a symlink to a FIFO",
      {
        prepare: async (d) => {
          execFileSync("mkfifo", [join(d, "pipe")]);
          await symlink("pipe", join(d, "s.json"));
        },
        out: "s.json",
        names: "s.json",
        want: /: is a symlink to a FIFO, not a regular file; refusing to replace it$/,
      },
    ],
    [
      "--out names a dangling symlink",
      {
        prepare: (d) => symlink("nowhere", join(d, "s.json")),
        out: "s.json",
        names: "s.json",
        want: /: is a symlink to nothing \(ENOENT\), not a regular file; refusing to replace it$/,
      },
    ],
    [
      "the provenance file's name is taken by a directory (the slice must not be written without it)",
      {
        prepare: (d) => mkdir(join(d, "s.provenance.json")).then(() => undefined),
        out: "s.json",
        names: "s.provenance.json",
        want: /: is a directory, not a regular file; refusing to replace it$/,
      },
    ],
    [
      "--out lies below a regular file",
      {
        prepare: (d) => writeFile(join(d, "file"), "x\n"),
        out: "file/s.json",
        names: "file/s.json",
        want: /: cannot be written \((ENOTDIR|EEXIST): [^)]+\)$/,
      },
    ],
  ];

  test.each(refusals)("%s: exit 1, one line naming the path, nothing written, no temp file left", async (_name, c) => {
    const dir = await tempDir();
    await c.prepare(dir);
    const before = await tree(dir);
    const result = await extract(join(dir, c.out), dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = errorLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]!.startsWith(`spec: error: ${join(dir, c.names)}: `), lines[0]).toBe(true);
    expect(lines[0]).toMatch(c.want);
    expect(await tree(dir)).toEqual(before);
  });

  test("--out names a symlink to a regular file: the file it names is replaced and the link stays a link", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "real"));
    await writeFile(join(dir, "real", "slice.json"), "old slice\n");
    await symlink(join("real", "slice.json"), join(dir, "s.json"));
    const result = await extract(join(dir, "s.json"), dir);
    expect(result.code, result.stderr).toBe(0);
    const after = await tree(dir);
    expect(Object.keys(after).sort()).toEqual(["real/", "real/slice.json", "s.json", "s.provenance.json"]);
    expect(after["s.json"]).toBe("link -> real/slice.json");
    expect(JSON.parse(await readFile(join(dir, "real", "slice.json"), "utf8"))).toMatchObject({ openapi: "3.0.3" });
  });
});

describe("spec update writes its whole set or nothing", () => {
  test("a provenance file replaced by a directory: exit 1, one line naming it, the stale slice beside it not rewritten", async () => {
    const ws = await tempDir("spec-update-");
    const specDir = await fixtureSpecCopy(ws);
    const slice = join(specDir, "generated", "2026-03-10", "openapi.json");
    const provenance = join(specDir, "generated", "2026-03-10", "provenance.json");
    // Same content, other bytes: the update wants to rewrite the slice, and its provenance.
    await writeFile(slice, JSON.stringify(JSON.parse(await readFile(slice, "utf8"))));
    await rm(provenance);
    await mkdir(provenance);
    const before = await snapshotTree(ws);
    const result = await runCli(["update", "--spec-dir", specDir, "--mirror", fixtureMirror, "--no-test"], { cwd: ws });
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      `spec: error: ${provenance}: is a directory, not a regular file; refusing to replace it`,
    ]);
    expect(await snapshotTree(ws)).toEqual(before);
  });
});

/** Whether this process may make a file immutable (root on a filesystem with chattr): the one way to make a rename fail here. */
function canMakeImmutable(dir: string): boolean {
  try {
    const probe = join(dir, "probe");
    execFileSync("touch", [probe]);
    execFileSync("chattr", ["+i", probe], { stdio: "ignore" });
    execFileSync("chattr", ["-i", probe], { stdio: "ignore" });
    execFileSync("rm", [probe]);
    return true;
  } catch {
    return false;
  }
}

describe("writeFilesAtomically", () => {
  test("a rename that fails after another succeeded puts the first file back: old bytes, no temp or backup file", async (context) => {
    const dir = await tempDir();
    if (!canMakeImmutable(dir)) {
      context.skip("skipped: needs root and chattr to make a rename fail");
      return;
    }
    const first = join(dir, "a.json");
    const second = join(dir, "b.json");
    await writeFile(first, "old a\n");
    await writeFile(second, "old b\n");
    execFileSync("chattr", ["+i", second]); // rename over it fails with EPERM, even for root
    try {
      const before = await snapshotTree(dir);
      const error = await writeFilesAtomically([
        { path: first, content: "new a\n" },
        { path: second, content: "new b\n" },
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpecError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^${second.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: cannot be written \\(EPERM: operation not permitted\\)$`,
        ),
      );
      expect(await snapshotTree(dir)).toEqual(before);
    } finally {
      execFileSync("chattr", ["-i", second]);
    }
  });

  test("a folder that cannot be made fails before anything is renamed, and the folders made on the way are removed", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "file"), "x\n");
    await writeFile(join(dir, "kept.json"), "old\n");
    const before = await snapshotTree(dir);
    const error = await writeFilesAtomically([
      { path: join(dir, "kept.json"), content: "new\n" },
      { path: join(dir, "new", "deeper", "x.json"), content: "x\n" },
      { path: join(dir, "file", "x.json"), content: "x\n" },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message).toMatch(/file\/x\.json: cannot be written \((ENOTDIR|EEXIST): [^)]+\)$/);
    expect(await snapshotTree(dir)).toEqual(before);
  });
});
