import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, listedVersions, tempDir } from "./helpers.js";

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const TEMPLATE = join(import.meta.dirname, "types", "usage.ts.tmpl");

interface TscResult {
  code: number;
  output: string;
}

/**
 * Compiles `source` as a strict ESM consumer would, with `@codespaces-clients/machines-under-test`
 * mapped to the client of `apiVersion` (its sources and the runtime's, so no build is needed:
 * the packed .d.ts files are compiled by scripts/consumer-smoke.mjs).
 */
async function compile(apiVersion: string, source: string): Promise<TscResult> {
  const dir = tempDir(`types-${apiVersion}-`);
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(dir, "usage.ts"), source);
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noUncheckedIndexedAccess: true,
      target: "ES2022",
      lib: ["ES2023", "DOM"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      noEmit: true,
      types: [],
      paths: {
        "@codespaces-clients/machines-under-test": [
          join(REPO_ROOT, "packages", `machines-${apiVersion}`, "src", "index.ts"),
        ],
        "@codespaces-clients/machines-under-test/paths": [
          join(REPO_ROOT, "packages", `machines-${apiVersion}`, "src", "paths.ts"),
        ],
        "@codespaces-clients/runtime": [join(REPO_ROOT, "packages", "runtime", "src", "index.ts")],
        "@codespaces-clients/runtime/paths": [join(REPO_ROOT, "packages", "runtime", "src", "paths.ts")],
      },
    },
    files: ["usage.ts"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [TSC, "-p", dir, "--pretty", "false"], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

const template = readFileSync(TEMPLATE, "utf8");

describe.each(listedVersions())("published types of machines-%s", (apiVersion) => {
  it("correct calls compile and every @ts-expect-error line is an error (tsc --strict, nodenext)", async () => {
    const { code, output } = await compile(apiVersion, template);
    expect(output).toBe("");
    expect(code).toBe(0);
  });

  it("fails when an @ts-expect-error line stops erroring (TS2578)", async () => {
    const broken = template.replace(
      '  // @ts-expect-error wrong parameter name (`owners`)\n  await gh.repoMachinesForAuthenticatedUser({ owners: "o", repo: "r" });',
      '  // @ts-expect-error wrong parameter name (`owners`)\n  await gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r" });',
    );
    expect(broken).not.toBe(template);
    const { code, output } = await compile(apiVersion, broken);
    expect(code).not.toBe(0);
    expect(output).toMatch(/usage\.ts\(\d+,\d+\): error TS2578: Unused '@ts-expect-error' directive\./);
  });

  it("fails on a real type error outside the expect-error lines", async () => {
    const { code, output } = await compile(apiVersion, `${template}\nexport const wrong: number = API_VERSION;\n`);
    expect(code).not.toBe(0);
    expect(output).toMatch(/error TS2322/);
  });
});
