/** Validation of a slice: its structure (oas-validator.ts) and its examples and patterns (example-check.ts). */
import { pointerOf } from "./errors.js";
import { createExampleChecker, type ExampleError } from "./example-check.js";
import { follow, isObject, parseRef, RefError, resolveRef } from "@codespaces-clients/openapi-model";
import { DATA_KEYS, NAME_MAPS } from "./extract.js";
import { getKey, setOwn } from "./json-order.js";
import type { NullableEnumMode } from "./json-schema.js";
import { patternProblem } from "./linear-regexp.js";
import { openApiValidator } from "./oas-validator.js";

/** One finding, with the JSON pointer it is about. */
export interface Finding {
  readonly pointer: string;
  readonly message: string;
}

/**
 * Structural validation of a slice against the official OpenAPI JSON Schema for its version
 * (OAS 3.0 / 3.1 schemas published by the OpenAPI Initiative), with @seriousme/openapi-schema-validator.
 * Returns errors; an empty list means valid. Redocly's `struct` rule is the cross-check in tests.
 *
 * Then every `$ref` (where the extractor follows one: not in example data, not a property named `$ref`)
 * must resolve, read by `@codespaces-clients/openapi-model` as everywhere else in the project: `#` and a
 * JSON pointer. That replaced the library's own `$ref` check, a second resolver (it also knows `$id` and
 * `$anchor`, which the project's model refuses) that cost ~0.15 s on the whole API, most of it building an
 * `Error` with a stack trace for every reference it resolved.
 *
 * `owned`: `document` is the caller's throwaway copy (the pipeline's own `JSON.parse` of the slice text),
 * so it is worked on in place instead of being copied: for the whole API, one copy of a 7 MB document
 * fewer in memory at once.
 */
export async function validateStructure(
  document: Record<string, unknown>,
  options: { readonly owned?: boolean } = {},
): Promise<Finding[]> {
  const validator = await openApiValidator();
  const owned = options.owned === true;
  const references: Reference[] = [];
  const checked = withoutDataRefs(document, owned, references) as Record<string, unknown>;
  const result = await validator.validate(checked);
  if (result.valid) return unresolved(checked, references);
  if (typeof result.errors === "string") return [{ pointer: "#", message: result.errors }];
  return (result.errors ?? []).map((e) => ({
    pointer: `#${e.instancePath}`,
    message: `${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`,
  }));
}

const DATA_REF = "$ref (not a reference)";

/** A `$ref` where the extractor follows one: the object holding it, and its value. */
interface Reference {
  readonly holder: Record<string, unknown>;
  readonly ref: unknown;
}

/** The references of `document` that do not resolve, each at the pointer of the object holding it. */
function unresolved(document: Record<string, unknown>, references: readonly Reference[]): Finding[] {
  const verdicts = new Map<string, string | undefined>();
  const findings: Finding[] = [];
  for (const { holder, ref } of references) {
    if (typeof ref !== "string") continue; // the OAS schema has refused it already
    if (!verdicts.has(ref)) {
      try {
        resolveRef(document, ref);
        verdicts.set(ref, undefined);
      } catch (error) {
        if (!(error instanceof RefError)) throw error;
        verdicts.set(ref, error.message);
      }
    }
    const message = verdicts.get(ref);
    if (message !== undefined) findings.push({ pointer: pointerOf(pathTo(document, holder) ?? []), message });
  }
  return findings;
}

/** The path from `root` to the object `target` (by identity), for a finding's pointer; a work list. */
function pathTo(root: unknown, target: unknown): (string | number)[] | undefined {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: root, path: [] }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.node === target) return top.path;
    const { node, path } = top;
    if (Array.isArray(node)) for (const [i, child] of node.entries()) stack.push({ node: child, path: [...path, i] });
    else if (isObject(node))
      for (const [key, child] of Object.entries(node)) stack.push({ node: child, path: [...path, key] });
  }
  return undefined;
}

/**
 * The validator follows every `$ref` key it meets, also where `$ref` is not a reference: a schema
 * property named `$ref`, or a `$ref` key inside example/default/enum data. Those are renamed (the OAS
 * schema allows any name and any data there, so validity is unchanged); real references — in the same
 * places the extractor follows them — are kept, and each is added to `references`. A copy, or with
 * `inPlace` the same document where only the objects holding such a key are rebuilt (key order kept).
 */
function withoutDataRefs(root: unknown, inPlace: boolean, references: Reference[]): unknown {
  const rename = (node: unknown, inNameMap: boolean, inData: boolean): unknown => {
    if (Array.isArray(node)) {
      if (!inPlace) return node.map((n) => rename(n, false, inData));
      for (let i = 0; i < node.length; i++) {
        const child = rename(node[i], false, inData);
        if (child !== node[i]) node[i] = child;
      }
      return node;
    }
    if (!isObject(node)) return node;
    const renames = (inNameMap || inData) && Object.hasOwn(node, "$ref");
    const out: Record<string, unknown> = inPlace && !renames ? node : {};
    if (!inNameMap && !inData && Object.hasOwn(node, "$ref")) references.push({ holder: out, ref: node.$ref });
    for (const key in node) {
      const value = node[key];
      const name = renames && key === "$ref" ? DATA_REF : key;
      let child: unknown;
      if (inData) child = rename(value, false, true);
      else if (inNameMap) child = rename(value, false, false);
      else if (key.startsWith("x-") || DATA_KEYS.has(key) || (key === "examples" && Array.isArray(value)))
        child = rename(value, false, true);
      else child = rename(value, NAME_MAPS.has(key) && !Array.isArray(value), false);
      if (out !== node || child !== value) setOwn(out, name, child);
    }
    return out;
  };
  return rename(root, false, false);
}

/**
 * Validates every example in the slice against its schema: media-type `example`/`examples`
 * (following `#/components/examples` refs), parameter examples, and schema-level `example`s.
 * Mismatches are warnings (GitHub's own examples have defects); each names the example's pointer.
 */
export function validateExamples(
  document: Record<string, unknown>,
  nullableEnum: NullableEnumMode = "allow-null",
): Finding[] {
  const checker = createExampleChecker(document, nullableEnum);
  const findings = new Map<string, Finding>();
  const deref = (node: unknown, at: (string | number)[]): { node: unknown; at: (string | number)[] } => {
    try {
      const { node: target, ref } = follow(document, node, getKey);
      return { node: target, at: ref === undefined ? at : parseRef(ref) };
    } catch (error) {
      if (error instanceof RefError) return { node: undefined, at }; // extraction has refused it already
      throw error;
    }
  };
  const check = (value: unknown, valueAt: (string | number)[], schema: unknown, schemaAt: (string | number)[]) => {
    if (schema === undefined) return;
    let errors: readonly ExampleError[];
    try {
      errors = checker(schema)(value);
    } catch (error) {
      // A schema whose references cannot be followed is not the example's fault: say so, where the example is.
      const pointer = pointerOf(valueAt);
      const message = `example not checked: schema ${pointerOf(schemaAt)} cannot be read (${(error as Error).message.split("\n")[0]})`;
      findings.set(`${pointer} ${message}`, { pointer, message });
      return;
    }
    if (errors.length === 0) return;
    const valuePointer = pointerOf(valueAt);
    for (const e of errors) {
      const pointer = `${valuePointer}${e.instancePointer}`;
      const message = `example does not match schema ${pointerOf(schemaAt)}: ${e.message}`;
      findings.set(`${pointer} ${message}`, { pointer, message });
    }
  };
  const checkMediaType = (media: unknown, at: (string | number)[]) => {
    if (!isObject(media)) return;
    const schema = media.schema;
    if ("example" in media) check(media.example, [...at, "example"], schema, [...at, "schema"]);
    if (isObject(media.examples)) {
      for (const [name, ex] of Object.entries(media.examples)) {
        const { node, at: exAt } = deref(ex, [...at, "examples", name]);
        if (isObject(node) && "value" in node) check(node.value, [...exAt, "value"], schema, [...at, "schema"]);
      }
    }
  };
  const checkParameter = (param: unknown, at: (string | number)[]) => {
    const { node, at: pAt } = deref(param, at);
    checkMediaType(node, pAt); // a Parameter Object carries schema/example/examples like a Media Type Object
  };
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isObject(op)) continue;
      const opAt = ["paths", path, method];
      if (Array.isArray(op.parameters))
        for (const [i, p] of op.parameters.entries()) checkParameter(p, [...opAt, "parameters", i]);
      if (isObject(op.requestBody)) {
        const { node, at } = deref(op.requestBody, [...opAt, "requestBody"]);
        if (isObject(node) && isObject(node.content))
          for (const [mt, media] of Object.entries(node.content)) checkMediaType(media, [...at, "content", mt]);
      }
      if (isObject(op.responses)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const { node, at } = deref(response, [...opAt, "responses", status]);
          if (isObject(node) && isObject(node.content))
            for (const [mt, media] of Object.entries(node.content)) checkMediaType(media, [...at, "content", mt]);
        }
      }
    }
  }
  // Schema-level `example`s, validated against the schema they sit in.
  const walkSchema = (schema: unknown, at: (string | number)[]) => {
    if (Array.isArray(schema)) {
      for (const [i, s] of schema.entries()) walkSchema(s, [...at, i]);
      return;
    }
    if (!isObject(schema) || typeof schema.$ref === "string") return;
    if ("example" in schema) check(schema.example, [...at, "example"], schema, at);
    for (const key of ["properties", "patternProperties"]) {
      if (isObject(schema[key])) for (const [k, v] of Object.entries(schema[key])) walkSchema(v, [...at, key, k]);
    }
    for (const key of ["items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"])
      if (key in schema) walkSchema(schema[key], [...at, key]);
  };
  const schemas =
    isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) walkSchema(schema, ["components", "schemas", name]);
  return [...patternFindings(document), ...findings.values()];
}

/**
 * Every schema `pattern` that the linear-time engine cannot run, and every non-empty `patternProperties`
 * (example-check.ts drops it), as a warning naming its pointer: examples are not checked against them.
 * Data (`example`, `default`, `enum`, extensions) is not searched.
 */
function patternFindings(document: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  /** A node to visit, and how it was reached: its pointer is spelt out only for a warning. */
  type Visit = { node: unknown; parent?: Visit; key?: string | number; inNameMap: boolean };
  const pathOf = (visit: Visit, ...rest: string[]): (string | number)[] => {
    const at: (string | number)[] = [];
    for (let v: Visit | undefined = visit; v?.parent; v = v.parent) at.push(v.key!);
    return [...at.reverse(), ...rest];
  };
  const warn = (pattern: string, at: () => (string | number)[]) => {
    const problem = patternProblem(pattern);
    if (problem !== undefined) {
      findings.push({
        pointer: pointerOf(at()),
        message: `pattern ${JSON.stringify(pattern)} cannot be checked in linear time (${problem}); examples are not checked against it`,
      });
    }
  };
  const stack: Visit[] = [{ node: document, inNameMap: false }];
  const push = (node: unknown, parent: Visit, key: string | number, inNameMap: boolean) => {
    if (typeof node === "object" && node !== null) stack.push({ node, parent, key, inNameMap }); // data is searched no further
  };
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, inNameMap } = top;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) push(node[i], top, i, false);
      continue;
    }
    if (!isObject(node)) continue;
    for (const key in node) {
      const child = node[key];
      if (inNameMap) {
        push(child, top, key, false);
        continue;
      }
      if (key.startsWith("x-") || DATA_KEYS.has(key) || (key === "examples" && Array.isArray(child))) continue;
      if (key === "pattern" && typeof child === "string") warn(child, () => pathOf(top, key));
      if (key === "patternProperties" && isObject(child) && Object.keys(child).length > 0) {
        findings.push({
          pointer: pointerOf(pathOf(top, key)),
          message:
            "patternProperties are not checked in examples (the example checks could run their names only with a backtracking engine; OAS 3.0 has no such keyword)",
        });
      }
      push(child, top, key, NAME_MAPS.has(key) && !Array.isArray(child));
    }
  }
  return findings.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
