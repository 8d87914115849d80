import { isDeepStrictEqual } from "node:util";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSlice, type Selection } from "@codespaces-clients/spec";
import { describeWithRegistry } from "@codespaces-clients/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bumpsBySubject, type Changeset } from "../src/changesets.js";
import { ConsumerProject } from "../src/consumer.js";
import { DESCRIPTION_PACKAGE, writeMirrorDescription } from "../src/descriptions.js";
import {
  bumpVersion,
  compareVersions,
  loadExpectedBumps,
  type ExpectedPair,
  type SelectionSpec,
} from "../src/expected-bumps.js";
import { loadReplayDefects, ReplayRepo, selectionOf } from "../src/replay-repo.js";
import { packageDirName, packageNameOf } from "@codespaces-clients/openapi-model";
import { cleanEnv, sh, tail } from "@codespaces-clients/test-support/shell";
import { ensureVerdaccio, type LoopbackRegistry, startVerdaccio } from "@codespaces-clients/test-support/verdaccio";

const here = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = resolve(here, "../..");
const table = loadExpectedBumps(join(here, "expected-bumps.json"));
/**
 * GitHub's inaccuracies in operations the repository's packages lack (README, step 5: Gate); the
 * contract tests shape-check them in the copy, with the rest of its known-defects file.
 */
const replayDefects = loadReplayDefects(join(here, "replay-spec-defects.json"));
const CLIENT_DIR = packageDirName(table.apiVersion);
const CLIENT = packageNameOf(table.apiVersion);
/** Upper bounds: they only end a hung run (an install, a turbo run, Prism), never judge speed. */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const PAIR_TIMEOUT_MS = 30 * 60_000;

/** The description without `info`: Octokit restamps info.version on every release. */
const withoutInfo = (doc: Record<string, unknown> | undefined) => {
  if (!doc) return undefined;
  const { info: _info, ...rest } = doc;
  return rest;
};
const operationIdsOf = (slice: Record<string, unknown>): string[] =>
  Object.values(slice.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((item) =>
    Object.values(item).flatMap((op) => (typeof op?.operationId === "string" ? [op.operationId] : [])),
  );
const log = (line: string) => console.log(`history-replay: ${line}`);

/** Seconds per step of the current pair, printed with its last line (for the README's timings). */
const timings: string[] = [];
async function timed<T>(name: string, body: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await body();
  } finally {
    timings.push(`${name} ${((performance.now() - start) / 1000).toFixed(0)} s`);
  }
}

describeWithRegistry(
  `history replay of ${DESCRIPTION_PACKAGE}: spec update → changesets → generate → contract tests → version → publish → consumer upgrade`,
  [DESCRIPTION_PACKAGE, "verdaccio"],
  () => {
    let work: string;
    let mirror: string;
    let registry: LoopbackRegistry | undefined;
    let repo: ReplayRepo;
    let consumer: ConsumerProject;

    /** The changeset `pnpm spec update` wrote for the client (exactly one). */
    async function clientChangeset(): Promise<[string, Changeset]> {
      const mine = [...(await repo.changesets())].filter(([, c]) => CLIENT in c.releases);
      expect(
        mine.map(([name]) => name),
        `one changeset for ${CLIENT}`,
      ).toHaveLength(1);
      return mine[0]!;
    }

    /** `pnpm run version` then `pnpm run release`; returns the client's new version, checked in the registry. */
    async function versionAndRelease(): Promise<string> {
      const version = await repo.pnpm("run", "version");
      expect(version.code, `pnpm run version:\n${tail(version.output)}`).toBe(0);
      const next = await repo.versionOf(CLIENT_DIR);
      const release = await repo.pnpm("run", "release");
      expect(release.code, `pnpm run release:\n${tail(release.output)}`).toBe(0);
      expect(release.output).not.toContain(registry!.token);
      expect(
        (await registry!.packument(CLIENT))?.["dist-tags"].latest,
        `${CLIENT} latest in the loopback registry`,
      ).toBe(next);
      return next;
    }

    /** generate ran inside `spec update`; build what the contract tests import, then run them on the slice. */
    async function contractGate(): Promise<void> {
      const slice = await repo.slice();
      await repo.narrowKnownDefects(operationIdsOf(slice!), replayDefects);
      const build = await repo.pnpm(
        "turbo",
        "run",
        "build",
        "--filter=@codespaces-clients/contract-tests...",
        "--output-logs=errors-only",
      );
      expect(build.code, `turbo run build:\n${tail(build.output)}`).toBe(0);
      const contract = await repo.pnpm(
        "--filter",
        "@codespaces-clients/contract-tests",
        "exec",
        "vitest",
        "run",
        "test/contract.test.ts",
        "test/types.test.ts",
      );
      expect(contract.code, `contract tests:\n${tail(contract.output, 120)}`).toBe(0);
    }

    /**
     * Makes `from` the committed state of the copy, with a published client whose types are exactly
     * `from`'s. After the previous pair the committed slice is usually `from`'s already, or differs
     * from it in `info` only (Octokit's releases in between changed nothing in the selection): then
     * the update to `to` classifies exactly what `from` → `to` changed, and nothing is done (checked
     * by extracting `from` in-process, without a whole update). Otherwise (first pair, a new
     * selection, a real change in between) `from` is updated to and released, without expectations.
     */
    async function establishBaseline(
      from: string,
      selection: SelectionSpec,
    ): Promise<{ version: string; slice: Record<string, unknown> }> {
      const before = await repo.slice();
      const wanted = selectionOf(selection);
      const sameSelection = isDeepStrictEqual(await repo.selection(), wanted);
      if (before && sameSelection) {
        const candidate = await buildSlice(`npm:${DESCRIPTION_PACKAGE}@${from}`, {
          selection: wanted as Selection,
          cwd: repoRoot,
        });
        if (
          isDeepStrictEqual(withoutInfo(JSON.parse(candidate.text) as Record<string, unknown>), withoutInfo(before))
        ) {
          log(`${from}: the published client already has ${from}'s slice (info.version aside)`);
          return { version: await repo.versionOf(CLIENT_DIR), slice: before };
        }
      }
      if (!sameSelection) await repo.setSelection(selection);
      await writeMirrorDescription(repoRoot, mirror, table.apiVersion, from);
      // A baseline is not a replayed pair: it is updated to and published, not gated or checked.
      const update = await repo.pnpm("spec", "update", "--mirror", mirror, "--no-test");
      expect(update.code, `baseline spec update to ${from}:\n${tail(update.output)}`).toBe(0);
      const version = await versionAndRelease();
      await repo.commit(`baseline ${DESCRIPTION_PACKAGE}@${from}: ${CLIENT}@${version}`);
      log(`${from}: baseline released as ${CLIENT}@${version}`);
      return { version, slice: (await repo.slice())! };
    }

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), "history-replay-"));
      mirror = join(work, "mirror");
      // Its own verdaccio folder: release-e2e installs into .cache/verdaccio, maybe at the same time.
      const verdaccio = await ensureVerdaccio(repoRoot, join(repoRoot, ".cache", "history-replay", "verdaccio"));
      registry = await startVerdaccio(verdaccio, join(work, "registry"), "replay");
      repo = await ReplayRepo.create(repoRoot, join(work, "repo"), table.apiVersion, registry.url, registry.token);
      await repo.configure(table.selections[table.pairs[0]!.selection]!);
      await repo.commit(`replay: API version ${table.apiVersion} only, selection ${table.pairs[0]!.selection}`);
      consumer = new ConsumerProject(
        join(work, "consumer"),
        registry.url,
        CLIENT,
        join(repoRoot, "node_modules", "typescript", "bin", "tsc"),
      );
      await consumer.init();
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await registry?.stop();
      if (process.env.HISTORY_REPLAY_KEEP === "1") log(`kept ${work}`);
      else if (work) await rm(work, { recursive: true, force: true });
    }, SETUP_TIMEOUT_MS);

    it(`every pair is two published versions of ${DESCRIPTION_PACKAGE}, older first, pairs in order`, async () => {
      // npm itself, so that the registry, proxy and CA settings are the ones the installs use. The pairs
      // were consecutive in the registry these tables were written against; another registry (the public
      // one lists more versions) may hold versions in between, so only existence and order are asserted.
      const versions = JSON.parse(
        await sh(
          here,
          ["npm", "view", DESCRIPTION_PACKAGE, "versions", "--json", "--loglevel=error"],
          cleanEnv(),
          120_000,
        ),
      ) as string[];
      for (const pair of table.pairs) {
        expect(versions, `${DESCRIPTION_PACKAGE} versions`).toContain(pair.from);
        expect(versions, `${DESCRIPTION_PACKAGE} versions`).toContain(pair.to);
        expect(compareVersions(pair.from, pair.to), `${pair.from} before ${pair.to}`).toBeLessThan(0);
      }
      const froms = table.pairs.map((p) => p.from);
      expect(froms).toEqual([...froms].sort(compareVersions));
    });

    it.each(table.pairs.map((p) => [`${p.from} → ${p.to}`, p] as const))(
      "%s",
      async (_name, pair: ExpectedPair) => {
        timings.length = 0;
        await repo.reset();
        log(`${pair.from} → ${pair.to} (${pair.selection}): expected ${pair.bump}: ${pair.reason}`);

        // 1. The published client that holds `from`, and a consumer that compiles against it.
        const baseline = await timed("baseline", () => establishBaseline(pair.from, table.selections[pair.selection]!));
        const old = await timed("consumer install", () => consumer.install(baseline.version));
        expect(old.version).toBe(baseline.version);
        await consumer.write(baseline.slice, old);
        const before = await timed("consumer tsc", () => consumer.compile());
        expect(
          before.ok,
          `the consumer of ${pair.from} must compile against ${CLIENT}@${baseline.version}:\n${before.diagnostics}`,
        ).toBe(true);

        // 2. `pnpm spec update` from the mirror holding `to`: exits 0 and writes one changeset.
        await writeMirrorDescription(repoRoot, mirror, table.apiVersion, pair.to);
        const update = await timed("spec update + generate", () =>
          repo.pnpm("spec", "update", "--mirror", mirror, "--no-test"),
        );
        expect(update.code, `spec update to ${pair.to}:\n${tail(update.output)}`).toBe(0);
        const [file, changeset] = await clientChangeset();
        const tool = changeset.releases[CLIENT];
        const toolChanges = bumpsBySubject(changeset.details);
        log(`${pair.from} → ${pair.to}: spec update wrote .changeset/${file}: ${tool} ${JSON.stringify(toolChanges)}`);
        // Disagreements are the point: they fail the test, and the loop still runs to the end.
        expect.soft(tool, `bump of ${CLIENT} for ${pair.from} → ${pair.to} (table: ${pair.reason})`).toBe(pair.bump);
        expect
          .soft(toolChanges, `bump per operation for ${pair.from} → ${pair.to}`)
          .toEqual(
            bumpsBySubject(Object.entries(pair.changes).map(([subject, bump]) => ({ subject, bump, line: "" }))),
          );

        // 3. The gate: generate (done by the update), contract tests on the new slice.
        await timed("build + contract tests", () => contractGate());

        // 4. Version and publish.
        const next = await timed("version + release", () => versionAndRelease());
        expect
          .soft(next, `${CLIENT} version after ${tool} from ${baseline.version}`)
          .toBe(bumpVersion(baseline.version, pair.bump));
        await repo.commit(`replay ${DESCRIPTION_PACKAGE}@${pair.from} → ${pair.to}: ${CLIENT}@${next}`);

        // 5. The consumer written against `from` upgrades with npm install.
        const installed = await timed("consumer install", () => consumer.install(next));
        expect(installed.version).toBe(next);
        const after = await timed("consumer tsc", () => consumer.compile());
        if (pair.bump !== "major") {
          expect(
            after.ok,
            `a ${pair.bump} must not break the consumer of ${pair.from} (${CLIENT}@${baseline.version} → ${next}):\n${after.diagnostics}`,
          ).toBe(true);
          log(
            `${pair.from} → ${pair.to}: published ${CLIENT}@${next}; the consumer of ${baseline.version} compiles against it`,
          );
        } else {
          log(
            `${pair.from} → ${pair.to}: published ${CLIENT}@${next}; the consumer of ${baseline.version} ${after.ok ? "still compiles" : `breaks:\n${after.diagnostics}`}`,
          );
          for (const expected of pair.consumerBreaks ?? [])
            expect(after.diagnostics, "what the major breaks").toContain(expected);
        }
        log(`${pair.from} → ${pair.to}: ${timings.join(", ")}`);
      },
      PAIR_TIMEOUT_MS,
    );
  },
);
