/**
 * @codespaces-clients/openapi-model — the one walker of OpenAPI documents that spec, generator and
 * contract tests share: JSON values, HTTP methods, JSON pointers (RFC 6901), local `$ref` resolution,
 * the operations of a document, and the npm name of a client package. No dependencies.
 *
 * The rules, once:
 * - **Keys are own properties.** A key is read only when the object has it as its own property
 *   (`Object.hasOwn`), so `constructor`, `toString` or `__proto__` never resolve to `Object.prototype`
 *   and nothing here writes, so no document can pollute a prototype.
 * - **A `$ref` is local**: `#` followed by a JSON pointer. Anything else is a `RefError` ("external").
 * - **`%`-escapes:** the part after `#` is a URI fragment, so it is percent-decoded as a whole first
 *   (RFC 3986), then read as a JSON pointer (RFC 6901 §6): split at `/`, then `~1` → `/` and `~0` → `~`
 *   in that order. So `%2F` separates segments, `~1` is a `/` inside a name and `%25` is a `%`; an
 *   invalid escape (`%zz`) is a `RefError` ("malformed").
 * - **Missing targets** are a `RefError` ("missing"), never `undefined` passed on silently.
 * - **Hops:** `deref` follows a `$ref` whose target is again a `$ref`, at most `MAX_REF_HOPS` (32) times;
 *   a `$ref` met twice in one chain is a cycle. Both are a `RefError` ("cycle" / "too-deep").
 */

export type Json = unknown;
export type JsonObject = Record<string, Json>;

/** A JSON object: not null, not an array. */
export function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The HTTP methods of a Path Item Object (OAS 3.0 §4.7.9), in the order the specification lists them. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
const METHOD_SET: ReadonlySet<string> = new Set(HTTP_METHODS);
export const isHttpMethod = (key: string): key is HttpMethod => METHOD_SET.has(key);

/** Escapes one JSON pointer segment (RFC 6901 §3): `~` → `~0`, `/` → `~1`. */
export function encodePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Unescapes one JSON pointer segment (RFC 6901 §4): `~1` → `/`, then `~0` → `~`. */
export function decodePointerSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** `#/a/b~1c` from the raw segments `a`, `b/c` (a URI-fragment pointer, as in a `$ref` and in messages). */
export function pointerOf(segments: readonly (string | number)[]): string {
  let out = "#";
  for (const segment of segments) out += `/${encodePointerSegment(segment)}`;
  return out;
}

export type RefErrorReason = "external" | "malformed" | "missing" | "cycle" | "too-deep";

/** The one error of `$ref` resolution; `ref` is the reference (the pointer) that failed. */
export class RefError extends Error {
  override readonly name = "RefError";

  constructor(
    readonly ref: string,
    readonly reason: RefErrorReason,
  ) {
    super(REASONS[reason](ref));
  }
}

const REASONS: Record<RefErrorReason, (ref: string) => string> = {
  external: (ref) => `external $ref "${ref}" is not supported (bundle the description first)`,
  malformed: (ref) => `$ref "${ref}" is not a valid URI fragment JSON pointer`,
  missing: (ref) => `$ref "${ref}" points nowhere`,
  cycle: (ref) => `$ref "${ref}" is part of a $ref cycle`,
  "too-deep": (ref) => `$ref "${ref}" starts a chain of more than ${MAX_REF_HOPS} $refs`,
};

/** The raw segments of a local `$ref` (`#/a/b~1c%20d` → `a`, `b/c d`); `#` alone is the whole document. */
export function parseRef(ref: string): string[] {
  if (!ref.startsWith("#")) throw new RefError(ref, "external");
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    throw new RefError(ref, "malformed");
  }
  if (fragment === "") return [];
  if (!fragment.startsWith("/")) throw new RefError(ref, "malformed");
  return fragment.slice(1).split("/").map(decodePointerSegment);
}

/**
 * How a segment is read from an object. The default reads own properties only; the spec package,
 * whose documents carry marked integer-like keys, passes its own (still own-property) reader.
 */
export type KeyReader = (object: JsonObject, key: string) => Json;
export const ownKey: KeyReader = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);

/** The value at raw `segments` in `document`, or `undefined` when there is none. */
export function valueAt(document: Json, segments: readonly string[], readKey: KeyReader = ownKey): Json {
  let node = document;
  for (const segment of segments) {
    if (Array.isArray(node)) node = /^(0|[1-9]\d*)$/.test(segment) ? node[Number(segment)] : undefined;
    else if (isObject(node)) node = readKey(node, segment);
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** The node a local `$ref` names, one hop (a `$ref` there is not followed); throws `RefError`. */
export function resolveRef(document: Json, ref: string, readKey: KeyReader = ownKey): Json {
  const node = valueAt(document, parseRef(ref), readKey);
  if (node === undefined) throw new RefError(ref, "missing");
  return node;
}

/**
 * Why 32: no description chains `$ref`s on purpose beyond a few hops (GitHub's longest is 2: a
 * response component naming another), and a cycle is caught exactly by the seen set, so the bound only
 * caps the work of a long hostile chain. 32 was the largest of the former bounds (20, 32), so nothing
 * that resolved before stops resolving.
 */
export const MAX_REF_HOPS = 32;

export interface Followed {
  /** The first node that is not a `$ref` object. */
  readonly node: Json;
  /** The last `$ref` followed (the pointer of `node`), `undefined` when `node` was not a `$ref`. */
  readonly ref: string | undefined;
}

/** `node` itself, or where its `$ref` chain ends (see the rules at the top); throws `RefError`. */
export function follow(document: Json, node: Json, readKey: KeyReader = ownKey): Followed {
  let current = node;
  let ref: string | undefined;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const next: string = current.$ref;
    if (seen.has(next)) throw new RefError(next, "cycle");
    if (seen.size === MAX_REF_HOPS) throw new RefError(ref ?? next, "too-deep");
    seen.add(next);
    ref = next;
    current = resolveRef(document, next, readKey);
  }
  return { node: current, ref };
}

/** The node `ref` names, following further `$ref`s (see the rules at the top); throws `RefError`. */
export function deref(document: Json, ref: string, readKey: KeyReader = ownKey): Json {
  return follow(document, { $ref: ref }, readKey).node;
}

export interface OperationEntry {
  readonly path: string;
  readonly method: HttpMethod;
  readonly operation: JsonObject;
  /** The Path Item Object the operation is in (for its shared `parameters`). */
  readonly pathItem: JsonObject;
  /** `#/paths/~1repos~1{owner}/get` */
  readonly pointer: string;
}

/** Every operation of `document`: paths in document order, methods in `HTTP_METHODS` order. */
export function* forEachOperation(document: Json): Generator<OperationEntry> {
  const paths = isObject(document) ? ownKey(document, "paths") : undefined;
  if (!isObject(paths)) return;
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = ownKey(pathItem, method);
      if (isObject(operation)) yield { path, method, operation, pathItem, pointer: pointerOf(["paths", path, method]) };
    }
  }
}

/** npm scope of the client packages. */
export const CLIENT_SCOPE = "@codespaces-clients";
/** Folder and name prefix of the client packages. */
export const CLIENT_PREFIX = "machines";
/** `machines-2026-03-10` */
export const packageDirName = (apiVersion: string): string => `${CLIENT_PREFIX}-${apiVersion}`;
/** `@codespaces-clients/machines-2026-03-10` */
export const packageNameOf = (apiVersion: string): string => `${CLIENT_SCOPE}/${packageDirName(apiVersion)}`;
