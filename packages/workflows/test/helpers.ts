import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

/** The repository this package lives in. */
export const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export const fixtures = fileURLToPath(new URL("fixtures/", import.meta.url));

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temp folder, removed after the test file. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  made.push(dir);
  return dir;
}

/**
 * A minimal repository holding one fixture as its only workflow: package.json (pnpm@10.34.9,
 * scripts `version`, `release`, `test`), `scripts/ci/ok.mjs`, `scripts/release/ok.mjs` and `.ci/run`.
 */
export async function repositoryWith(fixture: string): Promise<string> {
  const root = await tempDir("workflow-fixture");
  await mkdir(join(root, ".github", "workflows"), { recursive: true });
  await mkdir(join(root, "scripts", "ci"), { recursive: true });
  await mkdir(join(root, "scripts", "release"), { recursive: true });
  await mkdir(join(root, ".ci"), { recursive: true });
  await writeFile(
    join(root, "package.json"),
    JSON.stringify({
      packageManager: "pnpm@10.34.9",
      scripts: { version: "changeset version", release: "changeset publish", test: "vitest run" },
    }),
  );
  await writeFile(join(root, "scripts", "ci", "ok.mjs"), "");
  await writeFile(join(root, "scripts", "release", "ok.mjs"), "");
  await writeFile(join(root, ".ci", "run"), "");
  await cp(join(fixtures, fixture), join(root, ".github", "workflows", fixture));
  return root;
}
