import { follow, isObject, ownKey, parseRef, RefError } from "@codespaces-clients/openapi-model";
import { toJsonSchema } from "@codespaces-clients/spec";

type Obj = Record<string, unknown>;
const SCHEMA_PREFIX = "#/components/schemas/";

/**
 * JSON Schemas of every operation's JSON response bodies (operationId → status → schema), for the
 * runtime's optional response validation. Each is self-contained: the component schemas it uses
 * are in its `definitions`, so no validator needs the whole document. A component schema is
 * converted once: every `definitions` that has it holds the same object, which
 * {@link responseSchemasSource} writes once. Annotations (`title`, `description`, `$comment`) are
 * left out: no check or message depends on them, and on the whole API they were 29 % of the
 * schemas' bytes. Every map is built with `Object.fromEntries`, so a name such as `__proto__` stays
 * an own key (an assignment would set the prototype instead).
 */
export function responseSchemasOf(document: Obj): Record<string, Record<string, unknown>> {
  const schemas = isObject(document.components) ? ownKey(document.components, "schemas") : undefined;
  const components = isObject(schemas) ? schemas : {};
  const rewriteRef = (ref: string) =>
    ref.startsWith(SCHEMA_PREFIX) ? `#/definitions/${ref.slice(SCHEMA_PREFIX.length)}` : ref;
  const convert = (schema: unknown) => toJsonSchema(schema, { rewriteRef, dropAnnotations: true }) as Obj;
  const converted = new Map<string, Obj>();
  const definitionOf = (name: string) => {
    let definition = converted.get(name);
    if (!definition) converted.set(name, (definition = convert(ownKey(components, name))));
    return definition;
  };
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
        const definitions = Object.fromEntries([...used].sort().map((name) => [name, definitionOf(name)]));
        perStatus.push([status, { ...convert(schema), ...(used.size ? { definitions } : {}) }]);
      }
      out.push([op.operationId, Object.fromEntries(perStatus)]);
    }
  }
  return Object.fromEntries(out);
}

/** The name of the module constant that holds the shared definitions in {@link responseSchemasSource}'s text. */
export const DEFINITIONS_CONST = "definitions";

/**
 * The TypeScript source of `schemas`: `table`, an object literal, and `definitions`, the object
 * literal of the constant {@link DEFINITIONS_CONST} that `table` reads (undefined when nothing is
 * shared). A `definitions` entry that is the same object in several schemas (as
 * {@link responseSchemasOf} makes them) is written once, in the constant, and read from it
 * (`"x": definitions["x"]`); any other value is written in place. The module's value equals
 * `schemas`, except that shared entries are one object. Otherwise `JSON.stringify`'s text, except:
 * - a key `__proto__` is written as the computed key `["__proto__"]`. In an object literal a plain
 *   `"__proto__": v` sets the prototype and the key is gone; a computed key is an ordinary own
 *   property. (In this output a line can only start with `"__proto__":` when it is a key: quotes
 *   inside string values are escaped.)
 * - a `/` next to a `*` is written `\u002f` (the same string, in a JSON escape): no string holds a
 *   comment's `/*` or `*\/`. Tools that strip comments from the emitted JavaScript with a regular
 *   expression (publint's format check) read a description's `monalisa/*` as a comment running to
 *   the next `*\/`: megabytes on the whole API, where publint 0.3.25 failed with `RangeError:
 *   Maximum call stack size exceeded`. (`JSON.stringify` writes `/` only inside strings.)
 *
 * Linear in the text: each expression looks one character ahead or behind.
 */
export function responseSchemasSource(schemas: Record<string, Record<string, unknown>>): {
  table: string;
  definitions?: string;
} {
  // Entries met more than once (by identity), by name: the first object met under a name wins.
  const seen = new Map<string, unknown>();
  const shared = new Map<string, unknown>();
  for (const perStatus of Object.values(schemas))
    for (const schema of Object.values(perStatus))
      if (isObject(schema) && isObject(schema.definitions))
        for (const [name, value] of Object.entries(schema.definitions)) {
          if (!isObject(value) || shared.has(name)) continue;
          if (!seen.has(name)) seen.set(name, value);
          else if (seen.get(name) === value) shared.set(name, value);
        }
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  const member = (key: string, value: string) => `${json(key)}: ${value}`;
  const objectText = (members: string[]) =>
    members.length ? `{\n${members.map((m) => `  ${m.replaceAll("\n", "\n  ")}`).join(",\n")}\n}` : "{}";
  const schemaText = (schema: unknown) => {
    if (!isObject(schema) || !isObject(schema.definitions) || shared.size === 0) return json(schema);
    const members = Object.entries(schema).map(([key, value]) =>
      key === "definitions" && isObject(value)
        ? member(
            key,
            objectText(
              Object.entries(value).map(([name, definition]) =>
                member(
                  name,
                  shared.get(name) === definition ? `${DEFINITIONS_CONST}[${json(name)}]` : json(definition),
                ),
              ),
            ),
          )
        : member(key, json(value)),
    );
    return objectText(members);
  };
  const table = objectText(
    Object.entries(schemas).map(([operationId, perStatus]) =>
      member(
        operationId,
        objectText(Object.entries(perStatus).map(([status, schema]) => member(status, schemaText(schema)))),
      ),
    ),
  );
  const definitions = shared.size
    ? objectText([...shared].map(([name, value]) => member(name, json(value))))
    : undefined;
  return definitions === undefined
    ? { table: safeText(table) }
    : { table: safeText(table), definitions: safeText(definitions) };
}

/** The two rewrites of {@link responseSchemasSource}: `__proto__` keys computed, no comment marker in a string. */
const safeText = (text: string) =>
  text.replace(/^(\s*)"__proto__":/gm, '$1["__proto__"]:').replace(/\/(?=\*)|(?<=\*)\//g, "\\u002f");

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
