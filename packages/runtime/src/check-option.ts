/**
 * Checks of the options of `createClient` and of every call, so that a wrong option fails where
 * it is given — a `TypeError` naming it (and, for a typo, the closest valid name) — instead of
 * at every later call. Values are never echoed for `token` (it may be the secret itself).
 */

/** Longest delay `setTimeout` can time (2^31-1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The levels of `logLevel`, most verbose first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "off"] as const;

/** Throws a `TypeError` saying that option `name` must be `what`. */
export const must = (ok: unknown, name: string, what: string): void => {
  if (!ok) throw new TypeError(`${name} must be ${what}`);
};

/**
 * Throws a `TypeError` naming option `name` unless `value` is a number from `min` to
 * {@link MAX_TIMER_MS}: options are checked where they are given, not at the first call.
 */
export function checkRange(name: string, value: unknown, min: number): void {
  must(
    typeof value === "number" && value >= min && value <= MAX_TIMER_MS,
    name,
    `a number from ${min} to ${MAX_TIMER_MS}, got ${String(value)}`,
  );
}

/** Levenshtein distance, for "did you mean" (one row of the table at a time). */
function distance(a: string, b: string): number {
  let row = [...Array(b.length + 1).keys()];
  for (const char of a) {
    const next = [(row[0] as number) + 1];
    for (let j = 0; j < b.length; j++) {
      next.push(Math.min((row[j + 1] as number) + 1, (next[j] as number) + 1, (row[j] as number) + +(char !== b[j])));
    }
    row = next;
  }
  return row[b.length] as number;
}

type Check = (value: unknown, name: string) => void;

const isFunction = (value: unknown) => typeof value === "function";
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * Checks every key of `options` with `checks` (`undefined` values are allowed: absent). An
 * unknown key is a `TypeError` that names the closest known key when one is near.
 */
function checkObject(options: unknown, prefix: string, checks: Record<string, Check>): void {
  must(isObject(options), "options", "an object");
  for (const key in options as object) {
    const check = checks[key];
    const value = (options as Record<string, unknown>)[key];
    if (!check) {
      const lower = key.toLowerCase();
      let best = "";
      let bestDistance = 4;
      for (const known in checks) {
        const d = known.toLowerCase().startsWith(lower) ? 1 : distance(lower, known.toLowerCase());
        if (d < bestDistance) (best = known), (bestDistance = d);
      }
      throw new TypeError(
        `${prefix}${key} is not an option${best ? ` (did you mean ${prefix}${best}?)` : ""}; known: ${Object.keys(checks).join(", ")}`,
      );
    }
    if (value !== undefined) check(value, prefix + key);
  }
}

// Checks several options share.
const aFunction: Check = (v, n) => must(isFunction(v), n, "a function");
const aString: Check = (v, n) => must(typeof v === "string", n, "a string");
const aDelay: Check = (v, n) => checkRange(n, v, 0);
const anObject: Check = (v, n) => must(isObject(v), n, "an object");

const RETRY: Record<string, Check> = {
  retries: aDelay,
  baseDelayMs: aDelay,
  maxDelayMs: aDelay,
  random: aFunction,
};

/** Options both `createClient` and every call take. */
const SHARED: Record<string, Check> = {
  signal: (v, n) => must(isObject(v) && "aborted" in v && isFunction(v.addEventListener), n, "an AbortSignal"),
  timeoutMs: (v, n) => checkRange(n, v, 1),
  retry: (v, n) => {
    must(v === false || isObject(v), n, "false or an object");
    if (v) checkObject(v, `${n}.`, RETRY);
  },
};

const CALL: Record<string, Check> = {
  ...SHARED,
  headers: anObject,
  ifNoneMatch: aString,
};

// An RFC 6750 b64token: letters, digits and `-._~+/`, then optional `=`, as every GitHub token
// is. It needs no JSON or util.inspect escaping either, which redaction relies on.
// https://www.rfc-editor.org/rfc/rfc6750#section-2.1
const BEARER = /^[\w.~+/-]*=*$/;

/** Throws unless `token` can be sent as a bearer token; never echoes it. */
export const checkToken = (token: unknown, name: string): void =>
  must(typeof token === "string" && BEARER.test(token), name, "an RFC 6750 bearer token");

/** Throws unless `level` is one of {@link LOG_LEVELS} (the option, or the environment variable). */
export const checkLogLevel: Check = (level, name) =>
  must(LOG_LEVELS.includes(level as "off"), name, `one of ${LOG_LEVELS.join(", ")}`);

const CLIENT: Record<string, Check> = {
  ...SHARED,
  token: (v, n) => (isFunction(v) ? undefined : checkToken(v, n)),
  baseUrl: aString,
  // Its URLs are checked where they are used (`shapes.servers`), like baseUrl's.
  servers: anObject,
  userAgent: aString,
  fetch: aFunction,
  cache: (v, n) =>
    must(v === false || (isObject(v) && isFunction(v.get) && isFunction(v.set)), n, "false or an EtagCache"),
  validate: aFunction,
  logger: (v, n) =>
    must(
      isObject(v) && ["debug", "info", "warn", "error"].every((level) => isFunction(v[level])),
      n,
      "console-compatible",
    ),
  logLevel: checkLogLevel,
};

/** Checks the options of `createClient`. */
export const checkClientOptions = (options: unknown): void => checkObject(options, "", CLIENT);

/** Checks the options argument of one call. */
export const checkCallOptions = (options: unknown): void => checkObject(options, "", CALL);
