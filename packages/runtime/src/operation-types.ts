import type { Client, Middleware } from "openapi-fetch";
import type { RateLimitInfo } from "./errors.js";
import type { RetryOptions } from "./retry-policy.js";

/** Lower-case HTTP methods as they appear in an OpenAPI path item. */
export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/**
 * One OpenAPI operation as the generator describes it: where it lives and which of its
 * parameters go into the path and into the query string.
 * @see https://spec.openapis.org/oas/v3.1.0#operation-object
 */
export interface OperationDescriptor {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
}

/** Method name → operation; the generator emits it `as const`. */
export type OperationMap = { readonly [name: string]: OperationDescriptor };

/**
 * The second argument of every operation method: overrides the client's settings for this call.
 * Aborts and timeouts reject with the signal's reason (`AbortError` / `TimeoutError`), as
 * `fetch` does, not with a `GitHubError`.
 */
export interface CallOptions {
  /** Cancels this call at once, also while it waits to retry. */
  signal?: AbortSignal;
  /** Total time for this call, retries included, in ms (1 to 2147483647); replaces the client's. */
  timeoutMs?: number;
  /** Retry policy for this call (merged over the client's), or `false` to send once. */
  retry?: RetryOptions | false;
  /** Extra request headers (`X-GitHub-Api-Version` may only repeat the client's version). */
  headers?: Record<string, string | undefined>;
  /** Sends `If-None-Match` and leaves the client's cache out; a 304 resolves with {@link NotModified}. */
  ifNoneMatch?: string;
}

/** What `withResponse()` gives: the data and what the response said about it. */
export interface WithResponse<Data> {
  data: Data;
  /** The `Response` (for a cache hit: the 200 it stands for, with the 304's headers). */
  response: Response;
  /** The HTTP status GitHub answered: 304 for a cache hit. */
  status: number;
  /** True when GitHub answered 304 and `data` came from the client's ETag cache. */
  fromCache: boolean;
  etag: string | undefined;
  rateLimit: RateLimitInfo;
  /** `x-github-request-id`. */
  requestId: string | undefined;
}

/** The promise of an operation method: the data, or with `.withResponse()` the data and its response. */
export interface ApiPromise<Data> extends Promise<Data> {
  withResponse(): Promise<WithResponse<Data>>;
}

/**
 * What a call with `ifNoneMatch` resolves to when GitHub answers 304 Not Modified.
 * @see https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
 */
export interface NotModified {
  readonly notModified: true;
  readonly etag: string;
  readonly status: 304;
}

/** The operation object `Paths[path][method]` that `Op` points at. */
export type OperationObject<Paths, Op extends OperationDescriptor> = Op["path"] extends keyof Paths
  ? Op["method"] extends keyof Paths[Op["path"]]
    ? NonNullable<Paths[Op["path"]][Op["method"]]>
    : never
  : never;

type Present<T> = [NonNullable<T>] extends [never] ? {} : NonNullable<T>;

/** Path and query parameters of an openapi-typescript operation, flattened into one object. */
export type OperationParams<O> = O extends { parameters: infer P }
  ? Present<P extends { path?: infer Path } ? Path : never> & Present<P extends { query?: infer Query } ? Query : never>
  : {};

type JsonBody<R> = R extends { content: { "application/json": infer D } } ? D : undefined;

/** The JSON body of the operation's 200 (else 201) response; `undefined` for bodiless successes. */
export type OperationData<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonBody<R[200]>
    : 201 extends keyof R
      ? JsonBody<R[201]>
      : undefined
  : never;

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** The data of a call with `options`: with `ifNoneMatch`, possibly {@link NotModified}. */
export type OperationResult<Data, Options> = "ifNoneMatch" extends keyof Options
  ? Options["ifNoneMatch" & keyof Options] extends undefined
    ? Data
    : Data | NotModified
  : Data;

/**
 * One generated method: `(params, options?)`. With `ifNoneMatch` in `options` the result may be
 * {@link NotModified}; without it, it is always the 200 data (a 304 from the client's ETag cache
 * resolves with the cached data).
 */
export type OperationMethod<Params, Data> =
  RequiredKeys<Params> extends never
    ? <const O extends CallOptions = {}>(params?: Params, options?: O) => ApiPromise<OperationResult<Data, O>>
    : <const O extends CallOptions = {}>(params: Params, options?: O) => ApiPromise<OperationResult<Data, O>>;

/**
 * openapi-fetch's typed client (`GET`, `POST`, …, `request`, `use`, `eject`) for the paths of
 * `Paths`, as `createPathClient` makes it.
 */
export type TypedClient<Paths extends {}> = Client<Paths>;

/**
 * Per-call settings of the typed path client, in its init object next to `params`
 * (`GET(path, { params, timeoutMs: 5000 })`): openapi-fetch copies them onto its `Request`.
 */
export interface CallSettings {
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
}

/** What every client has besides its operation methods: openapi-fetch's middleware API. */
export interface GitHubClientBase {
  /**
   * Registers openapi-fetch middleware (`onRequest`, `onResponse`, `onError`) on the client's
   * pipeline: it sees every call, operation methods and the typed path client alike.
   * @see https://openapi-ts.dev/openapi-fetch/middleware-auth
   */
  use(...middleware: Middleware[]): void;
  /** Unregisters middleware. */
  eject(...middleware: Middleware[]): void;
}

/**
 * One method per operation in `Ops`, typed from `Paths` (openapi-typescript output), plus
 * `use`/`eject`. The typed path client (`GET`, …) is `createPathClient(client)`.
 */
export type GitHubClient<Paths extends {}, Ops extends OperationMap> = GitHubClientBase & {
  readonly [K in keyof Ops]: OperationMethod<
    OperationParams<OperationObject<Paths, Ops[K]>>,
    OperationData<OperationObject<Paths, Ops[K]>>
  >;
};
