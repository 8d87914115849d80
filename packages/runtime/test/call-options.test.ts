import { describe, expect, it, vi } from "vitest";
import { GitHubApiError, NotFoundError } from "../src/index.js";
import { createClient, createPathClient, MACHINES } from "./fixtures/client.js";
import { deferred, sendJson, track, useServers } from "./helpers.js";

// Issue #12: `method(params, options?)` and `.withResponse()`, against a real loopback server.

const params = { owner: "octo-org", repo: "hello-world" };
const serve = useServers();

const HEADERS = {
  etag: '"v1"',
  "x-github-request-id": "ABCD:1234",
  "x-ratelimit-limit": "5000",
  "x-ratelimit-remaining": "4999",
  "x-ratelimit-reset": "1700000000",
  "x-ratelimit-used": "1",
  "x-ratelimit-resource": "core",
};

describe("(params, options)", () => {
  it("headers and ifNoneMatch go in options; a 304 resolves with NotModified", async () => {
    const server = await serve((req, res) => {
      if (req.headers["if-none-match"] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else sendJson(res, 200, MACHINES, HEADERS);
    });
    const gh = createClient({ baseUrl: server.baseUrl });
    const result = await gh.repoMachinesForAuthenticatedUser(params, {
      ifNoneMatch: '"v1"',
      headers: { "x-trace": "t1" },
    });
    expect(result).toEqual({ notModified: true, etag: '"v1"', status: 304 });
    expect(server.seen[0]?.headers).toMatchObject({ "if-none-match": '"v1"', "x-trace": "t1" });
  });

  it("a per-call timeoutMs ends a call the server holds, with the TimeoutError (the client has none)", async () => {
    // Only the timer functions are faked (sockets stay real): the timeout cannot fire before the
    // server holds the request, however slow the machine (a real 50 ms one did, under load, and
    // the request never arrived).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const server = await serve(() => undefined); // never answers
      const arrived = server.nextRequest();
      const call = createClient({ baseUrl: server.baseUrl }).codespaceMachinesForAuthenticatedUser(
        { codespace_name: "cs" },
        { timeoutMs: 1_000 },
      );
      const state = track(call);
      await arrived; // the server holds it from here on
      await vi.advanceTimersByTimeAsync(999);
      expect(state.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(state.settled).toBe(true);
      await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("a per-call retry overrides the client's: retry false sends once; { retries: 1 } twice", async () => {
    const server = await serve((_req, res) => sendJson(res, 503, { message: "down" }));
    const gh = createClient({ baseUrl: server.baseUrl, retry: { retries: 3, baseDelayMs: 0 } });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "a" }, { retry: false })).rejects.toThrow(
      GitHubApiError,
    );
    expect(server.seen).toHaveLength(1);
    await expect(
      gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "b" }, { retry: { retries: 1 } }),
    ).rejects.toThrow(GitHubApiError);
    expect(server.seen).toHaveLength(3);
  });

  it("a per-call signal cancels with its reason", async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    const arrived = server.nextRequest();
    const call = createClient({ baseUrl: server.baseUrl }).codespaceMachinesForAuthenticatedUser(
      { codespace_name: "cs" },
      { signal: controller.signal },
    );
    await arrived;
    const reason = new Error("user left");
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it("a call option in params (the 0.x shape) is refused, naming the second argument; nothing is sent", async () => {
    const server = await serve((_req, res) => sendJson(res, 200, MACHINES));
    const gh = createClient({ baseUrl: server.baseUrl });
    // @ts-expect-error -- signal is not a parameter any more
    const call = gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs", signal: AbortSignal.abort() });
    await expect(call).rejects.toThrow(/has no parameter "signal".*second argument/);
    expect(server.seen).toHaveLength(0);
  });
});

describe("withResponse()", () => {
  it("gives data, response, status, etag, rateLimit and requestId; awaiting the call still gives the data", async () => {
    const server = await serve((_req, res) => sendJson(res, 200, MACHINES, HEADERS));
    const gh = createClient({ baseUrl: server.baseUrl, cache: false });
    await expect(gh.repoMachinesForAuthenticatedUser(params)).resolves.toEqual(MACHINES);
    const full = await gh.repoMachinesForAuthenticatedUser(params).withResponse();
    expect(full).toMatchObject({
      data: MACHINES,
      status: 200,
      fromCache: false,
      etag: '"v1"',
      requestId: "ABCD:1234",
      rateLimit: { limit: 5000, remaining: 4999, reset: 1700000000, used: 1, resource: "core" },
    });
    expect(full.response).toBeInstanceOf(Response);
    expect(full.response.headers.get("x-github-request-id")).toBe("ABCD:1234");
  });

  it("a 304 served from the ETag cache says so (status 304, fromCache), with the cached data", async () => {
    const server = await serve((req, res) => {
      if (req.headers["if-none-match"] === '"v1"')
        res.writeHead(304, { etag: '"v1"', "x-github-request-id": "R2" }).end();
      else sendJson(res, 200, MACHINES, HEADERS);
    });
    const gh = createClient({ baseUrl: server.baseUrl });
    await gh.repoMachinesForAuthenticatedUser(params);
    const again = await gh.repoMachinesForAuthenticatedUser(params).withResponse();
    expect(server.seen[1]?.headers["if-none-match"]).toBe('"v1"');
    expect(again).toMatchObject({ data: MACHINES, status: 304, fromCache: true, etag: '"v1"', requestId: "R2" });
  });

  it("rejects with the same error as the call; taking withResponse leaves no unhandled rejection", async () => {
    const server = await serve((_req, res) => sendJson(res, 404, { message: "Not Found" }));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const gh = createClient({ baseUrl: server.baseUrl });
      await expect(
        gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "x" }).withResponse(),
      ).rejects.toBeInstanceOf(NotFoundError);
      const settled = deferred();
      setImmediate(settled.resolve);
      await settled.promise;
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("the typed GET goes through the same pipeline: same cache, same headers", async () => {
    const server = await serve((req, res) => {
      if (req.headers["if-none-match"] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else sendJson(res, 200, MACHINES, HEADERS);
    });
    const gh = createClient({ baseUrl: server.baseUrl });
    await gh.repoMachinesForAuthenticatedUser(params);
    const { data, response } = await createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path: params },
    });
    expect(server.seen[1]?.headers["if-none-match"]).toBe('"v1"');
    expect(data).toEqual(MACHINES);
    expect(response.status).toBe(200);
  });
});
