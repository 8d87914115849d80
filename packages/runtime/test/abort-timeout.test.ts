import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, MACHINES } from "./fixtures/client.js";
import { hangingFetch, json, recordingFetch, startServer, track } from "./helpers.js";

// Nothing here depends on how fast the machine is: the clock that drives timeouts and backoff
// waits is vitest's fake one, moved only after the request has (observably) been sent, and
// "the request arrived" / "the connection closed" are events, never polls with a time budget.

const params = { codespace_name: "monalisa-cs" };

/** A real server that never answers: every connection stays open until the client gives up. */
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer(() => undefined);
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
});

describe("timeoutMs (total)", () => {
  it("a request that gets no answer rejects with the TimeoutError when timeoutMs passes, is torn down, and is not retried (real server)", async () => {
    // Only the timer functions are faked: the runtime's timeout timer is created with the fake
    // setTimeout, while sockets, Date and setImmediate stay real for the HTTP exchange.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const timeoutMs = 1_000;
    const before = server.seen.length;
    const sent: Request[] = [];
    const gh = createClient({
      baseUrl: server.baseUrl,
      timeoutMs,
      fetch: (request) => (sent.push(request), globalThis.fetch(request)),
    });
    const arrived = server.nextRequest();
    const call = gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "slow" });
    const state = track(call);
    const { closed } = await arrived; // the server holds the request from here on

    await vi.advanceTimersByTimeAsync(timeoutMs - 1);
    expect(state.settled).toBe(false); // the timeout did not fire early

    await vi.advanceTimersByTimeAsync(1);
    expect(state.settled).toBe(true); // ... and fired exactly at timeoutMs
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("TimeoutError");
    // The client closed the hanging connection before any answer was sent.
    await expect(closed).resolves.toEqual({ answered: false });
    expect(sent).toHaveLength(1);
    expect(server.seen.length - before).toBe(1);
  });

  it("the TimeoutError aborts the signal of the request in flight, exactly at timeoutMs", async () => {
    vi.useFakeTimers();
    const { fetch, requests, request } = hangingFetch();
    const call = createClient({ fetch, timeoutMs: 5_000 }).codespaceMachinesForAuthenticatedUser(params);
    const state = track(call);
    const sent = await request(0);

    await vi.advanceTimersByTimeAsync(4_999);
    expect(sent.signal.aborted).toBe(false);
    expect(state.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    expect(sent.signal.aborted).toBe(true);
    expect(state.settled).toBe(true);
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    expect(sent.signal.reason).toMatchObject({ name: "TimeoutError" });
    expect(requests).toHaveLength(1);
  });

  it("the timeout also covers the waits between retries", async () => {
    vi.useFakeTimers();
    const { fetch, requests, request } = recordingFetch(() => json({ message: "unavailable" }, { status: 503 }));
    // A 503 is retried after a 20 s backoff, but the whole call may take only 1 s.
    const gh = createClient({
      fetch,
      timeoutMs: 1_000,
      retry: { baseDelayMs: 20_000, maxDelayMs: 20_000, random: () => 1 },
    });
    const call = gh.codespaceMachinesForAuthenticatedUser(params);
    const state = track(call);
    await request(0);

    await vi.advanceTimersByTimeAsync(999);
    expect(state.settled).toBe(false);
    expect(requests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1);
    expect(state.settled).toBe(true); // at timeoutMs, 19 s before the backoff would have ended
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });

    await vi.advanceTimersByTimeAsync(20_000);
    expect(requests).toHaveLength(1); // the backoff wait was cancelled: no second attempt
  });

  it.each([0, -1, Number.NaN])("rejects timeoutMs %s", (timeoutMs) => {
    expect(() => createClient({ timeoutMs })).toThrow(/timeoutMs must be a number from 1 to 2147483647/);
  });
});

describe("caller signals cancel at once", () => {
  const slowRetry = { baseDelayMs: 20_000, maxDelayMs: 20_000, random: () => 1 };

  it.each([
    { description: "per-call signal", where: "call" as const },
    { description: "client signal", where: "client" as const },
  ])(
    "a $description aborting during a backoff wait rejects with the AbortError, without another attempt",
    async ({ where }) => {
      vi.useFakeTimers();
      const controller = new AbortController();
      const { fetch, requests, request } = recordingFetch(() => json({ message: "down" }, { status: 503 }));
      const gh = createClient({ fetch, retry: slowRetry, signal: where === "client" ? controller.signal : undefined });
      const call = gh.codespaceMachinesForAuthenticatedUser(params, {
        signal: where === "call" ? controller.signal : undefined,
      });
      const state = track(call);
      await request(0);

      // 1 ms before the 20 s backoff ends: still waiting, no second attempt yet.
      await vi.advanceTimersByTimeAsync(19_999);
      expect(requests).toHaveLength(1);
      expect(state.settled).toBe(false);

      controller.abort();
      await vi.advanceTimersByTimeAsync(0); // runs pending callbacks; the clock does not move
      expect(state.settled).toBe(true); // "at once": without the rest of the wait elapsing
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DOMException);
      expect((error as DOMException).name).toBe("AbortError");

      await vi.advanceTimersByTimeAsync(20_000);
      expect(requests).toHaveLength(1);
    },
  );

  it("a per-call signal aborting an in-flight request rejects with its reason and closes the connection (real server)", async () => {
    const controller = new AbortController();
    const reason = new Error("user navigated away");
    const before = server.seen.length;
    const arrived = server.nextRequest();
    const call = createClient({ baseUrl: server.baseUrl }).codespaceMachinesForAuthenticatedUser(
      { codespace_name: "slow" },
      { signal: controller.signal },
    );
    const state = track(call);
    const { closed } = await arrived;
    expect(state.settled).toBe(false); // the server holds it: only the abort can end the call

    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    await expect(closed).resolves.toEqual({ answered: false });
    expect(server.seen.length - before).toBe(1);
  });

  it("an already aborted client signal sends nothing", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch, signal: AbortSignal.abort() });
    await expect(gh.codespaceMachinesForAuthenticatedUser(params)).rejects.toMatchObject({ name: "AbortError" });
    expect(requests).toHaveLength(0);
  });

  it("a call without any signal still completes (signals are optional), and its timeout timer is cleared", async () => {
    // Fake timers: the clock never moves, so the 10 s timeout cannot race a slow machine.
    vi.useFakeTimers();
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    await expect(
      createClient({ fetch, timeoutMs: 10_000 }).codespaceMachinesForAuthenticatedUser(params),
    ).resolves.toEqual(MACHINES);
    expect(requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
