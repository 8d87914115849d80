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

    const signals = [input.signal];
    if (config.signal) signals.push(config.signal);
    if (config.timeoutMs !== undefined) signals.push(AbortSignal.timeout(config.timeoutMs));
    const signal = signals.length > 1 ? AbortSignal.any(signals) : input.signal;

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
        response = await config.fetch(new Request(input, { headers, body, signal }));
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
      if (cached && response.status === 304) {
        const replay = new Headers(response.headers);
        replay.set("content-type", "application/json; charset=utf-8");
        replay.set("etag", response.headers.get("etag") ?? cached.etag);
        replay.delete("content-length");
        return new Response(JSON.stringify(cached.data), { status: 200, statusText: "OK", headers: replay });
      }
      const etag = response.headers.get("etag");
      if (cache && key && response.status === 200 && etag && /json/i.test(response.headers.get("content-type") ?? "")) {
        await cache.set(key, { etag, data: await response.clone().json() });
      }
      return response;
    }
  };
}
