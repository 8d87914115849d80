/**
 * Child processes of the tests that drive whole tools (pnpm, npm, verdaccio, tsc): an environment
 * free of the surrounding `pnpm test`, and commands that run in a process group of their own with
 * an upper bound that only ends a hung run. Used by history-replay and release-e2e.
 */
import { spawn } from "node:child_process";

/** Upper bound of one command (an install, a turbo run, a vitest run): only ends a hung run. */
export const COMMAND_TIMEOUT_MS = 10 * 60_000;

/**
 * The child processes' environment: nothing inherited from a surrounding `pnpm test`/turbo/vitest
 * (their npm_* settings, INIT_CWD or VITEST_* would point the children at the real repository),
 * telemetry and update notices off.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(npm_|pnpm_|INIT_CWD$|TURBO_HASH$|TURBO_INVOCATION_DIR$|TURBO_TASK|VITEST)/i.test(k))
      env[k] = v;
  }
  return {
    ...env,
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    NO_UPDATE_NOTIFIER: "1",
    npm_config_update_notifier: "false",
    FORCE_COLOR: "0",
    ...extra,
  };
}

/** What a finished command printed, and its exit code. */
export interface CommandResult {
  readonly code: number;
  readonly output: string;
}

/** The last `lines` lines of a command's output, for failure messages. */
export function tail(text: string, lines = 60): string {
  const all = text.trimEnd().split("\n");
  return (all.length > lines ? [`… (${all.length - lines} earlier lines)`, ...all.slice(-lines)] : all).join("\n");
}

/** Process groups still running; killed if this process exits first (an interrupted test run). */
const running = new Set<number>();
process.once("exit", () => {
  for (const pgid of running) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/**
 * Runs a command and resolves with its exit code and combined output, whatever the code (callers
 * assert on it); rejects only when it cannot start or runs past `timeoutMs`. The command runs in a
 * process group of its own, so that a hung run is ended with everything it started (turbo, pnpm,
 * Prism), not only its first process.
 */
export function run(
  cwd: string,
  command: readonly string[],
  env: Record<string, string>,
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid) running.add(child.pid);
    const chunks: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => chunks.push(d));
    child.stderr.on("data", (d: Buffer) => chunks.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${command.join(" ")} in ${cwd}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid!);
      const output = Buffer.concat(chunks).toString("utf8");
      if (timedOut)
        return reject(
          new Error(
            `${command.join(" ")} in ${cwd}: no exit within ${timeoutMs / 1000} s (process group killed)\n${tail(output)}`,
          ),
        );
      resolve({ code: code ?? (signal ? 128 : 1), output: signal ? `${output}\n(ended by ${signal})` : output });
    });
  });
}

/** Runs a command that must succeed; the error names the command and ends with its output. */
export async function sh(
  cwd: string,
  command: readonly string[],
  env: Record<string, string>,
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<string> {
  const result = await run(cwd, command, env, timeoutMs);
  if (result.code !== 0)
    throw new Error(`${command.join(" ")} exited with ${result.code} in ${cwd}:\n${tail(result.output)}`);
  return result.output;
}
