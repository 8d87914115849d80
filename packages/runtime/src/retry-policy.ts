import { isRateLimited } from "./errors.js";

/**
 * How failed requests are retried.
 * @see https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Base of the exponential backoff, in ms (default 1000). */
  baseDelayMs?: number;
  /**
   * Longest wait before one retry, in ms (default 30000). It caps the backoff, and when
   * `retry-after` / `x-ratelimit-reset` ask for a longer wait the request is not retried.
   */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1) (default `Math.random`). */
  random?: () => number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/**
 * Fills in the defaults; `false` means no retries. The values were checked with the client's
 * options (check-option.ts): every wait is at most maxDelayMs, so every wait is timeable.
 */
export const resolveRetryPolicy = (options: RetryOptions | false | undefined): RetryPolicy => ({
  retries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  random: Math.random,
  ...(options === false ? { retries: 0 } : options),
});

/** Full-jitter exponential backoff: a random wait in [0, min(max, base * 2^attempt)). */
export const backoffDelay = (attempt: number, policy: RetryPolicy): number =>
  policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);

/** The wait GitHub asks for through `retry-after` or an exhausted `x-ratelimit-reset`, in ms. */
export function requiredDelay(headers: Headers): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const at = Number.isFinite(seconds) ? Date.now() + seconds * 1000 : Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (headers.get("x-ratelimit-remaining") === "0" && reset > 0) return Math.max(0, reset * 1000 - Date.now());
  return undefined;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Milliseconds to wait before retrying `response` (the `attempt`-th, from 0), or `undefined`
 * when it must not be retried: other 4xx, or a required wait longer than `maxDelayMs`.
 */
export async function retryDelay(
  response: Response,
  attempt: number,
  policy: RetryPolicy,
): Promise<number | undefined> {
  const { status } = response;
  // A 403 is retried only when it is a (secondary) rate limit; any other 403 is a permission error.
  if (
    !RETRYABLE_STATUS.has(status) &&
    !(status === 403 && isRateLimited(response.headers, await response.clone().text()))
  )
    return undefined;
  const required = requiredDelay(response.headers);
  if (required === undefined) return backoffDelay(attempt, policy);
  return required <= policy.maxDelayMs ? required : undefined;
}

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal` (if any) aborts,
 * after calling `onAbort`; `promise` itself is left to settle unobserved. Meant for a call's own
 * signal (see createGitHubFetch): the listener goes with it.
 */
export const abortable = <T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort?: () => void): Promise<T> =>
  signal
    ? new Promise<T>((resolve, reject) => {
        const stop = () => (onAbort?.(), reject(signal.reason));
        if (signal.aborted) stop();
        else signal.addEventListener("abort", stop, { once: true });
        promise.then(resolve, reject);
      })
    : promise;

/** Resolves after `ms`, or rejects with `signal.reason` as soon as `signal` (if any) aborts. */
export const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return abortable(new Promise((resolve) => (timer = setTimeout(resolve, ms))), signal, () => clearTimeout(timer));
};
