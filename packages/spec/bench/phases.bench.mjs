#!/usr/bin/env node
/**
 * Where the whole-API extraction spends its CPU time and memory, phase by phase, in one process: the
 * steps of `buildSlice` (pipeline.ts) run one after the other from dist/, with `process.cpuUsage()`,
 * RSS, the peak RSS so far and the V8 heap after each. Prints a table; writes nothing. Numbers on a
 * shared machine are noisy: compare CPU, and runs made side by side. It sets the V8 flags `spec extract`
 * sets (`tuneHeapForExtraction`).
 *
 *   node bench/phases.bench.mjs [<description.json>] [--select <category>[/<sub>]]
 *   (after `pnpm build`)
 *
 * Default input: GitHub's full description from the npm cache (.cache/npm, as scripts/bench/scale.bench.mjs
 * reads it); default selection: every operation.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";

const dist = new URL("../dist/", import.meta.url);
const { values, positionals } = parseArgs({ allowPositionals: true, options: { select: { type: "string" } } });
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
const mark = (phase) => {
  const cpu = process.cpuUsage(last);
  last = process.cpuUsage();
  const { rss, heapUsed } = process.memoryUsage();
  rows.push({
    phase,
    "CPU ms": Math.round((cpu.user + cpu.system) / 1000),
    "RSS MiB": Math.round(rss / 2 ** 20),
    "peak RSS MiB": Math.round(process.resourceUsage().maxRSS / 1024),
    "heap MiB": Math.round(heapUsed / 2 ** 20),
  });
};

mark("start (node + imports)");
// References are dropped when buildSlice's would be, so the RSS columns match the CLI's run.
let source = await spec.loadSource(input);
const label = source.label;
mark("read");
let parsed = await spec.parseDescription(source.data, label);
source = undefined;
mark("parse");
const selection = values.select ? spec.parseSelectArgument(values.select) : { all: true };
let extracted = spec.extractSelection(parsed.document, selection, label);
parsed = undefined;
const operations = extracted.operations.length;
mark("extract");
const text = spec.stringifyOrdered(extracted.document);
mark("stringify");
const slice = spec.asParsedInPlace(extracted.document);
extracted = undefined;
mark("the slice as parsed (asParsedInPlace)");
const warnings = spec.validateExamples(slice);
mark(`example checks (${warnings.length} warnings)`);
const errors = await spec.validateStructure(slice, { owned: true });
mark(`structure check (${errors.length} errors)`);

console.log(`${input}: ${operations} operations, slice ${text.length} characters`);
console.table(rows);
