import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { describe, expect, it } from "vitest";

// Issue #12: the source maps the package ships resolve (it ships src/ beside dist/), so a stack
// trace or "go to definition" in a consumer's editor lands on the TypeScript source.

const root = join(import.meta.dirname, "..");

describe("the published files", () => {
  it("every shipped source map (JS and declarations) points only at shipped files", () => {
    const [pack] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }),
    ) as [{ files: { path: string }[] }];
    const files = new Set(pack.files.map((f) => f.path));
    const maps = [...files].filter((path) => path.endsWith(".map"));
    expect(maps).toEqual(expect.arrayContaining(["dist/index.js.map", "dist/index.d.ts.map"]));
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(root, map), "utf8")) as { sources: string[] };
      for (const source of sources) expect(files, `${map} → ${source}`).toContain(posix.join(dirname(map), source));
    }
  });
});
