/**
 * The engine of the example checks: @cfworker/json-schema, a JSON Schema interpreter, on schemas
 * converted from OAS (json-schema.ts), with ajv-formats' formats and patterns run in linear time.
 *
 * Why an interpreter: the example checks meet every distinct schema of a slice once or a few times. A
 * compiling validator (Ajv, which the example checks used until this module) generates and compiles
 * code for each; on the whole API that was 742 validators, 3.66 MB of generated JavaScript and ~1.3 s
 * of CPU, against ~0.3 s here for the same 3,624 checks. On all 17 versions of @octokit/openapi in
 * the history replay's cache (2.2.1, 10.0.0 … 23.0.2) it flags the same examples, at the same pointers,
 * as Ajv did; the messages are the interpreter's. The other
 * validations of the project stay on Ajv: they run one schema many times (responses, configuration)
 * or are compiled at build time (the OAS schemas).
 */
import { format as formatTable, validate, type OutputUnit, type Schema } from "@cfworker/json-schema";
import { createRequire } from "node:module";
import { isObject } from "@codespaces-clients/openapi-model";
import { resolveLocalRef } from "./extract.js";
import { setOwn } from "./json-order.js";
import { toJsonSchema, type NullableEnumMode } from "./json-schema.js";
import { linearTest } from "./linear-regexp.js";

/** One mismatch inside an example: the JSON pointer below the example's own, and what is wrong there. */
export interface ExampleError {
  readonly instancePointer: string;
  readonly message: string;
}

/**
 * A value's mismatches against one schema: an empty list when it matches. The check is pure, and its
 * verdict on an object or array is kept (by identity) and handed out again for the same value: the
 * document must not change while its checks run, and callers must not change the list.
 */
export type ExampleCheck = (value: unknown) => readonly ExampleError[];

type Format = (value: string) => boolean;
/** An entry of ajv-formats' table: an expression, a function, `{ type?, validate }`, or `true` (not checked). */
type AjvFormat = RegExp | Format | true | { type?: string; validate: RegExp | Format };

/**
 * The formats Ajv's example checks used (ajv-formats' "full" set) in the interpreter's format table,
 * whose own entries are removed: the same verdicts as before, and none of the interpreter's own
 * expressions (its `url` one backtracks: 2 s for 30 characters) runs on a description's examples.
 * ajv-formats' expressions ran on examples before as well. Its number formats (int32, int64, float,
 * double) are not here: the interpreter applies formats to strings only, so `toCheckedSchema` spells
 * int32/int64 out as bounds. Nothing else in the process uses the interpreter's table; the only other
 * entries it gets are the patterns of `toCheckedSchema`, one per distinct pattern.
 */
function installFormats(): void {
  const { fullFormats } = createRequire(import.meta.url)("ajv-formats/dist/formats") as {
    fullFormats: Record<string, AjvFormat>;
  };
  const table = formatTable as Record<string, Format | undefined>;
  for (const name of Object.keys(table)) delete table[name];
  for (const [name, entry] of Object.entries(fullFormats)) {
    if (entry === true) continue;
    const check =
      entry instanceof RegExp || typeof entry === "function"
        ? entry
        : entry.type === "number"
          ? undefined
          : entry.validate;
    if (check !== undefined) table[name] = check instanceof RegExp ? (s) => check.test(s) : check;
  }
}
let formatsInstalled = false;

/** ajv-formats' integer formats as JSON Schema bounds (its `int32`/`int64`: an integer in range). */
const INTEGER_FORMATS: Readonly<Record<string, { minimum: number; maximum: number }>> = {
  int32: { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
  int64: { minimum: -(2 ** 63), maximum: 2 ** 63 - 1 },
};

/**
 * The format name under which a schema `pattern` is checked: the interpreter would run `pattern` with
 * JavaScript's backtracking engine (`new RegExp(p, "u")`, where V8 has no linear fallback), so the
 * converted schema carries it as a format that `linearTest` runs instead. The private-use prefix keeps
 * it apart from any real format name.
 */
const PATTERN_FORMAT = "\uE001pattern:";

/** Keywords whose own error only says that an error follows below it: reported through that one. */
const WRAPPERS = new Set([
  "$ref",
  "$recursiveRef",
  "properties",
  "additionalProperties",
  "unevaluatedProperties",
  "items",
  "prefixItems",
  "additionalItems",
  "unevaluatedItems",
  "allOf",
  "dependentSchemas",
  "if",
]);

const REF_BASE = "https://codespaces-clients.invalid/ref/";

/**
 * The example checker of `document`: schema → check. Local `$ref`s (`#/components/schemas/x`, or any
 * other pointer OAS allows) become ids of converted targets in one shared lookup, each converted once,
 * when a schema first names it; checks are cached per schema object (per target for a bare `$ref`).
 * Throws (a `RefError`, or the conversion's error) for a schema whose `$ref` closure cannot be resolved:
 * the caller reports that the example was not checked.
 */
export function createExampleChecker(
  document: Record<string, unknown>,
  nullableEnum: NullableEnumMode = "allow-null",
): (schema: unknown) => ExampleCheck {
  if (!formatsInstalled) {
    installFormats();
    formatsInstalled = true;
  }
  const lookup: Record<string, Schema> = Object.create(null);
  const added = new Set<string>();
  const pending: { ref: string; id: string }[] = [];
  const rewriteRef = (ref: string): string => {
    // A non-local `$ref` stays as it is and fails as unresolved: extraction has refused it already.
    if (!ref.startsWith("#")) return ref;
    const id = `${REF_BASE}${encodeURIComponent(ref.slice(1))}`;
    if (!added.has(id)) {
      added.add(id); // before converting: the target may refer back to itself
      pending.push({ ref, id });
    }
    return id;
  };
  const convert = (schema: unknown) =>
    toCheckedSchema(toJsonSchema(schema, { nullableEnum, rewriteRef, dropAnnotations: true }));
  /** Adds the targets named so far, and those they name in turn: a work list, so a long chain costs no stack. */
  const addPending = () => {
    for (let next = pending.pop(); next; next = pending.pop()) {
      try {
        const target = resolveLocalRef(document, next.ref);
        lookup[next.id] = (isObject(target) || typeof target === "boolean" ? convert(target) : {}) as Schema;
      } catch (error) {
        // Not added: a later schema naming one of these fails with the same error, not a vaguer one.
        for (const { id } of [next, ...pending.splice(0)]) added.delete(id);
        throw error;
      }
    }
  };
  const cache = new Map<unknown, ExampleCheck>();
  return (schema) => {
    const key = bareRef(schema) ?? schema;
    let check = cache.get(key);
    if (check) return check;
    const converted = convert(schema);
    addPending();
    if (typeof converted === "boolean" || isObject(converted)) {
      const root = converted as Schema | boolean;
      const verdicts = new WeakMap<object, ExampleError[]>();
      check = (value) => {
        const known = typeof value === "object" && value !== null ? verdicts.get(value) : undefined;
        if (known) return known;
        const result = validate(value, root, "2019-09", lookup, false);
        const errors = result.valid ? [] : reportedErrors(result.errors);
        if (typeof value === "object" && value !== null) verdicts.set(value, errors);
        return errors;
      };
    } else check = () => []; // not a schema (OAS would have refused it): nothing to check against
    cache.set(key, check);
    return check;
  };
}

/**
 * The `$ref` of a schema that is only a reference (`{ "$ref": "#/components/schemas/x" }`), else
 * undefined: every such schema naming the same target gets the same check. With the per-check memo of
 * verdicts by example object, an example that several operations share under the same schema (a
 * `#/components/examples` entry in the responses of both a GET and a PATCH) is checked once: on
 * GitHub's description that was 31 % of the example bytes checked.
 */
function bareRef(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.$ref === "string" && Object.keys(schema).length === 1
    ? schema.$ref
    : undefined;
}

/**
 * The interpreter's errors as reported: a wrapper (`$ref`, `properties`, `items`, …) whose detail
 * follows right below it is left out and the detail kept, except where the detail is only "schema
 * false" (`additionalProperties: false`): then the wrapper, which names the property, is kept instead.
 * `anyOf`/`oneOf`/`not` and the rest stay.
 */
function reportedErrors(errors: readonly OutputUnit[]): ExampleError[] {
  const out: ExampleError[] = [];
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]!;
    const next = errors[i + 1];
    if (WRAPPERS.has(e.keyword) && next !== undefined && isBelow(next, e)) {
      if (next.keyword !== "false") continue;
      i++; // the wrapper stands for its "schema false" detail
    }
    out.push({ instancePointer: e.instanceLocation.slice(1), message: messageOf(e) });
  }
  return out;
}

/**
 * Whether `inner` is a detail of `outer`. The interpreter checks `additionalProperties` at the keyword's
 * own location (no `/<name>` below it), and gives a `false` schema's error the instance's location as
 * its keyword location, so a `false` detail is matched by instance location.
 */
function isBelow(inner: OutputUnit, outer: OutputUnit): boolean {
  const [at, of] =
    inner.keyword === "false"
      ? [inner.instanceLocation, outer.instanceLocation]
      : [inner.keywordLocation, outer.keywordLocation];
  return at === of || at.startsWith(`${of}/`);
}

function messageOf(e: OutputUnit): string {
  if (e.keyword === "false") return "no value is allowed here (schema false)";
  const patternAt = e.keyword === "format" ? e.error.indexOf(PATTERN_FORMAT) : -1;
  if (patternAt >= 0)
    return `String does not match pattern ${JSON.stringify(e.error.slice(patternAt + PATTERN_FORMAT.length, -2))}.`;
  return e.error;
}

/**
 * A converted schema as the interpreter checks it (in place: `toJsonSchema` made a fresh copy):
 * - `pattern` becomes a format that `linearTest` runs, in an `allOf` beside any `format` the schema has;
 * - `format: int32|int64` adds the bounds ajv-formats checks on numbers;
 * - `patternProperties` is dropped: its names would run on JavaScript's backtracking engine, and OAS 3.0
 *   does not have the keyword (the example checks warn where it is; see `patternFindings`).
 */
function toCheckedSchema(node: unknown): unknown {
  if (Array.isArray(node)) {
    for (const item of node) toCheckedSchema(item);
    return node;
  }
  if (!isObject(node)) return node;
  for (const key in node) {
    const value = node[key];
    if (key === "enum" || key === "const" || key === "default" || key === "examples") continue; // data
    if (key === "properties" || key === "$defs" || key === "definitions" || key === "dependentSchemas") {
      if (isObject(value)) for (const sub of Object.values(value)) toCheckedSchema(sub);
    } else toCheckedSchema(value);
  }
  const extra: Record<string, unknown>[] = [];
  if (typeof node.pattern === "string") {
    const name = `${PATTERN_FORMAT}${node.pattern}`;
    if (!Object.hasOwn(formatTable, name)) (formatTable as Record<string, Format>)[name] = linearTest(node.pattern);
    extra.push({ format: name });
    delete node.pattern;
  }
  const bounds = typeof node.format === "string" ? INTEGER_FORMATS[node.format] : undefined;
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if`/`then` keywords, in a schema (data, never awaited).
  if (bounds) extra.push({ if: { type: "number" }, then: { type: "integer", ...bounds } });
  delete node.patternProperties;
  if (extra.length) setOwn(node, "allOf", [...(Array.isArray(node.allOf) ? node.allOf : []), ...extra]);
  return node;
}
