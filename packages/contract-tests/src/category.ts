import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual, promisify } from "node:util";
import { decodePointerSegment, type Json, pointerOf, valueAt } from "@codespaces-clients/openapi-model";
import { repoRoot } from "./spec-catalog.js";

const run = promisify(execFile);

/**
 * The Codespaces-category proof (issue 13): the whole `codespaces` category of the full description
 * in `@octokit/openapi` (GitHub's 2022-11-28 description plus `x-octokit`), extracted with the spec
 * CLI, generated with `pnpm generate --slice`, built with tsc, in a temp workspace. It is never
 * committed and never published: it proves that the generator and runtime handle every operation
 * shape the category has (bodies, 201/202/204, pagination), with Prism validating each request.
 */
const select = categoryOf(process.env.CONTRACT_CATEGORY_SELECT);

export const CATEGORY = {
  /** The npm package that carries the full description (fetched into `.cache/npm/`, never a dependency). */
  registryPackage: "@octokit/openapi",
  source: "npm:@octokit/openapi@23.0.2",
  /**
   * The `x-github` category: `codespaces`, the proof in `pnpm test`. `CONTRACT_CATEGORY_SELECT=<category>`
   * runs the same cases on another one, a developer's tool: GitHub's description has defects in other
   * categories that the cases report (see the README). `*` selects every operation (`--all-operations`):
   * the whole API as one client, whose methods are namespaced by category.
   */
  select,
  /** Whether this is the proof `pnpm test` runs, whose category must keep every shape it is for. */
  isTheProof: select === "codespaces",
  apiVersion: "2022-11-28",
  packageName: `@codespaces-clients/${select === "*" ? "whole-api" : `${select}-category`}-2022-11-28`,
  /** The label of its cases and its mock (it is not a `spec/sources.json` version). */
  label: select === "*" ? "whole API (2022-11-28)" : `${select} category (2022-11-28)`,
} as const;

/**
 * `CONTRACT_CATEGORY_SELECT`: unset, `codespaces`; else a literal category name (what `spec extract
 * --select` takes), or `*` for every operation.
 */
function categoryOf(value: string | undefined): string {
  if (value === undefined || value === "") return "codespaces";
  if (value !== "*" && !/^[a-z0-9-]+$/.test(value))
    throw new Error(
      `CONTRACT_CATEGORY_SELECT: ${JSON.stringify(value)} is neither an x-github category name (a-z, 0-9, -) nor *`,
    );
  return value;
}

/** A prepared category client: its slice, its built package, and what extraction warned about. */
export interface PreparedCategory {
  workDir: string;
  specPath: string;
  packageDir: string;
  /**
   * JSON pointers of examples that the extraction reported as not matching their schema
   * (`warning: <source>#<pointer>: example does not match schema …`): GitHub's own inaccuracies.
   */
  flaggedExamples: string[];
  /** Operations the generator left out (`--skip-unsupported`, not the proof), as its `skipped:` lines name them. */
  refused: string[];
}

/** A step failed: `message` is one line naming the step and what it said. */
export class CategoryError extends Error {
  override name = "CategoryError";
}

/** Bound on each child step; only ends a hung run (extraction takes seconds; tsc under load, a minute). */
const STEP_TIMEOUT_MS = 10 * 60_000;

async function step(name: string, command: string, args: string[], cwd: string) {
  try {
    return await run(command, args, { cwd, timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string; killed?: boolean };
    const said = `${e.stderr ?? ""}\n${e.stdout ?? ""}`
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("warning:"));
    throw new CategoryError(
      `${CATEGORY.label}: ${name} failed${e.killed ? ` (no end after ${STEP_TIMEOUT_MS / 60_000} min)` : ""}: ${said.slice(-3).join(" | ") || e.message.split("\n")[0]}`,
    );
  }
}

/** Extracts, generates and builds the category client in a new temp folder (removed on failure). */
export async function prepareCategory(root = repoRoot()): Promise<PreparedCategory> {
  const workDir = mkdtempSync(join(tmpdir(), "contract-category-"));
  try {
    const specPath = join(workDir, "openapi.json");
    const packageDir = join(workDir, "package");
    const extracted = await step(
      "spec extract",
      process.execPath,
      [
        join(root, "packages/spec/dist/cli.js"),
        "extract",
        "--from",
        CATEGORY.source,
        ...(CATEGORY.select === "*" ? ["--all-operations"] : ["--select", CATEGORY.select]),
        "--out",
        specPath,
      ],
      root,
    );
    const flaggedExamples = [
      // The source may hold a `#` of its own (`npm:pkg@v#file.json#/pointer`): the pointer is after the last.
      ...`${extracted.stderr}`.matchAll(/^warning: .*?#(\/[^:#\n]*): example does not match schema/gm),
    ].map((m) => m[1]!);
    const generated = await step(
      "generate --slice",
      process.execPath,
      [
        // What `pnpm generate --slice …` runs once the generator is built (turbo built it before this suite).
        join(root, "packages/generator/dist/cli.js"),
        "--slice",
        specPath,
        "--api-version",
        CATEGORY.apiVersion,
        "--name",
        CATEGORY.packageName,
        "--out",
        packageDir,
        // The proof refuses nothing; another description may have an operation the runtime cannot
        // call (none of GitHub's 1,223 today), whose cases then say so.
        ...(CATEGORY.isTheProof ? [] : ["--skip-unsupported"]),
      ],
      root,
    );
    // The workspace's runtime, as a consumer's node_modules would hold it.
    const scope = join(packageDir, "node_modules", "@codespaces-clients");
    mkdirSync(scope, { recursive: true });
    if (!existsSync(join(scope, "runtime"))) symlinkSync(join(root, "packages/runtime"), join(scope, "runtime"), "dir");
    await step(
      "tsc",
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-p", join(packageDir, "tsconfig.json")],
      packageDir,
    );
    const refused = [...`${generated.stdout}`.matchAll(/^skipped: .*?: operation (\S+) cannot be generated/gm)].map(
      (m) => m[1]!,
    );
    return { workDir, specPath, packageDir, flaggedExamples, refused };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * An example GitHub's description documents that its own schema rejects, as the extraction
 * reported it: the example's value, and where inside it the extraction saw the problem.
 */
export interface FlaggedExample {
  /** The reported pointer, e.g. `/components/examples/codespace/value/machine`. */
  pointer: string;
  /** The whole example value (the node at the pointer's `/value`). */
  value: unknown;
  /** The reported place inside the value, e.g. `/machine`. */
  within: string;
}

/** Resolves reported pointers in the slice (components and paths keep their names there). */
export function flaggedExamplesIn(document: unknown, pointers: readonly string[]): FlaggedExample[] {
  const out: FlaggedExample[] = [];
  for (const pointer of pointers) {
    const segments = pointer.slice(1).split("/").map(decodePointerSegment);
    const at = segments.lastIndexOf("value");
    if (at < 0) continue;
    const value = valueAt(document as Json, segments.slice(0, at + 1));
    if (value === undefined) continue;
    // A plain JSON pointer into the body (`pointerOf` gives the `#/…` fragment form).
    out.push({ pointer, value, within: pointerOf(segments.slice(at + 1)).slice(1) });
  }
  return out;
}

/**
 * The flagged example that explains a schema violation at `violationPointer` in `body`: the body is
 * that example, verbatim, and the violation lies where the extraction reported the example wrong.
 */
export function explainByFlaggedExample(
  flagged: readonly FlaggedExample[],
  body: unknown,
  violationPointer: string,
): FlaggedExample | undefined {
  return flagged.find(
    (f) =>
      (violationPointer === f.within || violationPointer.startsWith(`${f.within}/`)) &&
      isDeepStrictEqual(f.value, body),
  );
}
