import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

const pkg = fileURLToPath(new URL("..", import.meta.url));

declare module "vitest" {
  export interface ProvidedContext {
    /** A `spec/` folder built by the CLI from the tests' own fixture (see `fixtureSpec` in helpers.ts). */
    fixtureSpec: string;
  }
}

/** Every `.ts` file below `dir` (relative paths). */
function sourcesBelow(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesBelow(dir, join(prefix, e.name)) : e.name.endsWith(".ts") ? [join(prefix, e.name)] : [],
  );
}

/** This package, and the workspace package its dist/ imports at run time. */
const BUILT = [fileURLToPath(new URL("../../openapi-model", import.meta.url)), pkg];

/** True when every src/**.ts has a dist/**.js at least as new (turbo's `build` ran, or nothing changed). */
function distIsFresh(dir: string): boolean {
  const newest = Math.max(
    ...["tsconfig.build.json", "../../tsconfig.base.json"].map((f) => statSync(join(dir, f)).mtimeMs),
  );
  return sourcesBelow(join(dir, "src")).every((f) => {
    const js = join(dir, "dist", f.replace(/\.ts$/, ".js"));
    if (!existsSync(js)) return false;
    const built = statSync(js).mtimeMs;
    return built >= statSync(join(dir, "src", f)).mtimeMs && built >= newest;
  });
}

/**
 * The CLI tests spawn `node dist/cli.js`, so dist/ must match src/. Under turbo, `test` depends on
 * `build` and dist/ is fresh: it is left alone (other packages' tasks may be reading it). Run on its
 * own (`pnpm --filter @codespaces-clients/spec test`, `vitest run`), a stale dist/ is rebuilt first.
 *
 * Then the tests' own `spec/` is built once, the way the project builds its real one: the CLI's
 * `update` reads the fixture mirror (test/fixtures/github-descriptions) with the fixture
 * sources.json. Tests read or copy it (`fixtureSpec()`); none reads the repository's spec/.
 */
export default function setup(project: TestProject): () => void {
  for (const dir of BUILT) {
    if (distIsFresh(dir)) continue;
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
  }
  const dir = mkdtempSync(join(tmpdir(), "spec-fixture-"));
  const specDir = join(dir, "spec");
  mkdirSync(specDir);
  copyFileSync(join(pkg, "test", "fixtures", "spec-sources.json"), join(specDir, "sources.json"));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("CODESPACES_SPEC_")) env[k] = v;
  const mirror = join(pkg, "test", "fixtures", "github-descriptions");
  execFileSync(
    process.execPath,
    [join(pkg, "dist", "cli.js"), "update", "--mirror", mirror, "--spec-dir", specDir, "--no-test"],
    {
      cwd: dir,
      env: { ...env, INIT_CWD: dir },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  project.provide("fixtureSpec", specDir);
  return () => rmSync(dir, { recursive: true, force: true });
}
