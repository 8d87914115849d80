/**
 * The TypeScript a consumer of a client package writes, derived from the slice the package was
 * generated from: one call per operation with every path and query parameter spelled out, and
 * every documented property of the success response read into a variable of the type the
 * description promised at that time (`read<string | undefined>(data.repositories[0].license?.url)`).
 *
 * Compiled against the version it was written for it must pass; compiled against a later version
 * it fails exactly where the later types stopped fitting the earlier code: a parameter removed or
 * made required, a property removed, made optional or nullable, a type changed. Enums are read as
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

/** A literal value of the parameter's schema type, for the call. */
function sampleValue(schema: Json, name: string): string {
  const s = isObject(schema) ? schema : {};
  if (Array.isArray(s.enum) && s.enum.length) return JSON.stringify(s.enum[0]);
  switch (s.type) {
    case "integer":
    case "number":
      return "1";
    case "boolean":
      return "true";
    case "array":
      return "[]";
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
    const args = params.map(
      (p) =>
        `${IDENTIFIER.test(String(p.name)) ? String(p.name) : JSON.stringify(p.name)}: ${sampleValue(deref(document, p.schema, []).node, String(p.name))}`,
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
