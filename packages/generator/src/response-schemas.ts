import { follow, isObject, ownKey, parseRef, RefError } from "@codespaces-clients/openapi-model";
import { toJsonSchema } from "@codespaces-clients/spec";

type Obj = Record<string, unknown>;
const SCHEMA_PREFIX = "#/components/schemas/";

/**
 * JSON Schemas of every operation's JSON response bodies (operationId → status → schema), for the
 * runtime's optional response validation. Each is self-contained: the component schemas it uses
 * are copied into its `definitions`, so no validator needs the whole document. Every map is built
 * with `Object.fromEntries`, so a name such as `__proto__` stays an own key (an assignment would set
 * the prototype instead).
 */
export function responseSchemasOf(document: Obj): Record<string, Record<string, unknown>> {
  const schemas = isObject(document.components) ? ownKey(document.components, "schemas") : undefined;
  const components = isObject(schemas) ? schemas : {};
  const rewriteRef = (ref: string) =>
    ref.startsWith(SCHEMA_PREFIX) ? `#/definitions/${ref.slice(SCHEMA_PREFIX.length)}` : ref;
  const convert = (schema: unknown) => toJsonSchema(schema, { rewriteRef }) as Obj;
  const out: [string, Record<string, unknown>][] = [];
  for (const item of Object.values((document.paths ?? {}) as Obj)) {
    if (!isObject(item)) continue;
    for (const op of Object.values(item)) {
      if (!isObject(op) || typeof op.operationId !== "string" || !isObject(op.responses)) continue;
      const perStatus: [string, unknown][] = [];
      for (const [status, raw] of Object.entries(op.responses)) {
        const response = resolve(document, raw);
        const content = isObject(response) ? ownKey(response, "content") : undefined;
        const json = isObject(content) ? ownKey(content, "application/json") : undefined;
        const schema = isObject(json) ? ownKey(json, "schema") : undefined;
        if (schema === undefined) continue;
        const used = new Set<string>();
        collectRefs(schema, components, used);
        const definitions = Object.fromEntries(
          [...used].sort().map((name) => [name, convert(ownKey(components, name))]),
        );
        perStatus.push([status, { ...convert(schema), ...(used.size ? { definitions } : {}) }]);
      }
      out.push([op.operationId, Object.fromEntries(perStatus)]);
    }
  }
  return Object.fromEntries(out);
}

/**
 * The TypeScript source of `schemas` as an object literal: `JSON.stringify` output, except that
 * - a key `__proto__` is written as the computed key `["__proto__"]`. In an object literal a plain
 *   `"__proto__": v` sets the prototype and the key is gone; a computed key is an ordinary own
 *   property. (In this output a line can only start with `"__proto__":` when it is a key: quotes
 *   inside string values are escaped.)
 * - a `/` next to a `*` is written `\u002f` (the same string, in a JSON escape): no string holds a
 *   comment's `/*` or `*\/`.
 *   Tools that strip comments from the emitted JavaScript with a regular expression (publint's
 *   format check) read a description's `monalisa/*` as a comment running to the next `*\/`:
 *   megabytes on the whole API, where publint 0.3.25 failed with `RangeError: Maximum call stack
 *   size exceeded`. (`JSON.stringify` writes `/` only inside strings.)
 *
 * Any other document gives the bytes `JSON.stringify` gives. Linear in the text: each expression looks
 * one character ahead or behind.
 */
export function responseSchemasSource(schemas: unknown): string {
  return JSON.stringify(schemas, null, 2)
    .replace(/^(\s*)"__proto__":/gm, '$1["__proto__"]:')
    .replace(/\/(?=\*)|(?<=\*)\//g, "\\u002f");
}

/** A response or its `$ref`'s target; a `$ref` that does not resolve is a response without a schema. */
function resolve(document: Obj, node: unknown): unknown {
  try {
    return follow(document, node).node;
  } catch (error) {
    if (error instanceof RefError) return undefined;
    throw error;
  }
}

/**
 * The schema name a `#/components/schemas/<name>` reference names, decoded (`a~1b` → `a/b`): the key
 * of `definitions` that `rewriteRef`'s `#/definitions/<same text>` resolves to.
 */
function componentSchemaName(ref: string): string | undefined {
  if (!ref.startsWith(SCHEMA_PREFIX)) return undefined;
  try {
    const segments = parseRef(ref);
    return segments.length === 3 ? segments[2] : undefined;
  } catch {
    return undefined; // malformed: the extraction refused it already
  }
}

function collectRefs(node: unknown, components: Obj, used: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectRefs(n, components, used);
    return;
  }
  if (!isObject(node)) return;
  const name = typeof node.$ref === "string" ? componentSchemaName(node.$ref) : undefined;
  if (name !== undefined && !used.has(name)) {
    used.add(name);
    collectRefs(ownKey(components, name), components, used);
  }
  for (const [key, value] of Object.entries(node))
    if (key !== "example" && key !== "enum" && key !== "default") collectRefs(value, components, used);
}
