import createClient, { mergeHeaders, type Client, type Middleware } from "openapi-fetch";
import { normalizeBaseUrl } from "./base-url.js";
import { createMemoryEtagCache, type EtagCache } from "./etag-cache.js";
import { createApiError, ResponseParseError, scrub } from "./errors.js";
import { createGitHubFetch, href, type FetchLike, type ReadResponse } from "./github-fetch.js";
import type { GitHubClient, NotModified, OperationDescriptor, OperationMap } from "./operation-types.js";
import { serializePath } from "./path-serializer.js";
import { serializeQuery } from "./query-serializer.js";
import { resolveRetryPolicy, type RetryOptions } from "./retry-policy.js";
import { checkRange } from "./check-option.js";

/** What a {@link ResponseValidator} is given for every successful operation call. */
export interface ResponseValidationContext {
  operationId: string;
  status: number;
  data: unknown;
}

/** Checks a response body; throw to reject the call with that error. */
export type ResponseValidator = (context: ResponseValidationContext) => void;

/** Options of every generated `createClient()`. */
export interface GitHubClientOptions {
  /**
   * Sent as `Authorization: Bearer <token>`; never appears in errors, URLs or cache keys.
   * Must be an RFC 6750 `b64token` (letters, digits and `-._~+/`, then optional `=`), as every
   * GitHub token is.
   */
  token?: string;
  /** API root (default `https://api.github.com`), e.g. `https://api.octocorp.ghe.com`. */
  baseUrl?: string;
  /** Your app's product token, prepended to the package's own `User-Agent` (a valid header value). */
  userAgent?: string;
  /** The `fetch` to send requests with (default `globalThis.fetch`). */
  fetch?: FetchLike;
  /** Total time for one call, all retries and waits included, in ms: 1 to 2147483647 (default: none). */
  timeoutMs?: number;
  /** Retry policy, or `false` to send each request once. */
  retry?: RetryOptions | false;
  /**
   * ETag cache for conditional GETs: default in-memory (100 entries), `false` for none. Calls to
   * it count towards `timeoutMs` and end on `signal`; a call that throws is skipped.
   */
  cache?: EtagCache | false;
  /** Response check run on operation-method results (off by default). */
  validate?: ResponseValidator;
  /** Cancels every call of this client. */
  signal?: AbortSignal;
}

/** What a generated package knows about itself; the first argument of {@link createGitHubClient}. */
export interface ClientDefinition<Ops extends OperationMap> {
  /** Sent as `X-GitHub-Api-Version`; the client refuses to send any other. */
  apiVersion: string;
  packageName: string;
  packageVersion: string;
  operations: Ops;
}

type ParamBag = Record<string, unknown> & {
  signal?: AbortSignal;
  headers?: Record<string, string | undefined>;
  ifNoneMatch?: string;
};

/**
 * Creates the client of one GitHub REST API version: openapi-fetch with GitHub's headers,
 * retries, timeout and ETag cache, plus one method per operation of the definition.
 * @see https://docs.github.com/en/rest/about-the-rest-api/api-versions
 */
export function createGitHubClient<Paths extends {}, Ops extends OperationMap>(
  definition: ClientDefinition<Ops>,
  options: GitHubClientOptions = {},
): GitHubClient<Paths, Ops> {
  const { token, timeoutMs } = options;
  // Checked once here, not at every call. A token that cannot be sent would make fetch throw a
  // TypeError quoting the header — the token — which was retried as a network failure. The
  // token is never echoed; as a b64token it also needs no JSON or util.inspect escaping, which
  // redaction relies on. (userAgent is checked by createGitHubFetch, with the other headers.)
  // https://www.rfc-editor.org/rfc/rfc6750#section-2.1
  if (token != null && !(typeof token === "string" && /^[\w.~+/-]*=*$/.test(token)))
    throw new TypeError("token must be an RFC 6750 bearer token");
  if (timeoutMs !== undefined) checkRange("timeoutMs", timeoutMs, 1);
  const redact = (text: string) => (token ? text.split(token).join("[REDACTED]") : text);
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const transport = createGitHubFetch({
    ...options,
    baseUrl,
    apiVersion: definition.apiVersion,
    userAgent: `${options.userAgent ? `${options.userAgent} ` : ""}${definition.packageName}/${definition.packageVersion}`,
    retry: resolveRetryPolicy(options.retry),
    cache: options.cache === false ? undefined : (options.cache ?? createMemoryEtagCache()),
    redact,
  });
  const client: Client<any> = createClient<any>({
    baseUrl,
    pathSerializer: serializePath,
    querySerializer: serializeQuery,
    fetch: transport.fetch,
  });

  // Until user middleware is registered through `use`, operation methods skip openapi-fetch
  // (which would only build a Request for the transport to copy) and call the transport
  // directly, with the same URL, headers and parsing. After `use`, they take the full path.
  let direct = true;
  const { use } = client;
  client.use = (...middleware) => {
    direct = false;
    use(...middleware);
  };

  async function call(op: OperationDescriptor, args: ParamBag = {}): Promise<unknown> {
    const { signal, headers, ifNoneMatch, ...params } = args;
    const path: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    for (const name in params) {
      if (op.pathParams.includes(name)) path[name] = params[name];
      else if (op.queryParams.includes(name)) query[name] = params[name];
      else {
        throw new TypeError(
          `${op.operationId} has no parameter "${name}" (it takes: ${[...op.pathParams, ...op.queryParams].join(", ")})`,
        );
      }
    }
    const method = op.method.toUpperCase();
    const extra = headers || ifNoneMatch !== undefined ? { ...headers, "If-None-Match": ifNoneMatch } : undefined;
    let result: ReadResponse;
    let sent: { method: string; url: string } | undefined;
    let url: string | undefined;
    if (!direct) {
      const capture: Middleware = { onRequest: ({ request }) => void (sent = request) };
      result = await client.request(op.method, op.path, {
        params: { path, query },
        headers: extra,
        signal,
        parseAs: "text",
        middleware: [capture],
      });
    } else {
      // What openapi-fetch's createFinalURL builds, without its options object.
      url = baseUrl + serializePath(op.path, path);
      const search = serializeQuery(query);
      if (search) url += `?${search}`;
      result = await transport.send(method, url, extra && mergeHeaders(extra), signal);
    }
    const { response } = result;
    const { status } = response;
    if (status === 304 && ifNoneMatch !== undefined) {
      return {
        notModified: true,
        etag: response.headers.get("etag") ?? ifNoneMatch,
        status: 304,
      } satisfies NotModified;
    }
    // Only for errors: a successful call does not pay for parsing the URL again.
    const request = () => sent ?? { method, url: url ? href(url) : op.path };
    if (!response.ok) throw createApiError(response, result.error, request(), redact);
    let data: unknown;
    try {
      data = result.data ? JSON.parse(result.data as string) : undefined;
    } catch (cause) {
      const at = redact(request().url);
      scrub(cause, redact);
      throw new ResponseParseError({
        status,
        method,
        url: at,
        cause,
        message: `${method} ${at}: ${status} body is not JSON: ${(cause as Error).message}`,
      });
    }
    options.validate?.({ operationId: op.operationId, status, data });
    return data;
  }

  const methods = client as unknown as Record<string, (args?: ParamBag) => Promise<unknown>>;
  for (const name in definition.operations) methods[name] = (args) => call(definition.operations[name]!, args);
  return methods as unknown as GitHubClient<Paths, Ops>;
}
