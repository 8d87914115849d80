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
  GitHubApiError,
  GitHubError,
  GitHubRequestError,
  ResponseParseError,
  type GitHubErrorRequest,
  type RateLimitInfo,
} from "./errors.js";
export type { FetchLike } from "./github-fetch.js";
export type {
  CallOptions,
  GitHubClient,
  HttpMethod,
  NotModified,
  OperationData,
  OperationDescriptor,
  OperationMap,
  OperationMethod,
  OperationObject,
  OperationParams,
} from "./operation-types.js";
export type { RetryOptions } from "./retry-policy.js";
