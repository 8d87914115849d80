import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listVersions } from "../src/spec-catalog.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const vitestCli = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
// Made in beforeAll, not at import: a filtered run (`-t`) that skips every test here runs no
// hooks, and would leave the folder behind.
let scratch = "";
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "contract-lifecycle-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Nothing here waits for a duration: each wait ends on an event (the pid file appears, the child
// exits, the Prisms are gone). The bounds below only end a hung run; a loaded machine is slow
// by seconds, not minutes.
const MINUTE = 60_000;
const PID_FILE_BOUND = 5 * MINUTE;
const GONE_BOUND = 2 * MINUTE;

/** A Prism of ours is alive: signalable, not a zombie, and still Prism (not a reused pid). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) return false;
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("prism");
  } catch {
    return false;
  }
}

/**
 * Resolves once `file` exists: `fs.watch` on its folder (the fleet renames the complete file into
 * place), checked once more after the watcher is set up. Rejects when `child` exits first, with
 * its output, or after `boundMs` (only a hung child gets there).
 */
function fileAppears(file: string, child: ResultPromise, boundMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const name = basename(file);
    const watcher = watch(dirname(file), (_event, changed) => {
      if ((changed === null || changed === name) && existsSync(file)) finish();
    });
    const timer = setTimeout(
      () => finish(new Error(`the child run did not report its Prism pids within ${boundMs} ms (hung?)`)),
      boundMs,
    );
    function finish(error?: Error) {
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    }
    void child.then((result) => {
      if (existsSync(file)) finish();
      else
        finish(
          new Error(
            `the child run exited (${result.exitCode ?? result.signal}) before reporting its Prism pids:\n${String(result.all ?? "").slice(-3000)}`,
          ),
        );
    });
    if (existsSync(file)) finish();
  });
}

/**
 * Resolves once none of `pids` is alive. There is no exit event for a process that is not our
 * child (the Prisms are the child run's children, or orphans), so this re-checks on a short
 * interval; the bound only ends a wait for processes that never go.
 */
async function gone(pids: number[], boundMs: number): Promise<void> {
  for (const end = Date.now() + boundMs; pids.some(alive) && Date.now() < end; )
    await new Promise((r) => setTimeout(r, 100));
}

type Scenario = {
  name: string;
  fixture: "passes" | "fails" | "hangs";
  signal?: NodeJS.Signals;
  exit: (code: number | undefined, signal: string | undefined) => boolean;
};

const scenarios: Scenario[] = [
  { name: "a passing run", fixture: "passes", exit: (code) => code === 0 },
  { name: "a run with a failing test", fixture: "fails", exit: (code) => code === 1 },
  {
    name: "a run interrupted with SIGTERM",
    fixture: "hangs",
    signal: "SIGTERM",
    exit: (code, signal) => signal === "SIGTERM" || (code !== undefined && code !== 0),
  },
  {
    name: "a run interrupted with SIGINT",
    fixture: "hangs",
    signal: "SIGINT",
    exit: (code, signal) => signal === "SIGINT" || (code !== undefined && code !== 0),
  },
  {
    name: "a run killed with SIGKILL (the watchdog ends Prism)",
    fixture: "hangs",
    signal: "SIGKILL",
    exit: (_code, signal) => signal === "SIGKILL",
  },
];

// One version only: the point is the process handling, and each child starts real Prisms.
describe.concurrent("no Prism process survives", () => {
  test.for(scenarios)("$name", { timeout: 10 * MINUTE }, async ({ name, fixture, signal, exit }) => {
    const pidFile = join(scratch, `${name.replace(/\W+/g, "-")}.json`);
    const child = execa(process.execPath, [vitestCli, "run", "--config", "test/fixtures/lifecycle.vitest.config.ts"], {
      cwd: packageRoot,
      env: { CONTRACT_VERSIONS: listVersions()[0], CONTRACT_PID_FILE: pidFile, CONTRACT_FIXTURE: fixture, CI: "1" },
      reject: false,
      all: true,
    });
    try {
      if (signal) {
        // The child is in its (endless) test once the fleet is up: the pid file is written then.
        await fileAppears(pidFile, child, PID_FILE_BOUND);
        expect(child.exitCode, "the child had already exited when it was to be interrupted").toBeNull();
        expect(child.kill(signal), `${signal} was not delivered`).toBe(true);
      }
      const result = await child;
      expect(existsSync(pidFile), `no pid file; child output:\n${result.all}`).toBe(true);
      const pids = JSON.parse(readFileSync(pidFile, "utf8")) as number[];
      expect(pids).toHaveLength(2); // the mock and the validating proxy
      expect(
        exit(result.exitCode, result.signal),
        `exit ${result.exitCode ?? result.signal}:\n${result.all?.slice(-2000)}`,
      ).toBe(true);
      await gone(pids, GONE_BOUND);
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      // A failed expectation above must not leave the child run behind (its Prisms follow it).
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
