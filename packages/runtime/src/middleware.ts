/**
 * openapi-fetch middleware on a client's pipeline: a subpath of its own, so that an app that
 * registers none neither ships nor runs the code that runs it.
 * @packageDocumentation
 */
import type { Middleware } from "openapi-fetch";
import { pipelines, type Pipeline, type RunHooks } from "./github-fetch.js";
import type { GitHubClientBase } from "./operation-types.js";

/**
 * Runs hook `name` of every middleware as openapi-fetch does: `onRequest` in order, the others
 * last registered first. Returns the Response that ends the hooks, or `value`, and the latest
 * Request.
 */
const runHooks: RunHooks = async (hooks, name, context, request, value) => {
  for (const hook of name === "onRequest" ? hooks : [...hooks].reverse()) {
    // `onError` gets `error`, `onResponse` gets `response` (named after the hook); every hook
    // gets the latest `request`, written last so that it wins for `onRequest`.
    const result: unknown = await (hook[name] as ((params: object) => unknown) | undefined)?.({
      ...context,
      [name.slice(2).toLowerCase()]: value,
      request,
    });
    if (result instanceof Response) {
      if (name !== "onResponse") return [result, request];
      value = result;
    } else if (result instanceof Request && name === "onRequest") request = result;
    else if (result instanceof Error && name === "onError") value = result;
    else if (result) {
      throw new TypeError(
        `${name}: must return new ${name === "onRequest" ? "Request() or " : ""}Response()${name === "onError" ? " or an Error" : ""}`,
      );
    }
  }
  return [value, request];
};

function pipelineOf(client: GitHubClientBase): Pipeline {
  const pipeline = pipelines.get(client);
  if (!pipeline) throw new TypeError("middleware needs a client made by createClient()");
  return pipeline;
}

/**
 * Registers openapi-fetch middleware (`onRequest`, `onResponse`, `onError`) on `client`'s
 * pipeline: it sees every call, operation methods and the typed path client alike. Falsy
 * entries are skipped, as openapi-fetch does.
 * @see https://openapi-ts.dev/openapi-fetch/middleware-auth
 */
export function useMiddleware(
  client: GitHubClientBase,
  ...middleware: Array<Middleware | false | null | undefined>
): void {
  const pipeline = pipelineOf(client);
  for (const m of middleware) {
    if (!m) continue;
    if (!(m.onRequest || m.onResponse || m.onError))
      throw new TypeError("middleware must have onRequest(), onResponse() or onError()");
    pipeline.runHooks = runHooks;
    pipeline.middleware.push(m);
  }
}

/** Unregisters middleware registered with {@link useMiddleware}. */
export function ejectMiddleware(client: GitHubClientBase, ...middleware: Middleware[]): void {
  const list = pipelineOf(client).middleware;
  for (const m of middleware) if (list.includes(m)) list.splice(list.indexOf(m), 1);
}

export type { Middleware };
