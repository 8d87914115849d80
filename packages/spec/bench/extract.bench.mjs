#!/usr/bin/env node
/**
 * Side-by-side benchmark of `codespaces-spec extract` against a floor and two peer tools, on
 * GitHub's full description (@octokit/openapi@23.0.2, 13 MB), as whole processes.
 *
 *   ours            node dist/cli.js extract --from <file> --out <tmp>
 *   floor           node -e: read the file and JSON.parse it, nothing else
 *   redocly         redocly bundle with the filter-in decorator on the two operationIds and
 *                   remove-unused-components
 *   openapi-format  openapi-format with a filterSet (inverseOperationIds + unusedComponents)
 *
 * Rounds are interleaved (each round runs every contender once, the order rotated per round) so that
 * drift in machine load hits everyone alike; we report median wall time, CPU time and peak RSS. Wall
 * time is measured here around the spawn. CPU time and peak RSS come from `/usr/bin/time -f "%e %M %U %S"`
 * when present; otherwise every contender (all of them are Node processes) is started with a `--require`
 * probe that records `process.resourceUsage()` on exit. (Node cannot report a child's rusage, so a
 * wrapper process that spawns the child would only measure itself.)
 *
 * Writes bench/RESULTS.md (no dates: the file is committed, and reruns should only differ in numbers).
 * Exits 1 when a contender fails or produces the wrong slice; a missed target is reported (MISS) but is
 * not a failure, because wall times depend on the machine.
 *
 * usage: node bench/extract.bench.mjs [--rounds N] [--rss time|probe]
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, platform, arch, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { binOf, OCTOKIT_SOURCE, octokitDescriptionFile, REDOCLY_ENV, writeRssProbe } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..");

const SOURCE = OCTOKIT_SOURCE;
const OPERATION_IDS = [
  "codespaces/repo-machines-for-authenticated-user",
  "codespaces/codespace-machines-for-authenticated-user",
];
const TARGETS = { floor: 2, redocly: 0.25 };
const TIME = "/usr/bin/time";

const { values: args } = parseArgs({
  options: { rounds: { type: "string", default: "7" }, rss: { type: "string" } },
});
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) fail(`--rounds takes a positive integer, not ${args.rounds}`);
const rssMode = args.rss ?? (existsSync(TIME) ? "time" : "probe");
if (rssMode !== "time" && rssMode !== "probe") fail(`--rss takes time or probe, not ${args.rss}`);

function fail(message) {
  console.error(`bench: error: ${message}`);
  process.exit(1);
}

// ---- inputs ---------------------------------------------------------------------------------

const cli = join(pkgDir, "dist", "cli.js");
if (!existsSync(cli)) fail(`${cli} is missing; run \`pnpm build\` first`);
// Without them (dist/ built by plain tsc) ours falls back to compiling the OAS schema at run time: the
// same answers, ~90 ms slower. Bench what `pnpm build` produces, and say which one was measured.
const precompiled = existsSync(join(pkgDir, "dist", "oas-schemas", "v3.0.js"));
if (!precompiled)
  console.warn(
    "bench: warning: dist/oas-schemas/ is missing (run `pnpm build`); measuring the run-time-compile fallback",
  );

const work = mkdtempSync(join(tmpdir(), "spec-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const input = await octokitDescriptionFile(work);
const inputBytes = readFileSync(input);
const inputSha = createHash("sha256").update(inputBytes).digest("hex");

const redocly = binOf("@redocly/cli", "redocly");
const openapiFormat = binOf("openapi-format", "openapi-format");

const redoclyConfig = join(work, "redocly.yaml");
writeFileSync(
  redoclyConfig,
  [
    "extends: []",
    "decorators:",
    "  filter-in:",
    "    property: operationId",
    "    value:",
    ...OPERATION_IDS.map((id) => `      - ${id}`),
    "  remove-unused-components: on",
    "",
  ].join("\n"),
);
const filterFile = join(work, "filter.json");
writeFileSync(
  filterFile,
  JSON.stringify({
    inverseOperationIds: OPERATION_IDS,
    unusedComponents: ["schemas", "parameters", "examples", "headers", "requestBodies", "responses", "securitySchemes"],
  }),
);

const env = { ...process.env, ...REDOCLY_ENV };

// ---- contenders -----------------------------------------------------------------------------

/** Each contender: node arguments for an output path, and a check of what it produced. */
const contenders = [
  {
    name: "ours",
    label: "codespaces-spec extract",
    args: (out) => [cli, "extract", "--from", input, "--out", out],
    check: (out) => checkSlice(out),
  },
  {
    name: "floor",
    label: "floor: read + JSON.parse",
    args: () => [
      "-e",
      `const d = JSON.parse(require("fs").readFileSync(${JSON.stringify(input)}, "utf8")); console.log(Object.keys(d.paths).length)`,
    ],
    check: (_out, stdout) => {
      if (!(Number(stdout.trim()) > 0))
        throw new Error(`expected a path count on stdout, got ${JSON.stringify(stdout.slice(0, 200))}`);
    },
  },
  {
    name: "redocly",
    label: `Redocly CLI ${redocly.version} bundle (filter-in + remove-unused-components)`,
    args: (out) => [redocly.path, "bundle", input, "--config", redoclyConfig, "--output", out],
    check: (out) => checkSlice(out),
  },
  {
    name: "openapi-format",
    label: `openapi-format ${openapiFormat.version} (inverseOperationIds + unusedComponents)`,
    args: (out) => [openapiFormat.path, input, "-o", out, "--filterFile", filterFile],
    check: (out) => checkSlice(out),
  },
];

/** The reference slice, set from our own first output; every peer must keep the same paths and components. */
let reference;

function shapeOf(doc) {
  const operations = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item))
      if (op && typeof op === "object" && op.operationId) operations.push(`${method} ${path} ${op.operationId}`);
  }
  const components = Object.entries(doc.components ?? {}).flatMap(([section, entries]) =>
    Object.keys(entries).map((name) => `${section}/${name}`),
  );
  return { operations: operations.sort(), components: components.sort() };
}

function checkSlice(out) {
  if (!existsSync(out)) throw new Error(`no output file ${out}`);
  const shape = shapeOf(JSON.parse(readFileSync(out, "utf8")));
  const ids = shape.operations.map((o) => o.split(" ")[2]).sort();
  if (JSON.stringify(ids) !== JSON.stringify([...OPERATION_IDS].sort()))
    throw new Error(`kept operations ${JSON.stringify(ids)}, want ${JSON.stringify(OPERATION_IDS)}`);
  if (!reference) reference = shape;
  else if (JSON.stringify(shape) !== JSON.stringify(reference)) {
    const missing = reference.components.filter((c) => !shape.components.includes(c));
    const extra = shape.components.filter((c) => !reference.components.includes(c));
    throw new Error(`slice differs from ours (missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)})`);
  }
}

// ---- measurement ----------------------------------------------------------------------------

const probe = writeRssProbe(work);

let runCount = 0;
/** Runs one contender as a whole process: wall time (ms, measured here), CPU time (ms) and peak RSS (KiB). */
function run(contender) {
  const n = runCount++;
  const out = join(work, `${contender.name}-${n}.json`);
  const rssFile = join(work, `rss-${n}`);
  const nodeArgs = contender.args(out);
  const [command, argv] =
    rssMode === "time"
      ? [TIME, ["-f", "%e %M %U %S", process.execPath, ...nodeArgs]]
      : [process.execPath, ["--require", probe, ...nodeArgs]];
  const started = process.hrtime.bigint();
  const result = spawnSync(command, argv, {
    cwd: pkgDir,
    env: { ...env, BENCH_RSS_FILE: rssFile },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const stderr = result.stderr ?? "";
  if (result.error || result.status !== 0) {
    throw new Error(
      `${contender.name} failed (${result.error?.message ?? `exit ${result.status}`}):\n${stderr.slice(-2000)}`,
    );
  }
  let rssKiB;
  let cpuMs;
  if (rssMode === "time") {
    const m = /([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
    if (!m) throw new Error(`${contender.name}: no "%e %M %U %S" line from ${TIME} in stderr:\n${stderr.slice(-500)}`);
    rssKiB = Number(m[2]);
    cpuMs = (Number(m[3]) + Number(m[4])) * 1000;
  } else {
    [rssKiB, cpuMs] = readFileSync(rssFile, "utf8").split(" ").map(Number);
  }
  try {
    contender.check(out, result.stdout ?? "");
  } catch (error) {
    throw new Error(`${contender.name} produced the wrong output: ${error.message}`);
  }
  rmSync(out, { force: true });
  rmSync(out.replace(/\.json$/, ".provenance.json"), { force: true });
  return { wallMs, cpuMs, rssKiB };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const loadBefore = loadavg()[0];
const samples = new Map(contenders.map((c) => [c.name, []]));
try {
  // Warm-up round (not counted): fills the page cache and checks every output once, ours first so
  // that it becomes the reference the peers are compared with.
  for (const c of contenders) run(c);
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    for (const c of order) samples.get(c.name).push(run(c));
    process.stdout.write(`round ${r + 1}/${rounds} done\n`);
  }
} catch (error) {
  fail(error.message);
}

// ---- report ---------------------------------------------------------------------------------

const stats = new Map(
  contenders.map((c) => {
    const s = samples.get(c.name);
    const walls = s.map((x) => x.wallMs);
    return [
      c.name,
      {
        wall: median(walls),
        min: Math.min(...walls),
        max: Math.max(...walls),
        cpu: median(s.map((x) => x.cpuMs)),
        rss: median(s.map((x) => x.rssKiB)),
      },
    ];
  }),
);
const ours = stats.get("ours");
const fmtS = (ms) => `${(ms / 1000).toFixed(3)} s`;
const fmtMB = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
const ratio = (name) => ours.wall / stats.get(name).wall;
const verdict = (value, target) => (value <= target ? "PASS" : "MISS");

const rows = contenders.map((c) => {
  const s = stats.get(c.name);
  return `| ${c.label} | ${fmtS(s.wall)} | ${fmtS(s.min)} – ${fmtS(s.max)} | ${fmtS(s.cpu)} | ${fmtMB(s.rss)} | ${c.name === "ours" ? "1.00×" : `${(ours.wall / s.wall).toFixed(2)}×`} |`;
});
const targetRows = [
  `| ours / floor (wall) | ${ratio("floor").toFixed(2)}× | ≤ ${TARGETS.floor}× | ${verdict(ratio("floor"), TARGETS.floor)} |`,
  `| ours / Redocly (wall) | ${ratio("redocly").toFixed(2)}× | ≤ ${TARGETS.redocly}× | ${verdict(ratio("redocly"), TARGETS.redocly)} |`,
];
const cpuModel = cpus()[0]?.model?.trim() ?? "unknown";
const report = `# extract benchmark

Generated by \`pnpm --filter @codespaces-clients/spec bench\` (\`node bench/extract.bench.mjs\`) — do not edit; rerun it.

Input: \`${SOURCE}\` → \`generated/api.github.com.json\`, ${inputBytes.length} bytes, sha256 \`${inputSha}\`.
Each tool keeps the two Codespaces machines operations (\`${OPERATION_IDS.join("`, `")}\`) and their components;
the script checks that every tool kept the same operations and the same components as ours.

Ours: \`dist/\` ${precompiled ? "with" : "WITHOUT"} the build-time precompiled OAS schema validators (\`dist/oas-schemas/\`).

Machine: Node ${process.version}, ${platform()}/${arch()}, ${cpuModel}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM.
Method: ${rounds} interleaved round${rounds === 1 ? "" : "s"} after one warm-up round (each round runs every contender once, order rotated);
whole processes; wall time measured around the spawn; CPU time and peak RSS from ${rssMode === "time" ? '`/usr/bin/time -f "%e %M %U %S"`' : "a `--require` probe reading `process.resourceUsage()` on exit"}. Medians.
1-minute load average ${loadBefore.toFixed(1)} before the run and ${loadavg()[0].toFixed(1)} after it (other work on the machine inflates wall times).
Wall time is what the targets are about; CPU time counts every thread and is less disturbed by other load
on the machine.

| contender | median wall | wall min – max | median CPU (user + sys) | median peak RSS | ours / this (wall) |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}

| target | measured | target | verdict |
| --- | ---: | ---: | --- |
${targetRows.join("\n")}
`;
writeFileSync(join(here, "RESULTS.md"), report);
console.log(`\n${report}`);
for (const line of targetRows) {
  const [, name, measured, target, v] = line.split("|").map((s) => s.trim());
  console.log(`${v} ${name}: ${measured} (target ${target})`);
}
