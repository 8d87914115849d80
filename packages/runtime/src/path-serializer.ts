/**
 * Fills `{name}` placeholders with percent-encoded values (`encodeURIComponent` semantics), so
 * that no value can add, remove or change a path segment.
 * `.` and `..` are rejected: WHATWG URL parsing removes them even as `%2E` / `%2E%2E`
 * (https://url.spec.whatwg.org/#double-dot-path-segment), and GitHub allows neither as a name.
 * Empty values are rejected, since they would silently address another endpoint.
 * Signature of openapi-fetch's `pathSerializer`.
 */
export function serializePath(url: string, params: Record<string, unknown>): string {
  return url.replace(/\{([^{}]+)\}/g, (_match, name: string) => {
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
    return encodeURIComponent(text);
  });
}
