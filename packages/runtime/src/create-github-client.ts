import { normalizeBaseUrl } from "./base-url.js";
import { checkCallOptions, checkClientOptions } from "./check-option.js";
import { createMemoryEtagCache, type EtagCache } from "./etag-cache.js";
import { createApiError, rateLimitOf } from "./errors.js";
import { createPipeline, entriesOf, pipelines, type Answer, type FetchLike, type TokenSource } from "./github-fetch.js";
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
import { fillPath, splitPath } from "./path-serializer.js";
import { serializeQuery } from "./query-serializer.js";
import { noParameter } from "./parameters.js";
import { resolveRetryPolicy, type RetryOptions } from "./retry-policy.js";
import type { RequestShapes } from "./shapes.js";

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
  /**
   * Where to send the operations GitHub describes on a server of their own, by that server's URL
   * (`{ "https://uploads.github.com": "https://ghe.example.com/api/uploads" }`; today only
   * `repos/upload-release-asset`). Without an entry: the described server itself for GitHub's API,
   * its counterpart on GitHub Enterprise Server (`https://HOST/api/v3` → `https://HOST/api/uploads`)
   * and on GHE.com (`https://api.SUBDOMAIN.ghe.com` → `https://uploads.SUBDOMAIN.ghe.com`), and
   * `baseUrl` for any other (a mock, a proxy). The token goes there too. Each URL must be what
   * `baseUrl` may be; it is checked when the first such call is made (a `TypeError` naming it).
   */
  servers?: Readonly<Record<string, string>>;
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
export interface ClientDefinition<Ops extends OperationMap, ApiVersion extends string = string> {
  /** Sent as `X-GitHub-Api-Version`; the client refuses to send any other. */
  apiVersion: ApiVersion;
  packageName: string;
  packageVersion: string;
  operations: Ops;
  /**
   * Header parameters, request bodies and non-JSON answers: `shapes` from
   * `@codespaces-clients/runtime/shapes`, needed when an operation has any of them.
   */
  shapes?: RequestShapes;
}

const dataOf = (answer: Answer) => answer.data;
/** An operation call's full answer, kept on the promise its method returns (see `withResponse`). */
const FULL = Symbol("answer");
/**
 * `withResponse()` of every operation call: one shared method. A new closure stored on each
 * promise cost about 5 % of a call's instructions (V8; measured with valgrind, fake fetch).
 */
function withResponseOf(this: ApiPromise<unknown> & { [FULL]: Promise<Answer> }) {
  // Whoever takes the full result handles its rejection; the data promise must not then be unhandled.
  this.catch(() => {});
  return this[FULL].then(withResponse);
}
/** What `withResponse()` resolves to. */
const withResponse = ({ data, response, fromCache }: Answer): WithResponse<unknown> => {
  const { headers } = response;
  return {
    data,
    response,
    status: fromCache ? 304 : response.status,
    fromCache,
    etag: headers.get("etag") ?? undefined,
    rateLimit: rateLimitOf(headers),
    requestId: headers.get("x-github-request-id") ?? undefined,
  };
};

/** The most recent tokens a token function returned, kept to redact them (a bounded window). */
const TOKENS_KEPT = 8;

/**
 * Creates the client of one GitHub REST API version: one method per operation of the definition,
 * over the GitHub pipeline (middleware, headers, retries, timeout, ETag cache, logging). The typed
 * path client (`createPathClient`, openapi-fetch) is built on the same pipeline on demand, so an
 * app that only calls operation methods ships and runs no openapi-fetch.
 * @see https://docs.github.com/en/rest/about-the-rest-api/api-versions
 */
export function createGitHubClient<Paths extends {}, Ops extends OperationMap, ApiVersion extends string = string>(
  definition: ClientDefinition<Ops, ApiVersion>,
  options: GitHubClientOptions = {},
): GitHubClient<Paths, Ops, ApiVersion> {
  checkClientOptions(options);
  const { token, validate } = options;
  const { shapes } = definition;
  const tokens: string[] = typeof token === "string" && token ? [token] : [];
  const redact = (text: string) => {
    for (const secret of tokens) if (text.includes(secret)) text = text.split(secret).join("[REDACTED]");
    return text;
  };
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const pipeline = createPipeline({
    ...options,
    baseUrl,
    apiVersion: definition.apiVersion,
    userAgent: `${options.userAgent ? `${options.userAgent} ` : ""}${definition.packageName}/${definition.packageVersion}`,
    retry: resolveRetryPolicy(options.retry),
    cache: options.cache === false ? undefined : (options.cache ?? createMemoryEtagCache()),
    log: createLog(options.logger, options.logLevel, redact),
    redact,
    readBody: shapes?.readBody,
    remember: (secret) => {
      if (secret && !tokens.includes(secret)) tokens.unshift(secret) > TOKENS_KEPT && tokens.pop();
    },
  });
  /** Sends an operation call; refused input rejects it before anything is sent. */
  async function send(
    op: OperationDescriptor,
    method: string,
    template: readonly string[],
    params: Record<string, unknown> = {},
    callOptions?: CallOptions,
  ) {
    if (callOptions) checkCallOptions(callOptions);
    const { headers, ifNoneMatch, signal, timeoutMs, retry } = callOptions ?? {};
    // Path parameters are read from `params` where the path names them; only query parameters
    // and the rest are copied out (a call with path parameters alone copies nothing).
    const query: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const name in params)
      if (!op.pathParams.includes(name)) (op.queryParams.includes(name) ? query : rest)[name] = params[name];
    if (!shapes) for (const name in rest) throw noParameter(op, name);
    // An operation on a server of its own (uploads) is sent there, as `shapes` resolves it.
    const { header = {}, body, origin = baseUrl } = shapes?.split(op, rest, baseUrl, options.servers) ?? {};
    const search = serializeQuery(query);
    // Header parameters, then the call's headers: a Headers checks them here (a name or value no
    // request can carry is the platform's TypeError, not a network failure) and lower-cases names.
    let sent: Record<string, string> = {};
    if (shapes || headers || ifNoneMatch !== undefined) {
      const checked = new Headers();
      for (const set of [header, headers])
        for (const name in set) if (set[name] != null) checked.set(name, String(set[name]));
      if (ifNoneMatch !== undefined) checked.set("if-none-match", ifNoneMatch);
      sent = entriesOf(checked);
    }
    const answer = await pipeline.send({
      method,
      url: `${origin}${fillPath(template, params)}${search && `?${search}`}`,
      origin,
      headers: sent,
      body,
      signal,
      timeoutMs,
      retry,
      op,
      context: () => {
        const path: Record<string, unknown> = {};
        for (const name of op.pathParams) path[name] = params[name];
        return { schemaPath: op.path, params: { path, query, header } };
      },
    });
    const { response, data } = answer;
    if (ifNoneMatch !== undefined && response.status === 304) {
      const notModified: NotModified = {
        notModified: true,
        etag: response.headers.get("etag") ?? ifNoneMatch,
        status: 304,
      };
      answer.data = notModified;
      return answer;
    }
    if (!response.ok) throw createApiError(response, data, answer, redact);
    validate?.({ operationId: op.operationId, status: response.status, data });
    return answer;
  }

  const client: Record<string, unknown> = {};
  for (const name in definition.operations) {
    const op = definition.operations[name]!;
    if (!shapes && (op.body || op.headerParams || op.responses || op.server))
      throw new TypeError(
        `${op.operationId} has a body, header parameters, non-JSON answers or a server: pass \`shapes\``,
      );
    // `category.method` (a selection over several categories) is `gh.category.method`.
    const dot = name.indexOf(".");
    const target = dot < 0 ? client : ((client[name.slice(0, dot)] ??= {}) as Record<string, unknown>);
    // Worked out once per operation, not per call.
    const method = op.method.toUpperCase();
    const template = splitPath(op.path);
    target[name.slice(dot + 1)] = (params?: Record<string, unknown>, callOptions?: CallOptions) => {
      const full = send(op, method, template, params, callOptions);
      const promise = full.then(dataOf) as ApiPromise<unknown> & { [FULL]: Promise<Answer> };
      promise[FULL] = full;
      promise.withResponse = withResponseOf;
      return promise;
    };
  }
  pipelines.set(client, pipeline);
  return client as GitHubClient<Paths, Ops, ApiVersion>;
}
