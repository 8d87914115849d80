/**
 * `@codespaces-clients/runtime/validate`: optional runtime checks of response bodies with ajv
 * (an optional peer dependency, kept out of the main entry for bundle size).
 * @packageDocumentation
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { RE2JS } from "re2js";
import type { ResponseValidator } from "./create-github-client.js";
import type { Logger } from "./logger.js";

/** A JSON Schema object, as found in an OpenAPI response's `content["application/json"].schema`. */
export type JsonSchema = Record<string, unknown> | boolean;

/** operationId → HTTP status (`"200"`) → schema of that response's JSON body. */
export type ResponseSchemas = Record<string, Record<string, JsonSchema>>;

/** Thrown by {@link createAjvValidator}'s validator when a body does not match its schema. */
export class ResponseValidationError extends Error {
  static {
    this.prototype.name = "ResponseValidationError";
  }
  readonly operationId: string;
  readonly status: number;
  /** ajv's error objects (instance path, keyword, message). */
  readonly errors: ErrorObject[];

  constructor(operationId: string, status: number, errors: ErrorObject[]) {
    const details = errors.map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`).join("; ");
    super(`Response ${status} of ${operationId} does not match its schema: ${details}`);
    this.operationId = operationId;
    this.status = status;
    this.errors = errors;
  }
}

const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMAS = [
  "items",
  "additionalItems",
  "additionalProperties",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
];

/**
 * Copy of `schema` that tolerates how GitHub evolves a version without breaking it: new enum
 * values (`enum` removed, `type` kept) and new properties (`additionalProperties: false` and
 * `unevaluatedProperties: false` removed). Walks subschema keywords only, so a property
 * *named* `enum` survives.
 * @see https://docs.github.com/en/rest/about-the-rest-api/breaking-changes
 */
export function relaxSchema(schema: JsonSchema): JsonSchema {
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "enum") continue;
    if ((key === "additionalProperties" || key === "unevaluatedProperties") && value === false) continue;
    if (SCHEMA_MAPS.includes(key) && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relaxSchema(v as JsonSchema)]));
    } else if ((SCHEMA_LISTS.includes(key) || key === "items") && Array.isArray(value)) {
      out[key] = value.map((v) => relaxSchema(v as JsonSchema));
    } else if (SCHEMAS.includes(key)) {
      out[key] = relaxSchema(value as JsonSchema);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Ajv's `code.regExp` (https://ajv.js.org/options.html#code) on a linear-time engine (RE2's
 * algorithm, re2js): JavaScript's own engine backtracks, so a schema `pattern` like `^(a+)+$`
 * could hold a service for minutes on one response string. A pattern RE2 cannot run (lookaround,
 * backreferences) is not checked: `warn` is told once, naming it.
 */
function linearRegExp(warn: (line: string) => void) {
  return Object.assign(
    (pattern: string, flags: string) => {
      let engine: RE2JS | undefined;
      try {
        engine = RE2JS.compile(pattern);
      } catch (error) {
        warn(`response schema pattern /${pattern}/ is not checked: ${(error as Error).message}`);
      }
      return {
        test: (text: string) => !engine || engine.test(text),
        // Ajv keys compiled patterns by this string: it must differ per pattern.
        toString: () => `/${pattern}/${flags}`,
      };
    },
    { code: "linearRegExp" },
  );
}

/**
 * A `validate` hook for `createClient({ validate })` that checks each operation's response body
 * against `schemas[operationId][status]`, compiled lazily with ajv after {@link relaxSchema}.
 * Responses without a schema pass. Unknown keywords (`example`, `x-github`, …) and `format`
 * are ignored; OpenAPI 3.0 `nullable` is understood. `pattern`s run in linear time (re2js); one
 * that cannot (lookaround, backreferences) is skipped with a warning to `options.logger`.
 */
export function createAjvValidator(
  schemas: ResponseSchemas,
  options: { logger?: Pick<Logger, "warn"> } = {},
): ResponseValidator {
  const logger = options.logger ?? console;
  const ajv = new Ajv({
    strict: false,
    validateFormats: false,
    allErrors: true,
    logger: false,
    // Patterns run in linear time; the compiled validator is not shared (no standalone code).
    code: { regExp: linearRegExp((line) => logger.warn(line)) },
  });
  const compiled = new Map<string, ValidateFunction>();
  return ({ operationId, status, data }) => {
    const schema = schemas[operationId]?.[String(status)];
    if (schema === undefined) return;
    const key = `${operationId} ${status}`;
    let check = compiled.get(key);
    if (!check) {
      check = ajv.compile(relaxSchema(schema));
      compiled.set(key, check);
    }
    if (!check(data)) throw new ResponseValidationError(operationId, status, check.errors ?? []);
  };
}
