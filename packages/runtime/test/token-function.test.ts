import { describe, expect, it } from "vitest";
import { AuthenticationError, GitHubRequestError } from "../src/index.js";
import { createClient, MACHINES } from "./fixtures/client.js";
import { sendJson, useServers } from "./helpers.js";
import { expectNoLeak } from "./no-leak.js";

// Issue #12: `token` may be a function (rotating credentials), called before every attempt.

const serve = useServers();

const rotating = (...tokens: string[]) => {
  let n = 0;
  const token = async () => tokens[Math.min(n++, tokens.length - 1)] as string;
  return { token, calls: () => n };
};

describe("token as a function", () => {
  it("is called per attempt (sync or async): a retry sends the fresh token", async () => {
    let n = 0;
    const server = await serve((_req, res) =>
      n++ === 0 ? sendJson(res, 503, { message: "down" }) : sendJson(res, 200, MACHINES),
    );
    const { token, calls } = rotating("ghs_first", "ghs_second");
    const gh = createClient({ baseUrl: server.baseUrl, token, retry: { baseDelayMs: 0 } });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).resolves.toEqual(MACHINES);
    expect(calls()).toBe(2);
    expect(server.seen.map((s) => s.headers.authorization)).toEqual(["Bearer ghs_first", "Bearer ghs_second"]);
    const sync = createClient({ baseUrl: server.baseUrl, token: () => "ghs_sync" });
    await sync.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" });
    expect(server.seen[2]?.headers.authorization).toBe("Bearer ghs_sync");
  });

  it("the ETag cache key fingerprints the token sent: another token gets no answer cached for the first", async () => {
    const server = await serve((req, res) =>
      req.headers["if-none-match"] === '"v1"'
        ? res.writeHead(304, { etag: '"v1"' }).end()
        : sendJson(res, 200, MACHINES, { etag: '"v1"' }),
    );
    const { token } = rotating("ghs_one", "ghs_one", "ghs_two");
    const gh = createClient({ baseUrl: server.baseUrl, token });
    const call = () => gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }).withResponse();
    expect((await call()).fromCache).toBe(false);
    expect((await call()).fromCache).toBe(true); // same token: conditional request
    expect((await call()).fromCache).toBe(false); // new token: the cached entry is not its to use
    expect(server.seen.map((s) => s.headers["if-none-match"])).toEqual([undefined, '"v1"', undefined]);
  });

  it("every token it returned is redacted from errors, even one a server echoes", async () => {
    const SECRET = "ghs_R0tat1ngSecretValue0123456789";
    const server = await serve((req, res) =>
      sendJson(res, 401, { message: `Bad credentials ${req.headers.authorization}` }),
    );
    const error = await createClient({ baseUrl: server.baseUrl, token: async () => SECRET })
      .repoMachinesForAuthenticatedUser({ owner: "o", repo: "r", ref: SECRET })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe("Bad credentials Bearer [REDACTED]");
    expectNoLeak(error, SECRET);
  });

  it("a function returning something that is not a bearer token rejects the call with a TypeError, nothing sent", async () => {
    const server = await serve((_req, res) => sendJson(res, 200, MACHINES));
    const gh = createClient({ baseUrl: server.baseUrl, token: () => "ghs_x\r\nX-Injected: 1" });
    const error = await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("token() must be an RFC 6750 bearer token");
    expect(error).not.toBeInstanceOf(GitHubRequestError);
    expect(server.seen).toHaveLength(0);
  });
});
