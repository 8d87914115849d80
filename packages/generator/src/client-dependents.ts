import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFilesAtomically } from "@codespaces-clients/spec";
import { DEFAULTS } from "./defaults.js";

/** The package.json flag by which a workspace package asks to depend on every client package. */
export const DEPENDS_ON_ALL_CLIENTS = "dependsOnAllClients";

/**
 * Keeps the devDependencies of workspace packages that test every client (contract tests) equal to
 * the set of generated clients, so that turbo builds each client before them and no second list of
 * versions is kept by hand. A package opts in with `"codespaces-clients": { "dependsOnAllClients": true }`.
 * Returns the package.json files it rewrote.
 */
export async function syncClientDependents(root: string, clientNames: readonly string[]): Promise<string[]> {
  const prefix = `${DEFAULTS.scope}/${DEFAULTS.prefix}-`;
  const rewritten: string[] = [];
  const packagesDir = join(root, "packages");
  for (const name of existsSync(packagesDir) ? await readdir(packagesDir) : []) {
    const path = join(packagesDir, name, "package.json");
    if (!existsSync(path)) continue;
    const text = await readFile(path, "utf8");
    const pkg = JSON.parse(text) as {
      "codespaces-clients"?: Record<string, unknown>;
      devDependencies?: Record<string, string>;
    };
    if (pkg["codespaces-clients"]?.[DEPENDS_ON_ALL_CLIENTS] !== true) continue;
    const others = Object.entries(pkg.devDependencies ?? {}).filter(([dep]) => !dep.startsWith(prefix));
    const clients = clientNames.map((dep) => [dep, "workspace:*"] as const);
    pkg.devDependencies = Object.fromEntries([...others, ...clients].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const next = `${JSON.stringify(pkg, null, 2)}\n`;
    if (next !== text) {
      await writeFilesAtomically([{ path, content: next }]);
      rewritten.push(path);
    }
  }
  return rewritten;
}
