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
  /** The answer's body, token-free: parsed JSON, else its text; `undefined` when empty. */
  body?: unknown;
}

/** A header's number; `undefined` when absent, empty or not a finite number. */
const num = (value: string | null): number | undefined => {
  const n = value?.trim() ? Number(value) : Number.NaN;
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

/** The rate-limit headers of `headers` (also used for `withResponse()`). */
export const rateLimitOf = (h: Headers): RateLimitInfo => ({
  limit: num(h.get("x-ratelimit-limit")),
  remaining: num(h.get("x-ratelimit-remaining")),
  reset: num(h.get("x-ratelimit-reset")),
  used: num(h.get("x-ratelimit-used")),
  resource: h.get("x-ratelimit-resource") ?? undefined,
});

/**
 * A non-2xx answer from the GitHub REST API (any status except a 304 that the client resolved).
 * `message` and `documentation_url` come from GitHub's `basic-error` body
 * (`{ message, documentation_url }`); for non-JSON or empty bodies `message` says so.
 * Catch a subclass to handle one kind: {@link BadRequestError} (400), {@link AuthenticationError}
 * (401), {@link PermissionDeniedError} (403), {@link NotFoundError} (404),
 * {@link UnprocessableEntityError} (422), {@link RateLimitError} (429 and 403 rate limits),
 * {@link ServerError} (5xx). Other statuses are plain `GitHubApiError`s.
 * Built by the client with the token redacted from every field (see {@link createApiError}).
 * @see https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 */
export class GitHubApiError extends GitHubError {
  static {
    this.prototype.name = "GitHubApiError";
  }
  /** HTTP status code. */
  declare readonly status: number;
  /** The response headers (token-free). */
  declare readonly headers: Headers;
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
  /**
   * The answer's body, token-free: its JSON (any shape: GitHub documents error bodies such as
   * `pulls/merge-async`'s `{ status, details: { message, uuid } }`), else its text; `undefined` when
   * empty. Not in `toJSON()`, whose fields stay small enough for a log line.
   */
  declare readonly body: unknown;

  constructor(init: GitHubApiErrorInit) {
    super(init.message, init);
    const h = init.headers;
    this.status = init.status;
    // Not in toJSON(): a Headers has no JSON form, and a body may be a whole page.
    Object.defineProperties(this, { headers: { value: h }, body: { value: init.body } });
    this.documentation_url = init.documentation_url;
    this.errors = init.errors;
    this.requestId = h.get("x-github-request-id") ?? undefined;
    this.rateLimit = rateLimitOf(h);
    this.retryAfter = num(h.get("retry-after"));
  }
}

/** 400: GitHub could not read the request. */
export class BadRequestError extends GitHubApiError {
  static {
    this.prototype.name = "BadRequestError";
  }
}
/** 401: the token is missing, wrong or expired. */
export class AuthenticationError extends GitHubApiError {
  static {
    this.prototype.name = "AuthenticationError";
  }
}
/** 403 that is not a rate limit: the token may not do this. */
export class PermissionDeniedError extends GitHubApiError {
  static {
    this.prototype.name = "PermissionDeniedError";
  }
}
/** 404: no such resource, or one the token may not see. */
export class NotFoundError extends GitHubApiError {
  static {
    this.prototype.name = "NotFoundError";
  }
}
/** 422: the request was read but refused; see `errors`. */
export class UnprocessableEntityError extends GitHubApiError {
  static {
    this.prototype.name = "UnprocessableEntityError";
  }
}
/**
 * 429, or a 403 that is a (secondary) rate limit, left after the client's retries (or when
 * GitHub asked for a longer wait than `retry.maxDelayMs`). `retryAt` says when to try again.
 * @see https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
export class RateLimitError extends GitHubApiError {
  static {
    this.prototype.name = "RateLimitError";
  }
  /** When GitHub allows the next request (from `retry-after`, else `x-ratelimit-reset`), if it said. */
  declare readonly retryAt: Date | undefined;

  constructor(init: GitHubApiErrorInit) {
    super(init);
    const at = this.retryAfter !== undefined ? Date.now() + this.retryAfter * 1000 : (this.rateLimit.reset ?? 0) * 1000;
    this.retryAt = at ? new Date(at) : undefined;
  }
}
/** 5xx: GitHub (or a proxy in front of it) failed, after the client's retries. */
export class ServerError extends GitHubApiError {
  static {
    this.prototype.name = "ServerError";
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
  // The body for `GitHubApiError.body`, token-free; an object that cannot be made so is left out.
  let kept: unknown = typeof body === "string" ? redact(body) || undefined : body;
  try {
    if (body && typeof body === "object") kept = basic = JSON.parse(redact(JSON.stringify(body)));
  } catch {
    kept = undefined;
  }
  const type = headers.get("content-type")?.split(";")[0];
  const kind =
    body === undefined || body === ""
      ? "empty body"
      : typeof body !== "string"
        ? "JSON body without a message"
        : "non-JSON body";
  const { message, documentation_url, errors } = basic;
  const { status } = response;
  const Kind =
    status === 429 || (status === 403 && isRateLimited(headers, message))
      ? RateLimitError
      : status >= 500
        ? ServerError
        : (KINDS[status] ?? GitHubApiError);
  return new Kind({
    status,
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
    body: kept,
  });
}

const KINDS: Record<number, typeof GitHubApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: UnprocessableEntityError,
};

/**
 * Whether a 403 is a (secondary) rate limit: `retry-after`, `x-ratelimit-remaining: 0`, or a
 * message about a rate limit. Shared by the retry policy and {@link createApiError}.
 * @see https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 */
export const isRateLimited = (h: Headers, message: unknown): boolean =>
  h.has("retry-after") || h.get("x-ratelimit-remaining") === "0" || /rate limit/i.test(String(message));
