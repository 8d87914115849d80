import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseChangeset, type Changeset } from "./changesets.js";
import type { SelectionSpec } from "./expected-bumps.js";
import { packageDirName, packageNameOf } from "@codespaces-clients/openapi-model";
import { type CommandResult, cleanEnv, run, sh } from "@codespaces-clients/test-support/shell";
import { resolvePnpm } from "./pnpm.js";

/**
 * What the replay reads of an entry of a known-defects file (the rest of the entry is the contract
 * tests' `KnownDefect`, which they shape-check when they load the file).
 */
export interface DefectEntry {
  readonly id: string;
  readonly appliesTo: readonly { readonly version: string; readonly operationId: string }[];
}

/** This package: left out of the copy (the replay does not replay itself). */
const SELF = "packages/history-replay/";

/**
 * A temp copy of the working tree (tracked and untracked files, not ignored ones — what
 * `git ls-files --cached --others --exclude-standard` lists, as release-e2e copies it), with its
 * own git history, installed from the local pnpm store, publishing `@codespaces-clients/*` to the
 * loopback registry. Every pair of the replay runs in this one copy.
 */
export class ReplayRepo {
  readonly env: Record<string, string>;

  private constructor(
    readonly dir: string,
    readonly apiVersion: string,
    private readonly pnpmBin: string,
    pnpmDir: string,
    registry: string,
    token: string,
    turboCache: string,
  ) {
    // The token only ever lives in the children's environment (`.npmrc` says ${NPM_TOKEN});
    // changesets reads the scope's registry from npm_config_<scope>:registry.
    const base = cleanEnv();
    this.env = cleanEnv({
      NPM_TOKEN: token,
      "npm_config_@codespaces-clients:registry": registry,
      TURBO_CACHE_DIR: turboCache,
      // The contract gate proves each replayed slice's client; the Codespaces-category proof (issue
      // 13) is the main suite's, and would add an extraction, a generation and a tsc build per step.
      CONTRACT_CATEGORY: "off",
      PATH: `${pnpmDir}:${base.PATH ?? ""}`,
    });
  }

  /** Copies the working tree of `repoRoot` into `dir`, commits it and installs. */
  static async create(
    repoRoot: string,
    dir: string,
    apiVersion: string,
    registry: string,
    token: string,
  ): Promise<ReplayRepo> {
    const pnpm = await resolvePnpm(repoRoot);
    const repo = new ReplayRepo(
      dir,
      apiVersion,
      pnpm.bin,
      pnpm.binDir,
      registry,
      token,
      join(repoRoot, ".turbo", "cache"),
    );
    const listed = await sh(
      repoRoot,
      ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      cleanEnv(),
    );
    for (const file of listed.split("\0")) {
      if (!file || file.startsWith(SELF) || !existsSync(join(repoRoot, file))) continue;
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await cp(join(repoRoot, file), join(dir, file));
    }
    const host = registry.replace(/^http:/, "");
    await writeFile(
      join(dir, ".npmrc"),
      `@codespaces-clients:registry=${registry}\n${host}:_authToken=\${NPM_TOKEN}\n`,
    );
    await repo.git("init", "-q", "-b", "main");
    return repo;
  }

  git(...args: string[]): Promise<string> {
    return sh(
      this.dir,
      [
        "git",
        "-c",
        "user.name=history-replay",
        "-c",
        "user.email=history-replay@localhost",
        "-c",
        "commit.gpgsign=false",
        ...args,
      ],
      this.env,
    );
  }

  /** `pnpm <args>` in the copy; the caller asserts on the exit code. */
  pnpm(...args: string[]): Promise<CommandResult> {
    return run(this.dir, [this.pnpmBin, ...args], this.env);
  }

  /** `pnpm <args>` that must succeed. */
  async pnpmOk(...args: string[]): Promise<string> {
    return sh(this.dir, [this.pnpmBin, ...args], this.env);
  }

  async commit(message: string): Promise<void> {
    await this.git("add", "-A");
    await this.git("commit", "-q", "--allow-empty", "-m", message);
  }

  /** Back to the last commit: whatever a failed step left behind is dropped (ignored files stay). */
  async reset(): Promise<void> {
    await this.git("reset", "-q", "--hard", "HEAD");
    await this.git("clean", "-q", "-fd");
  }

  private async readJson<T>(path: string): Promise<T> {
    return JSON.parse(await readFile(join(this.dir, path), "utf8")) as T;
  }

  private async writeJson(path: string, value: unknown): Promise<void> {
    await writeFile(join(this.dir, path), `${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * Keeps one API version in `spec/sources.json` (and drops the others' slices, client packages
   * every pending changeset, and the contract tests' devDependencies on the dropped clients),
   * sets the selection, and removes the version's slice so that the first update is an initial
   * release of the client. Then installs, so the workspace matches.
   */
  async configure(selection: SelectionSpec): Promise<void> {
    const sources = await this.readJson<{ selection: unknown; versions: { version: string; commit: string }[] }>(
      "spec/sources.json",
    );
    const kept = sources.versions.filter((v) => v.version === this.apiVersion);
    if (kept.length !== 1) throw new Error(`spec/sources.json has no version ${this.apiVersion}`);
    for (const v of sources.versions) {
      await rm(join(this.dir, "spec", "generated", v.version), { recursive: true, force: true });
      if (v.version === this.apiVersion) continue;
      await rm(join(this.dir, "packages", packageDirName(v.version)), { recursive: true, force: true });
    }
    // The replay starts from a released state: whatever the repository has pending (initial releases,
    // a runtime fix) would change the versions the table expects, or name packages dropped above.
    for (const name of await readdir(join(this.dir, ".changeset"))) {
      if (name.endsWith(".md") && name !== "README.md") await rm(join(this.dir, ".changeset", name));
    }
    await this.writeJson("spec/sources.json", { ...sources, selection: selectionOf(selection), versions: kept });
    const dependent = "packages/contract-tests/package.json";
    const pkg = await this.readJson<{ devDependencies?: Record<string, string> }>(dependent);
    for (const dep of Object.keys(pkg.devDependencies ?? {})) {
      // packageNameOf(""): the prefix every client package name shares.
      if (dep.startsWith(packageNameOf("")) && dep !== packageNameOf(this.apiVersion)) delete pkg.devDependencies![dep];
    }
    await this.writeJson(dependent, pkg);
    await this.pnpmOk("install", "--prefer-offline", "--no-frozen-lockfile");
  }

  /** The selection `spec/sources.json` holds now. */
  async selection(): Promise<unknown> {
    return (await this.readJson<{ selection: unknown }>("spec/sources.json")).selection;
  }

  async setSelection(selection: SelectionSpec): Promise<void> {
    const sources = await this.readJson<Record<string, unknown>>("spec/sources.json");
    await this.writeJson("spec/sources.json", { ...sources, selection: selectionOf(selection) });
  }

  /** The committed slice of the API version, parsed (undefined before the first update). */
  async slice(): Promise<Record<string, unknown> | undefined> {
    const file = join(this.dir, "spec", "generated", this.apiVersion, "openapi.json");
    return existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>) : undefined;
  }

  /** Pending changesets (`.changeset/*.md` but the README), parsed, by file name. */
  async changesets(): Promise<Map<string, Changeset>> {
    const dir = join(this.dir, ".changeset");
    const out = new Map<string, Changeset>();
    for (const name of (await readdir(dir)).sort()) {
      if (!name.endsWith(".md") || name === "README.md") continue;
      out.set(name, parseChangeset(await readFile(join(dir, name), "utf8"), `.changeset/${name}`));
    }
    return out;
  }

  async removeChangeset(name: string): Promise<void> {
    await rm(join(this.dir, ".changeset", name));
  }

  /** `version` of `packages/<dir>/package.json`. */
  async versionOf(packageDir: string): Promise<string> {
    return (await this.readJson<{ version: string }>(`packages/${packageDir}/package.json`)).version;
  }

  /**
   * The contract tests' known-defects file narrowed to this copy: entries for API versions and
   * operations the slice no longer has are dropped (they would be reported as having no contract
   * case); everything else — including a defect that stops occurring — stays and is checked.
   * `extra` (the replay's own `replay-spec-defects.json`: defects of operations the repository's
   * packages do not have) is added first, each id once.
   */
  async narrowKnownDefects(operationIds: readonly string[], extra: readonly DefectEntry[] = []): Promise<void> {
    const path = "packages/contract-tests/known-spec-defects.json";
    if (!existsSync(join(this.dir, path))) return;
    const file = await this.readJson<{ defects: DefectEntry[] }>(path);
    await this.writeJson(path, { ...file, defects: narrowDefects(file.defects, extra, this.apiVersion, operationIds) });
  }
}

/**
 * `defects` plus the `extra` entries whose id is not listed yet, each narrowed to `apiVersion` and
 * `operationIds`; entries left with no target are dropped.
 */
export function narrowDefects<T extends DefectEntry>(
  defects: readonly T[],
  extra: readonly T[],
  apiVersion: string,
  operationIds: readonly string[],
): T[] {
  const listed = new Set(defects.map((d) => d.id));
  return [...defects, ...extra.filter((d) => !listed.has(d.id))]
    .map((d) => ({
      ...d,
      appliesTo: d.appliesTo.filter((a) => a.version === apiVersion && operationIds.includes(a.operationId)),
    }))
    .filter((d) => d.appliesTo.length > 0);
}

/** A known-defects file's entries (`{ "defects": [...] }`); throws naming the file when it has none. */
export function loadReplayDefects(file: string): DefectEntry[] {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { defects?: unknown };
  if (!Array.isArray(parsed.defects)) throw new Error(`${file}: "defects" must be an array`);
  return parsed.defects as DefectEntry[];
}

/** The `selection` object of spec/sources.json for a table selection (its `why` stays in the table). */
export function selectionOf(s: SelectionSpec): Record<string, unknown> {
  if (s.operationIds?.length) return { operationIds: [...s.operationIds] };
  return s.subcategory ? { category: s.category, subcategory: s.subcategory } : { category: s.category };
}
