import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch, sendJson, startServer } from "./helpers.js";

const params = { codespace_name: "monalisa-cs" };

/** A server that answers `/user/codespaces/slow/...` never and everything else with 503. */
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url?.startsWith("/user/codespaces/slow/")) return; // hold the connection open
    sendJson(res, 503, { message: "unavailable" });
  });
});
afterAll(() => server.close());

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe("timeoutMs (total, real server)", () => {
  it("a request that gets no answer rejects with the TimeoutError and is not retried", async () => {
    const before = server.seen.length;
    const started = Date.now();
    const gh = createClient({ baseUrl: server.baseUrl, timeoutMs: 100, retry: { baseDelayMs: 1 } });
    const error = await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "slow" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.seen.length - before).toBe(1);
  });

  it("the timeout also covers the waits between retries", async () => {
    const before = server.seen.length;
    const started = Date.now();
    const gh = createClient({ baseUrl: server.baseUrl, timeoutMs: 100, retry: { baseDelayMs: 20_000, maxDelayMs: 20_000, random: () => 1 } });
    const error = await gh.codespaceMachinesForAuthenticatedUser(params).catch((e: unknown) => e);
    expect((error as DOMException).name).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.seen.length - before).toBe(1);
  });

  it.each([0, -1, Number.NaN])("rejects timeoutMs %s", (timeoutMs) => {
    expect(() => createClient({ timeoutMs })).toThrow(/timeoutMs must be a number > 0/);
  });
});

describe("caller signals cancel at once", () => {
  const slowRetry = { baseDelayMs: 20_000, maxDelayMs: 20_000, random: () => 1 };

  it.each([
    { description: "per-call signal", where: "call" as const },
    { description: "client signal", where: "client" as const },
  ])("a $description aborting during a backoff wait rejects with the AbortError, without another attempt", async ({ where }) => {
    const controller = new AbortController();
    const { fetch, requests } = recordingFetch(() => json({ message: "down" }, { status: 503 }));
    const gh = createClient({ fetch, retry: slowRetry, signal: where === "client" ? controller.signal : undefined });
    const call = gh.codespaceMachinesForAuthenticatedUser({ ...params, signal: where === "call" ? controller.signal : undefined });
    await waitFor(() => requests.length === 1);
    const started = Date.now();
    controller.abort();
    const error = await call.catch((e: unknown) => e);
    expect((error as DOMException).name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(requests).toHaveLength(1);
  });

  it("a per-call signal aborting an in-flight request rejects with its reason (real server)", async () => {
    const controller = new AbortController();
    const reason = new Error("user navigated away");
    const before = server.seen.length;
    const call = createClient({ baseUrl: server.baseUrl }).codespaceMachinesForAuthenticatedUser({ codespace_name: "slow", signal: controller.signal });
    await waitFor(() => server.seen.length === before + 1);
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(server.seen.length - before).toBe(1);
  });

  it("an already aborted client signal sends nothing", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch, signal: AbortSignal.abort() });
    await expect(gh.codespaceMachinesForAuthenticatedUser(params)).rejects.toMatchObject({ name: "AbortError" });
    expect(requests).toHaveLength(0);
  });

  it("a call without any signal still completes (signals are optional)", async () => {
    const { fetch } = recordingFetch(() => json(MACHINES));
    await expect(createClient({ fetch, timeoutMs: 10_000 }).codespaceMachinesForAuthenticatedUser(params)).resolves.toEqual(MACHINES);
  });
});
