import type { RateLimitInfo } from "./errors.js";
import type { RetryOptions } from "./retry-policy.js";

/** Lower-case HTTP methods as they appear in an OpenAPI path item. */
export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** How a successful answer's body is read when it is not JSON: a string, an `ArrayBuffer`, or nothing (`undefined`). */
export type ResponseBodyKind = "text" | "binary" | "none";

/** The request body of an operation. */
export interface BodyDescriptor {
  /**
   * The media type sent as `content-type` (a call's `headers` may replace it: a release asset's
   * own type): JSON bodies are encoded, any other is sent as given.
   */
  readonly mediaType: string;
  /** The description marks the body required: with `fields` and none given, `{}` is sent. */
  readonly required?: true;
  /**
   * The JSON object's field names, taken from the top level of `params` next to the path, query
   * and header parameters. Absent: the whole body is `params.data` (an array, a string, binary,
   * or an object with a field named like a parameter).
   */
  readonly fields?: readonly string[];
}

/**
 * One OpenAPI operation as the generator describes it: where it lives and which of its
 * parameters go into the path, the query string, the headers and the body. Optional fields are
 * only present when they say something (an operation with none is a bodiless JSON GET).
 * @see https://spec.openapis.org/oas/v3.1.0#operation-object
 */
export interface OperationDescriptor {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly headerParams?: readonly string[];
  readonly body?: BodyDescriptor;
  /** Success statuses whose body is not JSON → how it is read; a status not listed is JSON. */
  readonly responses?: { readonly [status: number]: ResponseBodyKind };
  /**
   * The `Accept` header of its requests, when the caller sets none (else `application/vnd.github+json`):
   * for an operation none of whose documented success answers is JSON, GitHub's JSON media type and the
   * documented ones (`application/vnd.github+json, text/html`).
   */
  readonly accept?: string;
  /** GitHub pages this list (`per_page` and `page`, `Link: <…>; rel="next"`): `gh.paginate` takes it. */
  readonly paginated?: true;
  readonly deprecated?: true;
  /**
   * The server the description puts this operation on, when not the API's
   * (`https://uploads.github.com`): the client sends it where `GitHubClientOptions.servers` says.
   */
  readonly server?: string;
}

/** Method name → operation. */
export type OperationMap = { readonly [name: string]: OperationDescriptor };

/**
 * The declared type of a generated package's descriptor: an {@link OperationDescriptor} with its
 * `operationId` (all its method's types are looked up by it in `operations`), not every field's literal
 * type: a whole-API package's declaration file would spell out 1,222 of them, and every consumer's
 * tsc would parse them.
 */
export type DescriptorOf<OperationId extends string> = OperationDescriptor & {
  readonly operationId: OperationId;
};

/** A descriptor whose body's fields go at the top level of `params` (`body.fields`). */
export interface FieldsBody {
  readonly body: BodyDescriptor & { readonly fields: readonly string[] };
}

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

/**
 * The operation object `Op` points at: `Paths[operationId]` when `Paths` is openapi-typescript's
 * `operations` (what generated packages pass: their main entry then needs no `paths`), else
 * `Paths[path][method]` of its `paths`.
 */
export type OperationObject<Paths, Op extends OperationDescriptor> = Op["operationId"] extends keyof Paths
  ? NonNullable<Paths[Op["operationId"]]>
  : Op["path"] extends keyof Paths
    ? Op["method"] extends keyof Paths[Op["path"]]
      ? NonNullable<Paths[Op["path"]][Op["method"]]>
      : never
    : never;

type Present<T> = [NonNullable<T>] extends [never] ? {} : NonNullable<T>;

type ParamsIn<P, K extends string> = Present<P extends { [_ in K]?: infer V } ? V : never>;

/**
 * What a binary request body may be (`application/octet-stream`: a release asset), as `fetch` sends
 * it with its length: bytes (`Uint8Array` and its subclasses, `ArrayBuffer`), a `Blob` (a file from
 * `fs.openAsBlob`), or a string (UTF-8). Not a stream: a retry sends the body again.
 */
export type BinaryBody = string | Blob | ArrayBuffer | ArrayBufferView;

/**
 * The JSON request body type of an openapi-typescript operation, if it has one; else a `text/…`
 * body's type, else (the body is bytes, which openapi-typescript types `string`) {@link BinaryBody}.
 */
type BodyOf<O> = O extends { requestBody?: infer B }
  ? [NonNullable<B>] extends [never]
    ? never
    : NonNullable<B> extends { content: infer C }
      ? "application/json" extends keyof C
        ? C["application/json"]
        : [Extract<keyof C, `${string}json${string}` | `text/${string}`>] extends [never]
          ? BinaryBody
          : C[Extract<keyof C, `${string}json${string}` | `text/${string}`>]
      : never
  : never;

/** A body that is a JSON object: its fields go at the top level of `params`. */
type IsObjectBody<B> = [B] extends [never]
  ? false
  : B extends readonly unknown[] | string | number | boolean | null | Blob | ArrayBuffer | ArrayBufferView
    ? false
    : B extends object
      ? true
      : false;

/** Where the body goes in `params`: `"fields"` (top level) or `"data"`; the generator says which. */
export type BodyPlacement = "fields" | "data";

type BodyParams<O, Placement extends BodyPlacement> = [BodyOf<O>] extends [never]
  ? {}
  : Placement extends "fields"
    ? O extends { requestBody: unknown }
      ? BodyOf<O>
      : Partial<BodyOf<O>>
    : O extends { requestBody: unknown }
      ? { data: BodyOf<O> }
      : { data?: BodyOf<O> };

/**
 * Path, query and header parameters and the request body of an openapi-typescript operation,
 * flattened into one object: a JSON object body's fields at the top level (all optional when the
 * body is), any other body as `data` (`Placement`, by default decided from the body's type).
 */
export type OperationParams<
  O,
  Placement extends BodyPlacement = IsObjectBody<BodyOf<O>> extends true ? "fields" : "data",
> = O extends { parameters: infer P }
  ? ParamsIn<P, "path"> & ParamsIn<P, "query"> & ParamsIn<P, "header"> & BodyParams<O, Placement>
  : BodyParams<O, Placement>;

/** A response's JSON body (`application/json` or another `…json` type), else its first media type; none → `undefined`. */
type BodyOfResponse<R> = R extends { content: infer C }
  ? [keyof C] extends [never]
    ? undefined
    : "application/json" extends keyof C
      ? C["application/json"]
      : C[Extract<keyof C, `${string}json`> extends never ? keyof C : Extract<keyof C, `${string}json`>]
  : undefined;

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207;

/**
 * What the operation resolves with: the bodies of its documented 2xx answers (200, 201, 202, …),
 * `undefined` for one without content (204). A non-JSON answer is `string` as openapi-typescript
 * types it; the generator names `ArrayBuffer` for binary ones.
 */
export type OperationData<O> = O extends { responses: infer R }
  ? [Extract<keyof R, SuccessStatus>] extends [never]
    ? undefined
    : { [S in Extract<keyof R, SuccessStatus>]: BodyOfResponse<R[S]> }[Extract<keyof R, SuccessStatus>]
  : never;

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/**
 * The data of a call with `options`: with `ifNoneMatch`, possibly {@link NotModified}; with a per-call
 * `Accept` that names no JSON media type (`application/vnd.github.diff`, `…patch`, `…sha`, `…raw`),
 * the answer's text.
 */
export type OperationResult<Data, Options> = "ifNoneMatch" extends keyof Options
  ? Options["ifNoneMatch" & keyof Options] extends undefined
    ? AcceptedData<Data, Options>
    : AcceptedData<Data, Options> | NotModified
  : AcceptedData<Data, Options>;

/**
 * `Data`, or the answer's text or bytes when `options.headers` asks for a media type without `json`
 * in it: the runtime then resolves a 2xx answer that is not JSON with its text when it says it is
 * text (GitHub's `application/vnd.github.diff; charset=utf-8`), else with an `ArrayBuffer` (a release
 * asset's `application/octet-stream`). Typed by the `Accept`: `…octet-stream` an `ArrayBuffer`,
 * `…raw` (a file, text or not) either, any other without `json` a `string`. A JSON variant
 * (`application/vnd.github.full+json`) keeps `Data`; a `string` variable may give any of them.
 * (A package whose operations are all bodiless JSON calls, which ships no `shapes` module, reads
 * every such answer as text: the machines packages, whose operations have no other representation.)
 */
type AcceptedData<Data, Options> = Options extends { readonly headers: infer H }
  ? H extends { readonly accept: infer A } | { readonly Accept: infer A }
    ? A extends string
      ? string extends A
        ? Data | string | ArrayBuffer
        : Lowercase<A> extends `${string}json${string}`
          ? Data
          : Lowercase<A> extends `${string}octet-stream${string}`
            ? ArrayBuffer
            : Lowercase<A> extends `${string}raw${string}`
              ? string | ArrayBuffer
              : string
      : Data
    : Data
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
 * Per-call settings of the typed path client, in its init object next to `params`
 * (`GET(path, { params, timeoutMs: 5000 })`): openapi-fetch copies them onto its `Request`.
 */
export interface CallSettings {
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
}

/**
 * A client made by `createClient` (its operation methods aside): what `useMiddleware`,
 * `createPathClient` and `paginate` take.
 */
// biome-ignore lint/complexity/noBannedTypes: any client object; the runtime checks it is one
export type GitHubClientBase = {};

/** Type-only mark of what a client was made from (no such property exists at run time). */
declare const clientOf: unique symbol;

/**
 * A client made from the operation types `Types` (a package's `OperationTypes`) for the API version
 * `ApiVersion`: by a package's `createClient`, or by its `createClientFor` with any of its
 * operations. A package's `createPathClient` takes one of its own, so that its path types are only
 * used over a client that sends its API version (not, say, over the client of the next version's
 * package during a migration). The mark is optional: an object written to a package's client
 * interface (a test double) is one too.
 */
export type GitHubClientOf<Types, ApiVersion extends string = string> = GitHubClientBase & {
  readonly [clientOf]?: { readonly types: Types; readonly apiVersion: ApiVersion };
};

/**
 * The method of the operation `Op` describes, typed from `Paths`: its body placement (`fields` or
 * `data`) and binary answers (`ArrayBuffer`) as the descriptor says, as the generator types them.
 */
export type DescribedMethod<Paths, Op extends OperationDescriptor> = OperationMethod<
  OperationParams<OperationObject<Paths, Op>, Op extends { body: { fields: readonly string[] } } ? "fields" : "data">,
  Op extends { responses: infer R }
    ? "binary" extends R[keyof R]
      ? BinaryData<OperationData<OperationObject<Paths, Op>>>
      : OperationData<OperationObject<Paths, Op>>
    : OperationData<OperationObject<Paths, Op>>
>;

/**
 * The data of an operation with a binary answer: an `ArrayBuffer` beside its other answers (openapi-
 * typescript's `string` for the binary one left out); for a download GitHub documents only as a
 * redirect (`repos/download-zipball-archive`: 302, no 2xx, so `Data` is `undefined`), the `ArrayBuffer`.
 */
export type BinaryData<Data> = [Data] extends [undefined] ? ArrayBuffer : Exclude<Data, string> | ArrayBuffer;

type NamespaceOf<K> = K extends `${infer N}.${string}` ? N : never;

/**
 * One method per operation in `Ops`, typed from `Paths` (openapi-typescript output: its `operations`,
 * looked up by operationId, or its `paths`); a key `category.method` is `client.category.method`, as at run time. The typed
 * path client (`GET`, …) is `createPathClient(client)`. `ApiVersion` is the version its requests
 * send (see {@link GitHubClientOf}).
 */
export type GitHubClient<
  Paths extends {},
  Ops extends OperationMap,
  ApiVersion extends string = string,
> = GitHubClientOf<Paths, ApiVersion> & {
  readonly [K in keyof Ops as K extends `${string}.${string}` ? never : K]: DescribedMethod<Paths, Ops[K]>;
} & {
  readonly [N in NamespaceOf<keyof Ops>]: {
    readonly [K in keyof Ops as K extends `${N}.${infer M}` ? M : never]: DescribedMethod<Paths, Ops[K]>;
  };
};

/** Type-only mark of the methods `paginate` takes (no such property exists at run time). */
declare const pageTypes: unique symbol;

/** The method of an operation GitHub pages (`per_page` + `page`): `gh.paginate` takes it. */
export type PaginatedMethod<Params, Data> = OperationMethod<Params, Data> & {
  readonly [pageTypes]: { params: Params; data: Data };
};

/**
 * One item of a list answer: of the array itself, or of the array property of an object
 * (`{ total_count, <items>: [...] }`, `{ total_seats, seats?: [...] }`).
 */
export type PageItem<Data> = Data extends readonly (infer Item)[]
  ? Item
  : Data extends object
    ? { [K in keyof Data]-?: NonNullable<Data[K]> extends readonly (infer Item)[] ? Item : never }[keyof Data]
    : never;

/** One page of a paginated list: its items (unwrapped from `{ total_count, … }`) and its response. */
export interface Page<Item> {
  data: Item[];
  response: Response;
}

type PaginateArgs<Params> =
  RequiredKeys<Params> extends never
    ? [params?: Params, options?: CallOptions]
    : [params: Params, options?: CallOptions];

/**
 * `gh.paginate(gh.listMethod, params, options?)`: every item of a paginated list, page after page
 * (`Link: <…>; rel="next"`); `gh.paginate.iterator(…)` yields the pages. `options` (`signal`,
 * `timeoutMs`, …) apply to each page's request.
 */
export interface PaginateFunction {
  <Params, Data>(method: PaginatedMethod<Params, Data>, ...args: PaginateArgs<Params>): Promise<PageItem<Data>[]>;
  iterator<Params, Data>(
    method: PaginatedMethod<Params, Data>,
    ...args: PaginateArgs<Params>
  ): AsyncIterableIterator<Page<PageItem<Data>>>;
}

/** What a client with paginated operations adds: `paginate`. */
export interface Paginate {
  readonly paginate: PaginateFunction;
}
