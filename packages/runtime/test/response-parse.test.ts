import { describe, expect, it } from "vitest";
import * as runtime from "../src/index.js";
import { createClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch } from "./helpers.js";
import { useMiddleware } from "../src/middleware.js";

// Issue #10: a 2xx whose body is not JSON rejects with a named error of the client's family,
// carrying what a bare SyntaxError lacks: status, method and the (redacted) URL.

const TOKEN = "ghp_ParseErr0rT0kenValue0123456789abcdef";
const params = { owner: "octo-org", repo: "hello-world" };
const URL_SENT = "https://api.github.com/repos/octo-org/hello-world/codespaces/machines?ref=";

describe("a 2xx with a body that is not JSON", () => {
  it.each([
    { description: "an HTML page", body: "<html>maintenance</html>", type: "text/html" },
    { description: "truncated JSON", body: '{"total_count": 1, "machines": [', type: "application/json" },
    { description: "a bare word", body: "ok", type: "application/json" },
  ])(
    "($description) rejects with ResponseParseError: status, method, redacted URL, SyntaxError cause",
    async ({ body, type }) => {
      const { fetch, requests } = recordingFetch(
        () => new Response(body, { status: 200, headers: { "content-type": type } }),
      );
      const error = await createClient({ fetch, token: TOKEN })
        .repoMachinesForAuthenticatedUser({ ...params, ref: TOKEN })
        .catch((e: unknown) => e);
      expect(typeof runtime.ResponseParseError).toBe("function");
      expect(error).toBeInstanceOf(runtime.ResponseParseError);
      expect(error).toBeInstanceOf(runtime.GitHubError);
      expect(error).not.toBeInstanceOf(runtime.GitHubApiError); // not an HTTP error: callers who catch those by status are not misled
      expect(error).toMatchObject({
        name: "ResponseParseError",
        status: 200,
        method: "GET",
        url: `${URL_SENT}[REDACTED]`,
      });
      expect((error as Error).message).toContain(`GET ${URL_SENT}[REDACTED]`);
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({
        name: "ResponseParseError",
        status: 200,
        url: `${URL_SENT}[REDACTED]`,
      });
      expect(requests).toHaveLength(1); // not retried: the server did answer
    },
  );

  it("the same through user middleware (the openapi-fetch path)", async () => {
    const { fetch } = recordingFetch(
      () => new Response("<html/>", { status: 201, headers: { "content-type": "text/html" } }),
    );
    const gh = createClient({ fetch });
    useMiddleware(gh, { onRequest: () => undefined });
    const error = await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(runtime.ResponseParseError);
    expect(error).toMatchObject({
      status: 201,
      method: "GET",
      url: "https://api.github.com/user/codespaces/cs/machines",
    });
  });

  it("an empty 2xx body is still undefined data, and valid JSON still parses (controls)", async () => {
    const { fetch } = recordingFetch((_r, n) => (n === 0 ? new Response(null, { status: 204 }) : json(MACHINES)));
    const gh = createClient({ fetch });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).resolves.toBeUndefined();
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).resolves.toEqual(MACHINES);
  });

  it("GitHubApiError and GitHubRequestError share the GitHubError base", () => {
    expect(runtime.GitHubApiError.prototype).toBeInstanceOf(runtime.GitHubError);
    expect(runtime.GitHubRequestError.prototype).toBeInstanceOf(runtime.GitHubError);
  });
});
