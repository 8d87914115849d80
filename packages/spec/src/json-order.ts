/**
 * Key order that survives JavaScript objects.
 *
 * JS objects enumerate integer-like keys ("200", "304", …) first and in ascending order, whatever
 * the source order was. GitHub's description lists responses as 200, 304, 500, 401, 403, 404, and
 * the slices must keep source key order. So integer-like keys are stored with a private-use prefix
 * while a document is in memory, and the prefix is removed again when it is serialised.
 */
export const INT_KEY_MARK = "\uE000";

const MARK_RE = /\uE000/;

/** True when `key` would be reordered by a JS object. */
export function isIntegerLike(key: string): boolean {
  return /^\d+$/.test(key);
}

/** The in-memory spelling of a source key. */
export function markKey(key: string): string {
  return isIntegerLike(key) ? INT_KEY_MARK + key : key;
}

/** The source spelling of an in-memory key. */
export function unmarkKey(key: string): string {
  return key.startsWith(INT_KEY_MARK) ? key.slice(1) : key;
}

/** Whether the text already contains the marker (then it cannot be used safely). */
export function containsMark(text: string): boolean {
  return MARK_RE.test(text) || /\\u[eE]000/.test(text);
}

/**
 * Parses JSON text keeping the source order of integer-like keys. In valid JSON, a `"` that follows
 * no backslash and is followed by a digit can only open a string, so the regular expression never
 * touches string contents.
 */
export function parseJsonOrdered(text: string): unknown {
  return JSON.parse(text.replace(/(?<!\\)"(\d+)"(?=\s*:)/g, `"${INT_KEY_MARK}$1"`));
}

/** Serialises an in-memory document: 2-space JSON, source key order, trailing newline. */
export function stringifyOrdered(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replaceAll(`"${INT_KEY_MARK}`, '"')}\n`;
}

/** Reads `obj[key]` whether or not the key is stored marked. */
export function getKey(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  const marked = markKey(key);
  return marked !== key && Object.hasOwn(obj, marked) ? obj[marked] : undefined;
}
