import { execFile } from "node:child_process";
import { chmod, cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "./helpers.js";

const execFileAsync = promisify(execFile);
const OLD = "a".repeat(40);
const NEW = "b".repeat(40);

/**
 * A stand-in for `npx`, first on PATH: it checks it was asked for the repository's pnpm, logs its
 * arguments, and plays `pnpm spec update` / `pnpm test` as $FAKE_UPDATE / $FAKE_TEST say — the
 * same files the real `spec update` writes, in a temp repository.
 */
const FAKE_NPX = `#!/usr/bin/env node
const fs = require("node:fs");
const [yes, pnpm, ...args] = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify([yes, pnpm, ...args]) + "\\n");
if (yes !== "--yes" || pnpm !== "pnpm@10.34.9") { console.error("fake npx: unexpected " + yes + " " + pnpm); process.exit(9); }
const write = (p, text) => fs.writeFileSync(p, text);
const movePin = () => write("spec/sources.json", fs.readFileSync("spec/sources.json", "utf8").replace("${OLD}", "${NEW}"));
if (args[0] === "spec") {
  const mode = process.env.FAKE_UPDATE;
  console.log("2026-03-10  fetched https://raw.githubusercontent.com/github/rest-api-description/${NEW}/…");
  if (mode === "fail") { console.error("spec: error: https://api.github.com/repos/github/rest-api-description/commits/main: cannot resolve --ref main (HTTP 403)"); process.exit(1); }
  if (mode === "unchanged") { console.log("2026-03-10  classified: unchanged"); console.log("spec/ is up to date: nothing written"); process.exit(0); }
  if (mode === "pin-only") { movePin(); write("spec/generated/2026-03-10/provenance.json", '{"commit":"${NEW}"}\\n'); console.log("2026-03-10  classified: unchanged"); process.exit(0); }
  movePin();
  write("spec/generated/2026-03-10/openapi.json", '{"changed":true}\\n');
  write(".changeset/machines-2026-03-10-spec-bbbbbbb.md", '---\\n"@codespaces-clients/machines-2026-03-10": minor\\n---\\n\\nUpdate to GitHub\\'s REST API description at \`bbbbbbb\` (API version 2026-03-10): 0 major, 1 minor, 0 patch change(s).\\n\\n- **minor** \`codespaces/repo-machines-for-authenticated-user\` response 200: enum value added\\n');
  console.log("2026-03-10  classified: minor (1 change: 0 major, 1 minor, 0 patch)");
  console.log("wrote .changeset/machines-2026-03-10-spec-bbbbbbb.md");
  console.log("generate: pnpm generate");
  console.log("TURBO-NOISE that is not part of the report");
  process.exit(0);
}
if (args[0] === "test") {
  console.log("lots of test output");
  if (process.env.FAKE_TEST === "fail") { console.log("tests: 10 passed, 2 failed, 0 skipped"); process.exit(1); }
  console.log("tests: 12 passed, 0 failed, 0 skipped");
  process.exit(0);
}
console.error("fake npx: unexpected " + args.join(" ")); process.exit(9);
`;

interface Run {
  code: number;
  stderr: string;
  calls: string[][];
  outputs: Record<string, string>;
  root: string;
  bodyPath: string;
}

/** A temp git repository with spec/, .changeset/ and the script, committed; then one run of it. */
async function runDrift(
  env: Record<string, string>,
  args: string[] = [],
  prepare?: (root: string) => Promise<void>,
): Promise<Run> {
  const root = await tempDir("spec-drift-repo");
  const bin = join(root, ".fake-bin");
  await mkdir(join(root, "scripts", "ci"), { recursive: true });
  await mkdir(join(root, "spec", "generated", "2026-03-10"), { recursive: true });
  await mkdir(join(root, ".changeset"), { recursive: true });
  await mkdir(bin, { recursive: true });
  await cp(join(repoRoot, "scripts", "ci", "spec-drift.mjs"), join(root, "scripts", "ci", "spec-drift.mjs"));
  await writeFile(join(root, "package.json"), JSON.stringify({ private: true, packageManager: "pnpm@10.34.9" }));
  await writeFile(
    join(root, "spec", "sources.json"),
    JSON.stringify({ versions: [{ version: "2026-03-10", commit: OLD }] }, null, 2),
  );
  await writeFile(join(root, "spec", "generated", "2026-03-10", "openapi.json"), "{}\n");
  await writeFile(join(root, "spec", "generated", "2026-03-10", "provenance.json"), `{"commit":"${OLD}"}\n`);
  await writeFile(join(root, ".changeset", "README.md"), "# Changesets\n");
  await writeFile(join(root, ".gitignore"), ".fake-bin/\n.cache/\nlog\noutputs\n");
  await writeFile(join(bin, "npx"), FAKE_NPX);
  await chmod(join(bin, "npx"), 0o755);
  const git = (...a: string[]) =>
    execFileAsync("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", ...a], { cwd: root });
  await git("init", "-q", "-b", "main");
  await git("add", "-A");
  await git("commit", "-q", "-m", "fixture");
  await prepare?.(root);
  const log = join(root, "log");
  const outputs = join(root, "outputs");
  await writeFile(log, "");
  await writeFile(outputs, "");
  const bodyPath = join(root, ".cache", "body.md");
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(SPEC_DRIFT_REF|GITHUB_OUTPUT|npm_|INIT_CWD)/i.test(k)) clean[k] = v;
  let code = 0;
  let stderr = "";
  try {
    ({ stderr } = await execFileAsync(
      process.execPath,
      [join(root, "scripts", "ci", "spec-drift.mjs"), "--body", bodyPath, ...args],
      {
        cwd: root,
        env: { ...clean, PATH: `${bin}${delimiter}${process.env.PATH}`, FAKE_LOG: log, GITHUB_OUTPUT: outputs, ...env },
      },
    ));
  } catch (error) {
    ({ code, stderr } = error as { code: number; stderr: string });
  }
  const calls = (await readFile(log, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);
  const pairs = (await readFile(outputs, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]);
  return { code, stderr, calls, outputs: Object.fromEntries(pairs), root, bodyPath };
}

describe("spec-drift when upstream has not moved", () => {
  it("runs `pnpm spec update --ref main --no-test`, exits 0 and writes no pull-request body", async () => {
    const run = await runDrift({ FAKE_UPDATE: "unchanged" });
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([["--yes", "pnpm@10.34.9", "spec", "update", "--ref", "main", "--no-test"]]);
    expect(existsSync(run.bodyPath)).toBe(false);
    expect(run.outputs).toEqual({ changed: "false", tests: "skipped" });
    expect(run.stderr).toContain("spec-drift: spec/ matches upstream main: no pull request");
  });

  it("a pin that moved while the selected operations are byte-identical is not drift", async () => {
    const run = await runDrift({ FAKE_UPDATE: "pin-only" });
    expect(run.code).toBe(0);
    expect(existsSync(run.bodyPath)).toBe(false);
    expect(run.outputs.changed).toBe("false");
    expect(run.stderr).toContain("the selected operations are byte-identical: no pull request");
  });

  it("takes the ref from --ref, else $SPEC_DRIFT_REF", async () => {
    expect((await runDrift({ FAKE_UPDATE: "unchanged", SPEC_DRIFT_REF: "v1.2.3" })).calls[0]).toContain("v1.2.3");
    expect(
      (await runDrift({ FAKE_UPDATE: "unchanged", SPEC_DRIFT_REF: "v1.2.3" }, ["--ref", "0123abc"])).calls[0],
    ).toContain("0123abc");
  });
});

describe("spec-drift when upstream moved", () => {
  it("runs the tests and writes the pull-request body: the changesets, the report, the test result", async () => {
    const run = await runDrift({ FAKE_UPDATE: "changed" });
    expect(run.code).toBe(0);
    expect(run.calls.map((c) => c.slice(2, 4))).toEqual([["spec", "update"], ["test"]]);
    expect(run.outputs).toEqual({
      changed: "true",
      title: "Spec: GitHub's REST API description at bbbbbbb",
      "body-path": run.bodyPath,
      tests: "passed",
    });
    const body = await readFile(run.bodyPath, "utf8");
    expect(body).toContain("`pnpm spec update --ref main` found changes");
    expect(body).toContain(
      "#### `.changeset/machines-2026-03-10-spec-bbbbbbb.md` — `@codespaces-clients/machines-2026-03-10` minor",
    );
    expect(body).toContain(
      "- **minor** `codespaces/repo-machines-for-authenticated-user` response 200: enum value added",
    );
    expect(body).toContain("2026-03-10  classified: minor (1 change: 0 major, 1 minor, 0 patch)");
    expect(body).toContain("`pnpm test` passed on the updated tree.");
    expect(body).not.toContain("TURBO-NOISE"); // the generate step's output is not the report
  });

  it("failing tests: the body says so, the outputs ask for a draft, and the run fails", async () => {
    const run = await runDrift({ FAKE_UPDATE: "changed", FAKE_TEST: "fail" });
    expect(run.code).toBe(1);
    expect(run.outputs.tests).toBe("failed");
    expect(run.outputs.changed).toBe("true");
    const body = await readFile(run.bodyPath, "utf8");
    expect(body).toContain("`pnpm test` **failed** (exit 1)");
    expect(body).toContain("tests: 10 passed, 2 failed, 0 skipped");
    expect(run.stderr).toContain("spec-drift: error: `pnpm test` exited with 1");
  });

  it("--no-test skips the tests", async () => {
    const run = await runDrift({ FAKE_UPDATE: "changed" }, ["--no-test"]);
    expect(run.code).toBe(0);
    expect(run.calls).toHaveLength(1);
    expect(run.outputs.tests).toBe("skipped");
  });
});

describe("spec-drift errors are loud", () => {
  it("a failing `spec update` exits 1 with one line carrying its error, and no body", async () => {
    const run = await runDrift({ FAKE_UPDATE: "fail" });
    expect(run.code).toBe(1);
    expect(existsSync(run.bodyPath)).toBe(false);
    expect(run.outputs).toEqual({});
    const last = run.stderr.trim().split("\n").at(-1);
    expect(last).toBe(
      "spec-drift: error: `pnpm spec update --ref main` exited with 1: spec: error: https://api.github.com/repos/github/rest-api-description/commits/main: cannot resolve --ref main (HTTP 403)",
    );
  });

  it("uncommitted changes in spec/ stop it before anything runs", async () => {
    const run = await runDrift({ FAKE_UPDATE: "changed" }, [], (root) =>
      writeFile(join(root, "spec", "sources.json"), "{}\n"),
    );
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain("spec/ and .changeset/ must be committed first");
    expect(run.stderr).toContain("spec/sources.json");
  });

  it("a ref that is not a name is a usage error (exit 2)", async () => {
    const run = await runDrift({ FAKE_UPDATE: "unchanged" }, ["--ref", "main; rm -rf /"]);
    expect(run.code).toBe(2);
    expect(run.calls).toEqual([]);
  });
});
