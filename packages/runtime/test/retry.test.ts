import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Client } from "openapi-fetch";
import { GitHubApiError } from "../src/index.js";
import { createClient, createPathClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch, sendJson, startServer, track } from "./helpers.js";

const params = { owner: "octo-org", repo: "hello-world" };
const fast = { baseDelayMs: 1, maxDelayMs: 50 };

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** Each test's server script: how the n-th request (from 0) is answered. */
let script: (n: number) => Answer = () => ({ status: 200, body: MACHINES });
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((_req, res, n) => {
    const { status, body = { message: `status ${status}` }, headers } = script(n);
    sendJson(res, status, body, headers);
  });
});
afterAll(() => server.close());
afterEach(() => {
  server.seen.length = 0;
  vi.useRealTimers();
});

const failThenSucceed = (failures: number, answer: Answer) => (n: number) =>
  n < failures ? answer : { status: 200, body: MACHINES };

describe("retried answers (real server)", () => {
  it.each<{ description: string; answer: Answer }>([
    { description: "500", answer: { status: 500 } },
    { description: "502", answer: { status: 502 } },
    { description: "503", answer: { status: 503 } },
    { description: "504", answer: { status: 504 } },
    { description: "429", answer: { status: 429 } },
    { description: "429 with retry-after: 0", answer: { status: 429, headers: { "retry-after": "0" } } },
    { description: "403 with retry-after: 0", answer: { status: 403, headers: { "retry-after": "0" } } },
    {
      description: "403 with x-ratelimit-remaining: 0 and a past reset",
      answer: { status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1" } },
    },
    {
      description: "403 whose body mentions a secondary rate limit",
      answer: {
        status: 403,
        body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
      },
    },
  ])("$description is retried and the call succeeds", async ({ answer }) => {
    script = failThenSucceed(2, answer);
    const gh = createClient({ baseUrl: server.baseUrl, retry: fast });
    await expect(gh.repoMachinesForAuthenticatedUser(params)).resolves.toEqual(MACHINES);
    expect(server.seen).toHaveLength(3);
  });

  it.each<{ description: string; answer: Answer }>([
    { description: "400", answer: { status: 400 } },
    { description: "401", answer: { status: 401 } },
    {
      description: "403 without rate-limit signs",
      answer: { status: 403, body: { message: "Resource not accessible by integration" } },
    },
    { description: "404", answer: { status: 404 } },
    { description: "409", answer: { status: 409 } },
    { description: "422", answer: { status: 422 } },
    {
      description: "429 whose retry-after exceeds maxDelayMs",
      answer: { status: 429, headers: { "retry-after": "120" } },
    },
    {
      description: "403 whose rate limit resets after maxDelayMs",
      answer: {
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600) },
      },
    },
  ])("$description is not retried and rejects with GitHubApiError", async ({ answer }) => {
    script = failThenSucceed(1, answer);
    const gh = createClient({ baseUrl: server.baseUrl, retry: fast });
    const error = await gh.repoMachinesForAuthenticatedUser(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(answer.status);
    expect(server.seen).toHaveLength(1);
  });

  it.each([
    { retry: { ...fast, retries: 0 }, want: 1 },
    { retry: { ...fast, retries: 2 }, want: 3 },
    { retry: fast, want: 4 },
    { retry: false as const, want: 1 },
  ])("retry: $retry sends a failing request $want times, then rejects with its error", async ({ retry, want }) => {
    script = () => ({ status: 503, body: { message: "unavailable" } });
    const error = await createClient({ baseUrl: server.baseUrl, retry })
      .repoMachinesForAuthenticatedUser(params)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, message: "unavailable" });
    expect(server.seen).toHaveLength(want);
  });

  it("the typed POST resends its body on every attempt", async () => {
    script = failThenSucceed(1, { status: 502 });
    const bodies: string[] = [];
    const gh = createClient({
      retry: fast,
      fetch: async (request) => {
        bodies.push(await request.clone().text());
        return globalThis.fetch(request);
      },
      baseUrl: server.baseUrl,
    });
    const { response } = await (createPathClient(gh) as unknown as Client<any>).POST("/user/codespaces", {
      body: { repository_id: 1 },
    });
    expect(response.status).toBe(200);
    expect(bodies).toEqual(['{"repository_id":1}', '{"repository_id":1}']);
    expect(server.seen.map((s) => s.headers["content-type"])).toEqual(["application/json", "application/json"]);
  });
});

describe("network errors", () => {
  it("a TypeError from fetch is retried", async () => {
    let calls = 0;
    const fetch = async () => {
      if (++calls < 3) throw new TypeError("fetch failed");
      return json(MACHINES);
    };
    await expect(createClient({ fetch, retry: fast }).repoMachinesForAuthenticatedUser(params)).resolves.toEqual(
      MACHINES,
    );
    expect(calls).toBe(3);
  });
});

describe("waits (fake timers)", () => {
  it("retry-after (seconds) is honoured to the millisecond", async () => {
    vi.useFakeTimers();
    const { fetch, requests, request } = recordingFetch((_r, n) =>
      n === 0 ? json({ message: "slow" }, { status: 429, headers: { "retry-after": "2" } }) : json(MACHINES),
    );
    const call = createClient({ fetch }).repoMachinesForAuthenticatedUser(params);
    const state = track(call);
    await request(0);
    await vi.advanceTimersByTimeAsync(1999);
    expect(requests).toHaveLength(1);
    expect(state.settled).toBe(false); // still waiting: neither resolved nor rejected early
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await expect(call).resolves.toEqual(MACHINES);
  });

  it("x-ratelimit-reset (epoch seconds) is honoured when remaining is 0", async () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    const reset = String(Date.now() / 1000 + 5);
    const { fetch, requests, request } = recordingFetch((_r, n) =>
      n === 0
        ? json(
            { message: "API rate limit exceeded" },
            { status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset } },
          )
        : json(MACHINES),
    );
    const call = createClient({ fetch }).repoMachinesForAuthenticatedUser(params);
    const state = track(call);
    await request(0);
    await vi.advanceTimersByTimeAsync(4999);
    expect(requests).toHaveLength(1);
    expect(state.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await expect(call).resolves.toEqual(MACHINES);
  });

  it.each([
    {
      description: "doubles from baseDelayMs, scaled by the jitter",
      retry: { baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0.5 },
      waits: [50, 100, 200],
    },
    {
      description: "is capped by maxDelayMs",
      retry: { baseDelayMs: 100, maxDelayMs: 150, random: () => 0.5 },
      waits: [50, 75, 75],
    },
  ])("full-jitter backoff $description", async ({ retry, waits }) => {
    vi.useFakeTimers();
    const { fetch, requests, request } = recordingFetch(() => json({ message: "down" }, { status: 503 }));
    const call = createClient({ fetch, retry }).repoMachinesForAuthenticatedUser(params);
    const state = track(call);
    await request(0);
    for (const [i, wait] of waits.entries()) {
      expect(requests).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(requests).toHaveLength(i + 1);
      expect(state.settled).toBe(false); // no early give-up while a retry is still due
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(requests).toHaveLength(4);
    await expect(call).rejects.toMatchObject({ status: 503 });
  });

  it.each([{ retry: { retries: -1 } }, { retry: { baseDelayMs: Number.NaN } }, { retry: { maxDelayMs: -5 } }])(
    "rejects retry options $retry",
    ({ retry }) => {
      expect(() => createClient({ retry })).toThrow(TypeError);
    },
  );
});
