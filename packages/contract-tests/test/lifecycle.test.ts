import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { listVersions } from "../src/spec-catalog.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const vitestCli = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const scratch = mkdtempSync(join(tmpdir(), "contract-lifecycle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Alive = signalable and not a zombie (a zombie holds no port and no memory). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

type Scenario = { name: string; fixture: "passes" | "fails" | "hangs"; signal?: NodeJS.Signals; exit: (code: number | undefined, signal: string | undefined) => boolean };

const scenarios: Scenario[] = [
  { name: "a passing run", fixture: "passes", exit: (code) => code === 0 },
  { name: "a run with a failing test", fixture: "fails", exit: (code) => code === 1 },
  { name: "a run interrupted with SIGTERM", fixture: "hangs", signal: "SIGTERM", exit: (code) => code !== 0 },
  { name: "a run interrupted with SIGINT", fixture: "hangs", signal: "SIGINT", exit: (code) => code !== 0 },
  { name: "a run killed with SIGKILL (the watchdog ends Prism)", fixture: "hangs", signal: "SIGKILL", exit: (code) => code !== 0 },
];

// One version only: the point is the process handling, and each child starts real Prisms.
describe.concurrent("no Prism process survives", () => {
  test.for(scenarios)("$name", async ({ name, fixture, signal, exit }) => {
    const pidFile = join(scratch, `${name.replace(/\W+/g, "-")}.json`);
    const child = execa(process.execPath, [vitestCli, "run", "--config", "test/fixtures/lifecycle.vitest.config.ts"], {
      cwd: packageRoot,
      env: { CONTRACT_VERSIONS: listVersions()[0], CONTRACT_PID_FILE: pidFile, CONTRACT_FIXTURE: fixture, CI: "1" },
      reject: false,
      all: true,
    });
    if (signal) {
      const started = await waitFor(() => existsSync(pidFile), 30_000);
      expect(started, "the child run never reported its Prism pids").toBe(true);
      child.kill(signal);
    }
    const result = await child;
    expect(existsSync(pidFile), `no pid file; child output:\n${result.all}`).toBe(true);
    const pids = JSON.parse(readFileSync(pidFile, "utf8")) as number[];
    expect(pids).toHaveLength(2); // the mock and the validating proxy
    expect(exit(result.exitCode, result.signal), `exit ${result.exitCode ?? result.signal}:\n${result.all?.slice(-2000)}`).toBe(true);
    await waitFor(() => pids.every((pid) => !alive(pid)), 5_000);
    expect(pids.filter(alive)).toEqual([]);
  });
});
