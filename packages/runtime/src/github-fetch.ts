import { cacheKey, type EtagCache, type EtagCacheEntry } from "./etag-cache.js";
import { GitHubRequestError, scrub } from "./errors.js";
import { abortable, retryDelay, backoffDelay, sleep, type RetryPolicy } from "./retry-policy.js";

/** A WHATWG `fetch` that takes one `Request`. */
export type FetchLike = (request: Request) => Promise<Response>;

/** Everything {@link createGitHubFetch} needs, resolved from the client options. */
export interface GitHubFetchConfig {
  apiVersion: string;
  userAgent: string;
  token?: string | undefined;
  /** The normalized `baseUrl`: every request must stay under it (the token goes nowhere else). */
  baseUrl: string;
  /** The caller's `fetch`; none means `globalThis.fetch` (looked up on every request). */
  fetch?: FetchLike | undefined;
  retry: RetryPolicy;
  cache: EtagCache | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  redact: (text: string) => string;
}

/** A GitHub answer whose body has been read (under the call's signal and timeout). */
export interface ReadResponse {
  response: Response;
  /** The body text of a 2xx, as openapi-fetch gives it with `parseAs: "text"` (parsed by the caller). */
  data?: string | undefined;
  /** The body of a non-2xx: JSON value, else raw text. */
  error?: unknown;
}

/** The GitHub layer: the `fetch` handed to openapi-fetch, and a direct path for operation methods. */
export interface GitHubTransport {
  fetch: FetchLike;
  /** Sends a bodiless request to the full `url`; `headers` (per-call ones) may be left out. */
  send(
    method: string,
    url: string,
    headers: Headers | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ReadResponse>;
}

type Reader<T> = (response: Response, cached: EtagCacheEntry | undefined, key: string | undefined) => Promise<T>;

const VERSION = "x-github-api-version";

/** The URL as a `Request` would report it (WHATWG-serialized). */
export const href = (url: string): string => new URL(url).href;

/**
 * Adds GitHub's headers, serves 304s from the ETag cache, retries, and enforces the total
 * timeout. Every request of a client, typed (`GET`, …, after any user middleware) or per
 * operation, goes through it.
 * @see https://docs.github.com/en/rest/about-the-rest-api/api-versions
 */
export function createGitHubFetch(config: GitHubFetchConfig): GitHubTransport {
  const { apiVersion, cache, retry, timeoutMs } = config;
  // Sent as is when a call adds no headers of its own: no Headers object per call.
  const base: Record<string, string> = {
    accept: "application/vnd.github+json",
    [VERSION]: apiVersion,
    "user-agent": config.userAgent,
  };
  if (config.token) base.authorization = `Bearer ${config.token}`;
  // Throws the platform's TypeError now for a header no request could carry (a userAgent with
  // a line break), instead of at every call.
  new Headers(base);

  /** Checks the API version and fills in GitHub's headers where the caller set none. */
  function complete(headers: Headers): Record<string, string> {
    const version = headers.get(VERSION);
    if (version !== null && version !== apiVersion) {
      throw new TypeError(`${VERSION} must be ${apiVersion}, not ${version}: use the client package for ${version}`);
    }
    for (const name in base) if (!headers.has(name) || name === VERSION) headers.set(name, base[name] as string);
    // forEach, not Object.fromEntries(headers): consumers' `lib: ["DOM"]` has no Headers iterator.
    const out: Record<string, string> = {};
    headers.forEach((value, name) => (out[name] = value));
    return out;
  }

  return {
    fetch: async (input) => {
      // The typed client appends its path to baseUrl as a string: ":8080/x", "@host/x" or
      // "/../x" would send the token elsewhere. Request URLs are WHATWG-serialized like baseUrl,
      // so a prefix test is exact. Also catches a per-call baseUrl and rewriting middleware.
      if (!input.url.startsWith(`${config.baseUrl}/`)) {
        throw new TypeError(`${input.method} ${config.redact(input.url)} is outside baseUrl ${config.baseUrl}`);
      }
      return run(
        input.method,
        input.url,
        complete(new Headers(input.headers)),
        // Buffered once so that every attempt can send it again.
        input.body ? await input.clone().arrayBuffer() : undefined,
        input.signal,
        input,
        rewrap,
      );
    },
    send: (method, url, headers, signal) =>
      run(method, url, headers ? complete(headers) : base, undefined, signal, undefined, parse),
  };

  async function run<T>(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: ArrayBuffer | undefined,
    callSignal: AbortSignal | undefined,
    template: Request | undefined,
    read: Reader<T>,
  ): Promise<T> {
    // One controller per call, fed by the caller's signals and the total timeout, but only when
    // there is one of those. Node 20's AbortSignal.any()/timeout() hold their sources weakly and
    // can be collected before firing.
    const sources = [callSignal, config.signal].filter(Boolean) as AbortSignal[];
    const controller = sources.length || timeoutMs !== undefined ? new AbortController() : undefined;
    const signal = controller?.signal;
    const onAbort = (event: Event) => controller!.abort((event.target as AbortSignal).reason);
    for (const source of sources) {
      if (source.aborted) controller!.abort(source.reason);
      else source.addEventListener("abort", onAbort);
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
    const exchange = async (): Promise<T> => {
      let key: string | undefined;
      let cached: EtagCacheEntry | undefined;
      // A caller's own If-None-Match means they want the 304 themselves: leave the cache out.
      if (cache && method === "GET" && headers["if-none-match"] === undefined) {
        key = cacheKey(method, href(url), headers);
        try {
          cached = await cache.get(key);
        } catch {
          // A failing cache only costs the conditional request. (Report it through the client's
          // logging hook once there is one; none exists yet.)
        }
        if (cached) headers = { ...headers, "if-none-match": cached.etag };
      }
      for (let attempt = 0; ; attempt++) {
        signal?.throwIfAborted();
        // Built outside the try: a Request that cannot be built is a bug to report, not a
        // network failure to retry.
        const request =
          template || signal || config.fetch
            ? template
              ? new Request(template, { headers, body, signal })
              : new Request(url, { method, headers, signal })
            : undefined;
        let response: Response;
        try {
          if (request) {
            reachable.push(request);
            response = await (config.fetch ?? globalThis.fetch)(request);
          } else {
            // Nothing to cancel and the platform's fetch: let it build the only Request.
            response = await globalThis.fetch(url, { method, headers });
          }
        } catch (error) {
          // fetch reports network failures as TypeError; anything else is not ours to retry.
          // (After an abort the call has already rejected with the signal's reason; see below.)
          if (!(error instanceof TypeError)) throw error;
          if (attempt >= retry.retries) {
            const full = href(url);
            throw new GitHubRequestError({
              method,
              url: config.redact(full),
              attempts: attempt + 1,
              cause: scrub(error, config.redact),
              message: config.redact(`${method} ${full} failed after ${attempt + 1} attempt(s): ${error.message}`),
            });
          }
          await sleep(backoffDelay(attempt, retry), signal);
          continue;
        }
        // Only 403, 429 and 5xx can be retried.
        const delay =
          response.status >= 400 && attempt < retry.retries ? await retryDelay(response, attempt, retry) : undefined;
        // Read here, under the call's signal and timeout, so that they cover the body too.
        if (delay === undefined) return await read(response, cached, key);
        await response.body?.cancel();
        await sleep(delay, signal);
      }
    };

    try {
      // The signal ends the call at once with its reason, whatever the call awaits: fetch and
      // body reads follow the signal themselves, but a custom EtagCache (or fetch) may ignore it
      // or never settle. Abort listeners run before any promise reaction, so the reason wins
      // over the errors the abort causes inside (e.g. fetch's own AbortError).
      return await abortable(exchange(), signal);
    } finally {
      clearTimeout(timer);
      for (const source of sources) source.removeEventListener("abort", onAbort);
      reachable.length = 0;
    }
  }

  /** Stores a cacheable 200 (an `ETag` and a JSON body); a body that is not JSON, or a failing cache, is skipped. */
  async function store(response: Response, key: string | undefined, body: string | ArrayBuffer): Promise<void> {
    const etag = response.headers.get("etag");
    if (cache && key && response.status === 200 && etag && /json/i.test(response.headers.get("content-type") ?? "")) {
      try {
        await cache.set(key, { etag, data: await new Response(body).json() });
      } catch {
        // As for get: report it through the client's logging hook once there is one.
      }
    }
  }

  /** For openapi-fetch: the answer with its body read, a cache hit turned into a 200. */
  async function rewrap(
    response: Response,
    cached: EtagCacheEntry | undefined,
    key: string | undefined,
  ): Promise<Response> {
    // fetch gives null-body statuses (204, 304, …) a null body.
    const bytes = response.body && (await response.arrayBuffer());
    if (cached && response.status === 304) {
      const replay = new Headers(response.headers);
      replay.set("content-type", "application/json; charset=utf-8");
      replay.set("etag", response.headers.get("etag") ?? cached.etag);
      replay.delete("content-length");
      return new Response(JSON.stringify(cached.data), { status: 200, statusText: "OK", headers: replay });
    }
    if (bytes) await store(response, key, bytes);
    return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /**
   * For operation methods: what openapi-fetch (`parseAs: "text"`) makes of {@link rewrap}'s
   * answer; the caller parses 2xx bodies. fetch gives 204, 304 and HEAD answers an empty body.
   */
  async function parse(
    response: Response,
    cached: EtagCacheEntry | undefined,
    key: string | undefined,
  ): Promise<ReadResponse> {
    // A cache hit: the 200 that the typed client sees (and nothing to store).
    if (cached && response.status === 304) (response = await rewrap(response, cached, key)), (key = undefined);
    const text = await response.text();
    await store(response, key, text);
    if (response.ok) return { response, data: text };
    let error: unknown = text;
    try {
      error = JSON.parse(text);
    } catch {}
    return { response, error };
  }
}
