/**
 * A contract failure as data: which check failed, where, and one line for people. Tests assert on
 * `check` and `pointer`; `detail` is for the report and may be reworded freely.
 *
 * `pointer` is an RFC 6901 pointer into what the check looked at:
 * - `/request/…` — the request that reached the mock (`/request/headers/x-github-api-version`,
 *   `/request/path`, `/request/query`, `/request/method`); `/requests` — how many reached it;
 * - `/response/…` — the mock's answer (`/response/status`, `/response/headers/etag`,
 *   `/response/body/machines/0/prebuild_availability`; `*` stands for every array item of an enum site);
 * - `/result` — what the client resolved with; `/error/…` — what it rejected with; `/log/warn` — the
 *   warnings it logged;
 * - `#/…` — a place in the version's OpenAPI description (what the check needed and did not find).
 * Which exchange of the case (an example, a dynamic sample, a retry) is named at the start of `detail`.
 */
export interface CheckFailure {
  check: CheckId;
  pointer: string;
  detail: string;
}

/** Every check a case or negative control can fail, by the thing it holds the client (or mock) to. */
export type CheckId =
  // the case could run at all
  | "operation-in-spec" // the operation is in the version's slice
  | "client-method" // the client package has a method for it
  | "behaviour-defined" // the suite defines behaviour for the documented status
  | "case-crashed" // the check itself threw
  | "response-documented" // the description documents what the case needs (a JSON 2xx, an example, a nullable enum)
  | "schema-present" // the package's ./schemas has the response's schema
  // the request that reached the mock
  | "request-count"
  | "api-version-header"
  | "accept-header"
  | "method"
  | "path"
  | "server" // an operation on a server of its own reached it (the client's `servers` stand-in), no other did
  | "query"
  | "request-body" // exactly the caller's JSON body (or none), as application/json
  | "if-none-match"
  | "prism-request" // Prism's sl-violations about the request
  // the answer
  | "mock-status"
  | "prism-response" // Prism's sl-violations about the response body
  | "ajv-response" // ajv (the package's ./schemas) about the body
  | "body-message" // the mock sent the documented error body (JSON)
  | "etag-present"
  // what the client did with it
  | "client-resolves"
  | "client-rejects"
  | "data-present"
  | "data-equals-body"
  | "data-equals-example"
  | "not-modified-result"
  | "cached-data"
  | "pagination" // paginate / paginate.iterator followed every Link rel="next" and returned every item
  | "redirect-followed" // the client followed a redirect to its Location, with the query it had
  | "redirect-token" // the token went to a redirect's Location at the API's origin, and not to another origin
  | "error-type"
  | "error-status"
  | "error-message"
  | "error-body" // GitHubApiError.body is the body the mock sent
  | "deprecation-warning" // one warning per client for an answer with a Deprecation/Sunset header, none without
  // nullable enums (crafted bodies through `prism proxy`)
  | "enum-in-package-schema"
  | "crafted-served"
  | "prism-flags-outsider"
  | "prism-validates" // Prism validates the response at all (a body of the wrong type draws a violation)
  | "ajv-flags-outsider"
  // negative controls (bare requests Prism must reject)
  | "prism-rejects";

/** `check at pointer: detail`, for logs and for failures folded into a message. */
export const formatFailure = (f: CheckFailure): string => `${f.check} at ${f.pointer || "/"}: ${f.detail}`;

/** `error` as one line: `Name status: message`. */
export const errorText = (error: unknown): string =>
  error instanceof Error
    ? `${error.name}${"status" in error ? ` ${String(error.status)}` : ""}: ${error.message}`
    : String(error);
