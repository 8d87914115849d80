import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** The repository root (the folder with `spec/` and `packages/`). */
export const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");

/** API versions listed in the committed `spec/sources.json`: the one list, never a second one. */
export function listedVersions(root = REPO_ROOT): string[] {
  const config = JSON.parse(readFileSync(join(root, "spec", "sources.json"), "utf8")) as {
    versions: { version: string }[];
  };
  return config.versions.map((v) => v.version);
}

/** Every file below `dir` (relative, `/`-separated, sorted) → its bytes. */
export function readTree(
  dir: string,
  skip: ReadonlySet<string> = new Set(["node_modules", "dist", ".turbo"]),
): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (skip.has(entry.name)) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out.set(path, readFileSync(join(dir, path)));
    }
  };
  walk("");
  return out;
}

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed after the test file. */
export function tempDir(prefix = "generator-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/**
 * A temporary generator root: a copy of `spec/` and an empty `packages/`, optionally with copies
 * of the committed client packages (sources only: no node_modules, dist).
 */
export function tempRoot(options: { withPackages?: boolean } = {}): string {
  const root = tempDir();
  cpSync(join(REPO_ROOT, "spec"), join(root, "spec"), { recursive: true });
  mkdirSync(join(root, "packages"));
  if (options.withPackages) {
    for (const name of readdirSync(join(REPO_ROOT, "packages")).filter((n) => /^machines-/.test(n))) {
      cpSync(join(REPO_ROOT, "packages", name), join(root, "packages", name), {
        recursive: true,
        filter: (src) => !/[/\\](node_modules|dist|\.turbo)([/\\]|$)/.test(src),
      });
    }
  }
  return root;
}

/** A silent logger that keeps the lines for assertions. */
export function captureLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => void lines.push(line) };
}
