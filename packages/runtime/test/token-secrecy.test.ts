import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GitHubApiError, GitHubRequestError } from "../src/index.js";
import { createClient, MACHINES } from "./fixtures/client.js";
import { hangingFetch, json, recordingFetch, track } from "./helpers.js";
import { expectNoLeak, reachableTexts } from "./no-leak.js";
import { useMiddleware } from "../src/middleware.js";

// Issue #10: the token must not be reachable from anything a call throws — message, stack,
// cause chain, own fields (enumerable or not), toJSON, util.inspect — whatever the server
// echoes back and however the call fails.

const TOKEN = "ghp_L3akCheckT0kenValue0123456789abcdef";
const params = { owner: "octo-org", repo: "hello-world" };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call should have failed"),
    (e: unknown) => e,
  );

describe("the leak check itself", () => {
  it.each([
    { description: "a message", make: () => new Error(`x ${TOKEN}`) },
    {
      description: "a cause two levels down",
      make: () => new Error("a", { cause: new Error("b", { cause: new TypeError(TOKEN) }) }),
    },
    {
      description: "a non-enumerable field",
      make: () => Object.defineProperty(new Error("a"), "secret", { value: { deep: [TOKEN] }, enumerable: false }),
    },
    { description: "a toJSON result", make: () => Object.assign(new Error("a"), { toJSON: () => ({ token: TOKEN }) }) },
    { description: "util.inspect only", make: () => Object.assign(new Error("a"), { [inspect.custom]: () => TOKEN }) },
    {
      description: "a header of a Request on a field",
      make: () =>
        Object.assign(new Error("a"), {
          request: new Request("https://x/", { headers: { authorization: `Bearer ${TOKEN}` } }),
        }),
    },
    { description: "a Map entry", make: () => Object.assign(new Error("a"), { map: new Map([["k", TOKEN]]) }) },
  ])("finds the token in $description", ({ make }) => {
    const texts = reachableTexts(make());
    expect(texts.some(([, text]) => text.includes(TOKEN))).toBe(true);
  });

  it("finds nothing in a clean error", () => {
    expectNoLeak(new Error("clean", { cause: new TypeError("also clean") }), TOKEN);
  });
});

describe("an echoing server: every field of GitHubApiError is token-free", () => {
  /** Echoes the Authorization header (and the bare token) into every place GitHub's answers carry text. */
  const echo = (
    where:
      | "message"
      | "errors"
      | "documentation_url"
      | "request id"
      | "other headers"
      | "status text"
      | "non-JSON body",
  ) =>
    recordingFetch((request) => {
      const auth = request.headers.get("authorization") ?? "";
      const token = auth.replace(/^Bearer /, "");
      const body: Record<string, unknown> = {
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
      };
      const headers: Record<string, string> = { "x-github-request-id": "ABCD:1234" };
      let statusText = "Unauthorized";
      if (where === "message") body.message = `Bad credentials: ${auth}`;
      if (where === "errors")
        body.errors = [{ code: "invalid", field: "token", value: token, nested: { again: [auth] } }];
      if (where === "documentation_url") body.documentation_url = `https://docs.github.com/rest?token=${token}`;
      if (where === "request id") headers["x-github-request-id"] = `ABCD:${token}`;
      if (where === "other headers")
        Object.assign(headers, {
          "x-ratelimit-resource": token,
          "x-ratelimit-limit": token,
          "retry-after": token,
          "x-echo": auth,
        });
      if (where === "status text") statusText = `Unauthorized ${token}`;
      if (where === "non-JSON body") {
        return new Response(`<html>${auth}</html>`, {
          status: 401,
          statusText: `Unauthorized ${token}`,
          headers: { ...headers, "content-type": `text/html; token=${token}` },
        });
      }
      return json(body, { status: 401, statusText, headers });
    });

  it.each([
    "message",
    "errors",
    "documentation_url",
    "request id",
    "other headers",
    "status text",
    "non-JSON body",
  ] as const)("the token echoed in the %s is redacted (operation method)", async (where) => {
    const { fetch, requests } = echo(where);
    const error = await failure(
      createClient({ fetch, token: TOKEN, retry: false }).repoMachinesForAuthenticatedUser(params),
    );
    expect(requests[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`); // it was sent, and echoed
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(401);
    expectNoLeak(error, TOKEN);
  });

  it("redaction keeps the rest of each field", async () => {
    const { fetch } = echo("errors");
    const error = (await failure(
      createClient({ fetch, token: TOKEN, retry: false }).repoMachinesForAuthenticatedUser(params),
    )) as GitHubApiError;
    expect(error.errors).toEqual([
      { code: "invalid", field: "token", value: "[REDACTED]", nested: { again: ["Bearer [REDACTED]"] } },
    ]);
    const { fetch: fetch2 } = echo("request id");
    const error2 = (await failure(
      createClient({ fetch: fetch2, token: TOKEN, retry: false }).repoMachinesForAuthenticatedUser(params),
    )) as GitHubApiError;
    expect(error2.requestId).toBe("ABCD:[REDACTED]");
    const { fetch: fetch3 } = echo("documentation_url");
    const error3 = (await failure(
      createClient({ fetch: fetch3, token: TOKEN, retry: false }).repoMachinesForAuthenticatedUser(params),
    )) as GitHubApiError;
    expect(error3.documentation_url).toBe("https://docs.github.com/rest?token=[REDACTED]");
  });

  it("through user middleware (the openapi-fetch path) too", async () => {
    const { fetch } = echo("errors");
    const gh = createClient({ fetch, token: TOKEN, retry: false });
    useMiddleware(gh, { onRequest: () => undefined });
    const error = await failure(gh.repoMachinesForAuthenticatedUser(params));
    expect(error).toBeInstanceOf(GitHubApiError);
    expectNoLeak(error, TOKEN);
  });
});

describe("calls that get no usable answer", () => {
  afterEach(() => vi.useRealTimers());

  it("a network failure whose error (and its cause) quote the Authorization header", async () => {
    const fetch = async (request: Request) => {
      const auth = request.headers.get("authorization");
      throw new TypeError(`fetch failed for ${auth}`, {
        cause: Object.assign(new Error(`connect ECONNREFUSED (sent ${auth})`), { code: "ECONNREFUSED" }),
      });
    };
    const error = await failure(
      createClient({ fetch, token: TOKEN, retry: false }).repoMachinesForAuthenticatedUser({ ...params, ref: TOKEN }),
    );
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect((error as Error).cause).toBeInstanceOf(TypeError); // the cause is kept ...
    expect(((error as Error).cause as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
    expectNoLeak(error, TOKEN); // ... but token-free
  });

  it("a 200 whose body is not JSON and quotes the token", async () => {
    const { fetch } = recordingFetch(
      (request) =>
        new Response(`${request.headers.get("authorization")}`, { headers: { "content-type": "application/json" } }),
    );
    const error = await failure(
      createClient({ fetch, token: TOKEN }).repoMachinesForAuthenticatedUser({ ...params, ref: TOKEN }),
    );
    expect((error as Error).name).toBe("ResponseParseError");
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    expectNoLeak(error, TOKEN);
  });

  it("a timeout", async () => {
    vi.useFakeTimers();
    const { fetch, request } = hangingFetch();
    const call = createClient({ fetch, token: TOKEN, timeoutMs: 1_000 }).repoMachinesForAuthenticatedUser({
      ...params,
      ref: TOKEN,
    });
    const state = track(call);
    await request(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.settled).toBe(true);
    const error = await failure(call);
    expect(error).toMatchObject({ name: "TimeoutError" });
    expectNoLeak(error, TOKEN);
  });

  it("an abort", async () => {
    const controller = new AbortController();
    const { fetch, request } = hangingFetch();
    const call = createClient({ fetch, token: TOKEN }).repoMachinesForAuthenticatedUser(
      { ...params, ref: TOKEN },
      { signal: controller.signal },
    );
    await request(0);
    controller.abort();
    const error = await failure(call);
    expect(error).toMatchObject({ name: "AbortError" });
    expectNoLeak(error, TOKEN);
  });

  it("a token with a line break is refused at createClient, without echoing it", () => {
    const bad = `${TOKEN}\r\nX-Injected: 1`;
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    let error: unknown;
    try {
      createClient({ fetch, token: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/\btoken\b/);
    expectNoLeak(error, TOKEN);
    expect(requests).toHaveLength(0);
  });
});

describe("redaction never breaks the error itself", () => {
  it("a token that also occurs inside a JSON number or literal still gives a GitHubApiError, token-free", async () => {
    // Unrealistically short, so that redacting it from the JSON text breaks the JSON (`tr[REDACTED]e`).
    const token = "u";
    const { fetch } = recordingFetch(() => json({ message: "nope", ok: true, count: 1 }, { status: 404 }));
    const error = await failure(createClient({ fetch, token, retry: false }).repoMachinesForAuthenticatedUser(params));
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({
      status: 404,
      message: "HTTP 404 (JSON body witho[REDACTED]t a message, application/json)",
    });
  });
});
