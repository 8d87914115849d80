#!/usr/bin/env node
/**
 * Where the whole-API extraction spends its CPU time and memory, phase by phase, in one process: the
 * steps of `buildSlice` (pipeline.ts) run one after the other from dist/, with `process.cpuUsage()`,
 * RSS, the peak RSS so far and the V8 heap after each. For the example checks it also reports the time
 * Ajv spends compiling (exclusive per schema, root schemas vs `$ref` targets), measured by wrapping
 * Ajv's `compileSchema`. Prints a table; writes nothing. Numbers on a shared machine are noisy: compare
 * CPU, and runs made side by side.
 *
 *   node bench/phases.bench.mjs [<description.json>] [--select <category>[/<sub>]]   (after `pnpm build`)
 *
 * Default input: GitHub's full description from the npm cache (.cache/npm, as scripts/bench/scale.bench.mjs
 * reads it); default selection: every operation.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

const dist = new URL("../dist/", import.meta.url);
const { values, positionals } = parseArgs({ allowPositionals: true, options: { select: { type: "string" } } });
const input =
  positionals[0] ??
  join(
    new URL("../../..", import.meta.url).pathname,
    ".cache/npm/@octokit/openapi@23.0.2/generated/api.github.com.json",
  );

// Ajv's compiler, wrapped before validate.js loads it: time per compiled schema, nested compiles excluded.
const compileModule = createRequire(new URL("validate.js", dist))("ajv/dist/compile/index.js");
const compileSchema = compileModule.compileSchema;
const open = [];
const compiled = { root: { count: 0, ms: 0 }, target: { count: 0, ms: 0 } };
compileModule.compileSchema = function (env) {
  const start = performance.now();
  open.push(0);
  try {
    return compileSchema.call(this, env);
  } finally {
    const nested = open.pop();
    const total = performance.now() - start;
    if (open.length) open[open.length - 1] += total;
    const kind = String(env.baseId).startsWith("https://codespaces-clients.invalid/ref/") ? "target" : "root";
    compiled[kind].count++;
    compiled[kind].ms += total - nested;
  }
};

const spec = await import(new URL("index.js", dist).href);
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
extracted = undefined;
mark("stringify");
const slice = JSON.parse(text);
mark("parse the slice again");
const warnings = spec.validateExamples(slice);
mark(`example checks (${warnings.length} warnings)`);
const errors = await spec.validateStructure(slice, { owned: true });
mark(`structure check (${errors.length} errors)`);

console.log(`${input}: ${operations} operations, slice ${text.length} characters`);
console.table(rows);
for (const [kind, { count, ms }] of Object.entries(compiled))
  console.log(`Ajv compileSchema, ${kind} schemas: ${count}, ${Math.round(ms)} ms (wall, exclusive)`);
