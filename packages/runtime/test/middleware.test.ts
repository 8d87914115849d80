import { describe, expect, it } from "vitest";
import type { Middleware } from "openapi-fetch";
import { createClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch } from "./helpers.js";

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
    gh.use(tag);
    await gh.repoMachinesForAuthenticatedUser(path);
    await gh.GET("/repos/{owner}/{repo}/codespaces/machines", { params: { path } });
    expect(seen).toEqual(["/repos/{owner}/{repo}/codespaces/machines", "/repos/{owner}/{repo}/codespaces/machines"]);
    expect(requests.map((r) => r.headers.get("x-tag"))).toEqual(["1", "1"]);

    gh.eject(tag);
    gh.use({ onRequest: ({ request }) => void request.headers.set("x-github-api-version", "2022-11-28") });
    await expect(gh.GET("/repos/{owner}/{repo}/codespaces/machines", { params: { path } })).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(2);
  });

  it("GET keeps openapi-fetch's { data, error, response } contract, after retries", async () => {
    const { fetch, requests } = recordingFetch((_r, n) =>
      n === 0
        ? json({ message: "down" }, { status: 502 })
        : json({ message: "Not Found", documentation_url: "https://docs.github.com" }, { status: 404 }),
    );
    const gh = createClient({ fetch, retry: { baseDelayMs: 1 } });
    const { data, error, response } = await gh.GET("/repos/{owner}/{repo}/codespaces/machines", { params: { path } });
    expect(requests).toHaveLength(2);
    expect(data).toBeUndefined();
    expect(error).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com" });
    expect(response.status).toBe(404);
  });
});
