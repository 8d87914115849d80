import { checkToken } from "./check-option.js";
import { cacheKey, type EtagCache, type EtagCacheEntry } from "./etag-cache.js";
import { GitHubRequestError, ResponseParseError, scrub } from "./errors.js";
import type { Log } from "./logger.js";
import type { OperationDescriptor } from "./operation-types.js";
import { readBody } from "./read-body.js";
import { abortable, backoffDelay, retryDelay, sleep, type RetryOptions, type RetryPolicy } from "./retry-policy.js";

/** A WHATWG `fetch` that takes one `Request`. */
export type FetchLike = (request: Request) => Promise<Response>;

/** A token, or a function called before every attempt that returns the one to send. */
export type TokenSource = string | (() => string | Promise<string>);

/** Everything {@link createGitHubFetch} needs, resolved from the client options. */
export interface GitHubFetchConfig {
  apiVersion: string;
  userAgent: string;
  token?: TokenSource | undefined;
  /** The normalized `baseUrl`: every request must stay under it (the token goes nowhere else). */
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
}

/**
 * Per-call settings. openapi-fetch copies init keys a `Request` does not have onto the `Request`
 * it builds, so operation methods and `gh.GET(path, { timeoutMs })` alike hand them over this way.
 */
export interface CallSettings {
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
  /** Set by operation methods: names the operation in log lines. */
  operationId?: string | undefined;
  /**
   * Set by operation methods: the call's own signal (or none). Reading `Request.signal` makes
   * undici create one, which costs more than the rest of a call's bookkeeping.
   */
  callSignal?: AbortSignal | undefined;
  /** Set by operation methods: success statuses whose body is not JSON (see `OperationDescriptor.responses`). */
  responseBodies?: OperationDescriptor["responses"];
}

/** What the pipeline knows about a `Response` it returned. */
export interface ResponseInfo {
  method: string;
  /** The request URL, token-free. */
  url: string;
  /** The parsed JSON body of a 2xx (`undefined` when empty or not asked for as JSON). */
  data?: unknown;
  /** A 304 answered from the ETag cache: `data` is the cached body. */
  fromCache?: boolean;
}

/** The GitHub layer: the `fetch` handed to openapi-fetch, and what it learned about each answer. */
export interface GitHubTransport {
  fetch: FetchLike;
  info: WeakMap<Response, ResponseInfo>;
}

const VERSION = "x-github-api-version";

/**
 * The one JSON parser of the pipeline: `text` of a 2xx answer, or a {@link ResponseParseError}
 * with status, method and the token-free URL.
 */
export function parseJson(text: string, status: number, method: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ResponseParseError({
      status,
      method,
      url,
      cause,
      message: `${method} ${url}: ${status} body is not JSON: ${(cause as Error).message}`,
    });
  }
}

/**
 * The one request pipeline of a client: openapi-fetch hands every request to it — typed
 * (`GET`, …) and per operation alike, after any user middleware. It adds GitHub's headers, serves
 * 304s from the ETag cache, retries, enforces the total timeout, logs, and reads and parses the
 * answer once under the call's signal.
 * @see https://docs.github.com/en/rest/about-the-rest-api/api-versions
 */
export function createGitHubFetch(config: GitHubFetchConfig): GitHubTransport {
  const { apiVersion, cache, token, log, redact } = config;
  const info = new WeakMap<Response, ResponseInfo>();
  // Deprecation/Sunset warnings already given, per operation.
  const warned = new Set<string>();
  // Throws the platform's TypeError now for a header no request could carry (a userAgent with a
  // line break), instead of at every call.
  new Headers({ "user-agent": config.userAgent });

  async function send(input: Request): Promise<Response> {
    const { method } = input;
    const url = redact(input.url);
    // The typed client appends its path to baseUrl as a string: ":8080/x", "@host/x" or "/../x"
    // would send the token elsewhere. Request URLs are WHATWG-serialized like baseUrl, so a
    // prefix test is exact. Also catches a per-call baseUrl and rewriting middleware.
    if (!input.url.startsWith(`${config.baseUrl}/`))
      throw new TypeError(`${method} ${url} is outside baseUrl ${config.baseUrl}`);
    const settings = input as Request & CallSettings;
    const { headers } = input;
    const version = headers.get(VERSION);
    if (version !== null && version !== apiVersion) {
      throw new TypeError(`${VERSION} must be ${apiVersion}, not ${version}: use the client package for ${version}`);
    }
    headers.set(VERSION, apiVersion);
    if (!headers.has("accept")) headers.set("accept", "application/vnd.github+json");
    if (!headers.has("user-agent")) headers.set("user-agent", config.userAgent);
    const retry: RetryPolicy =
      settings.retry === undefined ? config.retry : { ...config.retry, ...(settings.retry || { retries: 0 }) };
    const timeoutMs = settings.timeoutMs ?? config.timeoutMs;
    // Buffered once so that every attempt can send it again.
    const body = input.body ? await input.clone().arrayBuffer() : undefined;

    // One controller per call, fed by the caller's signals and the total timeout, only when there
    // is a client signal or a timeout: else the request's own signal (the call's) is enough.
    // Node 20's AbortSignal.any()/timeout() hold their sources weakly and can be collected early.
    const sources = ["operationId" in settings ? settings.callSignal : input.signal, config.signal];
    const controller = config.signal || timeoutMs !== undefined ? new AbortController() : undefined;
    const signal = controller ? controller.signal : sources[0];
    const onAbort = (event: Event) => controller!.abort((event.target as AbortSignal).reason);
    if (controller) {
      for (const source of sources) {
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
    // only undici holds can be collected mid-flight and the abort is lost: keep them reachable.
    const reachable: Request[] = [];

    /** Cache lookup, attempts, waits and reading the answer: everything the signal bounds. */
    const exchange = async (): Promise<Response> => {
      let key: string | undefined;
      let cached: EtagCacheEntry | undefined;
      for (let attempt = 0; ; attempt++) {
        if (token) {
          let value = token as string;
          if (typeof token === "function") {
            value = await token();
            checkToken(value, "token()");
            config.remember(value);
          }
          headers.set("authorization", `Bearer ${value}`);
        }
        // A caller's own If-None-Match means they want the 304 themselves: leave the cache out.
        if (attempt === 0 && cache && method === "GET" && !headers.has("if-none-match")) {
          key = cacheKey(method, input.url, headers);
          try {
            cached = await cache.get(key);
          } catch (error) {
            // A failing cache only costs the conditional request.
            log.warn?.(`ETag cache get failed: ${error}`);
          }
          if (cached) headers.set("if-none-match", cached.etag);
        }
        // After every await above (a token function, the cache) and the wait before a retry.
        signal?.throwIfAborted();
        // Built outside the try: a Request that cannot be built is a bug to report, not a
        // network failure to retry. The caller's Request is sent as is when nothing changes.
        const request = body || controller ? new Request(input, { headers, body, signal }) : input;
        reachable.push(request);
        const started = log.debug && Date.now();
        let response: Response;
        try {
          response = await (config.fetch
            ? config.fetch(request)
            : // Nothing to cancel (an operation call without a signal): the platform's fetch builds
              // the only Request it needs from the URL, instead of copying ours and following its
              // signal, which costs a tenth of a loopback request.
              !signal && !body && "operationId" in settings
              ? globalThis.fetch(input.url, { method, headers })
              : globalThis.fetch(request));
        } catch (error) {
          // fetch reports network failures as TypeError; anything else is not ours to retry.
          // (After an abort the call has already rejected with the signal's reason; see below.)
          if (!(error instanceof TypeError)) throw error;
          const message = redact(`${method} ${url} failed after ${attempt + 1} attempt(s): ${error.message}`);
          log.debug?.(`${method} ${url} network error, ${Date.now() - (started as number)}ms, attempt ${attempt + 1}`);
          if (attempt >= retry.retries) {
            throw new GitHubRequestError({ method, url, attempts: attempt + 1, cause: scrub(error, redact), message });
          }
          await wait(backoffDelay(attempt, retry), `${message}; retrying`);
          continue;
        }
        const { status } = response;
        const h = response.headers;
        log.debug?.(
          `${method} ${url} ${status} ${Date.now() - (started as number)}ms attempt ${attempt + 1}` +
            ` request-id ${h.get("x-github-request-id") ?? "-"}${cached && status === 304 ? " cache hit" : ""}`,
        );
        if (log.warn && (h.has("deprecation") || h.has("sunset")))
          deprecated(settings.operationId ?? `${method} ${url.split("?")[0]}`, h);
        // Only 403, 429 and 5xx can be retried.
        const delay = status >= 400 && attempt < retry.retries ? await retryDelay(response, attempt, retry) : undefined;
        // Read here, under the call's signal and timeout, so that they cover the body too.
        if (delay === undefined) return await read(response, cached, key);
        await response.body?.cancel();
        await wait(delay, `${method} ${url} answered ${status}; retrying`);
      }
    };

    /** Sleeps `ms` under the call's signal; a wait of more than a second is a warning. */
    const wait = (ms: number, why: string) => {
      if (ms > 1000) log.warn?.(`${why} in ${Math.ceil(ms / 1000)} s`);
      return sleep(ms, signal);
    };

    /** The answer with its body read and parsed once; a cache hit becomes the 200 it stands for. */
    async function read(
      response: Response,
      cached: EtagCacheEntry | undefined,
      key: string | undefined,
    ): Promise<Response> {
      const { status } = response;
      if (cached && status === 304) {
        const replay = new Headers(response.headers);
        replay.set("content-type", "application/json; charset=utf-8");
        replay.set("etag", response.headers.get("etag") ?? cached.etag);
        const out = new Response(JSON.stringify(cached.data), { status: 200, statusText: "OK", headers: replay });
        info.set(out, { method, url, data: cached.data, fromCache: true });
        return out;
      }
      // An operation's text, binary or bodiless success, read as its description says.
      const kind = response.ok ? settings.responseBodies?.[status] : undefined;
      if (kind) {
        info.set(response, { method, url, data: await readBody(response, kind) });
        return response;
      }
      // fetch gives null-body statuses (204, 304, …) a null body.
      const text = await response.text();
      let data: unknown;
      // Operation methods always want JSON; the typed client when the answer says it is JSON
      // (else its `parseAs` decides).
      const isJson = /json/i.test(response.headers.get("content-type") ?? "");
      if (response.ok && text && (isJson || settings.operationId)) {
        data = parseJson(text, status, method, url);
        const etag = response.headers.get("etag");
        if (key && status === 200 && etag && isJson) {
          try {
            await cache!.set(key, { etag, data });
          } catch (error) {
            log.warn?.(`ETag cache set failed: ${error}`);
          }
        }
      }
      // An operation method takes the parsed data from `info`: it gets GitHub's Response itself,
      // its body read (building another body stream would cost more than the rest of the
      // pipeline). The typed client, and errors, get the body again, for openapi-fetch to parse.
      const out =
        settings.operationId && response.ok
          ? response
          : new Response(text || null, { status, statusText: response.statusText, headers: response.headers });
      info.set(out, { method, url, data });
      return out;
    }

    try {
      // The signal ends the call at once with its reason, whatever the call awaits: fetch and
      // body reads follow the signal themselves, but a custom EtagCache, fetch or token function
      // may ignore it or never settle. Abort listeners run before any promise reaction, so the
      // reason wins over the errors the abort causes inside (e.g. fetch's own AbortError).
      return await abortable(exchange(), signal);
    } finally {
      clearTimeout(timer);
      if (controller) for (const source of sources) source?.removeEventListener("abort", onAbort);
      reachable.length = 0;
    }
  }

  /** Warns once per operation about GitHub's `Deprecation` / `Sunset` headers. */
  function deprecated(operation: string, h: Headers): void {
    if (warned.has(operation)) return;
    warned.add(operation);
    const link = /<([^>]+)>\s*;\s*rel="?(?:deprecation|sunset)/i.exec(h.get("link") ?? "")?.[1];
    log.warn?.(
      `${operation} is deprecated` +
        `${h.has("deprecation") ? ` (Deprecation: ${h.get("deprecation")})` : ""}` +
        `${h.has("sunset") ? `, sunset ${h.get("sunset")}` : ""}${link ? `; see ${link}` : ""}`,
    );
  }

  return { fetch: send, info };
}
