import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { follow, forEachOperation, isObject } from "@codespaces-clients/openapi-model";
import { type EnumSite, enumSites } from "./schema-walk.js";

/** A parsed OpenAPI 3.0 document (only the parts the contract suite reads are typed). */
export type OpenApiDocument = {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
} & Record<string, unknown>;

/** One documented parameter of an operation, `$ref` resolved. */
export interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Record<string, unknown>;
}

/** One documented response of an operation, `$ref` resolved. */
export interface ResponseSpec {
  status: string;
  /** JSON schema of `application/json`, still with its `$ref`s (as Prism sees it). */
  hasJsonBody: boolean;
  /** The media types of its `content`, in document order. */
  mediaTypes: string[];
  /** Named examples of `application/json`, values resolved (`#/components/examples/...`). */
  examples: Record<string, unknown>;
  /**
   * Nullable enums of the `application/json` schema (`nullable: true` beside an `enum`), as the
   * description writes them: `values` without `null`.
   */
  nullableEnums: EnumSite[];
}

/** The request body of an operation, `$ref`s resolved: JSON, or bytes (`binary`). */
export interface RequestBodySpec {
  required: boolean;
  /** The `application/json` schema, still with its `$ref`s. */
  schema: unknown;
  /** Named examples of `application/json`, values resolved, in document order. */
  examples: Record<string, unknown>;
  /**
   * A body of bytes (`application/octet-stream`: `repos/upload-release-asset`), sent with this media
   * type; `schema` and `examples` are then the media type's (the harness sends bytes of its own).
   */
  binary?: { mediaType: string };
}

/** One operation of a version's slice. */
export interface OperationSpec {
  operationId: string;
  /** `#/paths/~1repos~1{owner}~1…/get`: the operation in the description. */
  pointer: string;
  method: string;
  path: string;
  parameters: ParameterSpec[];
  /** The `application/json` request body, if the operation takes one. */
  requestBody?: RequestBodySpec;
  responses: ResponseSpec[];
  /** GitHub's page-number pagination: `per_page` and `page` query parameters, on a list answer. */
  paginated: boolean;
  /** The one server of the operation's (or its path's) own `servers` (`https://uploads.github.com`). */
  server?: string;
  /** `deprecated: true` in the description (Prism then answers with a `Deprecation` header). */
  deprecated: boolean;
}

/** One API version: its slice and the operations in it. */
export interface VersionSpec {
  version: string;
  specPath: string;
  document: OpenApiDocument;
  operations: OperationSpec[];
}

/** The monorepo root: the nearest folder above this file holding `spec/sources.json`. */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "spec", "sources.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`spec/sources.json not found above ${from}`);
  }
}

/**
 * The API versions of `spec/sources.json` (the one list of versions), optionally narrowed by
 * `CONTRACT_VERSIONS=v1,v2` (used by the lifecycle test to start a single mock).
 */
export function listVersions(root = repoRoot(), only = process.env.CONTRACT_VERSIONS): string[] {
  const file = join(root, "spec", "sources.json");
  const sources = JSON.parse(readFileSync(file, "utf8")) as { versions?: { version: string }[] };
  if (!Array.isArray(sources.versions) || sources.versions.length === 0) throw new Error(`${file}: no "versions"`);
  const all = sources.versions.map((v) => v.version);
  if (!only) return all;
  const wanted = only.split(",").map((v) => v.trim());
  for (const v of wanted) if (!all.includes(v)) throw new Error(`CONTRACT_VERSIONS: ${v} is not in ${file}`);
  return wanted;
}

/** Every operation of `document`, parameters and responses resolved, in document order. */
export function listOperations(document: OpenApiDocument): OperationSpec[] {
  const out: OperationSpec[] = [];
  const object = (node: unknown): Record<string, unknown> => {
    const target = follow(document, node).node;
    return isObject(target) ? target : {};
  };
  const examplesOf = (media: Record<string, unknown> | undefined): Record<string, unknown> => {
    const examples: Record<string, unknown> = {};
    for (const [name, ex] of Object.entries((media?.examples as Record<string, unknown>) ?? {}))
      examples[name] = object(ex).value;
    return examples;
  };
  for (const { path, method, operation: op, pathItem, pointer } of forEachOperation(document)) {
    const shared = (pathItem.parameters as unknown[] | undefined) ?? [];
    const parameters = [...shared, ...((op.parameters as unknown[]) ?? [])].map((p) => {
      const param = object(p);
      return {
        name: String(param.name),
        in: param.in as ParameterSpec["in"],
        required: param.required === true,
        schema: object(param.schema ?? {}),
      };
    });
    const responses = Object.entries((op.responses as Record<string, unknown>) ?? {})
      .map(([status, r]) => {
        const response = object(r);
        const json = (response.content as Record<string, Record<string, unknown>> | undefined)?.["application/json"];
        const examples = examplesOf(json);
        const nullableEnums =
          json?.schema === undefined ? [] : enumSites(json.schema, document).filter((e) => e.nullable);
        const mediaTypes = Object.keys((response.content as Record<string, unknown> | undefined) ?? {});
        return { status, hasJsonBody: json?.schema !== undefined, mediaTypes, examples, nullableEnums };
      })
      .sort((a, b) => a.status.localeCompare(b.status));
    const body = object(op.requestBody ?? {});
    const content = (body.content as Record<string, Record<string, unknown>> | undefined) ?? {};
    const bodyJson = content["application/json"];
    // Bytes, as the generator takes them: `application/octet-stream`, or a `format: binary` string.
    const bytes = bodyJson
      ? undefined
      : Object.keys(content).find(
          (type) =>
            /^application\/octet-stream\b/i.test(type) ||
            (!/^(multipart|application\/x-www-form-urlencoded|text\/)/i.test(type) &&
              object(content[type]?.schema).format === "binary"),
        );
    const requestBody: RequestBodySpec | undefined = bodyJson
      ? { required: body.required === true, schema: bodyJson.schema, examples: examplesOf(bodyJson) }
      : bytes
        ? {
            required: body.required === true,
            schema: content[bytes]?.schema,
            examples: {},
            binary: { mediaType: bytes },
          }
        : undefined;
    const servers = (Array.isArray(op.servers) ? op.servers : pathItem.servers) as unknown[] | undefined;
    const server = Array.isArray(servers) && servers.length === 1 ? String(object(servers[0]).url) : undefined;
    const query = new Set(parameters.filter((p) => p.in === "query").map((p) => p.name));
    out.push({
      operationId: String(op.operationId),
      pointer,
      method,
      path,
      parameters,
      ...(requestBody ? { requestBody } : {}),
      responses,
      paginated: query.has("per_page") && query.has("page") && isListAnswer(responses),
      deprecated: op.deprecated === true,
      ...(server ? { server } : {}),
    });
  }
  return out;
}

/**
 * Whether the documented 200 is a list, judged by its examples (a test oracle of its own, not the
 * generator's schema rule): an array, or an object with one array (`{ total_count, machines }`), or
 * several with `total_count`. `repos/get-commit` takes `per_page` and `page` for one commit's `files`
 * (`{ parents: [...], files: [...] }`): not a list. Without an example, a list is assumed.
 */
function isListAnswer(responses: readonly ResponseSpec[]): boolean {
  const examples = Object.values(responses.find((r) => r.status === "200")?.examples ?? {});
  return examples.every((example) => {
    if (Array.isArray(example)) return true;
    if (example === null || typeof example !== "object") return false;
    const arrays = Object.values(example).filter(Array.isArray).length;
    return arrays === 1 || (arrays > 1 && "total_count" in example);
  });
}

/** Loads `spec/generated/<version>/openapi.json` of every listed version. */
export function loadVersionSpecs(root = repoRoot(), versions = listVersions(root)): VersionSpec[] {
  return versions.map((version) => {
    const specPath = resolve(root, "spec", "generated", version, "openapi.json");
    const document = JSON.parse(readFileSync(specPath, "utf8")) as OpenApiDocument;
    return { version, specPath, document, operations: listOperations(document) };
  });
}
