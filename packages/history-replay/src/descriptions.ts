import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { loadSource } from "@codespaces-clients/spec";

/** The package whose published versions are the history of GitHub's description we replay. */
export const DESCRIPTION_PACKAGE = "@octokit/openapi";

/**
 * Writes the full description of `@octokit/openapi@<version>` (its `generated/api.github.com.json`,
 * ~13 MB) as the mirror file of `apiVersion`, the path `pnpm spec update --mirror` reads. The file
 * comes through the spec package's `npm:` source: from `<repo>/.cache/npm/` (git-ignored) when
 * cached, else with `npm pack` (one ~40 MB tarball, only the one file kept). The package is never
 * installed (it unpacks to ~400 MB).
 */
export async function writeMirrorDescription(
  repoRoot: string,
  mirror: string,
  apiVersion: string,
  version: string,
): Promise<string> {
  const loaded = await loadSource(`npm:${DESCRIPTION_PACKAGE}@${version}`, { cwd: repoRoot });
  const file = join(mirror, "descriptions", "api.github.com", `api.github.com.${apiVersion}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, loaded.data);
  return loaded.sha256;
}
