/** Longest delay `setTimeout` can time (2^31-1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Throws a `TypeError` naming option `name` unless `value` is a number from `min` to
 * {@link MAX_TIMER_MS}: options are checked where they are given, not at the first call.
 */
export function checkRange(name: string, value: unknown, min: number): void {
  if (!(typeof value === "number" && value >= min && value <= MAX_TIMER_MS)) {
    throw new TypeError(`${name} must be a number from ${min} to ${MAX_TIMER_MS}, got ${String(value)}`);
  }
}
