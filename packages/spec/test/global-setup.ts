import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = fileURLToPath(new URL("..", import.meta.url));

/** True when every src/*.ts has a dist/*.js at least as new (turbo's `build` ran, or nothing changed). */
function distIsFresh(): boolean {
  const newest = Math.max(...["tsconfig.build.json", "../../tsconfig.base.json"].map((f) => statSync(join(pkg, f)).mtimeMs));
  return readdirSync(join(pkg, "src"))
    .filter((f) => f.endsWith(".ts"))
    .every((f) => {
      const js = join(pkg, "dist", f.replace(/\.ts$/, ".js"));
      if (!existsSync(js)) return false;
      const built = statSync(js).mtimeMs;
      return built >= statSync(join(pkg, "src", f)).mtimeMs && built >= newest;
    });
}

/**
 * The CLI tests spawn `node dist/cli.js`, so dist/ must match src/. Under turbo, `test` depends on
 * `build` and dist/ is fresh: it is left alone (other packages' tasks may be reading it). Run on its
 * own (`pnpm --filter @codespaces-clients/spec test`, `vitest run`), a stale dist/ is rebuilt first.
 */
export default function setup(): void {
  if (distIsFresh()) return;
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: pkg, stdio: "inherit" });
}
