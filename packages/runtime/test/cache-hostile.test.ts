import { afterEach, describe, expect, it, vi } from "vitest";
import type { EtagCache, EtagCacheEntry } from "../src/index.js";
import { createClient, createPathClient, MACHINES } from "./fixtures/client.js";
import { deferred, json, recordingFetch, track } from "./helpers.js";

// Issue #10: a custom EtagCache is the caller's code and may hang, be slow or throw. timeoutMs
// and signal bound its calls like any other wait of a call; a cache that throws is skipped.
// Time only moves through vitest's fake clock; "slow" means "settles when the test says so".

const params = { owner: "octo-org", repo: "hello-world" };
const ETAG = '"v1"';

/** A cache whose get/set do what each test scripts, and that counts its calls. */
const scriptedCache = (get: EtagCache["get"], set: EtagCache["set"] = () => undefined) => {
  const calls = { get: 0, set: 0 };
  const cache: EtagCache = {
    get: (key) => (calls.get++, get(key)),
    set: (key, entry) => (calls.set++, set(key, entry)),
  };
  return { cache, calls };
};

const never = <T>() => new Promise<T>(() => undefined);
/** Lets every callback already due run (one turn of the event loop); the clock does not matter. */
const tick = () => new Promise((resolve) => setImmediate(resolve));
const etagged = () => recordingFetch(() => json(MACHINES, { headers: { etag: ETAG } }));

afterEach(() => vi.useRealTimers());

describe("a cache whose get never settles", () => {
  it("timeoutMs still ends the call, exactly at timeoutMs, before anything is sent", async () => {
    vi.useFakeTimers();
    const { cache, calls } = scriptedCache(never);
    const { fetch, requests } = etagged();
    const call = createClient({ fetch, cache, timeoutMs: 5_000 }).repoMachinesForAuthenticatedUser(params);
    const state = track(call);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.get).toBe(1); // the call is waiting on the cache

    await vi.advanceTimersByTimeAsync(4_999);
    expect(state.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.settled).toBe(true);
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    expect(requests).toHaveLength(0);
  });

  it.each([
    { description: "per-call signal", where: "call" as const },
    { description: "client signal", where: "client" as const },
  ])("a $description aborts it at once", async ({ where }) => {
    const controller = new AbortController();
    const { cache, calls } = scriptedCache(never);
    const { fetch, requests } = etagged();
    const gh = createClient({ fetch, cache, signal: where === "client" ? controller.signal : undefined });
    const call = gh.repoMachinesForAuthenticatedUser(params, {
      signal: where === "call" ? controller.signal : undefined,
    });
    const state = track(call);
    await Promise.resolve();
    expect(calls.get).toBe(1);
    const reason = new Error("stop");
    controller.abort(reason);
    await tick();
    expect(state.settled).toBe(true); // at once, although the get is still pending
    await expect(call).rejects.toBe(reason);
    expect(requests).toHaveLength(0);
  });

  it("the typed GET is bounded the same way", async () => {
    vi.useFakeTimers();
    const { cache } = scriptedCache(never);
    const { fetch, requests } = etagged();
    const call = createPathClient(createClient({ fetch, cache, timeoutMs: 1_000 })).GET(
      "/repos/{owner}/{repo}/codespaces/machines",
      {
        params: { path: params },
      },
    );
    const state = track(call);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.settled).toBe(true);
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    expect(requests).toHaveLength(0);
  });
});

describe("a slow get", () => {
  it("an abort does not wait for it, and nothing is sent when it settles afterwards", async () => {
    const controller = new AbortController();
    const answer = deferred<EtagCacheEntry | undefined>();
    const { cache, calls } = scriptedCache(() => answer.promise);
    const { fetch, requests } = etagged();
    const call = createClient({ fetch, cache }).repoMachinesForAuthenticatedUser(params, {
      signal: controller.signal,
    });
    const state = track(call);
    await Promise.resolve();
    expect(calls.get).toBe(1);

    controller.abort();
    await tick();
    expect(state.settled).toBe(true); // while the get is still pending
    await expect(call).rejects.toMatchObject({ name: "AbortError" });

    answer.resolve({ etag: ETAG, data: MACHINES });
    await tick();
    expect(requests).toHaveLength(0);
  });

  it("without a signal or timeout the call simply waits for it (control)", async () => {
    const answer = deferred<EtagCacheEntry | undefined>();
    const { cache } = scriptedCache(() => answer.promise);
    const { fetch, requests, request } = recordingFetch(
      () => new Response(null, { status: 304, headers: { etag: ETAG } }),
    );
    const call = createClient({ fetch, cache }).repoMachinesForAuthenticatedUser(params);
    const state = track(call);
    await tick();
    expect(state.settled).toBe(false);
    expect(requests).toHaveLength(0);
    answer.resolve({ etag: ETAG, data: MACHINES });
    expect((await request(0)).headers.get("if-none-match")).toBe(ETAG);
    await expect(call).resolves.toEqual(MACHINES);
  });
});

describe("a cache that throws is skipped", () => {
  it.each([
    {
      description: "get throws",
      get: () => {
        throw new Error("redis down");
      },
    },
    { description: "get rejects", get: () => Promise.reject(new Error("redis down")) },
  ])("$description: the request goes on without If-None-Match and resolves", async ({ get }) => {
    const { cache, calls } = scriptedCache(get);
    const { fetch, requests } = etagged();
    await expect(createClient({ fetch, cache }).repoMachinesForAuthenticatedUser(params)).resolves.toEqual(MACHINES);
    expect(calls.get).toBe(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.get("if-none-match")).toBeNull();
  });

  it.each([
    {
      description: "set throws",
      set: () => {
        throw new Error("disk full");
      },
    },
    { description: "set rejects", set: () => Promise.reject(new Error("disk full")) },
  ])("$description: the 200 is returned (operation method and typed GET)", async ({ set }) => {
    const { cache, calls } = scriptedCache(() => undefined, set);
    const { fetch, requests } = etagged();
    const gh = createClient({ fetch, cache });
    await expect(gh.repoMachinesForAuthenticatedUser(params)).resolves.toEqual(MACHINES);
    const { data, response } = await createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path: params },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual(MACHINES);
    expect(calls.set).toBe(2); // the answers were cacheable: set was really called, and failed
    expect(requests).toHaveLength(2);
  });

  it("a set that never settles is bounded by timeoutMs", async () => {
    vi.useFakeTimers();
    const { cache, calls } = scriptedCache(() => undefined, never);
    const { fetch, request } = etagged();
    const call = createClient({ fetch, cache, timeoutMs: 2_000 }).repoMachinesForAuthenticatedUser(params);
    const state = track(call);
    await request(0);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls.set).toBe(1);
    expect(state.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.settled).toBe(true);
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
  });
});
