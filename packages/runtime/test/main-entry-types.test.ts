import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Issue 13 / consumer tsc: with `skipLibCheck: false`, openapi-fetch's declarations (and
// openapi-typescript-helpers') were most of what an app that only calls operation methods
// type-checked. They belong to the `/paths` subpath (the typed path client) alone: the main entry,
// middleware included, must not reach them. Checked on the generated package's source, whose import
// graph is a superset of its declaration files' (declaration emit drops imports, never adds them).

const root = join(import.meta.dirname, "..");
const machines = join(root, "..", "machines-2026-03-10", "src");

/** The files of a strict NodeNext program of `entry`, with the runtime's imports mapped to its src/. */
function programOf(entry: string) {
  const program = ts.createProgram([entry], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: [],
    noEmit: true,
    skipLibCheck: false,
    paths: {
      "@codespaces-clients/runtime": [join(root, "src", "index.ts")],
      "@codespaces-clients/runtime/*": [join(root, "src", "*.ts")],
    },
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  const files = program
    .getSourceFiles()
    .map((file) => file.fileName)
    .filter((name) => !name.includes("/typescript/lib/"));
  return { diagnostics, files };
}

describe("what a consumer type-checks", () => {
  it("the main entry (with useMiddleware and Middleware) reaches no openapi-fetch types and no `paths`", () => {
    const { diagnostics, files } = programOf(join(machines, "index.ts"));
    expect(diagnostics).toEqual([]);
    expect(files).toContain(join(root, "src", "middleware.ts"));
    // Nor the `/paths` subpaths (the runtime's, the package's) or the package's `paths` interface.
    expect(files.filter((name) => /openapi-fetch|openapi-typescript-helpers|\/paths\.ts$/.test(name))).toEqual([]);
  });

  it("the /paths subpath is where openapi-fetch's types come in", () => {
    const { diagnostics, files } = programOf(join(machines, "paths.ts"));
    expect(diagnostics).toEqual([]);
    expect(files.some((name) => name.includes("openapi-fetch"))).toBe(true);
    expect(files).toContain(join(machines, "generated", "paths.ts"));
  });
});
