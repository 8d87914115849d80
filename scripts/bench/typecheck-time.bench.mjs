#!/usr/bin/env node
// Consumer type-check time: `tsc --noEmit` on a file that calls both machines operations through
// our client vs through @octokit/rest (and an empty file: tsc's fixed cost). Whole tsc processes,
// interleaved rounds, order rotated, medians.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { symlinkSync } from "node:fs";
import { REPO, baseline, main, versionOf, median, requireBuilt, scratch, verdicts } from "./lib.mjs";

const ROUNDS = Number(process.env.BENCH_TSC_ROUNDS ?? 5);
const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");

/** `tsc` arguments for a consumer's strict ESM config checking `file` (no @types, so only the client's own types). */
export function consumerTscArgs(dir, file, skipLibCheck) {
  const config = join(dir, `tsconfig.${file}.${skipLibCheck}.json`);
  const compilerOptions = {
    strict: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2023", "dom"],
    types: [],
    noEmit: true,
    skipLibCheck,
  };
  writeFileSync(config, JSON.stringify({ compilerOptions, files: [file] }));
  return [TSC, "-p", config, "--extendedDiagnostics"];
}

/**
 * Runs every job (`{ name, setting, args }`, args of `node`) as a whole process in `dir`: one warm-up
 * round (disk cache), then `rounds` rounds, order rotated each round. Returns per job the wall times,
 * the CPU times (user + system, from cpu-probe.cjs) and tsc's file count.
 */
export async function runTscJobs(dir, jobs, rounds) {
  const wall = new Map(jobs.map((j) => [j, []]));
  const cpu = new Map(jobs.map((j) => [j, []]));
  const fileCount = new Map();
  for (let round = -1; round < rounds; round++) {
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[(k + Math.max(round, 0)) % jobs.length];
      const start = process.hrtime.bigint();
      let out;
      try {
        out = await promisify(execFile)(
          process.execPath,
          ["--require", join(import.meta.dirname, "cpu-probe.cjs"), ...job.args],
          { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
        );
      } catch (error) {
        throw new Error(
          `tsc failed on ${job.name} (${job.setting}): ${error.stdout ?? ""}${error.stderr ?? ""}`
            .trim()
            .slice(0, 2000),
        );
      }
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      fileCount.set(job, out.stdout.match(/^Files:\s+(\d+)/m)?.[1]);
      if (round < 0) continue; // warm-up: disk cache
      wall.get(job).push(ms);
      cpu.get(job).push(Number(out.stderr.match(/BENCH_CPU_MS=([\d.]+)/)?.[1]));
    }
  }
  return { wall, cpu, fileCount };
}

/**
 * `job`'s CPU above the empty file's, as a share of `reference`'s above it, paired per round: the three
 * tsc runs of the same round, then the median over rounds. The increment is a tenth of tsc's fixed cost
 * or less, so a ratio of medians taken minutes apart moved with the machine (0.04× to 0.11× for one
 * build). `cpu` is runTscJobs's map of per-round CPU times.
 */
export function pairedIncrement(cpu, job, empty, reference) {
  return median(
    cpu.get(job).map((c, r) => {
      const e = cpu.get(empty)[r];
      return (c - e) / (cpu.get(reference)[r] - e);
    }),
  );
}

export async function typecheckTime() {
  const client = requireBuilt();
  const dir = scratch("typecheck-time", client);
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const files = {
    "tsc fixed cost (empty file)": ["empty.ts", "export {};\n"],
    [client.name]: [
      "ours.ts",
      `import { createClient } from "${client.name}";
const gh = createClient({ token: "t" });
const repo = await gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r", ref: "main" });
const cs = await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "c" });
export const names: string[] = [...repo.machines, ...cs.machines].map((m) => m.name);
`,
    ],
    [`@octokit/rest ${versionOf("@octokit/rest")}`]: [
      "octokit.ts",
      `import { Octokit } from "@octokit/rest";
const octokit = new Octokit({ auth: "t" });
const repo = await octokit.rest.codespaces.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r", ref: "main" });
const cs = await octokit.rest.codespaces.codespaceMachinesForAuthenticatedUser({ codespace_name: "c" });
export const names: string[] = [...repo.data.machines, ...cs.data.machines].map((m) => m.name);
`,
    ],
  };
  const before = baseline();
  if (before) {
    // Linked under another name, as a consumer would install the older version.
    symlinkSync(before.dir, join(dir, "node_modules", "machines-before"), "dir");
    files[before.label] = ["before.ts", files[client.name][1].replace(`"${client.name}"`, '"machines-before"')];
  }
  const settings = { "skipLibCheck: true": true, "skipLibCheck: false": false };
  const jobs = [];
  for (const [name, [file, source]] of Object.entries(files)) {
    writeFileSync(join(dir, file), source);
    for (const [setting, skipLibCheck] of Object.entries(settings))
      jobs.push({ name, setting, args: consumerTscArgs(dir, file, skipLibCheck) });
  }
  const { wall, cpu, fileCount } = await runTscJobs(dir, jobs, ROUNDS);
  const rows = [];
  const ratios = [];
  const octokitName = Object.keys(files)[2];
  for (const setting of Object.keys(settings)) {
    const of = (name) => jobs.find((j) => j.name === name && j.setting === setting);
    const m = (map, name) => median(map.get(of(name)));
    const empty = m(cpu, "tsc fixed cost (empty file)");
    for (const name of Object.keys(files)) {
      rows.push(
        `| ${name} | ${setting} | ${Math.round(m(cpu, name))} ms | ${Math.round(m(cpu, name) - empty)} ms | ${Math.round(m(wall, name))} ms | ${fileCount.get(of(name))} | ${(m(cpu, client.name) / m(cpu, name)).toFixed(2)}× |`,
      );
    }
    const paired = (name) => pairedIncrement(cpu, of(name), of("tsc fixed cost (empty file)"), of(octokitName));
    const total = median(cpu.get(of(client.name)).map((c, r) => c / cpu.get(of(octokitName))[r]));
    ratios.push({ setting, total, above: paired(client.name), old: before ? paired(before.label) : undefined });
  }
  return [
    `\`tsc --noEmit\` (TypeScript ${versionOf("typescript")}; strict, module nodenext, no @types) on one file that calls both operations; whole processes, ${ROUNDS} rounds after a warm-up round, order rotated; medians. The ratios below the table are paired: each round's own runs, then the median over rounds. CPU = the tsc process's user+system time (robust to a busy machine); wall for reference.`,
    "",
    "| contender | setting | median CPU | CPU above empty file | median wall | files | ours / this (CPU) |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    ...ratios.map(
      (r) =>
        `- ${r.setting}: ours / @octokit/rest = **${r.total.toFixed(2)}×** CPU (${r.above.toFixed(2)}× of the time above tsc's fixed cost)${r.old === undefined ? "" : `; before: ${r.old.toFixed(2)}× above the fixed cost`}`,
    ),
    "",
    verdicts(
      ratios.map((r) => ({
        name: `consumer tsc increment / @octokit/rest's (${r.setting})`,
        value: r.above.toFixed(2),
        limit: 0.1,
        unit: "×",
      })),
    ),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main("Consumer type-check time", typecheckTime);
