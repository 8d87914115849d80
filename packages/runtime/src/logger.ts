import { checkLogLevel, LOG_LEVELS } from "./check-option.js";

/** Anything console-compatible: `console`, pino, winston, … (each method gets one string). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** How much a client logs: `debug` (one line per attempt) … `off`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The log lines a client writes; a level that is off is `undefined`, so no line is built for it. */
export interface Log {
  debug?: ((line: string) => void) | undefined;
  warn?: ((line: string) => void) | undefined;
}

/** The environment variable that sets `logLevel` where there is an environment (Node, Bun, Deno). */
export const LOG_LEVEL_ENV = "CODESPACES_CLIENT_LOG_LEVEL";

/**
 * The client's log: `level` (else {@link LOG_LEVEL_ENV}, else `warn`) through `logger`
 * (default `console`). Every line goes through `redact` first: no token reaches a logger.
 */
export function createLog(
  logger: Logger = console,
  level: LogLevel | undefined,
  redact: (text: string) => string,
): Log {
  if (!level) {
    // Read only where an environment exists; browsers have none.
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
      LOG_LEVEL_ENV
    ];
    if (env !== undefined) checkLogLevel(env, LOG_LEVEL_ENV);
    level = (env as LogLevel | undefined) ?? "warn";
  }
  const from = LOG_LEVELS.indexOf(level);
  const at = (name: "debug" | "warn") =>
    LOG_LEVELS.indexOf(name) >= from ? (line: string) => logger[name](redact(line)) : undefined;
  return { debug: at("debug"), warn: at("warn") };
}
