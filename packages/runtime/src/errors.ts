/**
 * Rate-limit state GitHub reports on every REST response.
 * @see https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit
 */
export interface RateLimitInfo {
  /** `x-ratelimit-limit`: requests allowed per window. */
  limit?: number;
  /** `x-ratelimit-remaining`: requests left in the current window. */
  remaining?: number;
  /** `x-ratelimit-reset`: when the window resets, in epoch seconds. */
  reset?: number;
  /** `x-ratelimit-used`: requests made in the current window. */
  used?: number;
  /** `x-ratelimit-resource`: which limit applies (`core`, `search`, …). */
  resource?: string;
}

/** What {@link GitHubApiError} is built from; `url` must already be redacted. */
export interface GitHubApiErrorInit {
  status: number;
  message: string;
  method: string;
  url: string;
  headers: Headers;
  documentation_url?: string | undefined;
  errors?: unknown[] | undefined;
}

const num = (value: string | null): number | undefined => {
  if (value === null || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * A non-2xx answer from the GitHub REST API (any status except a 304 that the client resolved).
 * `message` and `documentation_url` come from GitHub's `basic-error` body
 * (`{ message, documentation_url }`); for non-JSON or empty bodies `message` says so.
 * The token is never stored on the error, and is redacted from `message` and `url`.
 * @see https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 */
export class GitHubApiError extends Error {
  static {
    this.prototype.name = "GitHubApiError";
  }
  /** HTTP status code. */
  readonly status: number;
  /** Link to the GitHub documentation for this error, from the body. */
  readonly documentation_url: string | undefined;
  /** Validation details GitHub sends with 422 (`validation-error.errors`). */
  readonly errors: unknown[] | undefined;
  /** `x-github-request-id`: quote it when you contact GitHub support. */
  readonly requestId: string | undefined;
  /** Rate-limit headers of the failing response. */
  readonly rateLimit: RateLimitInfo;
  /** `retry-after` in seconds, when GitHub sent it (429 and secondary rate limits). */
  readonly retryAfter: number | undefined;
  /** Upper-case HTTP method of the request. */
  readonly method: string;
  /** Full request URL (token-free). */
  readonly url: string;

  constructor(init: GitHubApiErrorInit) {
    super(init.message);
    const h = init.headers;
    this.status = init.status;
    this.documentation_url = init.documentation_url;
    this.errors = init.errors;
    this.requestId = h.get("x-github-request-id") ?? undefined;
    this.rateLimit = {
      limit: num(h.get("x-ratelimit-limit")),
      remaining: num(h.get("x-ratelimit-remaining")),
      reset: num(h.get("x-ratelimit-reset")),
      used: num(h.get("x-ratelimit-used")),
      resource: h.get("x-ratelimit-resource") ?? undefined,
    };
    this.retryAfter = num(h.get("retry-after"));
    this.method = init.method;
    this.url = init.url;
  }

  /** Plain, token-free fields for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    // Own fields are all token-free; `stack` is left out on purpose.
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/**
 * The request never got an HTTP answer: `fetch` kept failing with a network error
 * (a `TypeError`) on every attempt. The original error is `cause`.
 * Aborts and timeouts are not wrapped: they reject with the signal's own
 * `AbortError` / `TimeoutError`.
 */
export class GitHubRequestError extends Error {
  static {
    this.prototype.name = "GitHubRequestError";
  }
  /** Upper-case HTTP method of the request. */
  readonly method: string;
  /** Full request URL (token-free). */
  readonly url: string;
  /** How many times the request was sent. */
  readonly attempts: number;

  constructor(init: { method: string; url: string; attempts: number; cause: unknown; message: string }) {
    super(init.message, { cause: init.cause });
    this.method = init.method;
    this.url = init.url;
    this.attempts = init.attempts;
  }

  /** Plain, token-free fields for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    // `cause` (the fetch error) is non-enumerable and stays out.
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/**
 * Builds the {@link GitHubApiError} for a non-2xx `response` whose body openapi-fetch parsed
 * into `body` (JSON value, raw text, or `undefined` when empty).
 */
export function createApiError(
  response: Response,
  body: unknown,
  request: { method: string; url: string },
  redact: (text: string) => string,
): GitHubApiError {
  const basic = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
  let message: string;
  if (typeof basic?.message === "string") {
    message = basic.message;
  } else {
    const type = response.headers.get("content-type")?.split(";")[0];
    const kind = body === undefined || body === "" ? "empty body" : basic || typeof body !== "string" ? "JSON body without a message" : "non-JSON body";
    message = `HTTP ${response.status} ${response.statusText}`.trimEnd() + ` (${kind}${type ? `, ${type}` : ""})`;
  }
  return new GitHubApiError({
    status: response.status,
    message: redact(message),
    method: request.method,
    url: redact(request.url),
    headers: response.headers,
    documentation_url: typeof basic?.documentation_url === "string" ? basic.documentation_url : undefined,
    errors: Array.isArray(basic?.errors) ? basic.errors : undefined,
  });
}
