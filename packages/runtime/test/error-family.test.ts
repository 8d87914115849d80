import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  GitHubApiError,
  GitHubError,
  GitHubRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  ServerError,
  UnprocessableEntityError,
} from "../src/index.js";
import { createClient, createPathClient } from "./fixtures/client.js";
import { sendJson, startServer, useServers } from "./helpers.js";

// Issue #12: one base class, HTTP errors by kind, against a real loopback server.

const serve = useServers();

/** What a call rejects with when the server answers `status` with `headers` and `body`. */
async function failure(status: number, headers: Record<string, string> = {}, body: unknown = { message: "no" }) {
  const server = await serve((_req, res) => sendJson(res, status, body, headers));
  return createClient({ baseUrl: server.baseUrl, retry: false, logLevel: "off" })
    .codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })
    .catch((e: unknown) => e);
}

describe("HTTP errors by kind", () => {
  it.each([
    { status: 400, kind: BadRequestError },
    { status: 401, kind: AuthenticationError },
    { status: 403, kind: PermissionDeniedError },
    { status: 404, kind: NotFoundError },
    { status: 422, kind: UnprocessableEntityError },
    { status: 429, kind: RateLimitError },
    { status: 500, kind: ServerError },
    { status: 503, kind: ServerError },
    { status: 409, kind: GitHubApiError },
  ])(
    "$status is a $kind.name (a GitHubApiError and a GitHubError) with status and headers",
    async ({ status, kind }) => {
      const error = (await failure(status, { "x-github-request-id": "R1" })) as GitHubApiError;
      expect(error).toBeInstanceOf(kind);
      expect(error).toBeInstanceOf(GitHubApiError);
      expect(error).toBeInstanceOf(GitHubError);
      expect(error.name).toBe(kind.name);
      expect(error.status).toBe(status);
      expect(error.requestId).toBe("R1");
      expect(error.headers.get("x-github-request-id")).toBe("R1");
      for (const other of [BadRequestError, AuthenticationError, NotFoundError, RateLimitError, ServerError]) {
        if (other !== kind) expect(error).not.toBeInstanceOf(other);
      }
    },
  );

  it("a 403 rate limit (remaining 0) is a RateLimitError with retryAt from x-ratelimit-reset", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const error = await failure(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) });
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).not.toBeInstanceOf(PermissionDeniedError);
    expect((error as RateLimitError).retryAt?.getTime()).toBe(reset * 1000);
  });

  it("a 403 secondary rate limit (message) and a 429 with retry-after are RateLimitErrors with retryAt", async () => {
    const secondary = await failure(403, {}, { message: "You have exceeded a secondary rate limit" });
    expect(secondary).toBeInstanceOf(RateLimitError);
    const before = Date.now();
    const error = (await failure(429, { "retry-after": "120" })) as RateLimitError;
    expect(error.retryAfter).toBe(120);
    expect(error.retryAt?.getTime()).toBeGreaterThanOrEqual(before + 120_000);
  });

  it("no answer at all is a GitHubRequestError; a body that is not JSON a ResponseParseError", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{not json");
    });
    const closed = await startServer(() => undefined);
    await closed.close(); // a port nobody listens on
    const noAnswer = await createClient({ baseUrl: closed.baseUrl, retry: false })
      .codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })
      .catch((e: unknown) => e);
    expect(noAnswer).toBeInstanceOf(GitHubRequestError);
    expect(noAnswer).toBeInstanceOf(GitHubError);
    const gh = createClient({ baseUrl: server.baseUrl, token: "ghp_tok3n" });
    const parse = await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }).catch((e: unknown) => e);
    expect(parse).toBeInstanceOf(ResponseParseError);
    expect(parse).toBeInstanceOf(GitHubError);
  });

  it("the typed GET rejects a JSON 2xx whose body is not JSON with ResponseParseError (status, method, redacted URL)", async () => {
    const TOKEN = "ghp_TypedGetT0ken0123456789";
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end('{"total_count": 1, "machines": [');
    });
    const gh = createClient({ baseUrl: server.baseUrl, token: TOKEN });
    const error = await createPathClient(gh)
      .GET("/repos/{owner}/{repo}/codespaces/machines", {
        params: { path: { owner: "o", repo: "r" }, query: { ref: TOKEN } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).toMatchObject({
      status: 200,
      method: "GET",
      url: `${server.baseUrl}/repos/o/r/codespaces/machines?ref=[REDACTED]`,
    });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(TOKEN);
  });
});
