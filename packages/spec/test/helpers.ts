import { spawn } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, inject } from "vitest";

export const packageRoot = fileURLToPath(new URL("..", import.meta.url));
/** The workspace root: where the npm cache (`.cache/npm`) lives. Tests never read its spec/. */
export const repoRoot = resolve(packageRoot, "../..");
export const fixtures = join(packageRoot, "test", "fixtures");
export const cli = join(packageRoot, "dist", "cli.js");
/** The tests' own excerpts of github/rest-api-description, in the upstream layout (see its README). */
export const fixtureMirror = join(fixtures, "github-descriptions");
/** The API versions of the fixture, as `test/fixtures/spec-sources.json` lists them. */
export const FIXTURE_VERSIONS = ["2022-11-28", "2026-03-10"] as const;
/** Where a version's description sits below a mirror (the upstream repository's layout). */
export const descriptionPath = (mirrorDir: string, version: string) =>
  join(mirrorDir, "descriptions", "api.github.com", `api.github.com.${version}.json`);
/**
 * The tests' `spec/` folder, built once per run by test/global-setup.ts with the CLI's `update` from
 * the fixture mirror. Read it or copy it; never write into it.
 */
export const fixtureSpec = (): string => inject("fixtureSpec");
/** A version's slice in the tests' `spec/`. */
export const fixtureSlice = (version: string) => join(fixtureSpec(), "generated", version, "openapi.json");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI with a clean environment: none of the caller's CODESPACES_SPEC_* settings, and
 * INIT_CWD (set by pnpm, read by the CLI for relative paths) pointing at `cwd`.
 */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const cwd = options.cwd ?? packageRoot;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("CODESPACES_SPEC_")) env[k] = v;
  Object.assign(env, { INIT_CWD: cwd, NO_COLOR: "1" }, options.env);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** stderr lines, without npm's own config warnings (which come from the user's npmrc, not from us). */
export function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("npm warn"));
}

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh temp folder, removed after the test file. */
export async function tempDir(prefix = "spec-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Every file below `dir` (relative path → bytes as latin1 string), for before/after comparisons. */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        out[`${relative(dir, p)}/`] = "";
        await walk(p);
      } else out[relative(dir, p)] = (await readFile(p)).toString("latin1");
    }
  };
  if ((await stat(dir)).isDirectory()) await walk(dir);
  return out;
}

/** JSON pointers of every object key named `name`, at any depth of a parsed document. */
export function pointersOfKey(value: unknown, name: string, at = "#"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => pointersOfKey(v, name, `${at}/${i}`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k === name ? [`${at}/${k}`] : []),
    ...pointersOfKey(v, name, `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`),
  ]);
}

/** A private copy of the tests' `spec/` at `<dir>/spec` (`update` may write into it); returns its path. */
export async function fixtureSpecCopy(dir: string): Promise<string> {
  const specDir = join(dir, "spec");
  await cp(fixtureSpec(), specDir, { recursive: true });
  return specDir;
}

/** A private copy of the fixture mirror at `<dir>/github-descriptions` (the upstream folder name, so provenance is identical). */
export async function fixtureMirrorCopy(dir: string): Promise<string> {
  const mirrorDir = join(dir, "github-descriptions");
  await cp(fixtureMirror, mirrorDir, { recursive: true });
  return mirrorDir;
}

/** A description with one operation `x/get` whose 200 response is `schema`, plus `components`. */
export function describe1(
  schema: unknown,
  components: Record<string, unknown> = {},
  extra: { example?: unknown; parameters?: unknown[] } = {},
): Record<string, unknown> {
  const media: Record<string, unknown> = { schema };
  if ("example" in extra) media.example = extra.example;
  return {
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/x": {
        get: {
          operationId: "x/get",
          ...(extra.parameters ? { parameters: extra.parameters } : {}),
          responses: { "200": { description: "ok", content: { "application/json": media } } },
        },
      },
    },
    components,
  };
}
