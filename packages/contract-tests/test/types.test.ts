import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { follow } from "@codespaces-clients/openapi-model";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageDir } from "../src/client-loader.js";
import { loadVersionSpecs } from "../src/spec-catalog.js";

// Made in beforeAll, not at import: a filtered run (`-t`) that skips every test here runs no
// hooks, and would leave the folder behind.
let scratch = "";
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "contract-types-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Nullable enum properties of the components' schemas: `[schema, property, values]`. */
function nullableEnums(document: Record<string, any>): [string, string, unknown[]][] {
  const out: [string, string, unknown[]][] = [];
  for (const [name, schema] of Object.entries<Record<string, any>>(document.components?.schemas ?? {})) {
    for (const [prop, raw] of Object.entries<unknown>(schema.properties ?? {})) {
      const s = follow(document, raw).node as Record<string, any>;
      if (Array.isArray(s.enum) && s.nullable === true) out.push([name, prop, s.enum]);
    }
  }
  return out;
}

const specs = loadVersionSpecs();

// Compile-time half of "client, validator and Prism agree on null": the generated types must
// accept null and each enum value, and reject anything else (checked with the TypeScript API).
describe.each(specs)("generated types of $version", ({ version, document }) => {
  test("accept null and every enum value of each nullable enum, and reject other values", () => {
    const sites = nullableEnums(document);
    expect(sites.length).toBeGreaterThan(0);
    const entry = join(packageDir(version), "dist", "index.js");
    const lines = [`import type { components } from ${JSON.stringify(entry)};`];
    for (const [i, [schema, prop, values]] of sites.entries()) {
      lines.push(`type T${i} = components["schemas"][${JSON.stringify(schema)}][${JSON.stringify(prop)}];`);
      lines.push(`export const null${i}: T${i} = null;`);
      for (const [j, v] of values.entries()) lines.push(`export const value${i}_${j}: T${i} = ${JSON.stringify(v)};`);
      lines.push(
        `// @ts-expect-error a value outside the enum`,
        `export const outsider${i}: T${i} = "contract-not-in-enum";`,
      );
    }
    const file = join(scratch, `${version}.ts`);
    writeFileSync(file, `${lines.join("\n")}\n`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: [],
      skipLibCheck: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });
});
