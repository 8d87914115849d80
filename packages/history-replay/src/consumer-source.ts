/**
 * The TypeScript a consumer of a client package writes, derived from the slice the package was
 * generated from: one call per operation with every path and query parameter and every property of
 * its JSON request body spelled out (body properties sit next to the parameters in the one `params`
 * object, as the generated methods take them), and every documented property of the success
 * response read into a variable of the type the description promised at that time
 * (`read<string | undefined>(data.repositories[0].license?.url)`).
 *
 * Compiled against the version it was written for it must pass; compiled against a later version
 * it fails exactly where the later types stopped fitting the earlier code: a parameter or body
 * property removed or made required, a request type narrowed, a response property removed, made
 * optional or nullable, a type changed. Enums are read as
 * their base type, as a consumer that does not switch exhaustively would (a new response enum
 * value is `minor` in `packages/spec/src/diff/rules.ts`); composed schemas (allOf/oneOf/anyOf) are
 * not read into.
 * @see https://spec.openapis.org/oas/v3.0.3#schema-object
 */

import { follow, forEachOperation, isObject, type Json, type JsonObject } from "@codespaces-clients/openapi-model";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface ConsumerOptions {
  /** npm name of the client package. */
  readonly packageName: string;
  /** operationId → method name, as the package's `operations` table says. */
  readonly methodNames: Readonly<Record<string, string>>;
  /** How deep into nested objects and arrays to read (default 6). */
  readonly maxDepth?: number;
}

/**
 * `node`, its `$ref` chain followed by the rules of `@codespaces-clients/openapi-model` (a missing
 * target throws); `undefined` when the `$ref` is one already followed on the way here (a recursive
 * schema), and the `$ref` followed in `refs`.
 */
function deref(document: JsonObject, node: Json, seen: readonly string[]): { node: Json; refs: string[] } {
  if (!isObject(node) || typeof node.$ref !== "string") return { node, refs: [] };
  if (seen.includes(node.$ref)) return { node: undefined, refs: [] };
  return { node: follow(document, node).node, refs: [node.$ref] };
}

/** A literal value of the parameter's (or body property's) schema type, for the call. */
function sampleValue(schema: Json, name: string, document?: JsonObject): string {
  const s = isObject(schema) ? (document ? deref(document, schema, []).node : schema) : {};
  if (!isObject(s)) return JSON.stringify(`${name}-sample`);
  if (Array.isArray(s.enum) && s.enum.length) return JSON.stringify(s.enum[0]);
  switch (s.type) {
    case "integer":
    case "number":
      return "1";
    case "boolean":
      return "true";
    case "array":
      return `[${sampleValue(s.items, name, document)}]`; // one element: a change of the item type shows
    default:
      return JSON.stringify(typeof s.example === "string" ? s.example : `${name}-sample`);
  }
}

/** The TypeScript base type of a leaf schema, or undefined when it is not a leaf we read. */
function leafType(s: JsonObject): string | undefined {
  switch (s.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    default:
      return undefined;
  }
}

const access = (expr: string, key: string, optional: boolean) =>
  IDENTIFIER.test(key)
    ? `${expr}${optional ? "?." : "."}${key}`
    : `${expr}${optional ? "?." : ""}[${JSON.stringify(key)}]`;

/** `read<T>(expr)` lines for every leaf under `schema`. */
function reads(
  document: JsonObject,
  schema: Json,
  expr: string,
  undefinable: boolean,
  depth: number,
  seen: readonly string[],
  out: string[],
): void {
  const { node, refs } = deref(document, schema, seen);
  if (!isObject(node) || depth < 0) return;
  const path = [...seen, ...refs];
  if (node.allOf || node.oneOf || node.anyOf) return;
  const nullable = node.nullable === true;
  const leaf = leafType(node);
  if (leaf) {
    out.push(`read<${leaf}${nullable ? " | null" : ""}${undefinable ? " | undefined" : ""}>(${expr});`);
    return;
  }
  const viaOptional = undefinable || nullable;
  if (node.type === "array") {
    reads(document, node.items, viaOptional ? `${expr}?.[0]` : `${expr}[0]`, viaOptional, depth - 1, path, out);
    return;
  }
  if ((node.type === "object" || node.type === undefined) && isObject(node.properties)) {
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    for (const [key, child] of Object.entries(node.properties)) {
      reads(document, child, access(expr, key, viaOptional), viaOptional || !required.has(key), depth - 1, path, out);
    }
  }
}

/**
 * The properties of an operation's JSON request body (none without one), to spell out in the call.
 * A body the consumer cannot spell out as properties (not an object schema with `properties`: an
 * array, a composed schema, another media type) is an error naming the operation, never skipped.
 */
function bodyProperties(document: JsonObject, op: JsonObject, operationId: string): [string, Json][] {
  if (op.requestBody === undefined) return [];
  const body = deref(document, op.requestBody, []).node;
  const content = isObject(body) && isObject(body.content) ? body.content : {};
  const schema = isObject(content["application/json"])
    ? deref(document, content["application/json"].schema, []).node
    : undefined;
  if (!isObject(schema) || !isObject(schema.properties) || schema.allOf || schema.oneOf || schema.anyOf)
    throw new Error(
      `${operationId}: the consumer can only spell out a JSON request body that is an object with properties`,
    );
  return Object.entries(schema.properties);
}

/** The consumer module: compile-only (its `main` is never run). */
export function consumerSource(document: JsonObject, options: ConsumerOptions): string {
  const maxDepth = options.maxDepth ?? 6;
  const lines: string[] = [
    `// A consumer of ${options.packageName}, written against the description of the version it first compiled with.`,
    `import { createClient } from ${JSON.stringify(options.packageName)};`,
    "",
    "/** Compiles only when `value` fits the type this consumer expects. */",
    "function read<T>(value: T): T {",
    "  return value;",
    "}",
    "",
    "export async function main(): Promise<void> {",
    '  const gh = createClient({ token: "consumer-token" });',
  ];
  let n = 0;
  for (const { path, method, operation: op, pathItem } of forEachOperation(document)) {
    if (typeof op.operationId !== "string") continue;
    const name = options.methodNames[op.operationId];
    if (!name)
      throw new Error(`${options.packageName} has no method for ${op.operationId} (${method.toUpperCase()} ${path})`);
    const params = [
      ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
      ...(Array.isArray(op.parameters) ? op.parameters : []),
    ]
      .map((p) => deref(document, p, []).node)
      .filter((p): p is JsonObject => isObject(p) && (p.in === "path" || p.in === "query"));
    const fields: [string, Json][] = params.map((p) => [String(p.name), p.schema]);
    for (const [key, schema] of bodyProperties(document, op, String(op.operationId))) {
      if (fields.some(([name]) => name === key))
        throw new Error(
          `${op.operationId}: the body property ${key} has the name of a parameter; the consumer cannot spell out both`,
        );
      fields.push([key, schema]);
    }
    const args = fields.map(
      ([key, schema]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${sampleValue(schema, key, document)}`,
    );
    const data = `r${n++}`;
    lines.push(`  // ${op.operationId}: ${method.toUpperCase()} ${path}`);
    lines.push(`  const ${data} = await gh.${name}(${args.length ? `{ ${args.join(", ")} }` : ""});`);
    const responses = isObject(op.responses) ? op.responses : {};
    const success = deref(document, responses["200"] ?? responses["201"], []).node;
    const content = isObject(success) && isObject(success.content) ? success.content["application/json"] : undefined;
    const out: string[] = [];
    if (isObject(content)) reads(document, content.schema, data, false, maxDepth, [], out);
    lines.push(...(out.length ? out.map((l) => `  ${l}`) : [`  void ${data};`]));
  }
  lines.push("}", "");
  return lines.join("\n");
}
