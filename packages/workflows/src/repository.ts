import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";

/** What the policy checks need to know about the repository a workflow runs in. */
export interface Repository {
  readonly root: string;
  /** Root package.json `scripts`. */
  readonly scripts: Readonly<Record<string, string>>;
  /** Root package.json `packageManager`, e.g. `pnpm@10.34.9`. */
  readonly packageManager: string | undefined;
  /** Whether `path` (relative to `cwd`, itself relative to the root) is a file inside the repository. */
  fileExists(path: string, cwd?: string): boolean;
}

/** Reads the repository at `root` (its package.json) for the policy checks. */
export function readRepository(root: string): Repository {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
    packageManager?: string;
  };
  return {
    root,
    scripts: pkg.scripts ?? {},
    packageManager: pkg.packageManager,
    fileExists(path: string, cwd = ".") {
      if (isAbsolute(path)) return false;
      const full = resolve(root, cwd, path);
      const inside = relative(root, full);
      if (inside.startsWith("..") || isAbsolute(inside)) return false;
      return existsSync(full) && statSync(full).isFile();
    },
  };
}
