import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { consumerSource } from "./consumer-source.js";
import { cleanEnv, run, sh, tail } from "@codespaces-clients/test-support/shell";

/**
 * The strict compile of consumer-smoke.mjs (the consumer's own settings, not the repository's),
 * with `skipLibCheck`: the question here is whether the consumer's code still fits the package's
 * types; whether the package's declaration files are themselves sound is consumer-smoke's and
 * release-e2e's question (and checking them again tripled each compile).
 */
const TSC_FLAGS = [
  "--noEmit",
  "--strict",
  "--module",
  "nodenext",
  "--moduleResolution",
  "nodenext",
  "--target",
  "es2022",
  "--lib",
  "es2023,dom",
  "--skipLibCheck",
];

/** What the installed client package says about itself when Node imports it. */
export interface InstalledClient {
  readonly version: string;
  readonly apiVersion: string;
  /** operationId → method name, from the package's `operations` table. */
  readonly methodNames: Record<string, string>;
}

/** The result of one strict compile of the consumer. */
export interface CompileResult {
  readonly ok: boolean;
  /** tsc's diagnostics (empty when ok). */
  readonly diagnostics: string;
}

/**
 * A fresh npm project outside the workspace that installs the client from the loopback registry
 * (`@codespaces-clients:registry`), everything else from the usual registry, and compiles a
 * consumer with the repository's TypeScript (`tsc --strict`, nodenext).
 */
export class ConsumerProject {
  /** Source and installed version of the last compile that passed: the same again needs no tsc. */
  private lastPass: string | undefined;

  constructor(
    readonly dir: string,
    readonly registry: string,
    readonly packageName: string,
    private readonly tsc: string,
  ) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(
      join(this.dir, "package.json"),
      `${JSON.stringify({ name: "replay-consumer", private: true, type: "module" }, null, 2)}\n`,
    );
    await writeFile(join(this.dir, ".npmrc"), `@codespaces-clients:registry=${this.registry}\n`);
  }

  /** `npm install <client>@<version>` (exact), then asks Node what it installed. */
  async install(version: string): Promise<InstalledClient> {
    await sh(
      this.dir,
      [
        "npm",
        "install",
        `${this.packageName}@${version}`,
        "--save-exact",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--loglevel=error",
      ],
      cleanEnv(),
    );
    const probe = `import { operations, PACKAGE_VERSION, API_VERSION } from ${JSON.stringify(this.packageName)};
console.log(JSON.stringify({ version: PACKAGE_VERSION, apiVersion: API_VERSION, methodNames: Object.fromEntries(Object.entries(operations).map(([name, op]) => [op.operationId, name])) }));`;
    const out = await sh(this.dir, [process.execPath, "--input-type=module", "-e", probe], cleanEnv());
    return JSON.parse(out.trim().split("\n").at(-1)!) as InstalledClient;
  }

  /** Writes the consumer of `slice` (the description the installed version was made from). */
  async write(slice: Record<string, unknown>, client: InstalledClient): Promise<string> {
    const source = consumerSource(slice, { packageName: this.packageName, methodNames: client.methodNames });
    await writeFile(join(this.dir, "consumer.ts"), source);
    return source;
  }

  /**
   * `tsc --strict` on the consumer against whatever version is installed now; each diagnostic is
   * followed by the consumer line it points at, so a reader sees what broke.
   */
  async compile(): Promise<CompileResult> {
    const key = `${await readFile(join(this.dir, "package.json"), "utf8")}\n${await readFile(join(this.dir, "consumer.ts"), "utf8")}`;
    if (key === this.lastPass) return { ok: true, diagnostics: "" };
    const result = await run(this.dir, [process.execPath, this.tsc, ...TSC_FLAGS, "consumer.ts"], cleanEnv());
    if (result.code === 0) {
      this.lastPass = key;
      return { ok: true, diagnostics: "" };
    }
    const source = (await readFile(join(this.dir, "consumer.ts"), "utf8")).split("\n");
    const annotated = result.output
      .trimEnd()
      .split("\n")
      .flatMap((line) => {
        const at = /^consumer\.ts\((\d+),\d+\)/.exec(line);
        return at ? [line, `    > ${source[Number(at[1]) - 1]?.trim() ?? ""}`] : [line];
      })
      .join("\n");
    return { ok: false, diagnostics: tail(annotated, 60) };
  }
}
