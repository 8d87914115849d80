/**
 * @codespaces-clients/runtime — the hand-written core of the generated
 * `@codespaces-clients/machines-*` clients: GitHub REST conventions on top of openapi-fetch.
 * @packageDocumentation
 */
export {
  createGitHubClient,
  type ClientDefinition,
  type GitHubClientOptions,
  type ResponseValidationContext,
  type ResponseValidator,
} from "./create-github-client.js";
export { createMemoryEtagCache, type EtagCache, type EtagCacheEntry } from "./etag-cache.js";
export {
  AuthenticationError,
  BadRequestError,
  GitHubApiError,
  GitHubError,
  GitHubRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  ServerError,
  UnprocessableEntityError,
  type GitHubErrorRequest,
  type RateLimitInfo,
} from "./errors.js";
export type { FetchLike, TokenSource } from "./github-fetch.js";
export type { LogLevel, Logger } from "./logger.js";
export type {
  ApiPromise,
  CallOptions,
  CallSettings,
  BinaryBody,
  BinaryData,
  DescribedMethod,
  DescriptorOf,
  FieldsBody,
  GitHubClient,
  GitHubClientBase,
  GitHubClientOf,
  HttpMethod,
  NotModified,
  OperationData,
  BodyDescriptor,
  BodyPlacement,
  OperationDescriptor,
  OperationMap,
  OperationMethod,
  OperationObject,
  OperationParams,
  ResponseBodyKind,
  OperationResult,
  Page,
  PageItem,
  Paginate,
  PaginatedMethod,
  PaginateFunction,
  WithResponse,
} from "./operation-types.js";
export type { RetryOptions } from "./retry-policy.js";
