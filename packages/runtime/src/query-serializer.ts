/**
 * Query strings for GitHub's REST API, whose query parameters are strings, numbers, booleans or
 * lists of those (sent as repeated `name=value`: OpenAPI's default `form` style with `explode`).
 * Every name and value is percent-encoded (`encodeURIComponent`), so no input can add a
 * parameter; `undefined` and `null` are left out. Any other value (an object, a nested list, a
 * function) is a `TypeError`: openapi-fetch's default serializer would send an object as
 * `name[key]=value` with the key unencoded, so `{ "a]&x=1&b[": 1 }` would add `x=1`.
 * Signature of openapi-fetch's `querySerializer`.
 * @see https://spec.openapis.org/oas/v3.0.3#style-values
 */
export function serializeQuery(query: Record<string, unknown>): string {
  let search = "";
  for (const name in query) {
    for (const value of ([] as unknown[]).concat(query[name])) {
      if (value == null) continue;
      if (typeof value === "object" || typeof value === "function") {
        throw new TypeError(`Query parameter "${name}" must be a string, number or boolean, got ${typeof value}`);
      }
      search += `${search && "&"}${encodeURIComponent(name)}=${encodeURIComponent(value as string)}`;
    }
  }
  return search;
}
