/** The V8 settings `spec extract` runs with (cli.ts), in one place for the CLI and the benches. */
import { setFlagsFromString } from "node:v8";

/**
 * How far `spec extract` lets V8's heap grow past what survived a full GC before it collects again (V8's
 * `--heap-growing-percent`; unset, V8 picks up to 4x for a program that allocates fast). An extraction
 * reads, parses and copies a whole description and then drops most of it: with V8's choice the heap grew
 * over that garbage and kept the pages, and the whole-API extraction peaked at 197–235 MiB RSS; at 20 %
 * it peaks at ~167 MiB, with no measurable CPU cost (paired runs, scripts/bench/scale.bench.mjs). Set at
 * run time (`node dist/cli.js` takes no flags); V8 reads it whenever it sets the next GC limit. Not for
 * `update`, whose in-process compile check is a different workload.
 */
const HEAP_GROWING_PERCENT = 20;

/**
 * V8's `--semi-space-growth-factor` for `spec extract`: 1 keeps the young generation at its starting
 * size instead of doubling it as allocation goes on. The extraction's short-lived objects then die in
 * small scavenges, and the whole-API extraction peaks at ~134 MiB RSS instead of ~166 MiB, at no
 * measurable wall time (5 interleaved pairs, `/usr/bin/time`). With Ajv's code generation in the
 * example checks it had cost +12 % wall; the interpreter (example-check.ts) allocates far less. Set at
 * run time like the heap growing percent: V8 reads it whenever the young generation would grow.
 */
const SEMI_SPACE_GROWTH_FACTOR = 1;

/**
 * Sets both for the rest of the process. `node dist/cli.js` takes no flags, so they are set at run time;
 * V8 reads each whenever it sets the next GC limit or would grow the young generation.
 */
export function tuneHeapForExtraction(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString(`--semi-space-growth-factor=${SEMI_SPACE_GROWTH_FACTOR}`);
}
