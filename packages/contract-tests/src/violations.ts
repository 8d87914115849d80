import { decodePointerSegment, pointerOf } from "@codespaces-clients/openapi-model";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

/** One way a response body disagrees with its schema, as one checker saw it. */
export interface Violation {
  source: "prism" | "ajv";
  /** JSON pointer into the response body; for a missing property, the property's own pointer. */
  pointer: string;
  /** Keyword that failed (`required`, `type`, `enum`, …). */
  code: string;
  message: string;
  /** For ajv's `pattern`: the pattern the value does not match. */
  pattern?: string;
}

/** One entry of Prism's `sl-violations` header. */
interface PrismViolation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

/** A JSON pointer from raw tokens (the model's URI-fragment pointer without its `#`). */
const jsonPointer = (tokens: string[]) => pointerOf(tokens).slice(1);

/** A violation Prism reports about the request: `pointer` is `/request/<part>/<name>` (e.g. `/request/query/ref`). */
export interface RequestViolation {
  pointer: string;
  message: string;
}

/** Parses Prism's `sl-violations` header (JSON array) into request and response violations. */
export function parseSlViolations(header: string | null | undefined): {
  request: RequestViolation[];
  response: Violation[];
} {
  const request: RequestViolation[] = [];
  const response: Violation[] = [];
  if (!header) return { request, response };
  let violations: PrismViolation[];
  try {
    violations = JSON.parse(header) as PrismViolation[];
  } catch {
    // Prism writes a line of text instead when there are too many ("Too many violations! …").
    response.push({ source: "prism", pointer: "", code: "sl-violations", message: header.slice(0, 200) });
    return { request, response };
  }
  for (const v of violations) {
    const [where = "", part = "", ...rest] = v.location;
    if (where !== "response") {
      // Prism notes a deprecated parameter that the request sends; a documented one may be sent.
      if (v.code === "deprecated") continue;
      request.push({
        pointer: jsonPointer(["request", ...v.location.slice(1)]),
        message: `${v.location.join(".")}: ${v.message}`,
      });
      continue;
    }
    const tokens = part === "body" ? rest : [part, ...rest];
    // Prism points a missing property at its parent object; name the property itself.
    const missing = v.code === "required" ? /required property '([^']+)'/.exec(v.message)?.[1] : undefined;
    response.push({
      source: "prism",
      pointer: jsonPointer(missing ? [...tokens, missing] : tokens),
      code: String(v.code),
      message: v.message,
    });
  }
  return { request, response };
}

/**
 * Checks bodies with ajv against the package's converted JSON Schemas, without relaxing them
 * (unlike the runtime's `createAjvValidator`, enums stay: a contract test wants the spec as written).
 */
export function createSchemaChecker(): (schema: unknown, body: unknown) => Violation[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
  const compiled = new WeakMap<object, ValidateFunction>();
  return (schema, body) => {
    if (schema === undefined) return [];
    let check = compiled.get(schema as object);
    if (!check) {
      check = ajv.compile(schema as object);
      compiled.set(schema as object, check);
    }
    if (check(body)) return [];
    return (check.errors ?? []).map((e: ErrorObject) => {
      const tokens = e.instancePath === "" ? [] : e.instancePath.slice(1).split("/").map(decodePointerSegment);
      const missing = e.keyword === "required" ? (e.params as { missingProperty?: string }).missingProperty : undefined;
      return {
        source: "ajv" as const,
        pointer: jsonPointer(missing ? [...tokens, missing] : tokens),
        code: e.keyword,
        message: `${e.instancePath || "/"} ${e.message ?? e.keyword}`,
        ...(e.keyword === "pattern" ? { pattern: String((e.params as { pattern?: unknown }).pattern) } : {}),
      };
    });
  };
}
