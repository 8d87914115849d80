import { checkToken } from "./check-option.js";
import { cacheKey, type EtagCache, type EtagCacheEntry } from "./etag-cache.js";
import { GitHubRequestError, ResponseParseError, scrub } from "./errors.js";
import type { Log } from "./logger.js";
import type { MergedOptions, MiddlewareRequestParams } from "./middleware-types.js";
import type { OperationDescriptor } from "./operation-types.js";
import type { RequestShapes } from "./shapes.js";
import { abortable, backoffDelay, retryDelay, sleep, type RetryOptions, type RetryPolicy } from "./retry-policy.js";

/** A WHATWG `fetch` that takes one `Request`. */
export type FetchLike = (request: Request) => Promise<Response>;

/** A token, or a function called before every attempt that returns the one to send. */
export type TokenSource = string | (() => string | Promise<string>);

/** Everything {@link createPipeline} needs, resolved from the client options. */
export interface PipelineConfig {
  apiVersion: string;
  userAgent: string;
  token?: TokenSource | undefined;
  /**
   * The normalized `baseUrl`: every request must stay under it, or under its call's `origin` (an
   * operation on a server of its own); the token goes nowhere else.
   */
  baseUrl: string;
  /** The caller's `fetch`; none means `globalThis.fetch` (looked up on every request). */
  fetch?: FetchLike | undefined;
  retry: RetryPolicy;
  cache: EtagCache | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  log: Log;
  redact: (text: string) => string;
  /** Called with every token a token function returns, before it is sent (for redaction). */
  remember: (token: string) => void;
  /** Reads the non-JSON answers of `Call.op` (`shapes.readBody`, given whenever an operation has them). */
  readBody?: RequestShapes["readBody"] | undefined;
}

/** What user middleware is told about a call besides its `Request` (openapi-fetch's fields). */
export interface CallContext {
  schemaPath: string;
  params: MiddlewareRequestParams;
  /** openapi-fetch's, for the typed path client's calls; the middleware subpath's for the others. */
  options?: MergedOptions;
  id?: string;
}

/**
 * One call as the pipeline takes it, from an operation method (built from its params: no
 * `Request` unless a middleware needs one) or from the typed path client (its `Request`).
 */
export interface Call {
  /** Upper-case HTTP method. */
  method: string;
  /** Absolute URL: `baseUrl` (or `origin`), the serialized path and query. */
  url: string;
  /**
   * Where an operation method's call goes instead of `baseUrl`: the URL of the server its
   * operation is described on (`shapes` resolved it from the client's `servers`). The URL must be
   * under it.
   */
  origin?: string | undefined;
  /**
   * Lower-case names, valid names and values (a `Headers` checked them): the pipeline adds GitHub's
   * to this object, which fetch takes as is (building and reading a `Headers` for every call cost
   * a few percent of a loopback request).
   */
  headers: Record<string, string>;
  body?: BodyInit | null | undefined;
  /** The call's own signal (the client's is added by the pipeline). */
  signal?: AbortSignal | undefined;
  /** Replaces the client's total timeout for this call. */
  timeoutMs?: number | undefined;
  /** Merged over the client's retry policy for this call; `false`: send once. */
  retry?: RetryOptions | false | undefined;
  /**
   * The operation of an operation method: it names the operation in log lines, and any 2xx body is
   * JSON except for the statuses its `responses` list (read by `PipelineConfig.readBody`).
   */
  op?: OperationDescriptor | undefined;
  /** The caller's `Request` (typed path client): copied with GitHub's headers when sent. */
  request?: Request | undefined;
  /** For middleware, built only when there is any; operation methods and the path client give it. */
  context?: (() => CallContext | undefined) | undefined;
  /**
   * Set by registered middleware (middleware.ts): turns the exchange, which it runs or skips,
   * into the Response to read. Hooks run outside the call's signal, as openapi-fetch's do.
   */
  around?: ((exchange: () => Promise<Response>) => Promise<Response>) | undefined;
}

/** A call's answer, its body read once under the call's signal and timeout. */
export interface Answer {
  /** The final `Response` (a cache hit: the 200 it stands for); its body is read unless `fromCache`. */
  response: Response;
  /** 2xx: the parsed JSON body (`undefined` when empty); else the body, parsed when it is JSON. */
  data: unknown;
  /** The body text (empty for a cache hit). */
  text: string;
  fromCache: boolean;
  /** Upper-case method and token-free URL of the request, for errors. */
  method: string;
  url: string;
}

/** The one request path of a client. */
export interface Pipeline {
  /** Replaced by `useMiddleware` (the `middleware` subpath) with one that runs middleware around it. */
  send(call: Call): Promise<Answer>;
  baseUrl: string;
  /** The caller's `fetch`, if any (what middleware is told). */
  readonly fetch: FetchLike | undefined;
  /** What every request sends as `X-GitHub-Api-Version` (`createPathClient` checks it). */
  readonly apiVersion: string;
}

/** Every client's pipeline, for `createPathClient` (see paths.ts). */
export const pipelines = new WeakMap<object, Pipeline>();

const VERSION = "x-github-api-version";

/** Whether an answer says it is JSON. */
const isJson = (response: Response) => /json/i.test(response.headers.get("content-type") ?? "");

/** A `Headers`' lower-case names and values as {@link Call.headers} takes them (own keys, even `__proto__`). */
export const entriesOf = (headers: Headers): Record<string, string> =>
  Object.fromEntries(headers as unknown as Iterable<[string, string]>);

/**
 * The one request pipeline of a client: operation methods and the typed path client hand every
 * call to it. It runs user middleware, adds GitHub's headers, serves 304s from the ETag cache,
 * retries, enforces the total timeout, logs, and reads and parses the answer once under the
 * call's signal.
 * @see https://docs.github.com/en/rest/about-the-rest-api/api-versions
 */
export function createPipeline(config: PipelineConfig): Pipeline {
  // Read once: `config` is a spread of the caller's options, whose properties are slow to look up.
  const { apiVersion, cache, token, log, redact, baseUrl, userAgent, readBody, remember } = config;
  const { retry: clientRetry, timeoutMs: clientTimeoutMs, signal: clientSignal, fetch: clientFetch } = config;
  const pipeline: Pipeline = { send, baseUrl, apiVersion, fetch: clientFetch };
  // Deprecation/Sunset warnings already given, per operation.
  const warned = new Set<string>();
  // Throws the platform's TypeError now for a header no request could carry (a userAgent with a
  // line break), instead of at every call.
  new Headers({ "user-agent": userAgent });

  async function send(call: Call): Promise<Answer> {
    const { method, url, request } = call;
    // The caller's or middleware's Request: its headers, to send with GitHub's.
    const headers = request ? entriesOf(request.headers) : call.headers;
    // An operation call that asks for a media type of its own (`Accept: application/vnd.github.diff`):
    // its 2xx answer is JSON only when it says it is (read).
    const ownAccept = call.op && headers.accept;
    const shown = redact(url);
    // How errors and log lines name the request.
    const line = `${method} ${shown}`;
    const retry: RetryPolicy =
      call.retry === undefined ? clientRetry : { ...clientRetry, ...(call.retry || { retries: 0 }) };
    const timeoutMs = call.timeoutMs ?? clientTimeoutMs;
    // One controller per call, fed by the caller's signals and the total timeout, only when there
    // is a client signal or a timeout: else the call's own signal (if any) is enough.
    // Node 20's AbortSignal.any()/timeout() hold their sources weakly and can be collected early.
    const controller = clientSignal || timeoutMs !== undefined ? new AbortController() : undefined;
    const signal = controller ? controller.signal : call.signal;
    const onAbort = (event: Event) => controller!.abort((event.target as AbortSignal).reason);
    if (controller) {
      for (const source of [call.signal, clientSignal]) {
        if (source?.aborted) controller.abort(source.reason);
        else source?.addEventListener("abort", onAbort);
      }
    }
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => controller!.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
            timeoutMs,
          );
    // undici links a Request's signal to the one it follows through a WeakRef, so a Request that
    // only undici holds can be collected mid-flight and the abort is lost: keep the one in flight
    // reachable until the call ends (an earlier attempt's is done: answered, or failed).
    let sent: Request | undefined;
    let key: string | undefined;
    let cached: EtagCacheEntry | undefined;
    // GitHub's last answer, and the 200 a cache hit became.
    let fetched: Response | undefined;
    let replay: Response | undefined;

    /** Checks, token, cache lookup, attempts and waits: everything the signal bounds. */
    const exchange = async (): Promise<Response> => {
      // Typed paths are appended to baseUrl as strings: ":8080/x", "@host/x" or "/../x" would send
      // the token elsewhere. Request URLs are WHATWG-serialized like baseUrl, so a prefix test is
      // exact. Also catches a per-call baseUrl and rewriting middleware. An operation described on
      // a server of its own (uploads) stays under that server's URL.
      if (!url.startsWith(`${call.origin ?? baseUrl}/`)) throw new TypeError(`${line} is outside baseUrl ${baseUrl}`);
      const version = headers[VERSION] ?? apiVersion;
      if (version !== apiVersion) {
        throw new TypeError(`${VERSION} must be ${apiVersion}, not ${version}: use the client package for ${version}`);
      }
      headers[VERSION] = apiVersion;
      headers.accept ??= call.op?.accept ?? "application/vnd.github+json";
      headers["user-agent"] ??= userAgent;
      // Buffered once so that every attempt can send it again.
      const body = request ? (request.body ? await request.clone().arrayBuffer() : undefined) : call.body;
      for (let attempt = 1; ; attempt++) {
        if (token) {
          let value = token as string;
          if (typeof token === "function") {
            value = await token();
            checkToken(value, "token()");
            remember(value);
          }
          headers.authorization = `Bearer ${value}`;
        }
        // A caller's own If-None-Match means they want the 304 themselves: leave the cache out.
        if (attempt === 1 && cache && method === "GET" && headers["if-none-match"] === undefined) {
          key = cacheKey(method, url, headers);
          try {
            cached = await cache.get(key);
          } catch (error) {
            // A failing cache only costs the conditional request.
            log.warn?.(`ETag cache get failed: ${error}`);
          }
          if (cached) headers["if-none-match"] = cached.etag;
        }
        // After every await above (a token function, the cache) and the wait before a retry.
        signal?.throwIfAborted();
        // Built outside the try: a Request that cannot be built is a bug to report, not a network
        // failure to retry. With nothing to cancel, the platform's fetch builds the only Request
        // it needs from the URL (copying ours and following its signal costs a tenth of a
        // loopback request); the caller's Request (after middleware: the one it returned) is
        // copied with GitHub's headers.
        sent =
          clientFetch || request || signal
            ? new Request(request ?? url, { method, headers, body: body ?? null, signal: signal ?? null })
            : undefined;
        // Only timed for the debug log.
        const started = log.debug && Date.now();
        // Set when the attempt is to be retried: the wait, and why (for the warning of a long one).
        let delay: number | undefined;
        let why!: string;
        let response: Response | undefined;
        try {
          response = await ((clientFetch ?? fetch) as typeof fetch)(
            sent ?? url,
            sent ? undefined : { method, headers, body },
          );
        } catch (error) {
          // fetch reports network failures as TypeError; anything else is not ours to retry.
          // (After an abort the call has already rejected with the signal's reason; see below.)
          if (!(error instanceof TypeError)) throw error;
          why = redact(`${line} failed after ${attempt} attempt(s): ${error.message}`);
          log.debug?.(`${line} network error, ${Date.now() - started!}ms, attempt ${attempt}`);
          if (attempt > retry.retries) {
            throw new GitHubRequestError({
              method,
              url: shown,
              attempts: attempt,
              cause: scrub(error, redact),
              message: why,
            });
          }
          delay = backoffDelay(attempt - 1, retry);
        }
        if (response) {
          fetched = response;
          const { status } = response;
          const h = response.headers;
          log.debug?.(
            `${line} ${status} ${Date.now() - started!}ms attempt ${attempt}` +
              ` request-id ${h.get("x-github-request-id") ?? "-"}${cached && status === 304 ? " cache hit" : ""}`,
          );
          if (log.warn && (h.has("deprecation") || h.has("sunset"))) {
            const operation = call.op?.operationId ?? `${method} ${shown.split("?")[0]}`;
            const link = /<([^>]+)>\s*;\s*rel="?(?:deprecation|sunset)/i.exec(h.get("link") ?? "")?.[1];
            // Once per operation: the set grows only for one not warned about yet.
            if (warned.size < warned.add(operation).size)
              log.warn(
                `${operation} is deprecated` +
                  `${h.has("deprecation") ? ` (Deprecation: ${h.get("deprecation")})` : ""}` +
                  `${h.has("sunset") ? `, sunset ${h.get("sunset")}` : ""}${link ? `; see ${link}` : ""}`,
              );
          }
          // Only 403, 429 and 5xx can be retried.
          delay =
            status >= 400 && attempt <= retry.retries ? await retryDelay(response, attempt - 1, retry) : undefined;
          if (delay === undefined) {
            if (!cached || status !== 304) return response;
            // A cache hit becomes the 200 it stands for, with the 304's headers.
            const replayed = new Headers(h);
            replayed.set("content-type", "application/json; charset=utf-8");
            replayed.set("etag", h.get("etag") ?? cached.etag);
            return (replay = new Response(JSON.stringify(cached.data), {
              status: 200,
              statusText: "OK",
              headers: replayed,
            }));
          }
          await response.body?.cancel();
          why = `${line} answered ${status}`;
        }
        if (delay! > 1000) log.warn?.(`${why}; retrying in ${Math.ceil(delay! / 1000)} s`);
        await sleep(delay!, signal);
      }
    };

    /** The answer with its body read and parsed once (the one JSON parser of the client). */
    const read = async (response: Response): Promise<Answer> => {
      const fromCache = response === replay;
      const answer: Answer = {
        response,
        data: fromCache ? cached!.data : undefined,
        text: "",
        fromCache,
        method,
        url: shown,
      };
      if (fromCache) return answer;
      const { status, ok } = response;
      // An operation's text, binary or bodiless success, read as its description says; or another
      // representation the caller asked for (a diff, a file's raw text, an asset's bytes), read as it
      // came (`shapes.readBody`; a package without non-JSON answers, which has no `shapes`, as text).
      const kind = ok ? call.op?.responses?.[status] : undefined;
      if (kind || (ok && ownAccept && !isJson(response))) {
        answer.data = await (readBody ? readBody(response, kind) : response.text());
        return answer;
      }
      // fetch gives null-body statuses (204, 304, …) a null body.
      const text = (answer.text = await response.text());
      // Operation methods always want JSON; the typed client when the answer says it is JSON
      // (else its `parseAs` decides); an error body whenever it parses.
      // (An operation call without the cache never needs to know.)
      if (text && (call.op || !ok || isJson(response))) {
        try {
          answer.data = JSON.parse(text);
        } catch (cause) {
          if (ok) {
            const message = `${line}: ${status} body is not JSON: ${(cause as Error).message}`;
            throw new ResponseParseError({ status, method, url: shown, cause, message });
          }
          answer.data = text;
        }
        const etag = key && response === fetched && status === 200 && isJson(response) && response.headers.get("etag");
        if (etag) {
          try {
            await cache!.set(key!, { etag, data: answer.data });
          } catch (error) {
            log.warn?.(`ETag cache set failed: ${error}`);
          }
        }
      }
      return answer;
    };

    try {
      // The signal ends the call at once with its reason, whatever the call awaits: fetch and body
      // reads follow the signal themselves, but a custom EtagCache, fetch or token function may
      // ignore it or never settle. Abort listeners run before any promise reaction, so the reason
      // wins over the errors the abort causes inside. The body is read under it too.
      return await abortable(
        call.around ? read(await call.around(() => abortable(exchange(), signal))) : exchange().then(read),
        signal,
      );
    } finally {
      // A timer exists only with a controller.
      if (controller) {
        clearTimeout(timer);
        for (const source of [call.signal, clientSignal]) source?.removeEventListener("abort", onAbort);
      }
      sent = undefined;
    }
  }

  return pipeline;
}
