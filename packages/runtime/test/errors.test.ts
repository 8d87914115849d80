import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GitHubApiError, GitHubRequestError } from "../src/index.js";
import { createClient } from "./fixtures/client.js";
import { json, recordingFetch, startServer } from "./helpers.js";

const TOKEN = "ghp_S3cr3tT0kenValue0123456789abcdefABCD";
const params = { owner: "octo-org", repo: "hello-world" };

describe("GitHubApiError from a basic-error body", () => {
  it.each([401, 403, 404, 422, 500])(
    "a %i rejects with status, message, documentation_url, requestId and rate-limit fields",
    async (status) => {
      const { fetch } = recordingFetch(() =>
        json(
          {
            message: `Problem ${status}`,
            documentation_url: "https://docs.github.com/rest",
            errors: status === 422 ? [{ code: "invalid" }] : undefined,
          },
          {
            status,
            headers: {
              "x-github-request-id": "ABCD:1234",
              "x-ratelimit-limit": "5000",
              "x-ratelimit-remaining": "4999",
              "x-ratelimit-reset": "1700000000",
              "x-ratelimit-used": "1",
              "x-ratelimit-resource": "core",
            },
          },
        ),
      );
      const error = await createClient({ fetch, retry: false })
        .repoMachinesForAuthenticatedUser({ ...params, ref: "main" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubApiError);
      expect(error).toBeInstanceOf(Error);
      const kind = {
        401: "AuthenticationError",
        403: "PermissionDeniedError",
        404: "NotFoundError",
        422: "UnprocessableEntityError",
        500: "ServerError",
      }[status];
      expect(error).toMatchObject({
        name: kind,
        status,
        message: `Problem ${status}`,
        documentation_url: "https://docs.github.com/rest",
        requestId: "ABCD:1234",
        rateLimit: { limit: 5000, remaining: 4999, reset: 1700000000, used: 1, resource: "core" },
        retryAfter: undefined,
        method: "GET",
        url: "https://api.github.com/repos/octo-org/hello-world/codespaces/machines?ref=main",
      });
      expect((error as GitHubApiError).errors).toEqual(status === 422 ? [{ code: "invalid" }] : undefined);
    },
  );

  it("keeps the body: a documented error body without a message (pulls/merge-async's), a text body; not in toJSON()", async () => {
    const documented = { status: "pending", details: { message: "A merge request already exists.", uuid: "630b9d5e" } };
    const { fetch } = recordingFetch((request) =>
      request.url.includes("ref=text")
        ? new Response("<html>busy</html>", { status: 503, headers: { "content-type": "text/html" } })
        : json(documented, { status: 409 }),
    );
    const gh = createClient({ fetch, retry: false });
    const conflict = (await gh.repoMachinesForAuthenticatedUser(params).catch((e: unknown) => e)) as GitHubApiError;
    expect(conflict).toMatchObject({
      status: 409,
      message: expect.stringMatching(/^HTTP 409 .*JSON body without a message/),
    });
    expect(conflict.body).toEqual(documented);
    const busy = (await gh
      .repoMachinesForAuthenticatedUser({ ...params, ref: "text" })
      .catch((e: unknown) => e)) as GitHubApiError;
    expect(busy.body).toBe("<html>busy</html>");
    expect(JSON.parse(JSON.stringify(conflict))).not.toHaveProperty("body");
    expect(Object.keys(conflict)).not.toContain("body");
  });

  it("retry-after is exposed in seconds", async () => {
    const { fetch } = recordingFetch(() =>
      json({ message: "slow down" }, { status: 429, headers: { "retry-after": "120" } }),
    );
    const error = await createClient({ fetch })
      .repoMachinesForAuthenticatedUser(params)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, retryAfter: 120, message: "slow down" });
  });

  it("an unexpected 304 (no cache entry, no ifNoneMatch) is an error, not undefined data", async () => {
    const { fetch } = recordingFetch(() => new Response(null, { status: 304 }));
    const error = await createClient({ fetch, cache: false })
      .repoMachinesForAuthenticatedUser(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({ status: 304, message: "HTTP 304 (empty body)" });
  });
});

describe("GitHubApiError from bodies that are not basic-error (real server)", () => {
  const answers: Record<string, { status: number; type?: string; body: string }> = {
    html: { status: 502, type: "text/html", body: "<html><body>Bad gateway</body></html>" },
    empty: { status: 503, body: "" },
    text: { status: 500, type: "text/plain; charset=utf-8", body: "oops" },
    "json-array": { status: 400, type: "application/json", body: "[1,2]" },
  };
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const owner = req.url?.split("/")[2] ?? ""; // /repos/{owner}/...
      const answer = answers[owner] ?? { status: 599, body: "" };
      res.writeHead(answer.status, answer.type ? { "content-type": answer.type } : {});
      res.end(answer.body);
    });
  });
  afterAll(() => server.close());

  it.each([
    { owner: "html", want: "HTTP 502 Bad Gateway (non-JSON body, text/html)" },
    { owner: "empty", want: "HTTP 503 Service Unavailable (empty body)" },
    { owner: "text", want: "HTTP 500 Internal Server Error (non-JSON body, text/plain)" },
    { owner: "json-array", want: "HTTP 400 Bad Request (JSON body without a message, application/json)" },
  ])("a $owner answer gives the message '$want'", async ({ owner, want }) => {
    const gh = createClient({ baseUrl: server.baseUrl, retry: false });
    const error = await gh.repoMachinesForAuthenticatedUser({ owner, repo: "r" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toBe(want);
  });
});

describe("the token never leaks", () => {
  afterEach(() => vi.restoreAllMocks());

  const views = (error: unknown) => {
    const e = error as Error;
    return {
      message: e.message,
      stack: e.stack ?? "",
      toString: String(e),
      json: JSON.stringify(e),
      inspect: inspect(e, { depth: 10, showHidden: true }),
      url: (e as GitHubApiError).url,
      body: JSON.stringify((e as GitHubApiError).body ?? null),
    };
  };

  it("not in a GitHubApiError, even when the server echoes the token into the body and the URL holds it", async () => {
    const logged: unknown[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(...args));
    }
    const { fetch, requests } = recordingFetch((request) =>
      json(
        {
          message: `Bad credentials: ${request.headers.get("authorization")}`,
          documentation_url: "https://docs.github.com",
        },
        { status: 401 },
      ),
    );
    const error = await createClient({ fetch, token: TOKEN })
      .repoMachinesForAuthenticatedUser({ ...params, ref: TOKEN })
      .catch((e: unknown) => e);
    expect(requests[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toBe("Bad credentials: Bearer [REDACTED]");
    for (const [view, text] of Object.entries(views(error))) {
      expect(text, view).not.toContain(TOKEN);
    }
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "AuthenticationError",
      status: 401,
      url: expect.stringContaining("ref=[REDACTED]"),
    });
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
  });

  it("not in a GitHubRequestError after network failures", async () => {
    const fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const error = await createClient({ fetch, token: TOKEN, retry: { retries: 1, baseDelayMs: 1 } })
      .repoMachinesForAuthenticatedUser({ ...params, ref: TOKEN })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect((error as GitHubRequestError).url).toContain("ref=[REDACTED]");
    for (const [view, text] of Object.entries(views(error))) {
      expect(text, view).not.toContain(TOKEN);
    }
  });
});

describe("GitHubRequestError", () => {
  it("a refused connection rejects after every retry with method, url, attempts and cause", async () => {
    const server = await startServer(() => undefined);
    const { baseUrl } = server;
    await server.close(); // nothing listens on the port any more
    const error = await createClient({ baseUrl, retry: { retries: 2, baseDelayMs: 1 } })
      .codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect(error).toMatchObject({
      name: "GitHubRequestError",
      method: "GET",
      url: `${baseUrl}/user/codespaces/cs/machines`,
      attempts: 3,
    });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/failed after 3 attempt\(s\)/);
  });

  it("a non-network error from fetch is passed through unchanged and not retried", async () => {
    const boom = new RangeError("not a network error");
    let calls = 0;
    const fetch = async () => {
      calls++;
      throw boom;
    };
    await expect(
      createClient({ fetch, retry: { baseDelayMs: 1 } }).codespaceMachinesForAuthenticatedUser({
        codespace_name: "cs",
      }),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });
});
