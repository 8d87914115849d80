import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";

const require = createRequire(import.meta.url);
/** Prism's CLI entry, run with the current `node` (no shell, no `.bin` shim in between). */
const PRISM_CLI = require.resolve("@stoplight/prism-cli/dist/index.js");
const WATCHDOG = fileURLToPath(new URL("./prism-watchdog.cjs", import.meta.url));

/** A running Prism: its process-group id, where it listens, and how to stop it. */
export interface PrismProcess {
  /** Process id, equal to its process-group id (started detached). */
  pid: number;
  url: string;
  /** Kills the whole process group (SIGTERM, then SIGKILL after `graceMs`); resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous SIGKILL of the process group, for `exit` and signal handlers. */
  kill(): void;
}

export interface StartPrismOptions {
  mode: "mock" | "proxy";
  specPath: string;
  port: number;
  /** Upstream URL, for `mode: "proxy"`. */
  upstream?: string;
  /** Extra CLI flags. */
  args?: string[];
  readyTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `prism mock|proxy` on 127.0.0.1:`port` in its own process group and resolves once it
 * answers HTTP. Prism is started detached so the group (Prism and anything it forks) can be
 * killed at once; the preloaded watchdog ends it if this process dies without cleaning up.
 * @see https://docs.stoplight.io/docs/prism/9528b5a8272c0-cli
 */
export async function startPrism(options: StartPrismOptions): Promise<PrismProcess> {
  const { mode, specPath, port, upstream, args = [], readyTimeoutMs = 30_000 } = options;
  const cli = [PRISM_CLI, mode, specPath, ...(upstream ? [upstream] : []), "--host", "127.0.0.1", "--port", String(port)];
  const child: ResultPromise = execa(process.execPath, ["--require", WATCHDOG, ...cli, "--verboseLevel", "warn", ...args], {
    detached: true,
    cleanup: false,
    reject: false,
    stdin: "ignore",
    all: true,
    buffer: { all: true, stdout: false, stderr: false },
    env: { CONTRACT_PRISM_OWNER_PID: String(process.pid) },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`prism ${mode} ${specPath}: could not spawn`);
  let exited = false;
  const done = child.then((result) => {
    exited = true;
    return result;
  });

  const kill = () => {
    if (exited) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  const stop = async (graceMs = 1500) => {
    if (exited) return;
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(kill, graceMs);
    await done;
    clearTimeout(timer);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) {
      const result = await done;
      throw new Error(`prism ${mode} ${specPath} exited (${result.exitCode ?? result.signal}) before answering:\n${String(result.all ?? "").slice(-2000)}`);
    }
    try {
      // Any HTTP answer (Prism says 404 for this path) means it is listening.
      await fetch(`${url}/__contract/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.body?.cancel());
      break;
    } catch {
      if (Date.now() > deadline) {
        kill();
        throw new Error(`prism ${mode} ${specPath} did not answer on ${url} within ${readyTimeoutMs} ms`);
      }
      await sleep(50);
    }
  }
  return { pid, url, stop, kill };
}
