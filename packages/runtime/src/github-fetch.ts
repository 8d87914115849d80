import { cacheKey, type EtagCache, type EtagCacheEntry } from "./etag-cache.js";
import { GitHubRequestError } from "./errors.js";
import { retryDelay, backoffDelay, sleep, type RetryPolicy } from "./retry-policy.js";

/** A WHATWG `fetch` that takes one `Request`. */
export type FetchLike = (request: Request) => Promise<Response>;

/** Everything {@link createGitHubFetch} needs, resolved from the client options. */
export interface GitHubFetchConfig {
  apiVersion: string;
  userAgent: string;
  token: string | undefined;
  fetch: FetchLike;
  retry: RetryPolicy;
  cache: EtagCache | undefined;
  timeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  redact: (text: string) => string;
}

const VERSION = "x-github-api-version";
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

/**
 * The `fetch` handed to openapi-fetch: adds GitHub's headers, serves 304s from the ETag
 * cache, retries, and enforces the total timeout. Every request of a client, typed
 * (`GET`, …) or per operation, goes through it, after any user middleware.
 * @see https://docs.github.com/en/rest/about-the-rest-api/api-versions
 */
export function createGitHubFetch(config: GitHubFetchConfig): FetchLike {
  return async (input) => {
    const headers = new Headers(input.headers);
    const version = headers.get(VERSION);
    if (version !== null && version !== config.apiVersion) {
      throw new TypeError(
        `This client is generated for GitHub REST API version ${config.apiVersion} and refuses to send ` +
          `${VERSION}: ${version}; use the client package for ${version} instead.`,
      );
    }
    headers.set(VERSION, config.apiVersion);
    if (!headers.has("accept")) headers.set("accept", "application/vnd.github+json");
    if (!headers.has("user-agent")) headers.set("user-agent", config.userAgent);
    if (config.token && !headers.has("authorization")) headers.set("authorization", `Bearer ${config.token}`);

    // One controller per call, fed by the caller's signals and the total timeout. Node 20's
    // AbortSignal.any()/timeout() hold their sources weakly and can be collected before firing.
    const controller = new AbortController();
    const { signal } = controller;
    const sources = [input.signal, config.signal].filter((s): s is AbortSignal => s !== undefined);
    const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
    for (const source of sources) {
      if (source.aborted) controller.abort(source.reason);
      else source.addEventListener("abort", onAbort);
    }
    const timer =
      config.timeoutMs === undefined
        ? undefined
        : setTimeout(() => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), config.timeoutMs);
    // undici links a Request's signal to the one it follows through a WeakRef, so a Request that
    // only undici holds can be collected mid-flight and the abort is lost: keep them reachable.
    const reachable: Request[] = [input];
    try {
      return await send(input, headers, signal, reachable);
    } catch (error) {
      throw signal.aborted ? signal.reason : error;
    } finally {
      clearTimeout(timer);
      for (const source of sources) source.removeEventListener("abort", onAbort);
      reachable.length = 0;
    }
  };

  async function send(input: Request, headers: Headers, signal: AbortSignal, reachable: Request[]): Promise<Response> {
    const { cache } = config;
    let key: string | undefined;
    let cached: EtagCacheEntry | undefined;
    // A caller's own If-None-Match means they want the 304 themselves: leave the cache out.
    if (cache && input.method === "GET" && !headers.has("if-none-match")) {
      key = cacheKey(input, headers);
      cached = await cache.get(key);
      if (cached) headers.set("if-none-match", cached.etag);
    }

    // Buffered once so that every attempt can send it again.
    const body = input.body ? await input.clone().arrayBuffer() : undefined;
    const url = config.redact(input.url);
    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      let response: Response;
      try {
        const request = new Request(input, { headers, body, signal });
        reachable.push(request);
        response = await config.fetch(request);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        // fetch reports network failures as TypeError; anything else is not ours to retry.
        if (!(error instanceof TypeError)) throw error;
        if (attempt >= config.retry.retries) {
          throw new GitHubRequestError({
            method: input.method,
            url,
            attempts: attempt + 1,
            cause: error,
            message: config.redact(
              `${input.method} ${input.url} failed after ${attempt + 1} attempt(s): ${error.message}`,
            ),
          });
        }
        await sleep(backoffDelay(attempt, config.retry), signal);
        continue;
      }
      const delay = attempt < config.retry.retries ? await retryDelay(response, attempt, config.retry) : undefined;
      if (delay === undefined) return finish(response);
      await response.body?.cancel();
      await sleep(delay, signal);
    }

    async function finish(response: Response): Promise<Response> {
      // Read here, under the call's signal and timeout, so that they cover the body too.
      const bytes = NULL_BODY_STATUS.has(response.status) ? null : await response.arrayBuffer();
      const init = { status: response.status, statusText: response.statusText, headers: response.headers };
      if (cached && response.status === 304) {
        const replay = new Headers(response.headers);
        replay.set("content-type", "application/json; charset=utf-8");
        replay.set("etag", response.headers.get("etag") ?? cached.etag);
        replay.delete("content-length");
        return new Response(JSON.stringify(cached.data), { status: 200, statusText: "OK", headers: replay });
      }
      const etag = response.headers.get("etag");
      if (cache && key && bytes && response.status === 200 && etag && /json/i.test(response.headers.get("content-type") ?? "")) {
        await cache.set(key, { etag, data: JSON.parse(new TextDecoder().decode(bytes)) });
      }
      return new Response(bytes, init);
    }
  }
}
