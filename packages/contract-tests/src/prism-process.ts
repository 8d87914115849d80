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
  /** Upstream URL, for `mode: "proxy"`. */
  upstream?: string;
  /** Extra CLI flags. */
  args?: string[];
  /**
   * Upper bound on start-up; only ends a hung start (start-up itself is awaited as an event, see
   * {@link startPrism}). Default 5 minutes: a loaded 2-core machine starts Prism in seconds.
   */
  readyTimeoutMs?: number;
}

/** Message the preload sends once Prism's server listens (src/prism-watchdog.cjs). */
const isListening = (m: unknown): m is { type: "contract-prism-listening"; port: number } =>
  typeof m === "object" && m !== null && (m as { type?: unknown }).type === "contract-prism-listening";

/**
 * Starts `prism mock|proxy` on 127.0.0.1 (port chosen by the kernel: `--port 0`) in its own
 * process group and resolves once its server listens. Readiness is an event, not a poll: the
 * preloaded `prism-watchdog.cjs` reports the bound port over IPC; an early exit rejects at once
 * with Prism's output. Prism is started detached so the group (Prism and anything it forks) can
 * be killed at once; the preload also ends it when this process dies without cleaning up.
 * @see https://docs.stoplight.io/docs/prism/9528b5a8272c0-cli
 */
export async function startPrism(options: StartPrismOptions): Promise<PrismProcess> {
  const { mode, specPath, upstream, args = [], readyTimeoutMs = 5 * 60_000 } = options;
  // --multiprocess false: one process, so the preload is in the process that listens (Prism
  // turns it on when NODE_ENV=production).
  const cli = [
    PRISM_CLI,
    mode,
    specPath,
    ...(upstream ? [upstream] : []),
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--multiprocess",
    "false",
  ];
  const child: ResultPromise = execa(
    process.execPath,
    // 1 MiB of request headers: the nullable-enum case sends its crafted body (a whole list of
    // codespaces in the category run) base64-encoded in a header through `prism proxy`.
    ["--max-http-header-size=1048576", "--require", WATCHDOG, ...cli, "--verboseLevel", "warn", ...args],
    {
      detached: true,
      cleanup: false,
      reject: false,
      stdin: "ignore",
      all: true,
      ipc: true,
      buffer: { all: true, stdout: true, stderr: true, ipc: false },
      env: { CONTRACT_PRISM_OWNER_PID: String(process.pid) },
    },
  );
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

  // Rejects when Prism exits or disconnects first: then `done` tells how it ended.
  const listening = child.getOneMessage({ filter: isListening, reference: false }).then(
    (m) => ({ port: (m as { port: number }).port }),
    () => done.then((result) => ({ result })),
  );
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    listening,
    done.then((result) => ({ result })),
    new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), readyTimeoutMs))),
  ]).finally(() => clearTimeout(timer));
  if (outcome === "hung") {
    kill();
    throw new Error(
      `prism ${mode} ${specPath} did not start listening within ${readyTimeoutMs} ms (hung):\n${String((await done).all ?? "").slice(-2000)}`,
    );
  }
  if ("result" in outcome || !(outcome.port > 0)) {
    kill();
    const result = await done;
    throw new Error(
      `prism ${mode} ${specPath} exited (${result.exitCode ?? result.signal}) before listening:\n${String(result.all ?? "").slice(-2000)}`,
    );
  }
  return { pid, url: `http://127.0.0.1:${outcome.port}`, stop, kill };
}
