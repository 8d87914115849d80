import createClient, { createFinalURL, createQuerySerializer, mergeHeaders, type Client, type Middleware } from "openapi-fetch";
import { normalizeBaseUrl } from "./base-url.js";
import { createMemoryEtagCache, type EtagCache } from "./etag-cache.js";
import { createApiError } from "./errors.js";
import { createGitHubFetch, href, type FetchLike, type ReadResponse } from "./github-fetch.js";
import type { GitHubClient, NotModified, OperationDescriptor, OperationMap } from "./operation-types.js";
import { serializePath } from "./path-serializer.js";
import { resolveRetryPolicy, type RetryOptions } from "./retry-policy.js";

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
  /** Sent as `Authorization: Bearer <token>`; never appears in errors, URLs or cache keys. */
  token?: string;
  /** API root (default `https://api.github.com`), e.g. `https://api.octocorp.ghe.com`. */
  baseUrl?: string;
  /** Your app's product token, prepended to the package's own `User-Agent`. */
  userAgent?: string;
  /** The `fetch` to send requests with (default `globalThis.fetch`). */
  fetch?: FetchLike;
  /** Total time for one call, all retries and waits included, in ms (default: none). */
  timeoutMs?: number;
  /** Retry policy, or `false` to send each request once. */
  retry?: RetryOptions | false;
  /** ETag cache for conditional GETs: default in-memory (100 entries), `false` for none. */
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

type ParamBag = Record<string, unknown> & { signal?: AbortSignal; headers?: Record<string, string | undefined>; ifNoneMatch?: string };

/**
 * Creates the client of one GitHub REST API version: openapi-fetch with GitHub's headers,
 * retries, timeout and ETag cache, plus one method per operation of the definition.
 * @see https://docs.github.com/en/rest/about-the-rest-api/api-versions
 */
export function createGitHubClient<Paths extends {}, Ops extends OperationMap>(
  definition: ClientDefinition<Ops>,
  options: GitHubClientOptions = {},
): GitHubClient<Paths, Ops> {
  const { token } = options;
  const redact = (text: string) => (token ? text.split(token).join("[REDACTED]") : text);
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new TypeError(`timeoutMs must be a number > 0, got ${options.timeoutMs}`);
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const transport = createGitHubFetch({
    ...options,
    apiVersion: definition.apiVersion,
    userAgent: `${options.userAgent ? `${options.userAgent} ` : ""}${definition.packageName}/${definition.packageVersion}`,
    retry: resolveRetryPolicy(options.retry),
    cache: options.cache === false ? undefined : (options.cache ?? createMemoryEtagCache()),
    redact,
  });
  const client: Client<any> = createClient<any>({ baseUrl, pathSerializer: serializePath, fetch: transport.fetch });
  const querySerializer = createQuerySerializer();

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
      result = await client.request(op.method, op.path, { params: { path, query }, headers: extra, signal, middleware: [capture] });
    } else {
      url = createFinalURL(op.path, { baseUrl, params: { path, query }, querySerializer, pathSerializer: serializePath });
      result = await transport.send(method, url, extra && mergeHeaders(extra), signal);
    }
    const { response, data } = result;
    const { status } = response;
    if (status === 304 && ifNoneMatch !== undefined) {
      return { notModified: true, etag: response.headers.get("etag") ?? ifNoneMatch, status: 304 } satisfies NotModified;
    }
    if (!response.ok) throw createApiError(response, result.error, sent ?? { method, url: url ? href(url) : op.path }, redact);
    options.validate?.({ operationId: op.operationId, status, data });
    return data;
  }

  const methods: Record<string, (args?: ParamBag) => Promise<unknown>> = {};
  for (const [name, op] of Object.entries(definition.operations)) methods[name] = (args) => call(op, args);
  return Object.assign(client, methods) as unknown as GitHubClient<Paths, Ops>;
}
