import { createRequire } from "node:module";
import { decodePointerSegment } from "@codespaces-clients/openapi-model";
import { linearTest, patternProblem, toJsonSchema } from "@codespaces-clients/spec";
import { sample } from "openapi-sampler";
import type RandExpClass from "randexp";
import { setAll } from "./schema-walk.js";
import type { OpenApiDocument, OperationSpec, ParameterSpec } from "./spec-catalog.js";
import { createSchemaChecker } from "./violations.js";

// randexp is CommonJS (`module.exports = RandExp`) with types that say `export default`: required, so
// that both agree.
const RandExp = createRequire(import.meta.url)("randexp") as typeof RandExpClass.default;

/**
 * What a contract case sends for an operation, and so what the request that reaches the mock must
 * carry: the method's `params` (path, query and body fields in one object, by the clients' rule: the
 * body's fields sit at the top level next to path and query parameters when the package's operation
 * table lists them (`body.fields`), as in Octokit; any other body goes under `data`), the path and
 * query strings, and the JSON body.
 */
export interface CallArguments {
  /** The operation method's first argument. */
  params: Record<string, unknown>;
  /** Path parameter → the value as it appears in the URL (before percent-encoding). */
  path: Record<string, string>;
  /** Query entries the request must carry, sorted by name. */
  query: [string, string][];
  /**
   * The request body the request must carry: JSON, or for a body of bytes {@link UPLOAD_BYTES};
   * absent when the operation takes none.
   */
  body?: unknown;
  /** Where {@link body} came from: `example "<name>"` or `sampled from the schema (openapi-sampler)`. */
  bodySource?: string;
  /** Set when no valid body could be found: the case fails with it instead of sending an invalid one. */
  bodyProblem?: string;
}

/**
 * A parameter's value: its example, default or first enum value, else one of its type — for a string
 * with a `format` (`since`: `date-time`), openapi-sampler's value of that format, which Prism's
 * request validation accepts (`since-sample` it refused with 422); for a string with a `pattern` that
 * the readable sample does not match (`version`: `^\d+\.\d+\.\d+$`), {@link patternSample}'s; for an
 * array, its item's.
 */
export function sampleValue(p: ParameterSpec): string | number | boolean {
  const {
    example,
    default: fallback,
    enum: values,
    type,
    format,
  } = p.schema as {
    example?: unknown;
    default?: unknown;
    enum?: unknown[];
    type?: string;
    format?: unknown;
    pattern?: unknown;
  };
  for (const v of [example, fallback, values?.[0]])
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  // An array (`api-insights`' `sort`): one item, which the query string carries as `sort=<item>`.
  const items = (p.schema as { items?: unknown }).items;
  if (type === "array" && items !== null && typeof items === "object")
    return sampleValue({ ...p, schema: items as Record<string, unknown> });
  if (type === "integer" || type === "number") return 1;
  if (type === "boolean") return true;
  let value = `${p.name.replace(/_/g, "-")}-sample`;
  if (typeof format === "string") {
    const sampled: unknown = sample(p.schema as object, { quiet: true });
    if (typeof sampled === "string") value = sampled;
  }
  const { pattern } = p.schema as { pattern?: unknown };
  return typeof pattern === "string" ? patternSample(pattern, value) : value;
}

/**
 * Characters randexp may produce for one {@link patternSample}, counted at every level of nesting: a
 * bound on the work, which a pattern's own counts (`a{1000000}`, `((a{99}){99}){99}`) would otherwise
 * set. GitHub's patterns need a few dozen (`^sha256:[a-f0-9]{64}$`).
 */
const PATTERN_SAMPLE_BUDGET = 10_000;

/**
 * A string `pattern` matches, the same on every run: `preferred` when it matches, else randexp's
 * string with each choice taken halfway (`[a-f0-9]{64}` → 64 × `7`, `(rsa|dss|ed25519)` → `dss`) and
 * `+`/`*` repeated at most twice more than their minimum. Whether a string matches is RE2's verdict
 * (the spec package's linear-time engine, which the extraction's example checks use): JavaScript's
 * engine backtracks. `preferred` when RE2 cannot run the pattern (a lookaround), randexp cannot read it
 * or passes {@link PATTERN_SAMPLE_BUDGET}, or its string does not match: the case then shows Prism's 422.
 */
export function patternSample(pattern: string, preferred: string): string {
  if (patternProblem(pattern) !== undefined) return preferred;
  const matches = linearTest(pattern);
  if (matches(preferred)) return preferred;
  let made: string;
  try {
    const generator = new RandExp(new RegExp(pattern, "u"));
    generator.max = 2;
    generator.randInt = (from: number, to: number) => from + Math.floor((to - from) / 2);
    // Every token randexp generates goes through `_gen` (its own recursion included): count them.
    const own = generator as unknown as { _gen(token: unknown, groups: unknown): string };
    const generate = own._gen.bind(generator);
    let produced = 0;
    own._gen = (token, groups) => {
      const text = generate(token, groups);
      produced += text.length;
      if (produced > PATTERN_SAMPLE_BUDGET) throw new RangeError("pattern sample budget spent");
      return text;
    };
    made = generator.gen();
  } catch {
    return preferred; // syntax randexp does not read, or the budget spent
  }
  return matches(made) ? made : preferred;
}

/** Values for every path and query parameter of `op` (what negative controls and cases put in URLs). */
export function sampleArguments(op: OperationSpec): Record<string, string | number | boolean> {
  const args: Record<string, string | number | boolean> = {};
  for (const p of op.parameters) if (p.in === "path" || p.in === "query") args[p.name] = sampleValue(p);
  return args;
}

const bodyChecker = createSchemaChecker();

/**
 * What a case sends as a body of bytes (`repos/upload-release-asset`): the start of a zip archive,
 * control bytes and text, every byte valid UTF-8 so that the proxy's text record holds it exactly.
 */
export const UPLOAD_BYTES: Uint8Array = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x0a, ...Buffer.from("asset")]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The body to send: the first named example of the description that its own schema accepts (ajv,
 * `$ref`s resolved in `document`), else a sample of the schema (openapi-sampler) that the schema
 * accepts. GitHub's examples are sometimes wrong (strings where the schema says integers): sending
 * one would test Prism's rejection, not the client.
 */
function chooseBody(
  op: OperationSpec,
  document: OpenApiDocument,
  bodyFields: readonly string[] | undefined,
): Pick<CallArguments, "body" | "bodySource" | "bodyProblem"> {
  const spec = op.requestBody;
  if (!spec) return {};
  if (spec.binary) return { body: UPLOAD_BYTES, bodySource: "bytes of the harness (a binary body)" };
  // The schema with the slice's components beside it, so that its `#/components/…` refs resolve, both
  // as JSON Schema (the spec package's conversion): ajv refuses OpenAPI's `nullable` without a `type`
  // (`issues/create`'s `milestone`), which the description has.
  const schema = { ...(toJsonSchema(spec.schema) as object), components: convertedComponents(document) };
  const rejects = (value: unknown) => bodyChecker(schema, value);
  // An example with a property the schema does not declare (GitHub's example for creating a
  // codespace from a pull request sends `repository_id`) cannot be given as the package's fields.
  const fits = (value: unknown) =>
    !bodyFields || (isPlainObject(value) && Object.keys(value).every((k) => bodyFields.includes(k)));
  for (const [name, value] of Object.entries(spec.examples))
    if (fits(value) && rejects(value).length === 0) return { body: value, bodySource: `example "${name}"` };
  let sampled = sample((spec.schema ?? {}) as object, { skipReadOnly: true, quiet: true }, document);
  let problems = rejects(sampled);
  // Strings openapi-sampler cannot make for their `pattern` (`key`: `^ssh-(rsa|dss|ed25519) `), made
  // where ajv says. The sample is fresh, so it can be changed in place.
  const unmatched = problems.filter((p) => p.code === "pattern" && p.pattern !== undefined);
  if (unmatched.length > 0) {
    for (const { pointer, pattern } of unmatched) {
      const path = pointer === "" ? [] : pointer.slice(1).split("/").map(decodePointerSegment);
      const made = patternSample(pattern!, "");
      sampled = path.length === 0 ? made : setAll(sampled, path, made);
    }
    problems = rejects(sampled);
  }
  if (problems.length === 0) return { body: sampled, bodySource: "sampled from the schema (openapi-sampler)" };
  return {
    bodyProblem: `no example of the request body passes its schema, nor does a sample of it: ${problems
      .map((p) => `${p.pointer || "/"} ${p.message}`)
      .join("; ")}`,
  };
}

const converted = new WeakMap<object, unknown>();
/** A document's `components` as JSON Schema, converted once per document. */
function convertedComponents(document: OpenApiDocument): unknown {
  if (!converted.has(document)) converted.set(document, toJsonSchema(document.components));
  return converted.get(document);
}

/** Everything a case of `op` sends (see {@link CallArguments}). */
export function callArguments(
  op: OperationSpec,
  document: OpenApiDocument,
  bodyFields: readonly string[] | undefined,
  skip: readonly string[] = [],
): CallArguments {
  const values = sampleArguments(op);
  for (const name of skip) delete values[name];
  const path: Record<string, string> = {};
  const query: [string, string][] = [];
  for (const p of op.parameters) {
    if (!(p.name in values)) continue;
    if (p.in === "path") path[p.name] = String(values[p.name]);
    else if (p.in === "query") query.push([p.name, String(values[p.name])]);
  }
  query.sort(([a], [b]) => a.localeCompare(b));
  const body = chooseBody(op, document, bodyFields);
  const params: Record<string, unknown> = { ...values };
  if ("body" in body) {
    if (bodyFields && isPlainObject(body.body)) Object.assign(params, body.body);
    else params.data = body.body;
  }
  return { params, path, query, ...body };
}
