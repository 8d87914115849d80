/**
 * openapi-fetch's middleware types (0.17), written out: imported from openapi-fetch, they would put
 * its declarations (and openapi-typescript-helpers') into the type-check of every app that imports
 * the main entry, which is most of that check's cost with `skipLibCheck: false`. Middleware written
 * for openapi-fetch fits these and the other way round (test/types.test-d.ts checks both ways).
 * @packageDocumentation
 */

/** The OpenAPI parameters of a call, by location (openapi-fetch's `MiddlewareRequestParams`). */
export interface MiddlewareRequestParams {
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  path?: Record<string, unknown>;
  cookie?: Record<string, unknown>;
}

/** The client's serializers and settings, read-only (openapi-fetch's `MergedOptions`). */
export interface MergedOptions {
  baseUrl: string;
  parseAs: "json" | "text" | "blob" | "arrayBuffer" | "stream";
  querySerializer: (query: Record<string, unknown>) => string;
  // biome-ignore lint/suspicious/noExplicitAny: openapi-fetch's own type, kept identical
  bodySerializer: (body: undefined) => any;
  pathSerializer: (pathname: string, pathParams: Record<string, unknown>) => string;
  fetch: typeof globalThis.fetch;
}

/** What every hook is given (openapi-fetch's `MiddlewareCallbackParams`). */
export interface MiddlewareCallbackParams {
  /** The current Request. */
  request: Request;
  /** The OpenAPI path template (with its braces). */
  readonly schemaPath: string;
  /** The call's OpenAPI parameters. */
  readonly params: MiddlewareRequestParams;
  /** A unique id of this call. */
  readonly id: string;
  /** The client's options (read-only). */
  readonly options: MergedOptions;
}

type MiddlewareOnRequest = (
  options: MiddlewareCallbackParams,
) => void | Request | Response | undefined | Promise<Request | Response | undefined | void>;
type MiddlewareOnResponse = (
  options: MiddlewareCallbackParams & { response: Response },
) => void | Response | undefined | Promise<Response | undefined | void>;
type MiddlewareOnError = (
  options: MiddlewareCallbackParams & { error: unknown },
) => void | Response | Error | Promise<void | Response | Error>;

/** openapi-fetch middleware: at least one of `onRequest`, `onResponse`, `onError`. */
export type Middleware =
  | { onRequest: MiddlewareOnRequest; onResponse?: MiddlewareOnResponse; onError?: MiddlewareOnError }
  | { onRequest?: MiddlewareOnRequest; onResponse: MiddlewareOnResponse; onError?: MiddlewareOnError }
  | { onRequest?: MiddlewareOnRequest; onResponse?: MiddlewareOnResponse; onError: MiddlewareOnError };
