/**
 * `pnpm spec update`: plan every version's slice, classify the change against the committed one, check
 * the pins and GitHub's changelog, write the set whole, regenerate and test. Pins are in pins.ts, the
 * per-version plan in slice-plan.ts.
 * About 300 lines: the steps run in one order over one write set.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { CONFIG_FILE, pickVersions, readSourcesConfig, upstreamPath, type SourcesConfig } from "./config.js";
import { readCurrent, writeFilesAtomically } from "./atomic-write.js";
import { CompileCheckError, SpecError, UsageError } from "./errors.js";
import { pinCommit, resolveRef } from "./pins.js";
import { loadSource, redactSecrets, redactUrl } from "./source.js";
import { mirrorPath, planVersion, removeUnlistedVersions, slicePaths, type VersionPlan } from "./slice-plan.js";
import { crossCheckChangelog, parseChangelog, type ChangelogCheck } from "./diff/changelog.js";
import { changesetFileName, initialReleaseChangeset, specUpdateChangeset } from "./diff/changeset.js";
import { checkWithCompiler, type CompileVerdict } from "./diff/compile-check.js";
import { diffDescriptions, type DiffResult } from "./diff/compare.js";
import { formatChange, formatSummary } from "./diff/report.js";
import { DEFAULT_SEMVER, type SemverSettings } from "./diff/rules.js";
import { clientPackageName, repositoryOf, runPnpm } from "./diff/workspace.js";

export interface SpecUpdateOptions {
  readonly specDir: string;
  /** A folder laid out like github/rest-api-description. */
  readonly mirror?: string;
  /** Commit or branch of the upstream repository; default each version's pinned commit. */
  readonly ref?: string;
  /** Any source `extract` reads (path, URL, `npm:`), for exactly one `--version`. */
  readonly from?: string;
  readonly versions?: readonly string[];
  /** Change nothing; fail when upstream differs from spec/. */
  readonly check?: boolean;
  /** Print the report only. */
  readonly dryRun?: boolean;
  /** Run `pnpm test` after regenerating (default true). */
  readonly test?: boolean;
  /** Where changesets go; default `<repository>/.changeset`, the folder beside `specDir`. */
  readonly changesetDir?: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** What happened to one API version. */
export interface VersionOutcome {
  readonly version: string;
  readonly packageName: string;
  /** `new`: no committed slice yet; `changed`: the slice differs; `unchanged`: same bytes. */
  readonly status: "new" | "changed" | "unchanged";
  readonly diff?: DiffResult;
  readonly changelog?: ChangelogCheck;
  /** The compiler's check of the classification (`compile-check.ts`); absent for new versions and `--check`. */
  readonly compiler?: CompileVerdict;
  readonly commit: string;
}

export interface SpecUpdateResult {
  readonly versions: readonly VersionOutcome[];
  /** Paths written (slices, provenance, config, changesets); empty for --check and --dry-run. */
  readonly written: readonly string[];
}

/** `--check` found upstream ahead of spec/: exit 1 with one line saying what and how to fix it. */
export class DriftError extends SpecError {}

/**
 * `pnpm spec update`: fetch every configured version's description, extract the selection, classify
 * the difference to the committed slice per operation (`rules.ts`), check each classification with
 * the TypeScript compiler (`compile-check.ts`: a change below major that breaks the old slice's usage
 * stops the run, `--dry-run` included), and — unless `check` or `dryRun` — write spec/, one changeset
 * per affected client package, regenerate the packages and run the tests. Every version is fetched,
 * validated and checked before anything is written, so a bad description leaves the tree as it was.
 * Printed lines and written changesets and provenance go through `redactSecrets`.
 */
export async function runSpecUpdate(options: SpecUpdateOptions): Promise<SpecUpdateResult> {
  const print = options.log ?? ((line: string) => console.log(line));
  // Every line and every file we author goes through the one redaction helper: `--from` may carry credentials.
  const log = (line: string) => print(redactSecrets(line));
  const specDir = resolve(options.specDir);
  const cwd = options.cwd ?? process.cwd();
  const show = (p: string) => relative(cwd, p) || p;
  const config = await readSourcesConfig(specDir);
  const configFile = join(specDir, CONFIG_FILE);
  const entries = pickVersions(config, options.versions ?? [], configFile);
  if (options.from && entries.length !== 1)
    throw new UsageError("--from reads one description: name exactly one --version");
  if (options.from && options.ref) throw new UsageError("use either --from or --ref, not both");
  const settings: SemverSettings = { ...DEFAULT_SEMVER, ...config.semver };
  const root = repositoryOf(specDir);
  const ref = options.ref ? await resolveRef(config, options.ref, options.mirror, options.timeoutMs) : undefined;
  if (ref && ref !== options.ref) log(`ref ${options.ref} is commit ${ref}`);

  // 1. Fetch, extract, validate: all versions before anything is written.
  const plans: VersionPlan[] = [];
  for (const entry of entries) {
    plans.push(
      await planVersion(
        config,
        entry,
        {
          specDir,
          cwd,
          ...(options.mirror ? { mirror: options.mirror } : {}),
          ...(ref ? { ref } : {}),
          ...(options.from ? { from: options.from } : {}),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        },
        log,
      ),
    );
  }

  // 2. Compare with the committed slices and classify.
  const outcomes: VersionOutcome[] = [];
  const befores = new Map<string, string>();
  for (const plan of plans) {
    const { version } = plan.entry;
    const before = await readCurrent(slicePaths(specDir, version).slice);
    const packageName = await clientPackageName(root, version);
    const commit = ref ?? plan.entry.commit;
    if (before === undefined) {
      log(`${version}  classified: new API version → ${packageName} (initial release, minor)`);
      outcomes.push({ version, packageName, status: "new", commit });
      continue;
    }
    befores.set(version, before);
    const diff = diffDescriptions(
      JSON.parse(before) as Record<string, unknown>,
      JSON.parse(plan.slice.text) as Record<string, unknown>,
      settings,
      {
        old: slicePaths(specDir, version).slice,
        new: `slice of ${plan.slice.label}`,
      },
    );
    const status = before === plan.slice.text ? "unchanged" : "changed";
    log(
      `${version}  classified: ${status === "changed" && !diff.bump ? "changed bytes, no classified change" : formatSummary(diff)}`,
    );
    for (const change of diff.changes) log(`${version}    ${formatChange(change)}`);
    outcomes.push({ version, packageName, status, diff, commit });
  }

  // 2b. The compiler checks each bump: the old slice's usage against the new slice's types. A change
  // classified below major that breaks the usage stops the update before anything is written.
  if (!options.check) {
    const wrong: { version: string; bump: string; diagnostics: readonly string[] }[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status !== "changed" || !outcome.diff) continue;
      const plan = plans.find((p) => p.entry.version === outcome.version)!;
      const verdict = await checkWithCompiler(
        JSON.parse(befores.get(outcome.version)!) as Record<string, unknown>,
        JSON.parse(plan.slice.text) as Record<string, unknown>,
        outcome.diff,
        settings,
      );
      for (const line of verdict.report) log(`${outcome.version}  ${line}`);
      outcomes[i] = { ...outcome, compiler: verdict };
      if (verdict.outcome === "misclassified")
        wrong.push({
          version: outcome.version,
          bump: outcome.diff.bump ?? "no change",
          diagnostics: verdict.diagnostics,
        });
    }
    if (wrong.length) {
      const what = wrong.map((w) => `${w.version} is classified ${w.bump}`).join(", ");
      throw new CompileCheckError(
        show(specDir),
        `${what}, but the old usage does not compile against the new types: a rule in packages/spec/src/diff/rules.ts misclassifies the change (nothing written)`,
        wrong.flatMap((w) => w.diagnostics.map((d) => redactSecrets(`${w.version}  ${d}`))),
      );
    }
  }

  // 3. A new dated version: does our diff from the previous version agree with GitHub's changelog?
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.status !== "new") continue;
    const check = await changelogCheck(config, specDir, plans, plans[i]!, options, settings).catch((error: Error) => {
      log(`${outcome.version}  changelog: not checked (${error.message})`);
      return undefined;
    });
    if (check) {
      log(`${outcome.version}  ${check.text}`);
      outcomes[i] = { ...outcome, changelog: check };
    }
  }

  const pinMoves = outcomes.filter((o, i) => o.commit !== plans[i]!.entry.commit);
  const drift = outcomes.filter((o) => o.status !== "unchanged");
  if (options.check) {
    if (drift.length || pinMoves.length) {
      const what = [
        ...drift.map((o) => `${o.version} (${o.status === "new" ? "new" : (o.diff?.bump ?? "bytes only")})`),
        ...pinMoves.filter((o) => !drift.includes(o)).map((o) => `${o.version} (pin → ${o.commit.slice(0, 7)})`),
      ];
      throw new DriftError(
        show(specDir),
        `differs from upstream for ${what.join(", ")}: run \`pnpm spec update${options.ref ? ` --ref ${options.ref}` : ""}${options.mirror ? " --mirror <dir>" : ""}\` and commit the result`,
      );
    }
    log(`check: spec/ matches upstream for ${outcomes.map((o) => o.version).join(", ")}`);
    return { versions: outcomes, written: [] };
  }
  if (options.dryRun) {
    log(`dry run: nothing written (${drift.length} version(s) would change)`);
    return { versions: outcomes, written: [] };
  }

  // 4. Write spec/ (slices, provenance, pins), then one changeset per affected package.
  const files: { path: string; content: string }[] = [];
  for (const plan of plans) {
    for (const file of plan.files) {
      if ((await readCurrent(file.path)) !== file.content) files.push(file);
    }
  }
  if (pinMoves.length) {
    let text = await readFile(configFile, "utf8");
    for (const o of pinMoves)
      text = pinCommit(
        text,
        o.version,
        plans.find((p) => p.entry.version === o.version)!.entry.commit,
        o.commit,
        configFile,
      );
    files.push({ path: configFile, content: text });
  }
  const changesetDir = options.changesetDir ?? join(dirname(specDir), ".changeset");
  for (const o of outcomes) {
    if (o.status === "new") {
      files.push({
        path: join(changesetDir, changesetFileName(o.packageName, "initial-release")),
        content: initialReleaseChangeset(o.packageName, o.version),
      });
    } else if (o.diff?.bump) {
      const from = options.from ? redactUrl(options.from) : undefined;
      const tag = from ? from.replace(/^npm:/, "") : o.commit.slice(0, 7);
      const label = from ? `from \`${from}\`` : `at \`${o.commit.slice(0, 7)}\``;
      files.push({
        path: join(changesetDir, changesetFileName(o.packageName, "spec", tag)),
        content: redactSecrets(specUpdateChangeset(o.packageName, o.version, label, o.diff)),
      });
    }
  }
  await writeFilesAtomically(files);
  const removed = options.versions?.length ? [] : await removeUnlistedVersions(specDir, config);
  for (const f of files) log(`wrote ${show(f.path)}`);
  for (const p of removed) log(`removed ${show(p)} (no longer in ${CONFIG_FILE})`);
  if (!files.length && !removed.length) log("spec/ is up to date: nothing written");

  // 5. Regenerate the client packages and run the tests (only inside the repository).
  if (files.length || removed.length) {
    if (!root) log(`generate: skipped (${show(specDir)} is not the spec/ folder of a workspace)`);
    else {
      log("generate: pnpm generate");
      // The generator runs `pnpm install` itself when it creates or removes a package (once per update).
      await runPnpm(root, ["generate"]);
      if (options.test === false) log("test: skipped (--no-test)");
      else {
        log("test: pnpm test");
        await runPnpm(root, ["test"]);
      }
    }
  }
  return { versions: outcomes, written: [...files.map((f) => f.path), ...removed] };
}

/** Compares the previous dated version with a new one and checks the result against GitHub's CHANGELOG.md. */
async function changelogCheck(
  config: SourcesConfig,
  specDir: string,
  plans: readonly VersionPlan[],
  plan: VersionPlan,
  options: SpecUpdateOptions,
  settings: SemverSettings,
): Promise<ChangelogCheck | undefined> {
  const { version } = plan.entry;
  const previous = config.versions
    .map((v) => v.version)
    .filter((v) => v < version)
    .sort()
    .at(-1);
  if (!previous) return undefined;
  const prevText =
    plans.find((p) => p.entry.version === previous)?.slice.text ??
    (await readCurrent(slicePaths(specDir, previous).slice));
  if (prevText === undefined) throw new Error(`no slice of the previous version ${previous}`);
  const changelogPath = `${dirname(upstreamPath(config, version))}/CHANGELOG.md`;
  const source = options.mirror
    ? mirrorPath(options.mirror, changelogPath)
    : config.upstream.baseUrl.replace("{commit}", options.ref ?? plan.entry.commit) + changelogPath;
  const loaded = await loadSource(source, {
    cwd: options.cwd ?? process.cwd(),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const entries = parseChangelog(Buffer.from(loaded.data).toString("utf8"), version) ?? [];
  const diff = diffDescriptions(
    JSON.parse(prevText) as Record<string, unknown>,
    JSON.parse(plan.slice.text) as Record<string, unknown>,
    settings,
  );
  const ours = [...plans.find((p) => p === plan)!.slice.operations.map((o) => `${o.method.toUpperCase()} ${o.path}`)];
  return crossCheckChangelog(diff, entries, ours, { from: previous, to: version });
}
