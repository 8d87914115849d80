import {
  follow,
  HTTP_METHODS,
  type HttpMethod,
  isObject as isObj,
  pointerOf,
  RefError,
} from "@codespaces-clients/openapi-model";
import { SpecError } from "@codespaces-clients/spec";
import { checkMethodName, methodNameOf, namespaceOf } from "./method-name.js";

/** How a success answer's body is read when it is not JSON (the runtime's `ResponseBodyKind`). */
export type ResponseBodyKind = "text" | "binary" | "none";

/** The request body of an operation (the runtime's `BodyDescriptor`). */
export interface BodyRow {
  readonly mediaType: string;
  readonly required?: true;
  /** The JSON object's fields, taken from the top level of `params`; absent: the body is `params.data`. */
  readonly fields?: readonly string[];
}

/** One row of a generated operation table (the runtime's `OperationDescriptor`). */
export interface OperationRow {
  /** The key in the operation table: the method name, `category.method` when the slice spans several categories. */
  readonly name: string;
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly headerParams?: readonly string[];
  readonly body?: BodyRow;
  /** Success statuses whose body is not JSON → how the runtime reads it. */
  readonly responses?: Readonly<Record<string, ResponseBodyKind>>;
  /** The `Accept` header when no documented success answer is JSON (see `acceptOf`). */
  readonly accept?: string;
  /** GitHub pages this list: `per_page` and `page` query parameters. */
  readonly paginated?: true;
  /** The one server the description puts this operation on (`https://uploads.github.com`). */
  readonly server?: string;
  readonly summary: string;
  /** The operation's `description` (Markdown), for the method's JSDoc. */
  readonly description?: string;
  readonly deprecated?: boolean;
  /** Parameters (and body fields) the description marks deprecated. */
  readonly deprecatedParams?: readonly string[];
  readonly docsUrl?: string;
  /** Documented response statuses, in source order. */
  readonly statuses: readonly string[];
}

type Obj = Record<string, unknown>;

function deref(document: Obj, node: unknown, where: string): unknown {
  try {
    return follow(document, node).node;
  } catch (error) {
    if (error instanceof RefError) throw new SpecError(where, error.message);
    throw error;
  }
}

/** JSON media types: `application/json`, `application/vnd.github+json`, `application/scim+json`, … */
const isJson = (mediaType: string) => /^application\/([\w.-]+\+)?json\b|\bjson$/i.test(mediaType);
/** Request bodies the runtime sends: JSON (encoded), text and bytes (as given). */
const SENDABLE = (mediaType: string, media: unknown, document: Obj, where: string) =>
  isJson(mediaType) || /^text\//i.test(mediaType) || isBinary(mediaType, media, document, where);

/** A body of bytes: `application/octet-stream`, or a string schema of `format: binary` (not a form). */
function isBinary(mediaType: string, media: unknown, document: Obj, where: string): boolean {
  if (/^(multipart|application\/x-www-form-urlencoded)\b/i.test(mediaType)) return false;
  if (/^application\/octet-stream\b/i.test(mediaType)) return true;
  const schema = isObj(media) ? deref(document, media.schema, where) : undefined;
  return isObj(schema) && schema.type === "string" && schema.format === "binary";
}

/**
 * The one server an operation's own `servers` names (`repos/upload-release-asset`:
 * `https://uploads.github.com`), which the runtime maps for GitHub Enterprise; several, a relative
 * URL or one with variables are refused (the runtime would not know which, or where).
 */
function serverOf(op: Obj, refuse: (reason: string) => never): string | undefined {
  if (!Array.isArray(op.servers) || !op.servers.length) return undefined;
  const urls = op.servers.map((s) => (isObj(s) ? String(s.url) : "?"));
  const [url] = urls;
  if (urls.length > 1 || !url || !/^https?:\/\/[^/{}?#@]+(\/[^{}?#]*)?$/i.test(url))
    refuse(`its own servers (${urls.join(", ")}) are not one absolute http(s) URL without variables`);
  return (url as string).replace(/\/+$/, "");
}
const SUCCESS = /^2\d\d$/;
/** Redirects fetch follows (not 304, which is an answer of its own). */
const REDIRECT = /^30[12378]$/;

/**
 * The field names of a JSON object body: its `properties`, with those of its `allOf` parts and of its
 * `oneOf`/`anyOf` alternatives (GitHub's `checks/update` lists `name`, `output`, … in `properties`
 * and only `status` in its `anyOf`: every one of them is a field); `undefined` when the body is not
 * an object with named fields (an array, a string, a free-form object, or an alternative that is not
 * an object), whose value is then `data`.
 */
function fieldsOf(document: Obj, schema: unknown, where: string): string[] | undefined {
  const fields = objectFieldsOf(document, schema, where, 0);
  return fields?.length ? fields : undefined;
}

/** The fields an object schema names (none for `{ required: [...] }`), or `undefined` for a non-object. */
function objectFieldsOf(document: Obj, schema: unknown, where: string, depth: number): string[] | undefined {
  const s = deref(document, schema, where);
  if (!isObj(s) || depth > 8) return undefined;
  if (s.type !== undefined && s.type !== "object") return undefined;
  const own = isObj(s.properties) ? Object.keys(s.properties) : [];
  const parts = [s.allOf, s.oneOf, s.anyOf].flatMap((list) => (Array.isArray(list) ? list : []));
  const each = parts.map((part) => objectFieldsOf(document, part, where, depth + 1));
  if (each.some((fields) => !fields)) return undefined;
  return [...new Set([...own, ...(each.flat() as string[])])];
}

/** The `Accept` header GitHub's REST API documents for JSON answers, which the runtime sends by default. */
const GITHUB_JSON = "application/vnd.github+json";

/**
 * The `Accept` header of an operation none of whose documented success answers is JSON
 * (`markdown/render`: `text/html`; `meta/get-octocat`: `application/octocat-stream`): GitHub's JSON
 * media type, as its docs send for every call, then the documented ones. Sending only the first, a
 * server that negotiates as the description says (Prism) answers 406. `undefined` when an answer is
 * JSON, or none has content: the runtime's default.
 */
function acceptOf(document: Obj, responses: Obj, where: string): string | undefined {
  const types = new Set<string>();
  for (const [status, response] of Object.entries(responses)) {
    if (!SUCCESS.test(status)) continue;
    const r = deref(document, response, where);
    for (const type of Object.keys(isObj(r) && isObj(r.content) ? r.content : {})) {
      if (isJson(type)) return undefined;
      types.add(type);
    }
  }
  return types.size ? [GITHUB_JSON, ...types].join(", ") : undefined;
}

/**
 * Whether a 200 answer is a list `gh.paginate` can unwrap (the runtime's `itemsOf`): a JSON array, an
 * object with one array property (`{ total_count, workflow_runs }`, `{ total_seats, seats }`), or
 * alternatives that all are. `repos/get-commit` takes `per_page` and `page` for the `files` of one
 * commit, which has `parents` and `files`: not a list, so no `paginate` (it used to fail at run time).
 */
function isList(document: Obj, response: unknown, where: string): boolean {
  const r = deref(document, response, where);
  const media = isObj(r) && isObj(r.content) ? r.content["application/json"] : undefined;
  return isListSchema(document, isObj(media) ? media.schema : undefined, where, 0);
}

function isListSchema(document: Obj, schema: unknown, where: string, depth: number): boolean {
  const s = deref(document, schema, where);
  if (!isObj(s) || depth > 8) return false;
  if (s.type === "array") return true;
  const alternatives = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length)
    return alternatives.every((a) => isListSchema(document, a, where, depth + 1));
  const properties = isObj(s.properties) ? Object.values(s.properties) : [];
  const arrays = properties.filter((p) => {
    const resolved = deref(document, p, where);
    return isObj(resolved) && resolved.type === "array";
  });
  return arrays.length === 1 || (arrays.length > 1 && isObj(s.properties) && "total_count" in s.properties);
}

/** How the runtime reads one success answer: JSON (undefined here), text, binary or nothing. */
function bodyKindOf(document: Obj, response: unknown, where: string): ResponseBodyKind | undefined {
  const r = deref(document, response, where);
  const content = isObj(r) && isObj(r.content) ? r.content : {};
  const types = Object.keys(content);
  if (!types.length) return "none";
  const mediaType = types.find((t) => t === "application/json") ?? types.find(isJson) ?? (types[0] as string);
  if (isJson(mediaType)) return undefined;
  const media = content[mediaType];
  const schema = isObj(media) ? deref(document, media.schema, where) : undefined;
  if (isObj(schema) && (schema.type === "object" || schema.type === "array" || isObj(schema.properties)))
    return undefined;
  if (
    (isObj(schema) && schema.format === "binary") ||
    !/^text\/|^application\/(vnd\.github\.|octocat)/i.test(mediaType)
  )
    return "binary";
  return "text";
}

/**
 * Derives the operation table from a slice: names, paths, parameters by place, request body,
 * how each success answer is read, pagination. An operation the runtime cannot call faithfully
 * (cookie parameters, a request body it cannot send, `servers` it cannot tell apart) is an error naming it:
 * never a method that silently drops input.
 */
export function operationsOf(
  document: Obj,
  where: string,
  options: {
    /** Leaves out an operation the runtime cannot call, with the refusal's line, instead of failing. */
    readonly skipUnsupported?: (line: string) => void;
  } = {},
): OperationRow[] {
  const rows: OperationRow[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Obj)) {
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const operationId = String(op.operationId ?? "");
      const pointer = pointerOf(["paths", path, method]);
      if (!operationId) throw new SpecError(where, "operation has no operationId", pointer);
      const refused: SpecError[] = [];
      const refuse = (reason: string): never => {
        const error = new SpecError(where, `operation ${operationId} cannot be generated: ${reason}`, pointer);
        refused.push(error);
        throw error;
      };
      try {
        // An operation's own parameter replaces a path-level one of the same name and place.
        const byKey = new Map<string, Obj>();
        for (const p of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
          const param = deref(document, p, where) as Obj;
          byKey.set(`${param.in}:${param.name}`, param);
        }
        const params = [...byKey.values()];
        const byIn = (kind: string) => params.filter((p) => p.in === kind).map((p) => String(p.name));
        const cookies = byIn("cookie");
        if (cookies.length) refuse(`cookie parameter ${cookies.join(", ")} (the client sends no cookies)`);
        const server = serverOf(Array.isArray(op.servers) ? op : item, refuse);
        const pathParams = byIn("path");
        const queryParams = byIn("query");
        const headerParams = byIn("header");
        const taken = [...pathParams, ...queryParams, ...headerParams];
        let body: BodyRow | undefined;
        const requestBody = op.requestBody === undefined ? undefined : deref(document, op.requestBody, where);
        if (isObj(requestBody)) {
          const content = isObj(requestBody.content) ? requestBody.content : {};
          const types = Object.keys(content);
          const mediaType =
            types.find((t) => t === "application/json") ?? types.find((t) => SENDABLE(t, content[t], document, where));
          if (!mediaType)
            refuse(`request body ${types.join(", ") || "without content"} is not supported (JSON, text or bytes only)`);
          const media = content[mediaType as string];
          const fields = isJson(mediaType as string)
            ? fieldsOf(document, isObj(media) ? media.schema : undefined, where)
            : undefined;
          // A body field named like a parameter would be ambiguous at the top level: the body is `data`.
          const clash = fields?.some((f) => taken.includes(f));
          if (taken.includes("data") && !(fields && !clash))
            refuse('a parameter is named "data", the name of its body');
          body = {
            mediaType: mediaType as string,
            ...(requestBody.required === true ? { required: true as const } : {}),
            ...(fields && !clash ? { fields } : {}),
          };
        }
        const responses: Record<string, ResponseBodyKind> = {};
        const documented = Object.keys(isObj(op.responses) ? op.responses : {});
        for (const [status, response] of Object.entries(isObj(op.responses) ? op.responses : {})) {
          if (!SUCCESS.test(status)) continue;
          const kind = bodyKindOf(document, response, where);
          if (kind) responses[status] = kind;
        }
        // A download GitHub answers only with a redirect (`repos/download-zipball-archive`: 302 to
        // codeload; `actions/download-job-logs-for-workflow-run`): fetch follows it, and the 200 at
        // its end is the file — bytes, whatever it is (JSON.parse refused an archive before).
        if (!documented.some((status) => SUCCESS.test(status)) && documented.some((status) => REDIRECT.test(status)))
          responses["200"] = "binary";
        const accept = acceptOf(document, isObj(op.responses) ? op.responses : {}, where);
        const deprecatedParams = params.filter((p) => p.deprecated === true).map((p) => String(p.name));
        if (body?.fields) {
          // Deprecated fields of the body's own properties (those of alternatives are left out).
          const media = (requestBody as { content: Obj }).content[body.mediaType];
          const schema = deref(document, isObj(media) ? media.schema : undefined, where);
          const props = isObj(schema) && isObj(schema.properties) ? schema.properties : {};
          for (const [field, prop] of Object.entries(props)) {
            const resolved = deref(document, prop, where);
            if (isObj(resolved) && resolved.deprecated === true) deprecatedParams.push(field);
          }
        }
        const externalDocs =
          isObj(op.externalDocs) && typeof op.externalDocs.url === "string" ? op.externalDocs.url : undefined;
        rows.push({
          name: methodNameOf(operationId),
          operationId,
          method,
          path,
          pathParams,
          queryParams,
          ...(headerParams.length ? { headerParams } : {}),
          ...(body ? { body } : {}),
          ...(Object.keys(responses).length ? { responses } : {}),
          ...(accept ? { accept } : {}),
          ...(queryParams.includes("per_page") &&
          queryParams.includes("page") &&
          isList(document, isObj(op.responses) ? op.responses["200"] : undefined, where)
            ? { paginated: true as const }
            : {}),
          summary: String(op.summary ?? operationId),
          ...(typeof op.description === "string" && op.description.trim()
            ? { description: op.description.trim() }
            : {}),
          ...(op.deprecated === true ? { deprecated: true } : {}),
          ...(server ? { server } : {}),
          ...(deprecatedParams.length ? { deprecatedParams } : {}),
          ...(externalDocs ? { docsUrl: externalDocs } : {}),
          statuses: Object.keys(isObj(op.responses) ? op.responses : {}),
        });
      } catch (error) {
        if (!options.skipUnsupported || !refused.includes(error as SpecError)) throw error;
        options.skipUnsupported((error as SpecError).message);
      }
    }
  }
  // Several categories: every method is namespaced by its category (`gh.codespaces.list…`).
  const namespaced = new Set(rows.map((row) => namespaceOf(row.operationId))).size > 1;
  const named = namespaced
    ? rows.map((row) => {
        const namespace = namespaceOf(row.operationId);
        checkMethodName(namespace, row.operationId, where, "namespace");
        return { ...row, name: `${namespace}.${row.name}` };
      })
    : rows;
  const seen = new Map<string, string>();
  for (const row of named) {
    checkMethodName(row.name.slice(row.name.indexOf(".") + 1), row.operationId, where);
    const other = seen.get(row.name);
    if (other)
      throw new SpecError(where, `operationIds ${other} and ${row.operationId} both become method ${row.name}`);
    seen.set(row.name, row.operationId);
  }
  return named;
}
