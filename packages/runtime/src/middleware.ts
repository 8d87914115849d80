/**
 * openapi-fetch middleware on a client's pipeline: a subpath of its own, so that an app that
 * registers none neither ships nor runs the code that runs it.
 * @packageDocumentation
 */
import { pipelines, type Call } from "./github-fetch.js";
import type { MergedOptions, Middleware } from "./middleware-types.js";
import type { GitHubClientBase } from "./operation-types.js";
import { serializePath } from "./path-serializer.js";
import { serializeQuery } from "./query-serializer.js";

/**
 * Runs hook `name` of every middleware as openapi-fetch does: `onRequest` in order, the others
 * last registered first. Returns the Response that ends the hooks, or `value`, and the latest
 * Request.
 */
async function runHooks(
  hooks: Middleware[],
  name: keyof Middleware,
  context: object,
  request: Request,
  value?: unknown,
): Promise<[unknown, Request]> {
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
}

/** Every client's middleware, in registration order. */
const registered = new WeakMap<object, Middleware[]>();

/**
 * `client`'s middleware list. The first time, its pipeline's `send` is wrapped: while the list is
 * not empty, every call goes through the hooks, with the Request they see (one is built for a
 * call that has none) and may replace.
 */
function middlewareOf(client: GitHubClientBase): Middleware[] {
  const pipeline = pipelines.get(client);
  if (!pipeline) throw new TypeError("middleware needs a client made by createClient()");
  let list = registered.get(client);
  if (!list) {
    const hooks: Middleware[] = (list = []);
    registered.set(client, list);
    const send = pipeline.send;
    // What middleware is told about operation-method calls (openapi-fetch's `options`; the typed
    // path client's calls bring openapi-fetch's own); frozen, as one middleware must not change
    // what the next one sees.
    const options: MergedOptions = Object.freeze({
      baseUrl: pipeline.baseUrl,
      parseAs: "json",
      querySerializer: serializeQuery,
      pathSerializer: serializePath,
      bodySerializer: JSON.stringify,
      fetch: (pipeline.fetch ?? globalThis.fetch) as typeof globalThis.fetch,
    });
    pipeline.send = async (call: Call) => {
      if (!hooks.length) return send(call);
      // The middleware of this call: registering or ejecting during it changes later calls.
      const active = [...hooks];
      const context = { id: Math.random().toString(36).slice(2), options, ...call.context?.() };
      const { method, url, headers, body, signal } = call;
      let request = call.request ?? new Request(url, { method, headers, body, signal });
      /** Runs hook `name` of every middleware; returns the Response that ends the hooks, or `value`. */
      const run = async (name: keyof Middleware, value?: unknown) => {
        [value, request] = await runHooks(active, name, context, request, value);
        return value;
      };
      // A Response from onRequest is the answer: nothing is sent, and no other hook runs.
      const early = (await run("onRequest")) as Response | undefined;
      return send({
        ...call,
        request,
        method: request.method,
        url: request.url,
        around: async (exchange) => {
          if (early) return early;
          let response: unknown;
          try {
            response = await exchange();
          } catch (error) {
            response = await run("onError", error);
            if (!(response instanceof Response)) throw response;
          }
          return (await run("onResponse", response)) as Response;
        },
      });
    };
  }
  return list;
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
  const list = middlewareOf(client);
  for (const m of middleware) {
    if (!m) continue;
    if (!(m.onRequest || m.onResponse || m.onError))
      throw new TypeError("middleware must have onRequest(), onResponse() or onError()");
    list.push(m);
  }
}

/** Unregisters middleware registered with {@link useMiddleware}. */
export function ejectMiddleware(client: GitHubClientBase, ...middleware: Middleware[]): void {
  const list = middlewareOf(client);
  for (const m of middleware) if (list.includes(m)) list.splice(list.indexOf(m), 1);
}

export type {
  MergedOptions,
  Middleware,
  MiddlewareCallbackParams,
  MiddlewareRequestParams,
} from "./middleware-types.js";
