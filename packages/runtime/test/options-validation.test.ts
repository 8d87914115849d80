import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, MACHINES } from "./fixtures/client.js";
import { hangingFetch, json, recordingFetch, track } from "./helpers.js";
import { expectNoLeak } from "./no-leak.js";

// Issue #10: options that would break every call later (a header that cannot be sent, a timer
// that cannot be set) fail at createClient with a TypeError naming the option.

afterEach(() => vi.useRealTimers());

const params = { codespace_name: "cs" };

/** What createClient throws for `options` (and that it sent nothing while doing so). */
function creationError(options: Parameters<typeof createClient>[0]) {
  const { fetch, requests } = recordingFetch(() => json(MACHINES));
  try {
    createClient({ fetch, ...options });
  } catch (error) {
    expect(requests).toHaveLength(0);
    return error as Error;
  }
  return expect.unreachable(`createClient accepted ${JSON.stringify(options)}`);
}

describe("token", () => {
  const SECRET = "ghp_Val1dLook1ngT0ken0123456789abcdefXY";
  it.each([
    { description: "a CR LF", token: `${SECRET}\r\nX-Injected: 1` },
    { description: "a LF", token: `${SECRET}\n` },
    { description: "a NUL", token: `${SECRET}\0` },
    { description: "a tab", token: `${SECRET}\tx` },
    { description: "a DEL", token: `${SECRET}\x7f` },
    { description: "a space", token: `Bearer ${SECRET}` },
    { description: "a character beyond Latin-1", token: `${SECRET}€` },
    { description: "a double quote", token: `${SECRET}"` },
  ])("with $description is a TypeError naming the option, never echoing the token", ({ token }) => {
    const error = creationError({ token });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^token /);
    expectNoLeak(error, SECRET);
  });

  it.each([{ token: 42 }, { token: {} }, { token: ["ghp_x"] }])(
    "that is not a string ($token) is a TypeError",
    ({ token }) => {
      const error = creationError({ token: token as unknown as string });
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^token /);
    },
  );

  it.each([
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789",
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln-_~+/==",
    "0123456789abcdef0123456789abcdef01234567",
  ])("the token formats GitHub issues are accepted and sent (%s)", async (token) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    await createClient({ fetch, token }).codespaceMachinesForAuthenticatedUser(params);
    expect(requests[0]?.headers.get("authorization")).toBe(`Bearer ${token}`);
  });
});

describe("userAgent", () => {
  // Checked with the platform's own header rules, like every header the client always sends.
  it.each([
    { description: "a CR LF", userAgent: "my-app/1.0\r\nX-Injected: 1" },
    { description: "a NUL", userAgent: "my-app/1.0\0" },
    { description: "a character beyond Latin-1", userAgent: "my-app/1.0 €" },
  ])("with $description is a TypeError at createClient", ({ userAgent }) => {
    const error = creationError({ userAgent });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/header value|ByteString/);
  });
});

describe("timeoutMs", () => {
  it.each([
    { description: "Infinity", timeoutMs: Number.POSITIVE_INFINITY },
    { description: "30 days", timeoutMs: 30 * 24 * 3600 * 1000 },
    { description: "2^31 (one past what timers hold)", timeoutMs: 2 ** 31 },
    { description: "1e300", timeoutMs: 1e300 },
    { description: "0.5", timeoutMs: 0.5 },
    { description: "a numeric string", timeoutMs: "1000" as unknown as number },
  ])("$description is a TypeError naming the option", ({ timeoutMs }) => {
    const error = creationError({ timeoutMs });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^timeoutMs must be a number from 1 to 2147483647/);
  });

  it.each([1, 2 ** 31 - 1])("%s is accepted and the call waits exactly that long", async (timeoutMs) => {
    vi.useFakeTimers();
    const { fetch, request } = hangingFetch();
    const call = createClient({ fetch, timeoutMs }).codespaceMachinesForAuthenticatedUser(params);
    const state = track(call);
    await request(0);
    await vi.advanceTimersByTimeAsync(timeoutMs - 1);
    expect(state.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.settled).toBe(true);
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
  });
});

describe("retry.maxDelayMs", () => {
  it.each([Number.POSITIVE_INFINITY, 2 ** 31])("%s is a TypeError (a wait that long cannot be timed)", (maxDelayMs) => {
    const error = creationError({ retry: { maxDelayMs } });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^retry\.maxDelayMs /);
  });
});
