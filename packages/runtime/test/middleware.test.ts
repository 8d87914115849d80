import { describe, expect, it, vi } from "vitest";
import type { Middleware } from "openapi-fetch";
import { createClient, createPathClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch } from "./helpers.js";
import { ejectMiddleware, useMiddleware } from "../src/middleware.js";

const path = { owner: "octo-org", repo: "hello-world" };

describe("the typed openapi-fetch client shares the GitHub layer", () => {
  it("user middleware runs for operation methods and GET, before GitHub's headers are checked", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    const seen: string[] = [];
    const tag: Middleware = {
      onRequest: ({ request, schemaPath }) => {
        seen.push(schemaPath);
        request.headers.set("x-tag", "1");
      },
    };
    useMiddleware(gh, tag);
    await gh.repoMachinesForAuthenticatedUser(path);
    await createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", { params: { path } });
    expect(seen).toEqual(["/repos/{owner}/{repo}/codespaces/machines", "/repos/{owner}/{repo}/codespaces/machines"]);
    expect(requests.map((r) => r.headers.get("x-tag"))).toEqual(["1", "1"]);

    ejectMiddleware(gh, tag);
    useMiddleware(gh, { onRequest: ({ request }) => void request.headers.set("x-github-api-version", "2022-11-28") });
    await expect(
      createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", { params: { path } }),
    ).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(2);
  });

  it("GET keeps openapi-fetch's { data, error, response } contract, after retries", async () => {
    const { fetch, requests } = recordingFetch((_r, n) =>
      n === 0
        ? json({ message: "down" }, { status: 502 })
        : json({ message: "Not Found", documentation_url: "https://docs.github.com" }, { status: 404 }),
    );
    const gh = createClient({ fetch, retry: { baseDelayMs: 1 } });
    const { data, error, response } = await createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path },
    });
    expect(requests).toHaveLength(2);
    expect(data).toBeUndefined();
    expect(error).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com" });
    expect(response.status).toBe(404);
  });
});

describe("one middleware list for operation methods and the typed path client", () => {
  it("middleware registered through the path client sees operation calls, with openapi-fetch's fields", async () => {
    const { fetch } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    const api = createPathClient(gh);
    const seen: Array<{ schemaPath: string; params: unknown; id: string; method: string }> = [];
    const spy: Middleware = {
      onRequest: ({ request, schemaPath, params, id }) =>
        void seen.push({ schemaPath, params, id, method: request.method }),
    };
    api.use(spy);
    await gh.repoMachinesForAuthenticatedUser({ ...path, ref: "main" });
    await api.GET("/user/codespaces/{codespace_name}/machines", { params: { path: { codespace_name: "cs" } } });
    expect(seen).toMatchObject([
      {
        schemaPath: "/repos/{owner}/{repo}/codespaces/machines",
        params: { path, query: { ref: "main" } },
        method: "GET",
      },
      { schemaPath: "/user/codespaces/{codespace_name}/machines", params: { path: { codespace_name: "cs" } } },
    ]);
    expect(seen[0]?.id).toMatch(/\w/);
    expect(seen[0]?.id).not.toBe(seen[1]?.id);
    ejectMiddleware(gh, spy);
    await api.GET("/user/codespaces/{codespace_name}/machines", { params: { path: { codespace_name: "cs" } } });
    expect(seen).toHaveLength(2);
  });

  it("an operation call's `options` cannot be changed by one middleware for the next", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    const seen: unknown[] = [];
    useMiddleware(
      gh,
      {
        onRequest: ({ options }) => {
          seen.push(options.baseUrl);
          expect(() => Object.assign(options, { baseUrl: "https://evil.example" })).toThrow(TypeError);
          // openapi-fetch's fields: the client's serializers and its `fetch`.
          expect(options).toMatchObject({ parseAs: "json", bodySerializer: JSON.stringify, fetch });
          expect(options.querySerializer({ per_page: 2, q: "a b" })).toBe("per_page=2&q=a%20b");
          expect(options.pathSerializer("/users/{user}", { user: "a/b" })).toBe("/users/a%2Fb");
        },
      },
      { onRequest: ({ options }) => void seen.push(options.baseUrl) },
    );
    await gh.repoMachinesForAuthenticatedUser(path);
    expect(seen).toEqual(["https://api.github.com", "https://api.github.com"]);
    expect(new URL(requests[0]?.url ?? "").origin).toBe("https://api.github.com");
  });

  it("onResponse may replace an operation call's answer; it is parsed like GitHub's", async () => {
    const { fetch } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    const statuses: number[] = [];
    useMiddleware(gh, {
      onResponse: ({ response }) => {
        statuses.push(response.status);
        return json({ total_count: 0, machines: [] }, { headers: { etag: '"x"' } });
      },
    });
    const full = await gh.repoMachinesForAuthenticatedUser(path).withResponse();
    expect(full).toMatchObject({ data: { total_count: 0, machines: [] }, status: 200, etag: '"x"' });
    expect(statuses).toEqual([200]);
  });

  it("onRequest may answer an operation call itself: nothing is sent", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    useMiddleware(gh, { onRequest: () => json({ message: "Not Found" }, { status: 404 }) });
    await expect(gh.repoMachinesForAuthenticatedUser(path)).rejects.toMatchObject({
      name: "NotFoundError",
      status: 404,
    });
    expect(requests).toHaveLength(0);
  });

  it("onError sees an operation call's failure and may recover with a Response", async () => {
    const fetch = async () => {
      throw new TypeError("network down");
    };
    const gh = createClient({ fetch, retry: false });
    const errors: unknown[] = [];
    useMiddleware(gh, {
      onError: ({ error }) => {
        errors.push(error);
        return json(MACHINES);
      },
    });
    await expect(gh.repoMachinesForAuthenticatedUser(path)).resolves.toEqual(MACHINES);
    expect(errors).toMatchObject([{ name: "GitHubRequestError" }]);
  });

  it("a hook that returns something else fails the call with openapi-fetch's message", async () => {
    const gh = createClient({ fetch: recordingFetch(() => json(MACHINES)).fetch });
    useMiddleware(gh, { onResponse: () => "nope" as never });
    await expect(gh.repoMachinesForAuthenticatedUser(path)).rejects.toThrow("onResponse: must return new Response()");
    expect(() => useMiddleware(gh, {} as Middleware)).toThrow(TypeError);
    expect(() => useMiddleware({}, { onRequest: () => undefined })).toThrow(/a client made by createClient/);
  });

  it("without middleware, an operation call hands the platform fetch a URL, not a Request", async () => {
    const calls: unknown[][] = [];
    vi.stubGlobal("fetch", async (...args: unknown[]) => {
      calls.push(args);
      return json(MACHINES);
    });
    try {
      const gh = createClient({ token: "t0ken" });
      await expect(gh.repoMachinesForAuthenticatedUser(path)).resolves.toEqual(MACHINES);
      expect(calls).toHaveLength(1);
      const [url, init] = calls[0] as [unknown, RequestInit];
      expect(url).toBe("https://api.github.com/repos/octo-org/hello-world/codespaces/machines");
      expect(new Headers(init.headers).get("authorization")).toBe("Bearer t0ken");
      // With middleware there is a Request, for the middleware to see.
      useMiddleware(gh, { onRequest: () => undefined });
      await gh.repoMachinesForAuthenticatedUser(path);
      expect(calls[1]?.[0]).toBeInstanceOf(Request);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
