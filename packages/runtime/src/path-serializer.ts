/**
 * Fills `{name}` placeholders with percent-encoded values (`encodeURIComponent` semantics), so
 * that no value can add, remove or change a path segment.
 * `.` and `..` are rejected: WHATWG URL parsing removes them even as `%2E` / `%2E%2E`
 * (https://url.spec.whatwg.org/#double-dot-path-segment), and GitHub allows neither as a name.
 * Empty values are rejected, since they would silently address another endpoint.
 * Signature of openapi-fetch's `pathSerializer`.
 */
export function serializePath(url: string, params: Record<string, unknown>): string {
  // Split, not replace with a callback: the same matches (the captured names land at the odd
  // indexes), a third faster per call (no call back into JS per placeholder).
  const parts = url.split(/\{([^{}]+)\}/);
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
    parts[i] = encodeURIComponent(text);
  }
  return parts.join("");
}
