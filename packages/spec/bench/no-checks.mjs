#!/usr/bin/env node
/**
 * `spec extract`'s pipeline without its checks: read, parse, extract, serialise and write (atomically,
 * as the CLI writes), with the CLI's V8 settings, and neither the structure check nor the example
 * checks. Not a product path (a slice is never written unchecked): the scale bench's reference row for
 * what the pipeline costs before its checks (scripts/bench/scale.bench.mjs).
 *
 *   node bench/no-checks.mjs <description.json> <out.json>   (after `pnpm build`)
 *
 * Prints `extracted <N> operations` (every operation of the description).
 */
const spec = await import(new URL("../dist/index.js", import.meta.url).href);
spec.tuneHeapForExtraction();
const [input, out] = process.argv.slice(2);
if (!input || !out) {
  console.error("usage: node bench/no-checks.mjs <description.json> <out.json>");
  process.exit(2);
}
const { data, label } = await spec.loadSource(input);
const { document } = await spec.parseDescription(data, label);
const { document: slice, operations } = spec.extractSelection(document, { all: true }, label);
await spec.writeFilesAtomically([{ path: out, content: spec.stringifyOrdered(slice) }]);
console.log(`extracted ${operations.length} operations`);
