import { isAscii, isUtf8 } from "node:buffer";

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
/** An integer-like object key in JSON text (see `parseJsonOrdered`). */
const INT_KEY_RE = /(?<!\\)"(\d+)"(?=\s*:)/g;

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
  return JSON.parse(text.replace(INT_KEY_RE, `"${INT_KEY_MARK}$1"`));
}

/**
 * The fast path of `parseDescription` for JSON bytes: the same value `parseJsonOrdered` gives for the
 * decoded text, or `undefined` whenever it cannot promise that (a BOM, leading non-JSON whitespace, not
 * an object, invalid UTF-8 or JSON, the marker already present, …). The caller then takes the general
 * path, which also produces the exact error message.
 *
 * Why: GitHub's 13 MB description has ~140 non-ASCII bytes, and one of them makes the whole decoded text
 * a two-byte string: decoding costs ~18 ms, and the marking regex and JSON.parse run slower on it. Here
 * the few non-ASCII characters become `\uXXXX` escapes first, so the text is one-byte Latin-1 (~3 ms)
 * and JSON.parse yields the same strings. This is exact because in valid JSON a non-ASCII character can
 * only sit inside a string, where a raw character and its escape mean the same, unless it follows a
 * backslash (an invalid escape that its `\uXXXX` would turn valid): then we bail out. The marking regex
 * only matches outside strings, so escaping does not change what it marks; the marker is written as the
 * JSON escape `\ue000` so that the text stays one-byte. Kept because the bench shows it is needed for the
 * ≤ 2× JSON.parse floor target of the machines extraction (bench/RESULTS.md: without it ~+0.1 s CPU, and
 * the CPU ratio to the floor passes 2×).
 */
export function parseJsonBytesOrdered(bytes: Uint8Array): Record<string, unknown> | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let first = 0;
  while (first < buffer.length && JSON_WHITESPACE.has(buffer[first]!)) first++;
  if (buffer[first] !== 0x7b /* { */ || !isUtf8(buffer)) return undefined;
  if (buffer.includes(MARK_UTF8) || buffer.includes("\\ue000") || buffer.includes("\\uE000")) return undefined;
  const text = asciiJsonText(buffer);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.replace(INT_KEY_RE, `"${MARK_ESCAPE}$1"`));
  } catch {
    return undefined;
  }
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const MARK_UTF8 = Buffer.from(INT_KEY_MARK, "utf8");
const MARK_ESCAPE = `\\u${INT_KEY_MARK.charCodeAt(0).toString(16)}`;
/** Bytes per `isAscii` probe: small enough that the few non-ASCII blocks are cheap to scan byte by byte. */
const ASCII_BLOCK = 4096;
const HEX = "0123456789abcdef";

/** Valid UTF-8 JSON bytes as one-byte text, non-ASCII characters written as `\uXXXX`; undefined if one follows `\`. */
function asciiJsonText(bytes: Buffer): string | undefined {
  if (isAscii(bytes)) return bytes.toString("latin1");
  const runs: { start: number; end: number; chars: string }[] = [];
  let extra = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + ASCII_BLOCK, bytes.length);
    if (isAscii(bytes.subarray(i, end))) {
      i = end;
      continue;
    }
    while (i < end) {
      if (bytes[i]! < 0x80) {
        i++;
        continue;
      }
      const start = i;
      while (i < bytes.length && bytes[i]! >= 0x80) i++; // valid UTF-8: a run holds whole characters
      if (bytes[start - 1] === 0x5c /* \ */) return undefined;
      const chars = bytes.toString("utf8", start, i);
      runs.push({ start, end: i, chars });
      extra += chars.length * 6 - (i - start);
    }
  }
  const out = Buffer.allocUnsafe(bytes.length + extra);
  let at = 0;
  let from = 0;
  for (const { start, end, chars } of runs) {
    at += bytes.copy(out, at, from, start);
    for (let j = 0; j < chars.length; j++) {
      const c = chars.charCodeAt(j); // UTF-16 code units: astral characters become surrogate-pair escapes
      out[at++] = 0x5c;
      out[at++] = 0x75;
      out[at++] = HEX.charCodeAt(c >> 12);
      out[at++] = HEX.charCodeAt((c >> 8) & 15);
      out[at++] = HEX.charCodeAt((c >> 4) & 15);
      out[at++] = HEX.charCodeAt(c & 15);
    }
    from = end;
  }
  bytes.copy(out, at, from);
  return out.toString("latin1");
}

/** Serialises an in-memory document: 2-space JSON, source key order, trailing newline. */
export function stringifyOrdered(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replaceAll(`"${INT_KEY_MARK}`, '"')}\n`;
}

/**
 * The value that `JSON.parse(stringifyOrdered(value))` would give, made from `value` in place (which is
 * used up) instead of parsing the text again: integer-like keys unmarked, so they enumerate as in a
 * parsed object; prototype-less copies (kept-copy.ts) rebuilt as plain objects; what JSON cannot spell
 * (`undefined` members, non-finite numbers, `-0`) as `JSON.stringify` writes it. Only objects that need
 * it are rebuilt; the rest are walked. For checks of a slice right after it is serialised: on the whole
 * API this saves a second parse of the 7 MB text and the objects it would make (README, "Where the
 * whole-API extraction's time goes"). Recursive: its input passed the extraction's depth limit
 * (`LIMITS.maxDepth`).
 */
export function asParsedInPlace(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : null; // -0 + 0 is 0
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const parsed = item === undefined ? null : asParsedInPlace(item);
      if (!Object.is(parsed, item)) value[i] = parsed; // Object.is: -0 becomes 0
    }
    return value;
  }
  const object = value as Record<string, unknown>;
  let rebuild = Object.getPrototypeOf(object) !== Object.prototype;
  if (!rebuild) {
    for (const key in object) {
      if (key.charCodeAt(0) === MARK_CODE || object[key] === undefined) {
        rebuild = true;
        break;
      }
    }
  }
  if (rebuild) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const child = object[key];
      if (child !== undefined) setOwn(out, unmarkKey(key), asParsedInPlace(child));
    }
    return out;
  }
  for (const key in object) {
    const child = object[key];
    const parsed = asParsedInPlace(child);
    if (!Object.is(parsed, child)) setOwn(object, key, parsed);
  }
  return object;
}
const MARK_CODE = INT_KEY_MARK.charCodeAt(0);

/** Reads `obj[key]` whether or not the key is stored marked. */
export function getKey(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  const marked = markKey(key);
  return marked !== key && Object.hasOwn(obj, marked) ? obj[marked] : undefined;
}

/**
 * `obj[key] = value` that also works for the key `__proto__`: on an object with a prototype, plain
 * assignment of that key changes the prototype and the key is lost (and the object then inherits
 * whatever the document put there). For copies whose prototype must stay (objects handed to Ajv).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}
