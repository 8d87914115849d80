/** npm sources (`npm:<name>[@<version>][#<file>]`) and where their files are cached. */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ENV, envPath } from "./env.js";
import { SpecError } from "./errors.js";

const NPM_DEFAULT_FILE = "generated/api.github.com.json";

/** Parses `npm:<name>[@<version>][#<file>]`. */
export function parseNpmSpec(spec: string): { name: string; version?: string; file: string } {
  const rest = spec.slice("npm:".length);
  const hash = rest.indexOf("#");
  const pkg = hash < 0 ? rest : rest.slice(0, hash);
  const file = hash < 0 ? NPM_DEFAULT_FILE : rest.slice(hash + 1);
  // npm's package names (scoped or not) and versions, ranges or dist-tags: nothing that could name a
  // folder outside `<cache>/<name>@<version>/` (`npm:foo@1.0.0/../../x` once read outside the cache).
  const m = /^((?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*)(?:@(.*))?$/i.exec(pkg);
  if (!m?.[1]) throw new SpecError(spec, "is not an npm source of the form npm:<name>[@<version>][#<file>]");
  const version = m[2];
  if (version !== undefined && !/^[\w.+~^<>=*|-]+$/.test(version)) {
    throw new SpecError(spec, `version ${JSON.stringify(version)} is not an npm version, range or tag`);
  }
  if (
    file === "" ||
    file.startsWith("/") ||
    file.includes("\\") ||
    file.split("/").some((s) => s === "" || s === "." || s === "..")
  ) {
    throw new SpecError(
      spec,
      "the file inside the package must be a relative path without '.', '..' or empty segments",
    );
  }
  return { name: m[1], ...(version ? { version } : {}), file };
}

/** The workspace root (the nearest folder with pnpm-workspace.yaml), or undefined. */
export function findWorkspaceRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Default cache for files taken out of npm tarballs. */
export function defaultCacheDir(cwd: string): string {
  const fromEnv = envPath(ENV.cache);
  if (fromEnv) return resolve(fromEnv);
  const root = findWorkspaceRoot(cwd);
  return root ? join(root, ".cache", "npm") : join(tmpdir(), "codespaces-clients-cache", "npm");
}
