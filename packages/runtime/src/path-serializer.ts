/**
 * Fills `{name}` placeholders with percent-encoded values (`encodeURIComponent` semantics), so
 * that no value can add, remove or change a path segment.
 * `.` and `..` are rejected: WHATWG URL parsing removes them even as `%2E` / `%2E%2E`
 * (https://url.spec.whatwg.org/#double-dot-path-segment), and GitHub allows neither as a name.
 * Empty values are rejected, since they would silently address another endpoint.
 * Signature of openapi-fetch's `pathSerializer`.
 */
export const serializePath = (url: string, params: Record<string, unknown>): string => fillPath(splitPath(url), params);

/**
 * A path template split at its placeholders, the names at the odd indexes: the matches of
 * `\{([^{}]+)\}`, as openapi-fetch's own serializer finds them. Operation methods split their
 * path once and fill the parts on every call.
 */
export const splitPath = (url: string): readonly string[] => url.split(/\{([^{}]+)\}/);

/** Fills the placeholders of a {@link splitPath} template (see {@link serializePath}). */
export function fillPath(parts: readonly string[], params: Record<string, unknown>): string {
  let path = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const value = params[name];
    if (typeof value !== "string" && typeof value !== "number") {
      throw new TypeError(
        `Path parameter "${name}" must be a string or number, got ${value === null ? "null" : typeof value}`,
      );
    }
    const text = String(value);
    if (text === "" || text === "." || text === "..") {
      throw new TypeError(`Path parameter "${name}" must not be ${text === "" ? "empty" : `"${text}"`}`);
    }
    path += encodeURIComponent(text) + parts[i + 1];
  }
  return path;
}
