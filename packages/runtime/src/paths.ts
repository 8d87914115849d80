/**
 * The typed path client (openapi-fetch) over a client's pipeline: a subpath of its own, so that
 * an app that only calls operation methods neither ships nor runs openapi-fetch.
 * @packageDocumentation
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { pipelines, type CallContext } from "./github-fetch.js";
import { ejectMiddleware, useMiddleware } from "./middleware.js";
import type { CallSettings, GitHubClientBase } from "./operation-types.js";
import { serializePath } from "./path-serializer.js";
import { serializeQuery } from "./query-serializer.js";

export type { GitHubClientOf } from "./operation-types.js";

/**
 * openapi-fetch's typed client (`GET`, `POST`, …, `request`, `use`, `eject`) for the paths of
 * `Paths`, as {@link createPathClient} makes it. Here, not in the main entry: its types are
 * openapi-fetch's, which an app that imports only the main entry does not type-check.
 */
export type TypedClient<Paths extends {}> = Client<Paths>;

/**
 * openapi-fetch's typed client (`GET`, `POST`, …, `request`) for the paths of `Paths`, sending
 * through `client`'s pipeline: the same headers, token, ETag cache, retries, timeout, logging and
 * errors as its operation methods. Its `use`/`eject` are `useMiddleware`/`ejectMiddleware` on
 * `client`: middleware registered on either sees the calls of both. Per-call `timeoutMs` and `retry` go in the init object
 * (`GET(path, { params, timeoutMs: 5000 })`). With `expected.apiVersion` (a generated package passes
 * its own), a client that sends another version is a `TypeError`.
 * @see https://openapi-ts.dev/openapi-fetch/api
 */
export function createPathClient<Paths extends {}>(
  client: GitHubClientBase,
  expected: { apiVersion?: string } = {},
): TypedClient<Paths> {
  const pipeline = pipelines.get(client);
  if (!pipeline) throw new TypeError("createPathClient needs a client made by createClient()");
  // A generated package's `createPathClient` names its version: `Paths` are that version's, and a
  // client of another version's package would send its own under them. TypeScript callers get a
  // type error first (`GitHubClientOf`); this is the same check for JavaScript callers.
  if (expected.apiVersion !== undefined && expected.apiVersion !== pipeline.apiVersion)
    throw new TypeError(
      `createPathClient: these paths are of GitHub API version ${expected.apiVersion}, but the client sends ${pipeline.apiVersion} (a client of another version's package)`,
    );
  // What openapi-fetch tells middleware about a call (path template, params, id), handed to the
  // pipeline, where the client's middleware runs.
  const contexts = new WeakMap<Request, CallContext>();
  const paths = createClient<Paths>({
    baseUrl: pipeline.baseUrl,
    pathSerializer: serializePath,
    querySerializer: serializeQuery,
    fetch: async (input) => {
      const request = input as Request & CallSettings;
      const { response, text } = await pipeline.send({
        method: request.method,
        url: request.url,
        headers: {},
        signal: request.signal,
        // Init keys a Request does not have, which openapi-fetch copies onto it.
        timeoutMs: request.timeoutMs,
        retry: request.retry,
        request,
        context: () => contexts.get(request),
      });
      // openapi-fetch parses the body again for its { data, error } (a cache hit's is unread).
      return response.bodyUsed
        ? new Response(text || null, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          })
        : response;
    },
  });
  const context: Middleware = { onRequest: (params) => void contexts.set(params.request, params) };
  paths.use(context);
  return {
    ...paths,
    use: (...middleware) => useMiddleware(client, ...middleware),
    eject: (...middleware) => ejectMiddleware(client, ...middleware),
  };
}
