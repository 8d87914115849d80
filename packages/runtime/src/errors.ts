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

/** What every {@link GitHubError} knows about the request it is about. */
export interface GitHubErrorRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Full request URL, already token-free. */
  url: string;
}

/**
 * Base of the errors a call raises about its exchange with GitHub: {@link GitHubApiError},
 * {@link GitHubRequestError} and {@link ResponseParseError}. Catch it to handle all three.
 * Every field, the message and the `cause` chain are token-free, and `toJSON()` gives the
 * plain fields for logs.
 */
export class GitHubError extends Error {
  static {
    this.prototype.name = "GitHubError";
  }
  /** Upper-case HTTP method of the request. */
  declare readonly method: string;
  /** Full request URL (token-free). */
  declare readonly url: string;

  constructor(message: string, request: GitHubErrorRequest, options?: ErrorOptions) {
    super(message, options);
    this.method = request.method;
    this.url = request.url;
  }

  /** Plain, token-free fields for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    // Own fields are all token-free; `stack` and `cause` (non-enumerable) stay out.
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/**
 * A non-2xx answer from the GitHub REST API (any status except a 304 that the client resolved).
 * `message` and `documentation_url` come from GitHub's `basic-error` body
 * (`{ message, documentation_url }`); for non-JSON or empty bodies `message` says so.
 * Built by the client with the token redacted from every field (see {@link createApiError}).
 * @see https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 */
export class GitHubApiError extends GitHubError {
  static {
    this.prototype.name = "GitHubApiError";
  }
  /** HTTP status code. */
  declare readonly status: number;
  /** Link to the GitHub documentation for this error, from the body. */
  declare readonly documentation_url: string | undefined;
  /** Validation details GitHub sends with 422 (`validation-error.errors`). */
  declare readonly errors: unknown[] | undefined;
  /** `x-github-request-id`: quote it when you contact GitHub support. */
  declare readonly requestId: string | undefined;
  /** Rate-limit headers of the failing response. */
  declare readonly rateLimit: RateLimitInfo;
  /** `retry-after` in seconds, when GitHub sent it (429 and secondary rate limits). */
  declare readonly retryAfter: number | undefined;

  constructor(init: GitHubApiErrorInit) {
    super(init.message, init);
    const h = init.headers;
    const text = (name: string) => h.get(name) ?? undefined;
    this.status = init.status;
    this.documentation_url = init.documentation_url;
    this.errors = init.errors;
    this.requestId = text("x-github-request-id");
    this.rateLimit = {
      limit: num(h.get("x-ratelimit-limit")),
      remaining: num(h.get("x-ratelimit-remaining")),
      reset: num(h.get("x-ratelimit-reset")),
      used: num(h.get("x-ratelimit-used")),
      resource: text("x-ratelimit-resource"),
    };
    this.retryAfter = num(h.get("retry-after"));
  }
}

/**
 * The request never got an HTTP answer: `fetch` kept failing with a network error
 * (a `TypeError`) on every attempt. The original error is `cause` (token redacted).
 * Aborts and timeouts are not wrapped: they reject with the signal's own
 * `AbortError` / `TimeoutError`.
 */
export class GitHubRequestError extends GitHubError {
  static {
    this.prototype.name = "GitHubRequestError";
  }
  /** How many times the request was sent. */
  declare readonly attempts: number;

  constructor(init: GitHubErrorRequest & { attempts: number; cause: unknown; message: string }) {
    super(init.message, init, init);
    this.attempts = init.attempts;
  }
}

/**
 * A 2xx answer whose body is not JSON (an HTML maintenance page, a truncated body): the
 * `SyntaxError` of `JSON.parse` is `cause` (token redacted), with the status and request it
 * lacks. Not a {@link GitHubApiError}: the status was a success.
 */
export class ResponseParseError extends GitHubError {
  static {
    this.prototype.name = "ResponseParseError";
  }
  /** HTTP status code of the answer. */
  declare readonly status: number;

  constructor(init: GitHubErrorRequest & { status: number; cause: unknown; message: string }) {
    super(init.message, init, init);
    this.status = init.status;
  }
}

/**
 * Removes the token from `error`'s `message` and `stack` and those of its `cause` chain, in
 * place, and returns it: for errors the client did not make (fetch's, `JSON.parse`'s) that it
 * hands on as `cause`. V8's `JSON.parse` messages quote the body.
 */
export function scrub<T>(error: T, redact: (text: string) => string): T {
  try {
    // Bounded: a cause chain may loop.
    for (let e: unknown = error, depth = 0; e instanceof Error && depth < 9; e = e.cause, depth++) {
      e.message = redact(e.message);
      e.stack &&= redact(e.stack);
    }
  } catch {
    // A frozen error keeps its text; the error it is about matters more.
  }
  return error;
}

/**
 * Builds the {@link GitHubApiError} for a non-2xx `response` whose body openapi-fetch parsed
 * into `body` (JSON value, raw text, or `undefined` when empty). A server may echo the token
 * anywhere (a proxy reflecting the `Authorization` header): body and headers are redacted
 * before any field is taken from them.
 */
export function createApiError(
  response: Response,
  body: unknown,
  request: GitHubErrorRequest,
  redact: (text: string) => string,
): GitHubApiError {
  const headers = new Headers();
  response.headers.forEach((value, name) => headers.set(name, redact(value)));
  // Parsed JSON survives the round trip unchanged, the token aside (validated to need no JSON
  // escaping, see createGitHubClient). A token short enough to occur inside a number or literal
  // could break the JSON: then nothing is taken from the body.
  let basic: Record<string, unknown> = {};
  try {
    if (body !== null && typeof body === "object") basic = JSON.parse(redact(JSON.stringify(body)));
  } catch {}
  const type = headers.get("content-type")?.split(";")[0];
  const kind =
    body === undefined || body === ""
      ? "empty body"
      : typeof body !== "string"
        ? "JSON body without a message"
        : "non-JSON body";
  const { message, documentation_url, errors } = basic;
  return new GitHubApiError({
    status: response.status,
    message: redact(
      typeof message === "string"
        ? message
        : `HTTP ${response.status} ${response.statusText}`.trimEnd() + ` (${kind}${type ? `, ${type}` : ""})`,
    ),
    method: request.method,
    url: redact(request.url),
    headers,
    documentation_url: typeof documentation_url === "string" ? documentation_url : undefined,
    errors: Array.isArray(errors) ? errors : undefined,
  });
}
