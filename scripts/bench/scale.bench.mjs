#!/usr/bin/env node
/**
 * The whole API as the scale benchmark (issue 13): GitHub's full description (@octokit/openapi, 13 MB,
 * 1,223 operations) through `spec extract --all-operations`, side by side in one run with its floor
 * (read + `JSON.parse` of the same file), the machines extraction (`--select codespaces/machines`) and,
 * for scale, two peer runs on the same file: Redocly CLI's bundle of the whole description, and its lint
 * with only its three example rules (the counterpart of our example checks). Whole processes,
 * interleaved rounds (order rotated each round), medians. Wall time is measured around the spawn; CPU
 * time (all threads) and peak RSS come from a `--require` probe that reads `process.resourceUsage()` on
 * exit, so a busy machine inflates wall time but not those two.
 *
 *   node scripts/bench/scale.bench.mjs [--rounds N] [--tsc-rounds N] [--only extraction|package]   (after `pnpm build`)
 *
 * `BENCH_BASELINE_SPEC=<dir>`: a built copy of packages/spec from another commit (a folder with its
 * package.json and dist/, placed where node_modules resolve, e.g. packages/spec/.tmp/base), measured in
 * the same rounds as "before": its whole-API run names every operationId with `--operation-id` (it may
 * predate `--all-operations`). `BENCH_BASELINE_LABEL` names it in the table.
 *
 * Writes scripts/bench/SCALE-RESULTS.md. Exits 1 when a contender fails or two runs disagree on the
 * operations or warnings; a missed target is reported (MISS), never a failure.
 *
 * Then the whole-API package: its generation from the `--all-operations` slice and its tsc build
 * (`generationOfWholeApi`), a consumer's `tsc` next to @octokit/rest's (`consumerTypecheck`,
 * `--tsc-rounds N`, default 3) and the bundle of an app calling two of its operations next to the
 * machines package's (`twoOperationBundle`). `--only extraction` measures the extraction alone and prints
 * its section; `--only package` runs only the whole-API package's sections (no extraction rounds: a
 * quicker loop while changing the generator or the runtime's types). Neither writes SCALE-RESULTS.md (a
 * partial run must not replace the whole report).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  binOf,
  OCTOKIT_SOURCE,
  octokitDescriptionFile,
  REDOCLY_ENV,
  writeRssProbe,
} from "../../packages/spec/bench/lib.mjs";
import { bundleOf, machinesEntry } from "./bundle-size.bench.mjs";
import { latestClient, machine, median, REPO, scratch, verdicts, versionOf } from "./lib.mjs";
import { consumerTscArgs, pairedIncrement, runTscJobs } from "./typecheck-time.bench.mjs";

const TARGETS = { wholeWall: 3, wholeRss: 2, machinesWall: 2 };
const SPEC = join(REPO, "packages", "spec");

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    "tsc-rounds": { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const rounds = Number(args.rounds);
const tscRounds = Number(args["tsc-rounds"]);
if (!Number.isInteger(rounds) || rounds < 1) fail(`--rounds takes a positive integer, not ${args.rounds}`);
if (args.only !== undefined && args.only !== "extraction" && args.only !== "package")
  fail(`--only takes "extraction" or "package", not ${args.only}`);
const onlyPackage = args.only === "package";

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

/** Every operationId of a description, in document order. */
function operationIdsOf(doc) {
  const ids = [];
  for (const item of Object.values(doc.paths ?? {}))
    for (const op of Object.values(item)) if (op && typeof op === "object" && op.operationId) ids.push(op.operationId);
  return ids;
}

// ---- contenders ---------------------------------------------------------------------------------

const redocly = binOf("@redocly/cli", "redocly");
Object.assign(process.env, REDOCLY_ENV); // every child inherits it; only Redocly reads it
const redoclyBundleConfig = join(work, "redocly-bundle.yaml");
writeFileSync(redoclyBundleConfig, "extends: []\n");
const REDOCLY_EXAMPLE_RULES = [
  "no-invalid-media-type-examples",
  "no-invalid-parameter-examples",
  "no-invalid-schema-examples",
];
const redoclyLintConfig = join(work, "redocly-lint.yaml");
writeFileSync(
  redoclyLintConfig,
  ["extends: []", "rules:", ...REDOCLY_EXAMPLE_RULES.map((r) => `  ${r}: warn`), ""].join("\n"),
);

/**
 * Redocly's `--format summary`: a `warning <rule>: <count>` line per rule that found something. Redocly
 * reports one problem per example, where ours reports each mismatch inside one (so the counts differ).
 */
function redoclyLintCheck(stdout) {
  const counts = [...stdout.matchAll(/^warning ([\w-]+): (\d+)$/gm)];
  if (counts.length === 0 || counts.some(([, rule]) => !REDOCLY_EXAMPLE_RULES.includes(rule)))
    throw new Error(`expected example-rule warning counts on stdout, got ${JSON.stringify(stdout.slice(0, 300))}`);
  return { warnings: counts.reduce((n, [, , count]) => n + Number(count), 0) };
}

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
    // What the checks cost: the same pipeline with neither the structure check nor the example checks
    // (packages/spec/bench/no-checks.mjs). A reference, no target: `spec extract` never writes an unchecked slice.
    name: "no-checks",
    label: "reference: the same pipeline without its checks",
    args: (out) => [join(SPEC, "bench", "no-checks.mjs"), input, out],
    check: (stdout) => {
      const m = /^extracted (\d+) operations$/m.exec(stdout);
      if (!m) throw new Error(`no "extracted N operations" line on stdout: ${JSON.stringify(stdout.slice(0, 300))}`);
      return { operations: Number(m[1]) };
    },
  },
  {
    name: "machines",
    label: "spec extract --select codespaces/machines",
    args: (out) => [cli, "extract", "--from", input, "--select", "codespaces/machines", "--out", out],
    check: extractCheck,
  },
  // Peers, for scale (no target): what the best-known tool takes for the two halves of the work on the
  // same file — Redocly re-bundling the whole description (read, parse, resolve, write), and Redocly's
  // lint with only its three example rules (its counterpart of our example checks).
  {
    name: "redocly-bundle",
    label: `peer: Redocly CLI ${redocly.version} bundle of the whole description`,
    args: (out) => [redocly.path, "bundle", input, "--config", redoclyBundleConfig, "--output", out],
    check: (_stdout, _stderr, out) => ({ operations: operationIdsOf(JSON.parse(readFileSync(out, "utf8"))).length }),
  },
  {
    name: "redocly-examples",
    label: `peer: Redocly CLI ${redocly.version} lint, example rules only`,
    args: () => [redocly.path, "lint", input, "--config", redoclyLintConfig, "--format", "summary"],
    check: redoclyLintCheck,
  },
];
if (baselineCli) {
  const ids = operationIdsOf(JSON.parse(inputBytes.toString("utf8"))).flatMap((id) => ["--operation-id", id]);
  contenders.push({
    name: "before",
    label: `before (${baselineLabel}): every --operation-id`,
    args: (out) => [baselineCli, "extract", "--from", input, ...ids, "--out", out],
    check: extractCheck,
  });
}

// ---- measurement --------------------------------------------------------------------------------

const probe = writeRssProbe(work);

/** One whole process with the RSS/CPU probe: wall, CPU, peak RSS and its output, or `error` (one line). */
function probed(name, args, cwd = REPO) {
  const probeFile = join(work, `rss-${name}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--require", probe, ...args], {
    cwd,
    env: { ...process.env, INIT_CWD: cwd, BENCH_RSS_FILE: probeFile },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    const last = `${result.stdout}\n${result.stderr}`.trim().split("\n").at(-1) ?? "";
    return { error: `${name} failed (exit ${result.status}): \`${last.slice(0, 300)}\`` };
  }
  const [rssKiB, cpuMs] = readFileSync(probeFile, "utf8").split(" ").map(Number);
  return { wallMs, cpuMs, rssKiB, stdout: result.stdout, stderr: result.stderr };
}

let runs = 0;
/** One whole process: wall (ms), CPU (ms), peak RSS (KiB), and what its check read from the output. */
function run(contender) {
  const n = runs++;
  const out = join(work, `${contender.name}-${n}.json`);
  const result = probed(`${contender.name}-${n}`, contender.args(out), work);
  if (result.error) throw new Error(result.error);
  const found = contender.check(result.stdout, result.stderr, out);
  rmSync(out, { force: true });
  rmSync(out.replace(/\.json$/, ".provenance.json"), { force: true });
  return { wallMs: result.wallMs, cpuMs: result.cpuMs, rssKiB: result.rssKiB, ...found };
}

const loadBefore = loadavg()[0];
const samples = new Map(contenders.map((c) => [c.name, []]));
try {
  if (!onlyPackage) for (const c of contenders) run(c); // warm-up round: page cache, and every output checked once
  for (let r = 0; r < (onlyPackage ? 0 : rounds); r++) {
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
if (baselineCli && !onlyPackage) {
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
// with --only package there are no extraction samples: that section is neither computed nor printed
const stats = onlyPackage ? {} : Object.fromEntries(contenders.map((c) => [c.name, stat(c.name)]));
const floor = stats.floor;
const s3 = (ms) => `${(ms / 1000).toFixed(3)} s`;
const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
const x = (a, b) => (a / b).toFixed(2);
const table = () =>
  [
    "| contender | operations | example warnings | median wall | wall min – max | median CPU | median peak RSS | wall / floor | CPU / floor | RSS / floor |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...contenders.map((c) => {
      const s = stats[c.name];
      return `| ${c.label} | ${s.operations ?? "—"} | ${s.warnings ?? "—"} | ${s3(s.wall)} | ${s3(s.min)} – ${s3(s.max)} | ${s3(s.cpu)} | ${mib(s.rss)} | ${x(s.wall, floor.wall)}× | ${x(s.cpu, floor.cpu)}× | ${x(s.rss, floor.rss)}× |`;
    }),
  ].join("\n");
const targetRows = () => [
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

/** The whole-API extraction next to the peers of its two halves (informative: the targets are on the floor). */
const peerLines = () => {
  const [whole, bundle, lint] = [stats.whole, stats["redocly-bundle"], stats["redocly-examples"]];
  const bothWall = bundle.wall + lint.wall;
  return [
    "Peers (no target; Redocly reports one warning per example, ours one per mismatch inside it):",
    `- \`spec extract --all-operations\` / Redocly's bundle of the same file: ${x(whole.wall, bundle.wall)}× wall, ${x(whole.rss, bundle.rss)}× peak RSS.`,
    `- the same / Redocly's lint with its example rules only: ${x(whole.wall, lint.wall)}× wall, ${x(whole.rss, lint.rss)}× peak RSS.`,
    `- the same / both Redocly runs (what ours does in one process: the slice written, and its examples checked): ${x(whole.wall, bothWall)}× wall.`,
  ].join("\n");
};

const header = (command) => `# Scale benchmark: the whole API

Generated by \`${baselineCli ? `BENCH_BASELINE_SPEC=<packages/spec built at ${baselineLabel}> ` : ""}${command}\` — do not edit; rerun it (after \`pnpm build\`).

Input: \`${OCTOKIT_SOURCE}\` → \`generated/api.github.com.json\`, ${inputBytes.length} bytes, sha256 \`${inputSha}\`.
Machine: ${machine()}. 1-minute load average ${loadBefore.toFixed(1)} before the run and ${loadavg()[0].toFixed(1)} after it
(other work on the machine inflates wall times; CPU time and peak RSS are disturbed less).
Method: ${rounds} interleaved rounds after one warm-up round, order rotated; whole processes; medians. CPU time
counts every thread; peak RSS is the process's \`maxRSS\`.

## Extraction

${table()}

${verdicts(targetRows())}

${peerLines()}
`;
if (args.only === "extraction") {
  console.log(`\n${header(`node scripts/bench/scale.bench.mjs --rounds ${rounds} --only extraction`)}`);
  process.exit(0);
}

// ---- the whole-API package: generation, consumer tsc, two-operation bundle ------------------------

const WHOLE = "@codespaces-clients/whole-api-2022-11-28";
/**
 * Where the whole-API package is generated and used as a consumer installs it: a scratch folder in
 * the repository (so `@octokit/rest` and typescript resolve from the root), with the package and
 * the runtime (built, with its own dependencies) in its node_modules.
 */
const consumerDir = scratch("scale");
const wholeDir = join(consumerDir, "node_modules", ...WHOLE.split("/"));
mkdirSync(join(consumerDir, "node_modules", "@codespaces-clients"), { recursive: true });
symlinkSync(
  join(REPO, "packages", "runtime"),
  join(consumerDir, "node_modules", "@codespaces-clients", "runtime"),
  "dir",
);
writeFileSync(join(consumerDir, "package.json"), '{ "type": "module" }\n');

/**
 * Generation of the whole-API package: `spec extract --all-operations` (not timed here: the
 * extraction table above times it), then the generator's command line on that slice with
 * `--skip-unsupported`, then the package's own `tsc` build (its declarations are what consumers
 * type-check against). Each one whole process: wall, CPU, peak RSS.
 */
function generationOfWholeApi() {
  const generatorCli = join(REPO, "packages", "generator", "dist", "cli.js");
  if (!existsSync(generatorCli))
    return { text: "not measured: packages/generator/dist is missing (run `pnpm build`)." };
  const slice = join(work, "whole-api.json");
  const extracted = probed("extract", [cli, "extract", "--from", input, "--all-operations", "--out", slice], work);
  if (extracted.error) return { text: `not measured: ${extracted.error}` };
  const generated = probed("generate", [
    generatorCli,
    "--slice",
    slice,
    "--api-version",
    "2022-11-28",
    "--name",
    WHOLE,
    "--out",
    wholeDir,
    "--skip-unsupported",
  ]);
  if (generated.error) return { text: `not measured: ${generated.error}` };
  const built = probed(
    "tsc-build",
    [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", join(wholeDir, "tsconfig.json")],
    wholeDir,
  );
  // What an app that validates responses loads: the `/schemas` subpath's module, imported alone.
  const schemasJs = join(wholeDir, "dist", "generated", "schemas.js");
  const schemasImport = built.error
    ? built
    : probed(
        "schemas-import",
        ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(schemasJs).href)});`],
        wholeDir,
      );
  const skipped = `${generated.stdout}\n${generated.stderr}`.split("\n").filter((line) => line.startsWith("skipped:"));
  const written = /\((\d+) operation/.exec(generated.stdout)?.[1] ?? "?";
  const types = statSync(join(wholeDir, "src", "generated", "types.ts")).size;
  const row = (what, r) => `| ${what} | ${s3(r.wallMs)} | ${s3(r.cpuMs)} | ${mib(r.rssKiB)} |`;
  return {
    built: !built.error,
    text: [
      `\`spec extract --all-operations\`, then \`generate --slice <that slice> --api-version 2022-11-28 --name ${WHOLE} --out <scratch> --skip-unsupported\`, then the package's \`tsc -p tsconfig.json\`; one run each: ${written} operations generated, ${skipped.length} left out; \`src/generated/types.ts\` is ${(types / 1024 / 1024).toFixed(1)} MiB.`,
      "",
      "| step | wall | CPU | peak RSS |",
      "| --- | ---: | ---: | ---: |",
      row("generate --slice", generated),
      built.error ? `| tsc build | ${built.error} | | |` : row("tsc build of the package", built),
      schemasImport.error
        ? `| import of \`/schemas\` | ${schemasImport.error} | | |`
        : row(
            `import of \`/schemas\` (\`dist/generated/schemas.js\`, ${(statSync(schemasJs).size / 1024 / 1024).toFixed(1)} MiB), one node process`,
            schemasImport,
          ),
      "",
      ...skipped.map((line) => `- ${line}`),
    ].join("\n"),
  };
}

/** The two machines operations, called through a client `gh` (namespaced in the whole-API package). */
const twoCalls = (ns) => `export const run = () => Promise.all([
  gh${ns}.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r", ref: "main" }),
  gh${ns}.codespaceMachinesForAuthenticatedUser({ codespace_name: "c" }),
]);`;
/** A `createClientFor` app importing from `entry`: the package's `/operations` subpath (as its README says) or the main entry. */
const forApp = (
  entry,
) => `import { createClientFor, codespacesRepoMachinesForAuthenticatedUser, codespacesCodespaceMachinesForAuthenticatedUser } from "${entry}";
const gh = createClientFor({ repoMachinesForAuthenticatedUser: codespacesRepoMachinesForAuthenticatedUser, codespaceMachinesForAuthenticatedUser: codespacesCodespaceMachinesForAuthenticatedUser }, { token: "t" });
${twoCalls("")}`;
const wholeFor = forApp(`${WHOLE}/operations`);
const wholeAll = `import { createClient } from "${WHOLE}";
const gh = createClient({ token: "t" });
${twoCalls(".codespaces")}`;

/**
 * Consumer \`tsc --noEmit\` (skipLibCheck: true, the usual setting; the same config and process
 * measurement as typecheck-time.bench.mjs) of a file that calls the two machines operations through
 * the whole-API package, next to @octokit/rest's and an empty file's. Target: the increment over the
 * empty file ≤ 0.5× @octokit/rest's.
 */
async function consumerTypecheck(built) {
  if (!built) return { text: "not measured: the whole-API package did not build (see above)." };
  const uses = "\nexport const done = run();\n";
  const files = {
    "tsc fixed cost (empty file)": ["empty.ts", "export {};\n"],
    [`${WHOLE}: createClient`]: ["whole.ts", `${wholeAll}${uses}`],
    [`${WHOLE}/operations: createClientFor`]: ["whole-for.ts", `${wholeFor}${uses}`],
    [`@octokit/rest ${versionOf("@octokit/rest")}`]: [
      "octokit.ts",
      `import { Octokit } from "@octokit/rest";
const gh = { codespaces: new Octokit({ auth: "t" }).rest.codespaces };
${twoCalls(".codespaces")}${uses}`,
    ],
    [`${WHOLE}: createClientFor from the main entry (reference)`]: ["whole-for-main.ts", `${forApp(WHOLE)}${uses}`],
  };
  const jobs = Object.entries(files).map(([name, [file, source]]) => {
    writeFileSync(join(consumerDir, file), source);
    return { name, setting: "skipLibCheck: true", args: consumerTscArgs(consumerDir, file, true) };
  });
  const { wall, cpu, fileCount } = await runTscJobs(consumerDir, jobs, tscRounds);
  const m = (map, job) => median(map.get(job));
  const [empty, whole, wholeForJob, octokit] = jobs;
  const above = (job) => m(cpu, job) - m(cpu, empty);
  const share = (job) => pairedIncrement(cpu, job, empty, octokit);
  return {
    text: [
      `${tscRounds} rounds after a warm-up round, order rotated; medians; CPU = the tsc process's user + system time. The last column is paired: each round's (contender − empty file) / (@octokit/rest − empty file), then the median over rounds.`,
      "",
      "| contender | median CPU | CPU above empty file | median wall | files | above-empty / @octokit/rest's |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      ...jobs.map(
        (job) =>
          `| ${job.name} | ${Math.round(m(cpu, job))} ms | ${Math.round(above(job))} ms | ${Math.round(m(wall, job))} ms | ${fileCount.get(job)} | ${share(job).toFixed(2)}× |`,
      ),
    ].join("\n"),
    targets: [
      {
        name: "whole-API consumer tsc increment / @octokit/rest's (createClient)",
        value: share(whole).toFixed(2),
        limit: 0.5,
        unit: "×",
      },
      {
        name: "whole-API consumer tsc increment / @octokit/rest's (createClientFor, `/operations`)",
        value: share(wholeForJob).toFixed(2),
        limit: 0.5,
        unit: "×",
      },
    ],
  };
}

/**
 * min+gz of an app calling the two machines operations through the whole-API package's
 * \`createClientFor\`, next to the machines package's budget entry (\`createClient\`, both operations;
 * bundle-size.bench.mjs). Target ≤ 1.1×. The whole-API \`createClient\` entry shows what a client of
 * every operation costs.
 */
async function twoOperationBundle(built) {
  if (!built) return { text: "not measured: the whole-API package did not build (see above)." };
  const machines = latestClient();
  const entries = {
    [`${machines.name}: createClient (the bundle budget's entry)`]: machinesEntry(machines.name),
    [`${WHOLE}/operations: createClientFor, the same two operations`]: wholeFor,
    [`${WHOLE}: createClient (every operation; reference)`]: wholeAll,
  };
  const sizes = [];
  let i = 0;
  for (const source of Object.values(entries))
    sizes.push(await bundleOf(join(consumerDir, `entry-${i++}.mjs`), source));
  return {
    text: [
      "esbuild `bundle, minify, format esm, platform browser`; gzip level 9; KB = 1024 bytes.",
      "",
      "| entry | min | min+gz | / the machines entry | packages in the bundle |",
      "| --- | ---: | ---: | ---: | --- |",
      ...Object.keys(entries).map(
        (name, k) =>
          `| ${name} | ${(sizes[k].min / 1024).toFixed(1)} KB | ${(sizes[k].gz / 1024).toFixed(2)} KB | ${(sizes[k].gz / sizes[0].gz).toFixed(2)}× | ${sizes[k].packages.join(", ")} |`,
      ),
    ].join("\n"),
    targets: [
      {
        name: "two-operation bundle of the whole-API package / the machines package's",
        value: (sizes[1].gz / sizes[0].gz).toFixed(2),
        limit: 1.1,
        unit: "×",
      },
    ],
  };
}

const generation = generationOfWholeApi();
const typecheck = await consumerTypecheck(generation.built);
const bundles = await twoOperationBundle(generation.built);
const sectionTargets = [...(typecheck.targets ?? []), ...(bundles.targets ?? [])];

const packageSections = `## Generation of the whole-API package

${generation.text}

## Consumer \`tsc\` vs @octokit/rest

${typecheck.text}

## Two-operation bundle vs the machines package

${bundles.text}
${sectionTargets.length ? `\n${verdicts(sectionTargets)}\n` : ""}`;
if (onlyPackage) {
  console.log(`\n${packageSections}`);
  process.exit(0);
}
const report = `${header(`node scripts/bench/scale.bench.mjs --rounds ${rounds} --tsc-rounds ${tscRounds}`)}
${packageSections}`;
writeFileSync(join(import.meta.dirname, "SCALE-RESULTS.md"), report);
console.log(`\n${report}`);
