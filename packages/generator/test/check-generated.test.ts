import { execFile, execFileSync } from "node:child_process";
import { appendFileSync, cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT, listedVersions, tempRoot } from "./helpers.js";

const SCRIPT = join(REPO_ROOT, "scripts", "check-generated.mjs");
const FIX =
  "generated files are stale: run `pnpm generate` (and `pnpm spec update --mirror ../shared/github-descriptions` for spec/) and commit the result";
const LAST = listedVersions().at(-1)!;

const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    "git",
    ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args],
    { cwd, encoding: "utf8" },
  );

/** Runs the gate on `root` with the generator as built (generator#test depends on its build). */
async function check(root: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, "--root", root, "--no-build"], {
      encoding: "utf8",
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("scripts/check-generated.mjs", () => {
  let repo = "";
  beforeEach(() => {
    // A throwaway repository holding the committed-ready state of spec/ and the client packages.
    repo = tempRoot({ withPackages: true });
    writeFileSync(join(repo, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
    git(repo, "init", "--quiet");
    git(repo, "add", "-A");
    git(repo, "commit", "--quiet", "-m", "fixture");
  });

  it("exits 0 when regenerating changes nothing", async () => {
    const { code, stdout, stderr } = await check(repo);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/match what `pnpm generate` makes/);
  });

  it("exits 1 naming the file and the fix when a generated file was edited by hand and committed", async () => {
    const file = join("packages", `machines-${LAST}`, "src", "generated", "client.ts");
    appendFileSync(join(repo, file), "// hand edit\n");
    git(repo, "commit", "--quiet", "-am", "edit generated file");
    const { code, stderr } = await check(repo);
    expect(code).toBe(1);
    expect(stderr).toContain(` M ${file}`);
    expect(stderr).toContain(FIX);
  });

  it("exits 1 when a listed version has no committed package yet (untracked files)", async () => {
    rmSync(join(repo, "packages", `machines-${LAST}`), { recursive: true });
    git(repo, "commit", "--quiet", "-am", "drop package");
    const { code, stderr } = await check(repo);
    expect(code).toBe(1);
    expect(stderr).toContain(`?? packages/machines-${LAST}/package.json`);
    expect(stderr).toContain(FIX);
  });

  it("exits 1 when a package of a version no longer listed is still committed", async () => {
    cpSync(join(repo, "packages", `machines-${LAST}`), join(repo, "packages", "machines-2000-01-01"), {
      recursive: true,
    });
    git(repo, "add", "-A");
    git(repo, "commit", "--quiet", "-m", "stale package");
    const { code, stderr } = await check(repo);
    expect(code).toBe(1);
    expect(stderr).toContain(" D packages/machines-2000-01-01/package.json");
  });

  it("exits 1 with the generator's error when a slice is missing", async () => {
    rmSync(join(repo, "spec", "generated", LAST, "openapi.json"));
    const { code, stderr } = await check(repo);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `check-generated: error: pnpm generate failed: spec/generated/${LAST}/openapi.json: is missing for API version ${LAST}: run \`pnpm spec update\``,
    );
  });

  it("exits 1 when --root is not a repository root", async () => {
    const { code, stderr } = await check(join(repo, "packages"));
    expect(code).toBe(1);
    expect(stderr).toMatch(/spec\/sources\.json not found: --root must be the repository root/);
  });
});
