/** A property with an `enum`, found by walking a schema; `path` uses `*` for array items. */
export interface EnumSite {
  path: string[];
  pointer: string;
  /** Pointer prefix shared by every instance (up to the first `*`), for filtering violations. */
  pointerPrefix: string;
  /** The `enum` as written (a converted JSON Schema lists `null` in it, OpenAPI does not). */
  values: unknown[];
  /** `nullable: true` (OpenAPI), `null` in `type` or in `enum` (JSON Schema). */
  nullable: boolean;
}

const resolveRef = (root: unknown, ref: string): unknown =>
  ref
    .replace(/^#\//, "")
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], root);

/**
 * Enum-valued properties of `schema`, following local `$ref`s against `root` (the schema itself
 * for `#/definitions/…`, the OpenAPI document for `#/components/schemas/…`); cycles cut by depth.
 * Walks `properties` and `items`.
 */
export function enumSites(schema: unknown, root: unknown = schema): EnumSite[] {
  const out: EnumSite[] = [];
  const walk = (node: unknown, path: string[], depth: number) => {
    if (!node || typeof node !== "object" || depth > 12) return;
    let s = node as Record<string, unknown>;
    for (let hops = 0; typeof s.$ref === "string" && hops < 20; hops++)
      s = (resolveRef(root, s.$ref) ?? {}) as Record<string, unknown>;
    if (Array.isArray(s.enum) && path.length > 0) {
      const pointer = `/${path.join("/")}`;
      const star = path.indexOf("*");
      const nullable =
        s.nullable === true || s.enum.includes(null) || (Array.isArray(s.type) && s.type.includes("null"));
      out.push({
        path,
        pointer,
        pointerPrefix: star < 0 ? pointer : `/${path.slice(0, star).join("/")}`,
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

/** Sets `value` at every place `path` reaches in `data` (the last token is the property). */
export function setAll<T>(data: T, path: string[], value: unknown): T {
  const parents = valuesAt(data, path.slice(0, -1));
  for (const p of parents) if (p && typeof p === "object") (p as Record<string, unknown>)[path.at(-1)!] = value;
  return data;
}
