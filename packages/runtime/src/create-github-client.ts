import createClient from "openapi-fetch";
import { normalizeBaseUrl } from "./base-url.js";
import { checkCallOptions, checkClientOptions } from "./check-option.js";
import { createMemoryEtagCache, type EtagCache } from "./etag-cache.js";
import { createApiError, rateLimitOf } from "./errors.js";
import { createGitHubFetch, parseJson, type FetchLike, type TokenSource } from "./github-fetch.js";
import { createLog, type Logger, type LogLevel } from "./logger.js";
import type {
  ApiPromise,
  CallOptions,
  GitHubClient,
  NotModified,
  OperationDescriptor,
  OperationMap,
  WithResponse,
} from "./operation-types.js";
import { serializePath } from "./path-serializer.js";
import { serializeQuery } from "./query-serializer.js";
import { requestParts } from "./request-parts.js";
import { resolveRetryPolicy, type RetryOptions } from "./retry-policy.js";

/** What a {@link ResponseValidator} is given for every successful operation call. */
export interface ResponseValidationContext {
  operationId: string;
  status: number;
  data: unknown;
}

/** Checks a response body; throw to reject the call with that error. */
export type ResponseValidator = (context: ResponseValidationContext) => void;

/** Options of every generated `createClient()`; each is checked there (a `TypeError` naming it). */
export interface GitHubClientOptions {
  /**
   * Sent as `Authorization: Bearer <token>`; never appears in errors, logs, URLs or cache keys.
   * Must be an RFC 6750 `b64token` (letters, digits and `-._~+/`, then optional `=`), as every
   * GitHub token is. A function is called before every attempt (rotating credentials, e.g. a
   * GitHub App installation token); the cache key fingerprints the token actually sent.
   */
  token?: TokenSource;
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
   * it count towards `timeoutMs` and end on `signal`; a call that throws is skipped (and logged).
   */
  cache?: EtagCache | false;
  /** Response check run on operation-method results (off by default). */
  validate?: ResponseValidator;
  /** Cancels every call of this client. */
  signal?: AbortSignal;
  /** Where log lines go (default `console`); anything console-compatible (pino, winston, …). */
  logger?: Logger;
  /**
   * `debug`: one line per attempt; `warn` (default): retry waits over 1 s, `Deprecation`/`Sunset`
   * headers, a failing cache; `off`. Default from `CODESPACES_CLIENT_LOG_LEVEL` where it is set.
   */
  logLevel?: LogLevel;
}

/** What a generated package knows about itself; the first argument of {@link createGitHubClient}. */
export interface ClientDefinition<Ops extends OperationMap> {
  /** Sent as `X-GitHub-Api-Version`; the client refuses to send any other. */
  apiVersion: string;
  packageName: string;
  packageVersion: string;
  operations: Ops;
}

/** An operation call's outcome, before `withResponse()` reads the rest from the response. */
interface Settled {
  data: unknown;
  response: Response;
  fromCache?: boolean | undefined;
}

/** The most recent tokens a token function returned, kept to redact them (a bounded window). */
const TOKENS_KEPT = 8;

/**
 * Creates the client of one GitHub REST API version: openapi-fetch over the GitHub pipeline
 * (headers, retries, timeout, ETag cache, logging), plus one method per operation of the
 * definition. Operation methods are calls of openapi-fetch like `GET`: one request path, which
 * user middleware sees too.
 * @see https://docs.github.com/en/rest/about-the-rest-api/api-versions
 */
export function createGitHubClient<Paths extends {}, Ops extends OperationMap>(
  definition: ClientDefinition<Ops>,
  options: GitHubClientOptions = {},
): GitHubClient<Paths, Ops> {
  checkClientOptions(options);
  const { token } = options;
  const tokens: string[] = typeof token === "string" && token ? [token] : [];
  const redact = (text: string) => {
    for (const secret of tokens) text = text.split(secret).join("[REDACTED]");
    return text;
  };
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const transport = createGitHubFetch({
    ...options,
    baseUrl,
    apiVersion: definition.apiVersion,
    userAgent: `${options.userAgent ? `${options.userAgent} ` : ""}${definition.packageName}/${definition.packageVersion}`,
    retry: resolveRetryPolicy(options.retry),
    cache: options.cache === false ? undefined : (options.cache ?? createMemoryEtagCache()),
    log: createLog(options.logger, options.logLevel, redact),
    redact,
    remember: (secret) => {
      if (secret && !tokens.includes(secret)) tokens.unshift(secret) > TOKENS_KEPT && tokens.pop();
    },
  });
  const client = createClient<any>({
    baseUrl,
    pathSerializer: serializePath,
    querySerializer: serializeQuery,
    fetch: transport.fetch,
  });

  /** Settles an operation call: data or the typed error, with what `withResponse()` adds. */
  function finish(
    op: OperationDescriptor,
    { error, response }: { error?: unknown; response: Response },
    ifNoneMatch: string | undefined,
  ): Settled | Promise<Settled> {
    const { status, headers } = response;
    const info = transport.info.get(response) ?? { method: op.method.toUpperCase(), url: redact(response.url) };
    if (status === 304 && ifNoneMatch !== undefined) {
      const notModified: NotModified = { notModified: true, etag: headers.get("etag") ?? ifNoneMatch, status: 304 };
      return withResponse(response, notModified);
    }
    if (!response.ok) throw createApiError(response, error, info, redact);
    if (!transport.info.has(response)) {
      // A middleware replaced the answer: it is read here, with the pipeline's parser.
      return response.text().then((text) => {
        const data = text ? parseJson(text, status, info.method, info.url) : undefined;
        options.validate?.({ operationId: op.operationId, status, data });
        return withResponse(response, data);
      });
    }
    options.validate?.({ operationId: op.operationId, status, data: info.data });
    return withResponse(response, info.data, info.fromCache);
  }

  /** What a call settles with; the rest of `withResponse()` is read from it only when asked for. */
  const withResponse = (response: Response, data: unknown, fromCache?: boolean): Settled => ({
    data,
    response,
    fromCache,
  });

  /** The request of an operation call; its checks reject the call rather than throw. */
  function send(op: OperationDescriptor, params: Record<string, unknown> = {}, callOptions?: CallOptions) {
    if (callOptions) checkCallOptions(callOptions);
    const { signal, headers, ifNoneMatch, timeoutMs, retry } = callOptions ?? {};
    return client.request(op.method, op.path, {
      ...requestParts(op, params),
      responseBodies: op.responses,
      headers: ifNoneMatch === undefined ? headers : { ...headers, "if-none-match": ifNoneMatch },
      signal,
      // The pipeline has parsed the body already: openapi-fetch need not read it.
      parseAs: "stream",
      // Copied onto the Request by openapi-fetch, read by the pipeline (see CallSettings).
      timeoutMs,
      retry,
      operationId: op.operationId,
      callSignal: signal,
    } as {});
  }

  function call(op: OperationDescriptor, params?: Record<string, unknown>, callOptions?: CallOptions) {
    let sent: Promise<unknown>;
    try {
      sent = send(op, params, callOptions);
    } catch (error) {
      // Refused input rejects the call like any other failure, before anything is sent.
      sent = Promise.reject(error);
    }
    const full = sent.then((result) =>
      finish(op, result as { error?: unknown; response: Response }, callOptions?.ifNoneMatch),
    );
    const promise = full.then((meta) => meta.data) as ApiPromise<unknown>;
    // Whoever takes the full result handles its rejection; `promise` must not then be unhandled.
    promise.withResponse = () => (
      promise.catch(() => undefined),
      full.then(({ data, response, fromCache }): WithResponse<unknown> => {
        const { headers } = response;
        return {
          data,
          response,
          status: fromCache ? 304 : response.status,
          fromCache: !!fromCache,
          etag: headers.get("etag") ?? undefined,
          rateLimit: rateLimitOf(headers),
          requestId: headers.get("x-github-request-id") ?? undefined,
        };
      })
    );
    return promise;
  }

  const methods = client as unknown as Record<string, unknown>;
  for (const name in definition.operations) {
    // `category.method` (a selection over several categories) is `gh.category.method`.
    const dot = name.indexOf(".");
    const target = dot < 0 ? methods : ((methods[name.slice(0, dot)] ??= {}) as Record<string, unknown>);
    target[name.slice(dot + 1)] = (params?: Record<string, unknown>, callOptions?: CallOptions) =>
      call(definition.operations[name]!, params, callOptions);
  }
  return methods as GitHubClient<Paths, Ops>;
}
