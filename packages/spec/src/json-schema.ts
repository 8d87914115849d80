import { isObject } from "@codespaces-clients/openapi-model";
import { setOwn } from "./json-order.js";

/**
 * How `nullable: true` combines with `enum`.
 *
 * - `"allow-null"` (the project's choice): `nullable: true` admits `null` even when `enum` does not
 *   list it. GitHub documents `null` as a real value of such fields (e.g. `prebuild_availability`),
 *   and openapi-typescript types them as `"a" | "b" | null`.
 * - `"strict"`: the OAS 3.0.3 reading ("other constraints retain their behaviour"): the enum still
 *   rejects `null` unless it lists it.
 */
export type NullableEnumMode = "allow-null" | "strict";

export interface ToJsonSchemaOptions {
  readonly nullableEnum?: NullableEnumMode;
  /** Rewrites `#/components/schemas/x` refs, e.g. to an ajv schema id. Default: unchanged. */
  readonly rewriteRef?: (ref: string) => string;
  /** Drops `enum` (tolerance of new enum values in responses). */
  readonly dropEnums?: boolean;
  /**
   * Drops the annotations `title`, `description` and `$comment`, on which no validation outcome and no
   * Ajv message depends: schemas that differ only in their prose become equal (the example checks
   * compile each distinct schema once).
   */
  readonly dropAnnotations?: boolean;
}

/**
 * Converts an OpenAPI 3.0 Schema Object (OAS 3.0.3 §4.7.24) into JSON Schema (draft 2019-09 /
 * 2020-12 vocabulary as Ajv understands it): `nullable` becomes a `"null"` type; OAS-only keywords
 * that are not validation keywords are removed.
 */
export function toJsonSchema(schema: unknown, options: ToJsonSchemaOptions = {}): unknown {
  const mode = options.nullableEnum ?? "allow-null";
  const convert = (node: unknown, inNameMap: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => convert(n, false));
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    if (inNameMap) {
      for (const key in node) setOwn(out, key, convert(node[key], false));
      return out;
    }
    for (const key in node) {
      const value = node[key];
      if (key === "$ref" && typeof value === "string")
        out.$ref = options.rewriteRef ? options.rewriteRef(value) : value;
      else if (
        key === "nullable" ||
        key === "discriminator" ||
        key === "xml" ||
        key === "externalDocs" ||
        key === "example" ||
        key.startsWith("x-") ||
        (options.dropAnnotations && (key === "title" || key === "description" || key === "$comment"))
      )
        continue;
      else if (key === "enum" || key === "default" || key === "const") {
        if (key === "enum" && options.dropEnums) continue;
        out[key] = value;
      } else if (key === "properties" || key === "patternProperties" || key === "$defs" || key === "definitions")
        out[key] = convert(value, true);
      else setOwn(out, key, convert(value, false)); // any keyword, `__proto__` included
    }
    // OAS 3.0 (draft-04 style) boolean exclusive bounds become draft-06+ numeric ones.
    for (const [flag, bound] of [
      ["exclusiveMinimum", "minimum"],
      ["exclusiveMaximum", "maximum"],
    ] as const) {
      if (typeof out[flag] === "boolean") {
        if (out[flag] === true && typeof out[bound] === "number") {
          out[flag] = out[bound];
          delete out[bound];
        } else delete out[flag];
      }
    }
    if (node.nullable === true) {
      if (typeof out.type === "string") out.type = [out.type, "null"];
      if (Array.isArray(out.enum) && mode === "allow-null" && !out.enum.includes(null)) out.enum = [...out.enum, null];
      if (out.type === undefined && (out.allOf || out.oneOf || out.anyOf || out.$ref)) {
        return { anyOf: [{ type: "null" }, out] };
      }
    }
    return out;
  };
  return convert(schema, false);
}
