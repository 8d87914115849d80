import { describe, expect, it } from "vitest";
import { createMemoryEtagCache, type EtagCache, type EtagCacheEntry, GitHubApiError } from "../src/index.js";
import { createClient, createPathClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch } from "./helpers.js";

const TOKEN = "ghp_cacheTokenValue0123456789";
const params = { owner: "octo-org", repo: "hello-world" };

/** Answers 200 with an ETag, then 304 to any request whose If-None-Match matches it. */
const conditionalServer = (etag = '"v1"', body: unknown = MACHINES) =>
  recordingFetch((request) =>
    request.headers.get("if-none-match") === etag
      ? new Response(null, { status: 304, headers: { etag, "x-ratelimit-remaining": "4998" } })
      : json(body, { headers: { etag } }),
  );

/** An async EtagCache over a Map, to see the keys the client uses. */
const spyCache = () => {
  const map = new Map<string, EtagCacheEntry>();
  const cache: EtagCache = {
    get: async (key) => map.get(key),
    set: async (key, entry) => void map.set(key, entry),
  };
  return { cache, map };
};

describe("ETag cache (default on)", () => {
  it("the second call sends If-None-Match and a 304 resolves with the cached data", async () => {
    const { fetch, requests } = conditionalServer();
    const gh = createClient({ fetch, token: TOKEN });
    const first = await gh.repoMachinesForAuthenticatedUser(params);
    const second = await gh.repoMachinesForAuthenticatedUser(params);
    expect(requests.map((r) => r.headers.get("if-none-match"))).toEqual([null, '"v1"']);
    expect(first).toEqual(MACHINES);
    expect(second).toEqual(MACHINES);
    expect(second.machines[0]?.name).toBe("standardLinux");
  });

  it("a caller's own If-None-Match, even an empty one, leaves the cache out", async () => {
    const { fetch, requests } = conditionalServer();
    const gh = createClient({ fetch, token: TOKEN });
    await gh.repoMachinesForAuthenticatedUser(params);
    const own = await gh.repoMachinesForAuthenticatedUser(params, { headers: { "If-None-Match": "" } });
    expect(requests.map((r) => r.headers.get("if-none-match"))).toEqual([null, ""]);
    expect(own).toEqual(MACHINES);
  });

  it("the typed GET sees a cache hit as a 200 with the cached body", async () => {
    const { fetch, requests } = conditionalServer();
    const gh = createClient({ fetch });
    await createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", { params: { path: params } });
    const { data, response } = await createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path: params },
    });
    expect(requests[1]?.headers.get("if-none-match")).toBe('"v1"');
    expect(response.status).toBe(200);
    expect(response.headers.get("x-ratelimit-remaining")).toBe("4998");
    expect(data).toEqual(MACHINES);
  });

  it("a changed resource (200 with a new ETag) replaces the cached entry", async () => {
    let version = 1;
    const { fetch, requests } = recordingFetch((request) =>
      request.headers.get("if-none-match") === `"v${version}"`
        ? new Response(null, { status: 304 })
        : json({ ...MACHINES, total_count: version }, { headers: { etag: `"v${version}"` } }),
    );
    const gh = createClient({ fetch });
    expect((await gh.repoMachinesForAuthenticatedUser(params)).total_count).toBe(1);
    version = 2;
    expect((await gh.repoMachinesForAuthenticatedUser(params)).total_count).toBe(2);
    expect((await gh.repoMachinesForAuthenticatedUser(params)).total_count).toBe(2);
    expect(requests.map((r) => r.headers.get("if-none-match"))).toEqual([null, '"v1"', '"v2"']);
  });

  it.each([
    { description: "different tokens", a: { token: "ghp_one" }, b: { token: "ghp_two" }, shared: false },
    { description: "the same token", a: { token: "ghp_one" }, b: { token: "ghp_one" }, shared: true },
  ])("clients sharing a cache with $description share entries: $shared", async ({ a, b, shared }) => {
    const { cache } = spyCache();
    const { fetch, requests } = conditionalServer();
    await createClient({ fetch, cache, ...a }).repoMachinesForAuthenticatedUser(params);
    await createClient({ fetch, cache, ...b }).repoMachinesForAuthenticatedUser(params);
    expect(requests[1]?.headers.get("if-none-match")).toBe(shared ? '"v1"' : null);
  });

  it("cache keys hold method, URL and API version but never the token", async () => {
    const { cache, map } = spyCache();
    const { fetch } = conditionalServer();
    await createClient({ fetch, cache, token: TOKEN }).repoMachinesForAuthenticatedUser({ ...params, ref: "main" });
    const keys = [...map.keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(
      /^GET https:\/\/api\.github\.com\/repos\/octo-org\/hello-world\/codespaces\/machines\?ref=main 2026-03-10 /,
    );
    expect(keys[0]).not.toContain(TOKEN);
    expect(keys[0]).not.toContain(TOKEN.slice(4, 20));
    expect(map.get(keys[0] ?? "")).toEqual({ etag: '"v1"', data: MACHINES });
  });

  it.each([
    { description: "a 200 without an ETag", answer: () => json(MACHINES) },
    {
      description: "a non-JSON 200",
      answer: () => new Response("hi", { headers: { etag: '"v1"', "content-type": "text/plain" } }),
    },
    {
      description: "an error status",
      answer: () => json({ message: "no" }, { status: 404, headers: { etag: '"v1"' } }),
    },
  ])("$description is not cached", async ({ answer }) => {
    const { cache, map } = spyCache();
    const { fetch, requests } = recordingFetch(answer);
    const { response } = await createPathClient(createClient({ fetch, cache })).GET(
      "/repos/{owner}/{repo}/codespaces/machines",
      {
        params: { path: params },
        parseAs: "text",
      },
    );
    // The answer did go through the client (an empty cache alone would prove nothing) ...
    expect(requests).toHaveLength(1);
    expect(response.status).toBe(answer().status);
    expect(map.size).toBe(0);
  });

  it("a JSON 200 with an ETag through the same typed GET is cached (the control for the cases above)", async () => {
    const { cache, map } = spyCache();
    const { fetch } = conditionalServer();
    await createPathClient(createClient({ fetch, cache })).GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path: params },
      parseAs: "text",
    });
    expect([...map.values()]).toEqual([{ etag: '"v1"', data: MACHINES }]);
  });

  it("cache: false never sends If-None-Match", async () => {
    const { fetch, requests } = conditionalServer();
    const gh = createClient({ fetch, cache: false });
    await gh.repoMachinesForAuthenticatedUser(params);
    await gh.repoMachinesForAuthenticatedUser(params);
    expect(requests.map((r) => r.headers.get("if-none-match"))).toEqual([null, null]);
  });
});

describe("ifNoneMatch per call", () => {
  it.each([
    { description: "without a cache", cache: false as const },
    { description: "with the default cache (bypassed for this call)", cache: undefined },
  ])("a 304 resolves with NotModified $description", async ({ cache }) => {
    const { fetch, requests } = conditionalServer();
    const gh = createClient({ fetch, cache });
    const result = await gh.repoMachinesForAuthenticatedUser(params, { ifNoneMatch: '"v1"' });
    expect(result).toEqual({ notModified: true, etag: '"v1"', status: 304 });
    expect(requests[0]?.headers.get("if-none-match")).toBe('"v1"');
  });

  it("a 200 resolves with the data when the ETag no longer matches", async () => {
    const { fetch } = conditionalServer('"v2"');
    const result = await createClient({ fetch, cache: false }).repoMachinesForAuthenticatedUser(params, {
      ifNoneMatch: '"v1"',
    });
    expect(result).toEqual(MACHINES);
  });

  it("a 304 without an ETag header reports the ETag that was sent", async () => {
    const { fetch } = recordingFetch(() => new Response(null, { status: 304 }));
    const result = await createClient({ fetch }).codespaceMachinesForAuthenticatedUser(
      { codespace_name: "cs" },
      { ifNoneMatch: 'W/"abc"' },
    );
    expect(result).toEqual({ notModified: true, etag: 'W/"abc"', status: 304 });
  });

  it("an error answer still rejects with GitHubApiError", async () => {
    const { fetch } = recordingFetch(() => json({ message: "Not Found" }, { status: 404 }));
    await expect(
      createClient({ fetch }).codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, { ifNoneMatch: '"x"' }),
    ).rejects.toBeInstanceOf(GitHubApiError);
  });
});

describe("createMemoryEtagCache", () => {
  it("forgets the least recently used entry beyond maxEntries", () => {
    const cache = createMemoryEtagCache(2);
    cache.set("a", { etag: "1", data: 1 });
    cache.set("b", { etag: "2", data: 2 });
    expect(cache.get("a")).toEqual({ etag: "1", data: 1 }); // a is now the most recent
    cache.set("c", { etag: "3", data: 3 });
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toEqual({ etag: "1", data: 1 });
    expect(cache.get("c")).toEqual({ etag: "3", data: 3 });
  });

  it.each([0, -1, Number.NaN])("rejects maxEntries %s", (maxEntries) => {
    expect(() => createMemoryEtagCache(maxEntries)).toThrow(TypeError);
  });
});
