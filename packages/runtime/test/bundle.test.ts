import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
// The target is 6 KB min+gz for an app that creates a client and calls operation methods (issues
// #10, #12; scripts/bench/RESULTS.md measures that entry). The main entry is all of the runtime
// but the typed path client (a subpath of its own, so such an app ships no openapi-fetch) and
// pagination (another subpath). Issue #12's pipeline brought it to 5941 B; issue #13's request
// bodies, header parameters and non-JSON answers to 6268 B; moving those to the `shapes` subpath
// (only packages with such operations import it) to 6174 B; trimming the pipeline and client
// (fewer per-call closures, shared checkers for the log-level variable and baseUrl) to 6042 B,
// still above the 6 KB target for the machines bench entry (6224 B); plain-object headers and a
// shared `withResponse` (request overhead) added 70 B; moving middleware to its own subpath
// brought it to 5917 B (bench entry 6104 B); running middleware around the pipeline from that
// subpath (the core send knows no hooks) to 5882 B (bench entry 6072 B). Ceilings about 2 % above
// today's sizes (esbuild 0.28) make growth fail here; raise them only with a measured reason.
const BUDGET = 6000;
/**
 * The typed path client adds openapi-fetch, its adapter and the middleware subpath to the main
 * entry: 8593 B, then 8767 B once that subpath wraps the pipeline's send itself, then 8959 B (from
 * 8916 B) when operations on a server of their own (uploads) came, and middleware's `options`
 * object moved from the core to the middleware subpath (the main entry went from 5931 B to 5903 B).
 */
const PATHS_BUDGET = 9140;

/** Minified ESM bundle of an entry, as a browser app would ship it. */
async function bundle(entry: string) {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { gzipped: gzipSync(code, { level: 9 }).length, inputs: Object.keys(result.metafile.inputs) };
}

describe("bundle", () => {
  it(`the main entry stays under ${BUDGET} bytes min+gz, without openapi-fetch or ajv`, async () => {
    const { gzipped, inputs } = await bundle("src/index.ts");
    expect(inputs.filter((input) => input.includes("openapi-fetch") || input.includes("/ajv/"))).toEqual([]);
    // Header parameters, bodies and non-JSON answers are the `shapes` subpath's: a package of
    // bodiless JSON operations (the machines packages) does not ship them.
    expect(inputs.filter((input) => input.endsWith("src/shapes.ts"))).toEqual([]);
    // Nor does an app without middleware ship the code that runs it.
    expect(inputs.filter((input) => input.endsWith("src/middleware.ts"))).toEqual([]);
    expect(gzipped).toBeLessThan(BUDGET);
  });

  it(`the main entry with the typed path client (openapi-fetch) stays under ${PATHS_BUDGET} bytes`, async () => {
    const { gzipped, inputs } = await bundle("test/fixtures/paths-entry.ts");
    expect(inputs.some((input) => input.includes("openapi-fetch"))).toBe(true);
    expect(gzipped).toBeLessThan(PATHS_BUDGET);
  });

  it("src/ imports nothing Node-only, so it runs wherever fetch does", () => {
    const files = readdirSync(join(root, "src")).filter((file) => file.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = readFileSync(join(root, "src", file), "utf8");
      const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
      expect(
        imports.filter((name) => name.startsWith("node:") || !/^(\.|openapi-fetch$|ajv$|re2js$)/.test(name)),
        file,
      ).toEqual([]);
      expect(source, file).not.toMatch(/\bprocess\.|\bBuffer\b|require\(/);
    }
  });
});
