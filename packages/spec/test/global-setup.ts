import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * Builds dist/ once before the CLI tests spawn `node dist/cli.js`. Under turbo, `test` already
 * depends on `build`; a second tsc run is cheap and makes `pnpm --filter … test` and a plain
 * `vitest run` test the current sources too, never a stale dist/.
 */
export default function setup(): void {
  const pkg = fileURLToPath(new URL("..", import.meta.url));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: pkg, stdio: "inherit" });
}
