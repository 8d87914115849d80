import { toJsonSchema } from "@codespaces-clients/spec";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const SCHEMA_PREFIX = "#/components/schemas/";

/**
 * JSON Schemas of every operation's JSON response bodies (operationId → status → schema), for the
 * runtime's optional response validation. Each is self-contained: the component schemas it uses
 * are copied into its `definitions`, so no validator needs the whole document.
 */
export function responseSchemasOf(document: Obj): Record<string, Record<string, unknown>> {
  const components = (
    isObj(document.components) && isObj(document.components.schemas) ? document.components.schemas : {}
  ) as Obj;
  const rewriteRef = (ref: string) =>
    ref.startsWith(SCHEMA_PREFIX) ? `#/definitions/${ref.slice(SCHEMA_PREFIX.length)}` : ref;
  const convert = (schema: unknown) => toJsonSchema(schema, { rewriteRef }) as Obj;
  const out: Record<string, Record<string, unknown>> = {};
  for (const item of Object.values((document.paths ?? {}) as Obj)) {
    if (!isObj(item)) continue;
    for (const op of Object.values(item)) {
      if (!isObj(op) || typeof op.operationId !== "string" || !isObj(op.responses)) continue;
      const perStatus: Record<string, unknown> = {};
      for (const [status, raw] of Object.entries(op.responses)) {
        const response = resolve(document, raw);
        const schema =
          isObj(response) && isObj(response.content) && isObj(response.content["application/json"])
            ? response.content["application/json"].schema
            : undefined;
        if (schema === undefined) continue;
        const used = new Set<string>();
        collectRefs(schema, components, used);
        const definitions = Object.fromEntries([...used].sort().map((name) => [name, convert(components[name])]));
        perStatus[status] = { ...convert(schema), ...(used.size ? { definitions } : {}) };
      }
      out[op.operationId] = perStatus;
    }
  }
  return out;
}

function resolve(document: Obj, node: unknown): unknown {
  let current = node;
  for (let i = 0; i < 20 && isObj(current) && typeof current.$ref === "string"; i++) {
    const segments = current.$ref
      .slice(2)
      .split("/")
      .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"));
    current = segments.reduce<unknown>((n, s) => (isObj(n) ? n[s] : undefined), document);
  }
  return current;
}

function collectRefs(node: unknown, components: Obj, used: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectRefs(n, components, used));
  if (!isObj(node)) return;
  if (typeof node.$ref === "string" && node.$ref.startsWith(SCHEMA_PREFIX)) {
    const name = node.$ref.slice(SCHEMA_PREFIX.length);
    if (!used.has(name)) {
      used.add(name);
      collectRefs(components[name], components, used);
    }
  }
  for (const [key, value] of Object.entries(node))
    if (key !== "example" && key !== "enum" && key !== "default") collectRefs(value, components, used);
}
