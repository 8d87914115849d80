#!/usr/bin/env node
// The README's test command (`pnpm test`): format + lint (biome), every package's `test` and `lint` through turbo,
// the freshness gate, then ONE closing line that sums every vitest run, pass or fail:
//
//   tests: N passed, N failed, N skipped
//
//   node scripts/run-tests.mjs [turbo options…]     e.g. pnpm test --filter=@codespaces-clients/runtime
//
// turbo interleaves the runs (and replays cached ones with their output), so the counts come from
// each vitest summary line (`<pkg>:test:       Tests  1 failed | 53 passed | 2 skipped (56)`).
// Exit status: non-zero when biome, turbo or the gate failed. Telemetry of turbo is off for every run.
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
// One ANSI escape sequence (colour, cursor); the pattern has no nested quantifier, so it is linear.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** `<pkg>:<task>:   Tests  3 failed | 50 passed | 1 skipped (54)`, or vitest's own line when run alone. */
const SUMMARY = /^(?:(\S+?):\S+: +)?Tests +(.+?) \(\d+\)\s*$/;
/** turbo's `<pkg>#<task>:  ERROR  command (…) … exited (1)`. */
const FAILED_TASK = /^(\S+)#(\S+):\s+ERROR\s+command .* exited \(\d+\)$/;

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedTasks = new Set();

/** Adds one vitest summary line's counts (`todo` counts as skipped). */
function count(line) {
  const plain = line.replace(ANSI, "");
  const summary = SUMMARY.exec(plain.trim());
  if (summary) {
    for (const part of summary[2].split("|")) {
      const m = /^\s*(\d+) (passed|failed|skipped|todo)\s*$/.exec(part);
      if (m) totals[m[2] === "todo" ? "skipped" : m[2]] += Number(m[1]);
    }
  }
  const task = FAILED_TASK.exec(plain.trim());
  if (task) failedTasks.add(`${task[1]}#${task[2]}`);
}

let child;
const forward = (signal) => child?.kill(signal);
process.on("SIGINT", forward).on("SIGTERM", forward);

/** Runs a command, echoing its output as it comes and counting what it says; resolves to its exit code. */
function run(command, args) {
  return new Promise((resolvePromise) => {
    child = spawn(command, args, { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
    for (const [stream, sink] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      let rest = "";
      stream.setEncoding("utf8").on("data", (chunk) => {
        sink.write(chunk);
        const lines = (rest + chunk).split("\n");
        rest = lines.pop() ?? "";
        lines.forEach(count);
      });
      stream.on("end", () => rest && count(rest));
    }
    child.on("error", (error) => {
      process.stderr.write(`test: error: cannot start ${command}: ${error.message}\n`);
      resolvePromise(127);
    });
    child.on("close", (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}

// Formatting and lint of every hand-written file (biome.json); generated files are excluded there.
const biome = join(REPO, "node_modules", ".bin", "biome");
const biomeStatus = await run(biome, ["ci", ".", "--colors=off"]);
const turbo = join(REPO, "node_modules", ".bin", "turbo");
const turboStatus = await run(turbo, ["run", "test", "lint", "--continue", ...process.argv.slice(2)]);
const gateStatus = await run(process.execPath, [join(REPO, "scripts", "check-generated.mjs")]);

if (turboStatus !== 0 && failedTasks.size > 0) console.log(`failed tasks: ${[...failedTasks].sort().join(", ")}`);
if (biomeStatus !== 0) console.log("failed: format/lint (biome ci; `pnpm format` fixes formatting, see above)");
if (gateStatus !== 0) console.log("failed: the freshness gate (scripts/check-generated.mjs, see above)");
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = turboStatus || gateStatus || biomeStatus;
