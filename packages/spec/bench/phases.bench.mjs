#!/usr/bin/env node
/**
 * Where the whole-API extraction spends its CPU time and memory, phase by phase, in one process: the
 * steps of `buildSlice` (pipeline.ts) run one after the other from dist/, with `process.cpuUsage()`,
 * wall time, RSS, the peak RSS so far and the V8 heap after each (the first row's wall time counts
 * from the process's start). Prints a table; writes nothing. Numbers on a
 * shared machine are noisy: compare CPU, and runs made side by side. It sets the V8 flags `spec extract`
 * sets (`tuneHeapForExtraction`).
 *
 *   node bench/phases.bench.mjs [<description.json>] [--select <category>[/<sub>]] [--passes <n>]
 *   (after `pnpm build`)
 *
 * `--passes n` runs the phases n times in the one process (default 1) and ends with a line per pass: its
 * wall and CPU time from read to the structure check, and the checks' share. The later passes run on code V8 has warmed up, which no fresh
 * `spec extract` process has: they show what the work costs once JIT warm-up is taken out.
 *
 * Default input: GitHub's full description from the npm cache (.cache/npm, as scripts/bench/scale.bench.mjs
 * reads it); default selection: every operation.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";

const dist = new URL("../dist/", import.meta.url);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { select: { type: "string" }, passes: { type: "string", default: "1" } },
});
const passes = Number(values.passes);
if (!Number.isInteger(passes) || passes < 1 || passes > 20) {
  console.error(`--passes: ${JSON.stringify(values.passes)} is not a whole number from 1 to 20`);
  process.exit(2);
}
const input =
  positionals[0] ??
  join(
    new URL("../../..", import.meta.url).pathname,
    ".cache/npm/@octokit/openapi@23.0.2/generated/api.github.com.json",
  );

const spec = await import(new URL("index.js", dist).href);
spec.tuneHeapForExtraction();
const rows = [];
let last = { user: 0, system: 0 };
let lastWall = 0; // performance.now() counts from the process's start
const mark = (phase) => {
  const cpu = process.cpuUsage(last);
  last = process.cpuUsage();
  const wall = performance.now() - lastWall;
  lastWall = performance.now();
  const { rss, heapUsed } = process.memoryUsage();
  rows.push({
    phase,
    "CPU ms": Math.round((cpu.user + cpu.system) / 1000),
    "wall ms": Math.round(wall),
    "RSS MiB": Math.round(rss / 2 ** 20),
    "peak RSS MiB": Math.round(process.resourceUsage().maxRSS / 1024),
    "heap MiB": Math.round(heapUsed / 2 ** 20),
  });
};

mark("start (node + imports)");
const selection = values.select ? spec.parseSelectArgument(values.select) : { all: true };
const totals = [];
let operations = 0;
let characters = 0;
for (let pass = 1; pass <= passes; pass++) {
  const first = rows.length;
  const at = passes > 1 ? ` (pass ${pass})` : "";
  // References are dropped when buildSlice's would be, so the RSS columns match the CLI's run.
  let source = await spec.loadSource(input);
  const label = source.label;
  mark(`read${at}`);
  let parsed = await spec.parseDescription(source.data, label);
  source = undefined;
  mark(`parse${at}`);
  let extracted = spec.extractSelection(parsed.document, selection, label);
  parsed = undefined;
  operations = extracted.operations.length;
  mark(`extract${at}`);
  characters = spec.stringifyOrdered(extracted.document).length;
  mark(`stringify${at}`);
  const slice = spec.asParsedInPlace(extracted.document);
  extracted = undefined;
  mark(`the slice as parsed (asParsedInPlace)${at}`);
  const warnings = spec.validateExamples(slice);
  mark(`example checks (${warnings.length} warnings)${at}`);
  const errors = await spec.validateStructure(slice, { owned: true });
  mark(`structure check (${errors.length} errors)${at}`);
  const phases = rows.slice(first);
  const sum = (list, column) => list.reduce((n, r) => n + r[column], 0);
  totals.push(
    `pass ${pass}: from read to the structure check ${sum(phases, "wall ms")} ms wall, ${sum(phases, "CPU ms")} ms CPU; the two checks ${sum(phases.slice(-2), "wall ms")} ms wall, ${sum(phases.slice(-2), "CPU ms")} ms CPU`,
  );
}

console.log(`${input}: ${operations} operations, slice ${characters} characters`);
console.table(rows);
for (const line of totals) console.log(line);
