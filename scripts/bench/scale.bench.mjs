#!/usr/bin/env node
/**
 * The whole API as the scale benchmark (issue 13): GitHub's full description (@octokit/openapi, 13 MB,
 * 1,223 operations) through `spec extract --all-operations`, side by side in one run with its floor
 * (read + `JSON.parse` of the same file) and the machines extraction (`--select codespaces/machines`).
 * Whole processes, interleaved rounds (order rotated each round), medians. Wall time is measured around
 * the spawn; CPU time (all threads) and peak RSS come from a `--require` probe that reads
 * `process.resourceUsage()` on exit, so a busy machine inflates wall time but not those two.
 *
 *   node scripts/bench/scale.bench.mjs [--rounds N]          (after `pnpm build` of packages/spec)
 *
 * `BENCH_BASELINE_SPEC=<dir>`: a built copy of packages/spec from another commit (a folder with its
 * package.json and dist/, placed where node_modules resolve, e.g. packages/spec/.tmp/base), measured in
 * the same rounds as "before": its whole-API run names every operationId with `--operation-id` (it may
 * predate `--all-operations`). `BENCH_BASELINE_LABEL` names it in the table.
 *
 * Writes scripts/bench/SCALE-RESULTS.md. Exits 1 when a contender fails or two runs disagree on the
 * operations or warnings; a missed target is reported (MISS), never a failure.
 *
 * Generation of the whole-API package is measured (`generationOfWholeApi`); the consumer `tsc` and
 * two-operation bundle sections are still to fill (`consumerTypecheck`, `twoOperationBundle`).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { OCTOKIT_SOURCE, octokitDescriptionFile, writeRssProbe } from "../../packages/spec/bench/lib.mjs";
import { machine, median, REPO, verdicts } from "./lib.mjs";

const TARGETS = { wholeWall: 3, wholeRss: 2, machinesWall: 2 };
const SPEC = join(REPO, "packages", "spec");

const { values: args } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) fail(`--rounds takes a positive integer, not ${args.rounds}`);

function fail(message) {
  console.error(`bench: error: ${message}`);
  process.exit(1);
}

const cli = join(SPEC, "dist", "cli.js");
if (!existsSync(cli)) fail(`${cli} is missing: run \`pnpm build\` first`);
const baselineDir = process.env.BENCH_BASELINE_SPEC && resolve(process.env.BENCH_BASELINE_SPEC);
const baselineCli = baselineDir && join(baselineDir, "dist", "cli.js");
if (baselineCli && !existsSync(baselineCli)) fail(`BENCH_BASELINE_SPEC: ${baselineCli} is missing`);
const baselineLabel = process.env.BENCH_BASELINE_LABEL ?? process.env.BENCH_BASELINE_SPEC;

const work = mkdtempSync(join(tmpdir(), "spec-scale-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const input = await octokitDescriptionFile(work);
const inputBytes = readFileSync(input);
const inputSha = createHash("sha256").update(inputBytes).digest("hex");

/** Every operationId of the description, in document order (for a baseline without `--all-operations`). */
function allOperationIds() {
  const ids = [];
  for (const item of Object.values(JSON.parse(inputBytes.toString("utf8")).paths))
    for (const op of Object.values(item)) if (op && typeof op === "object" && op.operationId) ids.push(op.operationId);
  return ids;
}

// ---- contenders ---------------------------------------------------------------------------------

/** `extracted N operations, … ; K warning(s)` → { operations, warnings } (and the warning lines agree). */
function extractCheck(stdout, stderr) {
  const m = /extracted (\d+) operations, (\d+) components .*; (\d+) warning\(s\)/.exec(stdout);
  if (!m) throw new Error(`no "extracted …" line on stdout: ${JSON.stringify(stdout.slice(0, 300))}`);
  const lines = stderr.split("\n").filter((l) => l.startsWith("warning: ")).length;
  if (lines !== Number(m[3])) throw new Error(`stdout says ${m[3]} warnings, stderr has ${lines} warning lines`);
  return { operations: Number(m[1]), components: Number(m[2]), warnings: Number(m[3]) };
}

const contenders = [
  {
    name: "floor",
    label: "floor: read + JSON.parse",
    args: () => ["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(input)}, "utf8"))`],
    check: () => ({}),
  },
  {
    name: "whole",
    label: "spec extract --all-operations",
    args: (out) => [cli, "extract", "--from", input, "--all-operations", "--out", out],
    check: extractCheck,
  },
  {
    name: "machines",
    label: "spec extract --select codespaces/machines",
    args: (out) => [cli, "extract", "--from", input, "--select", "codespaces/machines", "--out", out],
    check: extractCheck,
  },
];
if (baselineCli) {
  const ids = allOperationIds().flatMap((id) => ["--operation-id", id]);
  contenders.push({
    name: "before",
    label: `before (${baselineLabel}): every --operation-id`,
    args: (out) => [baselineCli, "extract", "--from", input, ...ids, "--out", out],
    check: extractCheck,
  });
}

// ---- measurement --------------------------------------------------------------------------------

const probe = writeRssProbe(work);

let runs = 0;
/** One whole process: wall (ms), CPU (ms), peak RSS (KiB), and what its check read from the output. */
function run(contender) {
  const n = runs++;
  const out = join(work, `${contender.name}-${n}.json`);
  const probeFile = join(work, `rss-${n}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--require", probe, ...contender.args(out)], {
    cwd: work,
    env: { ...process.env, INIT_CWD: work, BENCH_RSS_FILE: probeFile },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error || result.status !== 0)
    throw new Error(
      `${contender.name} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr.slice(-1000)}`,
    );
  const [rssKiB, cpuMs] = readFileSync(probeFile, "utf8").split(" ").map(Number);
  const found = contender.check(result.stdout, result.stderr);
  rmSync(out, { force: true });
  rmSync(out.replace(/\.json$/, ".provenance.json"), { force: true });
  return { wallMs, cpuMs, rssKiB, ...found };
}

const loadBefore = loadavg()[0];
const samples = new Map(contenders.map((c) => [c.name, []]));
try {
  for (const c of contenders) run(c); // warm-up round: page cache, and every output checked once
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r) % contenders.length];
      samples.get(c.name).push(run(c));
    }
    console.log(`round ${r + 1}/${rounds} done`);
  }
} catch (error) {
  fail(error.message);
}
for (const [name, s] of samples) {
  for (const key of ["operations", "warnings"])
    if (new Set(s.map((x) => x[key])).size > 1) fail(`${name}: runs disagree on ${key}: ${s.map((x) => x[key])}`);
}
if (baselineCli) {
  const [now, before] = [samples.get("whole")[0], samples.get("before")[0]];
  if (now.operations !== before.operations || now.warnings !== before.warnings)
    fail(
      `whole API: ${now.operations} operations / ${now.warnings} warnings, before: ${before.operations} / ${before.warnings}`,
    );
}

// ---- report -------------------------------------------------------------------------------------

const stat = (name) => {
  const s = samples.get(name);
  const walls = s.map((x) => x.wallMs);
  return {
    wall: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    cpu: median(s.map((x) => x.cpuMs)),
    rss: median(s.map((x) => x.rssKiB)),
    operations: s[0].operations,
    warnings: s[0].warnings,
  };
};
const stats = Object.fromEntries(contenders.map((c) => [c.name, stat(c.name)]));
const floor = stats.floor;
const s3 = (ms) => `${(ms / 1000).toFixed(3)} s`;
const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
const x = (a, b) => (a / b).toFixed(2);
const table = [
  "| contender | operations | example warnings | median wall | wall min – max | median CPU | median peak RSS | wall / floor | CPU / floor | RSS / floor |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...contenders.map((c) => {
    const s = stats[c.name];
    return `| ${c.label} | ${s.operations ?? "—"} | ${s.warnings ?? "—"} | ${s3(s.wall)} | ${s3(s.min)} – ${s3(s.max)} | ${s3(s.cpu)} | ${mib(s.rss)} | ${x(s.wall, floor.wall)}× | ${x(s.cpu, floor.cpu)}× | ${x(s.rss, floor.rss)}× |`;
  }),
].join("\n");
const targetRows = [
  {
    name: "whole API extraction / floor (wall)",
    value: x(stats.whole.wall, floor.wall),
    limit: TARGETS.wholeWall,
    unit: "×",
  },
  {
    name: "whole API extraction / floor (peak RSS)",
    value: x(stats.whole.rss, floor.rss),
    limit: TARGETS.wholeRss,
    unit: "×",
  },
  {
    name: "machines extraction / floor (wall)",
    value: x(stats.machines.wall, floor.wall),
    limit: TARGETS.machinesWall,
    unit: "×",
  },
];

// ---- sections to fill once the generator handles every operation shape ---------------------------

/**
 * Generation of the whole-API package: `pnpm generate --slice` (the generator's command line, built)
 * on the whole description with `--skip-unsupported`, one whole process with the same probe:
 * wall, CPU, peak RSS, the operations written and the ones left out (each named on a `skipped:` line).
 */
function generationOfWholeApi() {
  const generatorCli = join(REPO, "packages", "generator", "dist", "cli.js");
  if (!existsSync(generatorCli)) return "not measured: packages/generator/dist is missing (run `pnpm build`).";
  // The description itself, not the `--all-operations` slice: openapi-typescript's bundler resolves a
  // `$ref` inside example data (GitHub's `projects-v2-view` example values, a schema `example` of
  // `deployment_protection_rules`), which the slice keeps as data without its target, and refuses the
  // slice. Same 1,223 operations; the slice only drops what no operation uses.
  const slice = input;
  const probeFile = join(work, "rss-generate");
  const started = process.hrtime.bigint();
  const generated = spawnSync(
    process.execPath,
    [
      "--require",
      probe,
      generatorCli,
      "--slice",
      slice,
      "--api-version",
      "2022-11-28",
      "--name",
      "@codespaces-clients/whole-api-2022-11-28",
      "--out",
      join(work, "whole-api-package"),
      "--skip-unsupported",
    ],
    {
      // From the repository: the generator finds the workspace (and the runtime's version) there;
      // every path given is absolute.
      cwd: REPO,
      env: { ...process.env, INIT_CWD: REPO, BENCH_RSS_FILE: probeFile },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (generated.status !== 0)
    return `not measured: the generator failed on the whole-API slice — \`${(generated.stderr.trim().split("\n").at(-1) ?? "").slice(0, 300)}\`.`;
  const [rssKiB, cpuMs] = readFileSync(probeFile, "utf8").split(" ").map(Number);
  const skipped = `${generated.stdout}\n${generated.stderr}`.split("\n").filter((line) => line.startsWith("skipped:"));
  const written = /\((\d+) operation/.exec(generated.stdout)?.[1] ?? "?";
  return [
    "`generate --slice <the description> --api-version 2022-11-28 --name … --out <tmp> --skip-unsupported`, one run (the `--all-operations` slice is refused by openapi-typescript's bundler: see `generationOfWholeApi`):",
    "",
    "| operations generated | left out | wall | CPU | peak RSS |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${written} | ${skipped.length} | ${s3(wallMs)} | ${s3(cpuMs)} | ${Math.round(rssKiB / 1024)} MiB |`,
    "",
    ...skipped.map((line) => `- ${line}`),
  ].join("\n");
}

/** Hook: consumer `tsc --noEmit` increment of the whole-API package next to @octokit/rest's (target ≤ 0.5×). */
function consumerTypecheck() {
  return "not measured yet by this script (the package above is generated; its tsc build takes about 76 s and 960 MB). Fill in from scripts/bench/typecheck-time.bench.mjs with the built package as a contender.";
}

/** Hook: min+gz bundle of an entry calling two operations of the whole-API package next to the machines package's (target ≤ 1.1×). */
function twoOperationBundle() {
  return "not measured yet by this script. Fill in from scripts/bench/bundle-size.bench.mjs with an entry that calls two operations of the package above.";
}

const report = `# Scale benchmark: the whole API

Generated by \`${baselineCli ? `BENCH_BASELINE_SPEC=<packages/spec built at ${baselineLabel}> ` : ""}node scripts/bench/scale.bench.mjs --rounds ${rounds}\` — do not edit; rerun it (after \`pnpm build\`).

Input: \`${OCTOKIT_SOURCE}\` → \`generated/api.github.com.json\`, ${inputBytes.length} bytes, sha256 \`${inputSha}\`.
Machine: ${machine()}. 1-minute load average ${loadBefore.toFixed(1)} before the run and ${loadavg()[0].toFixed(1)} after it
(other work on the machine inflates wall times; CPU time and peak RSS are disturbed less).
Method: ${rounds} interleaved rounds after one warm-up round, order rotated; whole processes; medians. CPU time
counts every thread; peak RSS is the process's \`maxRSS\`.

## Extraction

${table}

${verdicts(targetRows)}

## Generation of the whole-API package

${generationOfWholeApi()}

## Consumer \`tsc\` vs @octokit/rest

${consumerTypecheck()}

## Two-operation bundle vs the machines package

${twoOperationBundle()}
`;
writeFileSync(join(import.meta.dirname, "SCALE-RESULTS.md"), report);
console.log(`\n${report}`);
