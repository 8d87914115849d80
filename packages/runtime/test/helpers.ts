import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

/**
 * Lists that grow, with an event per item: `item(n)` resolves once the n-th item (from 0) has
 * been pushed, whether that happened before or after the call. Lets tests wait for "the request
 * arrived" instead of polling with a time budget.
 */
function arrivals<T>() {
  const items: T[] = [];
  const waiting = new Map<number, ReturnType<typeof deferred<T>>>();
  const push = (item: T) => {
    items.push(item);
    waiting.get(items.length - 1)?.resolve(item);
  };
  const item = (n: number): Promise<T> => {
    if (n < items.length) return Promise.resolve(items[n] as T);
    let wait = waiting.get(n);
    if (!wait) waiting.set(n, (wait = deferred<T>()));
    return wait.promise;
  };
  return { items, push, item };
}

/**
 * A `fetch` that records every `Request` it is given and answers with real `Response`s.
 * `request(n)` resolves when the n-th request (from 0) has reached it.
 */
export function recordingFetch(answer: (request: Request, index: number) => Response | Promise<Response>) {
  const { items: requests, push, item } = arrivals<Request>();
  const fetch = async (request: Request) => {
    push(request);
    return answer(request, requests.length - 1);
  };
  return { fetch, requests, request: item };
}

/** JSON `Response` with GitHub's content type. */
export const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { "content-type": "application/json; charset=utf-8", ...(init.headers as Record<string, string>) },
  });

/** A promise together with the functions that settle it: lets a test wait for an event, not for time. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Whether `promise` has settled yet, readable synchronously. Attaches handlers, so a rejection
 * is not reported as unhandled; the caller still awaits `promise` for its outcome.
 */
export function track<T>(promise: Promise<T>) {
  const state = { settled: false };
  promise.then(
    () => void (state.settled = true),
    () => void (state.settled = true),
  );
  return state;
}

/**
 * A `fetch` that never answers: it records each `Request` (`request(n)` resolves when the n-th
 * arrives) and rejects with the request signal's reason once that signal aborts, as a real
 * fetch does. Nothing in it depends on time.
 */
export function hangingFetch() {
  const { items: requests, push, item } = arrivals<Request>();
  const fetch = (request: Request) => {
    push(request);
    return new Promise<Response>((_resolve, reject) => {
      if (request.signal.aborted) return reject(request.signal.reason);
      request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
    });
  };
  return { fetch, requests, request: item };
}

export interface SeenRequest {
  method: string;
  /** The raw request-target the server received, e.g. `/repos/a/b/codespaces/machines?ref=main`. */
  url: string;
  headers: IncomingMessage["headers"];
}

/** What {@link startServer}'s `nextRequest()` reports. */
export interface ArrivedRequest {
  seen: SeenRequest;
  /** Resolves when the server side of the exchange closes; `answered` is false when it closed before a full answer was sent. */
  closed: Promise<{ answered: boolean }>;
}

/** A real HTTP server on 127.0.0.1, port 0, that records what it receives. */
export async function startServer(handle: (req: IncomingMessage, res: ServerResponse, index: number) => void) {
  const seen: SeenRequest[] = [];
  const waiters: Array<(arrived: ArrivedRequest) => void> = [];
  const server = createServer((req, res) => {
    const entry = { method: req.method ?? "", url: req.url ?? "", headers: req.headers };
    seen.push(entry);
    const closed = new Promise<{ answered: boolean }>((resolve) =>
      res.once("close", () => resolve({ answered: res.writableFinished })),
    );
    handle(req, res, seen.length - 1);
    waiters.shift()?.({ seen: entry, closed });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    /**
     * Resolves when the next request reaches the server (an event, not a poll). Call it before
     * sending the request it should report.
     */
    nextRequest: () => new Promise<ArrivedRequest>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Sends a JSON answer from a node:http handler. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * {@link startServer} for the tests of one file: every server it starts is closed after each test
 * (call it at the top level of the file).
 */
export function useServers() {
  const servers: Array<{ close: () => Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (...args: Parameters<typeof startServer>) => {
    const server = await startServer(...args);
    servers.push(server);
    return server;
  };
}
