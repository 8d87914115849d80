import { SpecError } from "./errors.js";
import { LIMITS } from "./limits.js";

/** The environment variables the spec package reads (packages/spec/README.md, "Limits"). */
export const ENV = {
  timeoutMs: "CODESPACES_SPEC_TIMEOUT_MS",
  maxBytes: "CODESPACES_SPEC_MAX_BYTES",
  offline: "CODESPACES_SPEC_OFFLINE",
  cache: "CODESPACES_SPEC_CACHE",
  mirror: "CODESPACES_SPEC_MIRROR",
} as const;

/** A value as it may appear in a message: quoted, and cut short. */
const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * A positive integer from `name`, or `fallback` when the variable is unset. Set but empty, not a
 * plain decimal integer, zero or above `max` is refused with one line naming the variable: an empty
 * `CODESPACES_SPEC_TIMEOUT_MS` once meant "time out at 0 ms".
 */
export function envPositiveInteger(name: string, fallback: number, max: number, unit: string): number {
  const value = process.env[name];
  if (value === undefined) return fallback;
  if (value.trim() === "") throw new SpecError(name, `is set but empty; set a positive integer (${unit}) or unset it`);
  if (!/^[1-9]\d*$/.test(value) || Number(value) > max) {
    throw new SpecError(name, `must be a positive integer (${unit}) of at most ${max}, not ${shown(value)}`);
  }
  return Number(value);
}

/** `1` or `0` from `name` (unset: false); anything else, empty included, is refused. */
export function envFlag(name: string): boolean {
  const value = process.env[name];
  if (value === undefined) return false;
  if (value === "1") return true;
  if (value === "0") return false;
  throw new SpecError(name, `must be 1 or 0, not ${shown(value)}`);
}

/** A path from `name` (unset: undefined); set but empty is refused. */
export function envPath(name: string): string | undefined {
  const value = process.env[name];
  if (value === undefined) return undefined;
  if (value.trim() === "") throw new SpecError(name, "is set but empty; set a folder or unset it");
  return value;
}

/** `CODESPACES_SPEC_TIMEOUT_MS`, default 30 s. */
export const envTimeoutMs = (): number =>
  envPositiveInteger(ENV.timeoutMs, LIMITS.defaultTimeoutMs, LIMITS.maxTimeoutMs, "milliseconds");
/** `CODESPACES_SPEC_MAX_BYTES`, default 256 MiB. */
export const envMaxBytes = (): number =>
  envPositiveInteger(ENV.maxBytes, LIMITS.defaultMaxBytes, LIMITS.maxMaxBytes, "bytes");

/** Checks every variable the package reads, so a bad one fails at start, before any work. */
export function checkEnvironment(): void {
  envTimeoutMs();
  envMaxBytes();
  envFlag(ENV.offline);
  envPath(ENV.cache);
  envPath(ENV.mirror);
}
