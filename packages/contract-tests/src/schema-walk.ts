import {
  decodePointerSegment,
  encodePointerSegment,
  follow,
  isObject,
  parseRef,
  valueAt,
} from "@codespaces-clients/openapi-model";

/** A property with an `enum`, found by walking a schema; `path` uses `*` for array items. */
export interface EnumSite {
  path: string[];
  pointer: string;
  /** The `enum` as written (a converted JSON Schema lists `null` in it, OpenAPI does not). */
  values: unknown[];
  /** `nullable: true` (OpenAPI), `null` in `type` or in `enum` (JSON Schema). */
  nullable: boolean;
}

/** A JSON pointer to `path`, with `*` left as it is (it stands for every array item). */
const sitePointer = (path: string[]) => path.map((t) => `/${t === "*" ? t : encodePointerSegment(t)}`).join("");

/**
 * Whether a violation's JSON pointer is at an instance of `site` (each `*` matching one array
 * index): only those belong to the enum; a body can break its schema elsewhere too (GitHub's
 * list examples lack `pulls_url`), which says nothing about the enum.
 */
export function isAtSite(site: EnumSite, pointer: string): boolean {
  const tokens = pointer === "" ? [] : pointer.slice(1).split("/").map(decodePointerSegment);
  return (
    tokens.length === site.path.length &&
    site.path.every((t, i) => (t === "*" ? /^\d+$/.test(tokens[i]!) : t === tokens[i]))
  );
}

/** How deep {@link enumSites} walks: a recursive schema (a property whose `$ref` leads back up) ends there. */
const MAX_DEPTH = 12;

/**
 * Enum-valued properties of `schema`, following local `$ref`s against `root` (the schema itself
 * for `#/definitions/…`, the OpenAPI document for `#/components/schemas/…`) by the rules of
 * `@codespaces-clients/openapi-model` (a missing target throws its `RefError`); recursion cut at
 * {@link MAX_DEPTH}. Walks `properties` and `items`.
 */
export function enumSites(schema: unknown, root: unknown = schema): EnumSite[] {
  const out: EnumSite[] = [];
  const walk = (node: unknown, path: string[], depth: number) => {
    if (depth > MAX_DEPTH) return;
    const s = follow(root, node).node;
    if (!isObject(s)) return;
    if (Array.isArray(s.enum) && path.length > 0) {
      const pointer = sitePointer(path);
      const nullable =
        s.nullable === true || s.enum.includes(null) || (Array.isArray(s.type) && s.type.includes("null"));
      out.push({
        path,
        pointer,
        values: s.enum,
        nullable,
      });
    }
    for (const [name, sub] of Object.entries((s.properties as Record<string, unknown>) ?? {}))
      walk(sub, [...path, name], depth + 1);
    if (s.items) walk(s.items, [...path, "*"], depth + 1);
  };
  walk(schema, [], 0);
  return out;
}

/** Values found at `path` (with `*` over array items) in `data`. */
export function valuesAt(data: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [data];
  const [head, ...rest] = path;
  if (head === "*") return Array.isArray(data) ? data.flatMap((d) => valuesAt(d, rest)) : [];
  if (data && typeof data === "object" && head! in data)
    return valuesAt((data as Record<string, unknown>)[head!], rest);
  return [];
}

/**
 * Sets `value` at every place `path` reaches in `data` (the last token is the property, or `*`: every
 * item of an array, as in `code-scanning`'s `classifications/*`, an array of nullable enums).
 */
export function setAll<T>(data: T, path: string[], value: unknown): T {
  const parents = valuesAt(data, path.slice(0, -1));
  const last = path.at(-1)!;
  for (const p of parents) {
    if (last === "*") {
      if (Array.isArray(p)) p.fill(value);
    } else if (p && typeof p === "object") (p as Record<string, unknown>)[last] = value;
  }
  return data;
}

/** Schema keywords whose value is one schema, and those whose value is a list or a map of them. */
const ONE_SCHEMA = ["items", "additionalProperties", "not"] as const;
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf"] as const;

/**
 * The first schema in `schema`'s `$ref` closure that Prism 5.14 cannot compile for its response
 * validation, with the pointer (in `root`) and what is wrong there; undefined when there is none.
 * Prism then validates nothing of a response with such a schema (a body of the wrong type passes too):
 * - `nullable: true` without a `type` (GitHub's `issue-field-value.value`, an `anyOf`, in every
 *   `issue`): OAS 3.0.3 gives it no effect, and Ajv refuses it ("nullable" cannot be used without "type");
 * - `nullable: true` beside an `enum` that already lists `null` (`check-suite.conclusion`): Prism adds
 *   `null` to a nullable enum itself, and an enum with `null` twice breaks the JSON Schema meta-schema
 *   (enum items must be unique).
 * Each `$ref` target is visited once.
 */
export function prismUncompilable(
  schema: unknown,
  root: unknown,
  at = "#",
): { pointer: string; what: string } | undefined {
  const visited = new Set<unknown>();
  const stack: { node: unknown; at: string }[] = [{ node: schema, at }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, ref } = follow(root, top.node);
    const where = ref ?? top.at;
    if (!isObject(node) || visited.has(node)) continue;
    visited.add(node);
    if (node.nullable === true && node.type === undefined)
      return { pointer: where, what: "`nullable: true` without `type`" };
    if (node.nullable === true && Array.isArray(node.enum) && node.enum.includes(null))
      return { pointer: where, what: "`nullable: true` beside an `enum` that already lists `null`" };
    for (const key of ONE_SCHEMA) if (isObject(node[key])) stack.push({ node: node[key], at: `${where}/${key}` });
    for (const key of SCHEMA_LISTS) {
      const list = node[key];
      if (Array.isArray(list))
        for (const [i, sub] of list.entries()) stack.push({ node: sub, at: `${where}/${key}/${i}` });
    }
    if (isObject(node.properties))
      for (const [name, sub] of Object.entries(node.properties))
        stack.push({ node: sub, at: `${where}/properties/${encodePointerSegment(name)}` });
  }
  return undefined;
}

/**
 * Why Prism skips the response schema at `pointer` (`#/paths/…/content/application~1json/schema`) of
 * `document`, as the end of a failure's line (`: it cannot compile the schema, which has … at …`), or
 * `""` when none of the causes {@link prismUncompilable} knows is there.
 */
export function prismSkipCause(document: unknown, pointer: string): string {
  const schema = valueAt(document, parseRef(pointer));
  const culprit = schema === undefined ? undefined : prismUncompilable(schema, document, pointer);
  return culprit ? `: it cannot compile the schema, which has ${culprit.what} at ${culprit.pointer}` : "";
}

/** Keywords of a schema that only annotate it: they stay on the outside when {@link prismCompatible} wraps it. */
const ANNOTATIONS = new Set(["title", "description", "deprecated", "readOnly", "writeOnly", "example", "externalDocs"]);
/** Keys under which a description holds data, not schemas: never walked (an example may hold `nullable: true`). */
const DATA_KEYS = new Set(["example", "examples", "default", "enum", "const"]);
/** Keys whose value maps names to schemas (a property may be named `default` or `enum`). */
const NAME_MAPS = new Set(["properties", "patternProperties", "schemas"]);

/**
 * A copy of `document` that Prism 5.14 can compile wherever it validates, meaning what the description
 * means as this project reads it (the spec package's `toJsonSchema`, which the packages' `/schemas`
 * use), and the pointers it changed. The two constructs {@link prismUncompilable} names are rewritten:
 * - `nullable: true` without a `type` beside `allOf`/`oneOf`/`anyOf`/`$ref` → `anyOf: [<the schema
 *   without nullable>, { enum: [null] }]` (its annotations stay outside): `null` or the schema, as
 *   `toJsonSchema` reads it (OAS 3.0.3 would give that `nullable` no effect);
 * - `nullable: true` without a `type` and without those → no `nullable` (the schema admits `null` already);
 * - `nullable: true` beside an `enum` that lists `null` → that `null` left out, which Prism adds back.
 * The walk goes through every object of the document but the values of {@link DATA_KEYS} and `x-` keys,
 * once per object (its depth is the document's, which the extractor bounds).
 */
export function prismCompatible<T>(document: T): { document: T; changed: string[] } {
  const copy = structuredClone(document);
  const changed: string[] = [];
  // `names`: the object is a map of names (`properties`), whose keys are walked whatever they are.
  const stack: { node: unknown; at: string; names?: boolean }[] = [{ node: copy, at: "#" }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, at, names } = top;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) stack.push({ node: item, at: `${at}/${i}` });
      continue;
    }
    if (!isObject(node)) continue;
    if (!names && node.nullable === true && node.type === undefined) {
      changed.push(at);
      delete node.nullable;
      if (node.allOf || node.oneOf || node.anyOf || node.$ref) {
        const inner: Record<string, unknown> = {};
        for (const key of Object.keys(node))
          if (!ANNOTATIONS.has(key)) {
            inner[key] = node[key];
            delete node[key];
          }
        node.anyOf = [inner, { enum: [null] }];
      }
    } else if (!names && node.nullable === true && Array.isArray(node.enum) && node.enum.includes(null)) {
      changed.push(at);
      node.enum = node.enum.filter((value) => value !== null);
    }
    for (const [key, value] of Object.entries(node))
      if (names || (!DATA_KEYS.has(key) && !key.startsWith("x-")))
        stack.push({ node: value, at: `${at}/${encodePointerSegment(key)}`, names: !names && NAME_MAPS.has(key) });
  }
  return { document: copy, changed };
}
