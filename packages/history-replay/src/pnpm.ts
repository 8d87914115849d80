import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { cleanEnv, sh } from "@codespaces-clients/test-support/shell";

/**
 * The pnpm of the repository's `packageManager` (`pnpm@10.34.9`), obtained through npx (corepack is
 * not used) and resolved once: `npx` itself spends seconds per call on a busy machine, and the
 * replay calls pnpm dozens of times. Its folder goes first on the children's PATH, as npx puts it,
 * so that the root scripts' own `pnpm …` find the same pnpm.
 */
export async function resolvePnpm(repoRoot: string): Promise<{ bin: string; binDir: string }> {
  const { packageManager } = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as {
    packageManager?: string;
  };
  if (!packageManager?.startsWith("pnpm@"))
    throw new Error(`${repoRoot}/package.json: packageManager is not pnpm@<version>`);
  const out = await sh(
    repoRoot,
    ["npx", "--yes", "-p", packageManager, "-c", "command -v pnpm"],
    cleanEnv(),
    5 * 60_000,
  );
  const bin = out.trim().split("\n").at(-1)!;
  if (!bin.endsWith("/pnpm")) throw new Error(`npx -p ${packageManager} did not name a pnpm binary: ${out}`);
  return { bin, binDir: bin.slice(0, -"/pnpm".length) };
}
