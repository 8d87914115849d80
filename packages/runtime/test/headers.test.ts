import { describe, expect, it } from "vitest";
import { API_VERSION, createClient, createPathClient, MACHINES, PACKAGE_VERSION } from "./fixtures/client.js";
import { json, recordingFetch } from "./helpers.js";

const params = { owner: "octo-org", repo: "hello-world" };

describe("GitHub headers", () => {
  it.each([
    {
      description: "with a token and a userAgent",
      options: { token: "ghp_abc", userAgent: "my-app/1.2" },
      want: {
        authorization: "Bearer ghp_abc",
        "user-agent": `my-app/1.2 @codespaces-clients/machines-2026-03-10/${PACKAGE_VERSION}`,
      },
    },
    {
      description: "without a token or userAgent",
      options: {},
      want: { authorization: null, "user-agent": `@codespaces-clients/machines-2026-03-10/${PACKAGE_VERSION}` },
    },
  ])(
    "every request sends Accept, X-GitHub-Api-Version, Authorization and User-Agent $description",
    async ({ options, want }) => {
      const { fetch, requests } = recordingFetch(() => json(MACHINES));
      const gh = createClient({ ...options, fetch });
      await gh.repoMachinesForAuthenticatedUser(params);
      await createPathClient(gh).GET("/user/codespaces/{codespace_name}/machines", {
        params: { path: { codespace_name: "cs" } },
      });
      expect(requests).toHaveLength(2);
      for (const request of requests) {
        expect(request.headers.get("accept")).toBe("application/vnd.github+json");
        expect(request.headers.get("x-github-api-version")).toBe(API_VERSION);
        expect(request.headers.get("authorization")).toBe(want.authorization);
        expect(request.headers.get("user-agent")).toBe(want["user-agent"]);
      }
    },
  );

  it.each([
    {
      description: "operation method",
      call: (gh: ReturnType<typeof createClient>) =>
        gh.repoMachinesForAuthenticatedUser(params, { headers: { "X-GitHub-Api-Version": "2022-11-28" } }),
    },
    {
      description: "typed GET",
      call: (gh: ReturnType<typeof createClient>) =>
        createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", {
          params: { path: params },
          headers: { "x-github-api-version": "2022-11-28" },
        }),
    },
  ])("a different X-GitHub-Api-Version throws a TypeError before sending ($description)", async ({ call }) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    const failure = call(gh);
    await expect(failure).rejects.toThrow(TypeError);
    await expect(failure).rejects.toThrow(/2026-03-10.*2022-11-28/);
    expect(requests).toHaveLength(0);
  });

  it("repeating the client's own X-GitHub-Api-Version is allowed", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    await expect(
      gh.repoMachinesForAuthenticatedUser(params, { headers: { "X-GitHub-Api-Version": API_VERSION } }),
    ).resolves.toEqual(MACHINES);
    expect(requests[0]?.headers.get("x-github-api-version")).toBe(API_VERSION);
  });

  it("a per-call header is sent along with GitHub's", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    await createClient({ fetch }).repoMachinesForAuthenticatedUser(params, { headers: { "x-trace": "t1" } });
    expect(requests[0]?.headers.get("x-trace")).toBe("t1");
    expect(requests[0]?.headers.get("accept")).toBe("application/vnd.github+json");
  });
});

describe("baseUrl", () => {
  it.each([
    { given: undefined, want: "https://api.github.com/repos/octo-org/hello-world/codespaces/machines" },
    {
      given: "https://api.octocorp.ghe.com",
      want: "https://api.octocorp.ghe.com/repos/octo-org/hello-world/codespaces/machines",
    },
    {
      given: "https://api.octocorp.ghe.com/",
      want: "https://api.octocorp.ghe.com/repos/octo-org/hello-world/codespaces/machines",
    },
    {
      given: "https://ghes.example.com/api/v3//",
      want: "https://ghes.example.com/api/v3/repos/octo-org/hello-world/codespaces/machines",
    },
  ])("$given sends to $want", async ({ given, want }) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    await createClient({ fetch, baseUrl: given }).repoMachinesForAuthenticatedUser(params);
    expect(requests[0]?.url).toBe(want);
  });

  it.each([
    { given: "ftp://api.github.com", error: /http: or https:/ },
    { given: "file:///etc/passwd", error: /http: or https:/ },
    { given: "api.github.com", error: /absolute http\(s\) URL/ },
    { given: "https://user:pw@api.github.com", error: /credentials/ },
    { given: "https://api.github.com/?x=1", error: /query/ },
  ])("rejects $given with a clear TypeError", ({ given, error }) => {
    expect(() => createClient({ baseUrl: given })).toThrow(TypeError);
    expect(() => createClient({ baseUrl: given })).toThrow(error);
  });
});
