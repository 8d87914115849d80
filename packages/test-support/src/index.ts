/**
 * What a test group needs from outside the repository, said in one place.
 *
 * - **The npm registry** (the full `@octokit/openapi` description, verdaccio, consumer installs):
 *   `CODESPACES_OFFLINE=1` skips those groups with one visible line; otherwise a group checks the
 *   registry once before its first test and fails fast with one line naming the package it could
 *   not fetch, instead of hanging on DNS for minutes.
 * - **`../shared`** (the offline mirror beside the checkout): skipped with one visible line on a
 *   developer's machine without it, a failure under `CI=true` (CI always has it).
 *
 * Skip lines go to stderr at collection time, so vitest's default reporter prints them
 * (`stderr | test/x.test.ts` + `skipped: …`), and the skipped tests count in the closing line.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { beforeAll, describe } from "vitest";

/** `CODESPACES_OFFLINE=1` (or `true`): skip every test that needs the npm registry. */
export const offline = /^(1|true)$/i.test(process.env.CODESPACES_OFFLINE ?? "");

/** Under `CI=true` a missing precondition that CI always has is a failure, not a skip. */
export const inCi = /^(1|true)$/i.test(process.env.CI ?? "");

/**
 * The network bound of the registry probe: npm's own `--fetch-timeout`, which times the wait for the
 * registry only, so a dead network or DNS fails within it while a busy CPU does not count.
 */
export const REGISTRY_PROBE_TIMEOUT_MS = 20_000;
/**
 * The bound on the whole `npm view` process: only ends a hung run. npm's start-up is CPU work, which
 * took over 25 s with two CPU hogs and a full suite beside it (load average 24 on 2 cores).
 */
export const REGISTRY_PROBE_PROCESS_TIMEOUT_MS = 5 * 60_000;

/** Prints the one line that says a group was skipped and why. */
export function announceSkip(group: string, reason: string): void {
  process.stderr.write(`skipped: ${group}: ${reason}\n`);
}

/**
 * Resolves when npm can fetch `pkg`'s metadata from the registry it is configured for; rejects with
 * one line naming the package and the registry otherwise: a registry that does not answer fails within
 * npm's fetch timeout ({@link REGISTRY_PROBE_TIMEOUT_MS}); the process bound only ends a hung run.
 * It asks npm itself (`npm view`), so the probe sees npm's registry, proxy and CA settings exactly
 * as the installs that follow will (turbo does not pass every variable through to the tests).
 */
export function probeRegistry(pkg: string): Promise<void> {
  const args = [
    "view",
    pkg,
    "name",
    "--fetch-retries=0",
    `--fetch-timeout=${REGISTRY_PROBE_TIMEOUT_MS}`,
    "--loglevel=error",
  ];
  return new Promise((resolvePromise, reject) => {
    execFile(
      "npm",
      args,
      { encoding: "utf8", timeout: REGISTRY_PROBE_PROCESS_TIMEOUT_MS },
      (error, _stdout, stderr) => {
        if (!error) return resolvePromise();
        const code = /\b(E[A-Z0-9_]{3,40})\b/.exec(stderr)?.[1];
        const reason = error.killed
          ? `npm did not finish in ${REGISTRY_PROBE_PROCESS_TIMEOUT_MS / 60_000} min`
          : (code ?? (stderr.trim().split("\n")[0] || error.message));
        reject(
          new Error(
            `cannot fetch ${pkg} from the npm registry ${registryName()} (${reason}); set CODESPACES_OFFLINE=1 to skip the tests that need it`,
          ),
        );
      },
    );
  });
}

/** The registry npm uses here, without credentials (for messages only). */
function registryName(): string {
  try {
    const url = new URL(
      execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8", timeout: 60_000 }).trim(),
    );
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "(npm config get registry failed)";
  }
}

/**
 * A `describe` for a group that needs the npm registry for `packages`: skipped with one line under
 * `CODESPACES_OFFLINE=1`, else preceded by a fast probe of the registry for the first package
 * (the group's tests then fail with that one line instead of timing out).
 */
export function describeWithRegistry(group: string, packages: readonly [string, ...string[]], body: () => void): void {
  if (offline) {
    announceSkip(group, `needs the npm registry for ${packages.join(", ")} (CODESPACES_OFFLINE=1)`);
    describe.skip(group, body);
    return;
  }
  describe(group, () => {
    beforeAll(() => probeRegistry(packages[0]), REGISTRY_PROBE_PROCESS_TIMEOUT_MS + 60_000);
    body();
  });
}

/**
 * A `describe` for a group that needs `path` (e.g. `../shared/github-descriptions`): skipped with one
 * line when it is absent on a developer's machine; under `CI=true` the group runs and fails.
 */
export function describeWithPath(group: string, path: string, body: () => void): void {
  if (existsSync(path) || inCi) {
    describe(group, () => {
      beforeAll(() => {
        if (!existsSync(path))
          throw new Error(`${path} is missing: CI always has it (a developer's machine skips "${group}")`);
      });
      body();
    });
    return;
  }
  announceSkip(group, `${path} is absent (CI has it)`);
  describe.skip(group, body);
}
