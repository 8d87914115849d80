import { describe, expect, it } from "vitest";
import type { Client } from "openapi-fetch";
import { createClient, createPathClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch } from "./helpers.js";

// Issue #10: openapi-fetch's default query serializer writes object values as deepObject
// (`name[key]=value`) with the key unencoded, so a JavaScript caller passing an object where a
// string belongs can add parameters: { ref: { "a]&client_ip=6.6.6.6&x[": 1 } }. GitHub's REST
// query parameters are strings, numbers, booleans or lists of those; the client encodes every
// name and value and refuses any other value.

const path = { owner: "octo-org", repo: "hello-world" };
const HOSTILE_KEY = "a]&client_ip=6.6.6.6&x[";

const sentQuery = (request: Request | undefined) => [...new URL(request?.url ?? "http://x/").searchParams];

describe("object values are refused with a TypeError naming the parameter, before sending", () => {
  it.each([
    { description: "the reported injection", ref: { [HOSTILE_KEY]: 1 } },
    { description: "a plain object", ref: { a: "b" } },
    { description: "an array holding an object", ref: ["main", { a: "b" }] },
    { description: "a nested array", ref: [["main"]] },
    { description: "a function", ref: () => "main" },
  ])("$description (operation method)", async ({ ref }) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const failure = createClient({ fetch }).repoMachinesForAuthenticatedUser({
      ...path,
      ref: ref as unknown as string,
    });
    await expect(failure).rejects.toThrow(TypeError);
    await expect(failure).rejects.toThrow(/Query parameter "ref" must be a string, number or boolean/);
    expect(requests).toHaveLength(0);
  });

  it("the reported injection through the typed GET", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createPathClient(createClient({ fetch })) as unknown as Client<any>;
    const failure = gh.GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path, query: { ref: { [HOSTILE_KEY]: 1 } } },
    });
    await expect(failure).rejects.toThrow(/Query parameter "ref" must be a string, number or boolean/);
    expect(requests).toHaveLength(0);
  });
});

describe("names and values are encoded, so nothing can add a parameter", () => {
  it("a hostile parameter name through the typed GET stays one parameter", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createPathClient(createClient({ fetch })) as unknown as Client<any>;
    await gh.GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path, query: { [HOSTILE_KEY]: "v&client_ip=7.7.7.7" } },
    });
    expect(sentQuery(requests[0])).toEqual([[HOSTILE_KEY, "v&client_ip=7.7.7.7"]]);
  });

  it.each([
    {
      description: "strings",
      args: { ref: "a&b=c#d", location: "West Europe" },
      want: "?ref=a%26b%3Dc%23d&location=West%20Europe",
    },
    { description: "numbers and booleans", args: { ref: 42, location: true }, want: "?ref=42&location=true" },
    {
      description: "a list, as repeated name=value (OpenAPI form, explode)",
      args: { ref: ["a b", "c&d"] },
      want: "?ref=a%20b&ref=c%26d",
    },
    {
      description: "undefined, null and empty lists, left out",
      args: { ref: undefined, location: null, client_ip: [] },
      want: "",
    },
  ])("$description (operation method and typed GET agree)", async ({ args, want }) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    await gh.repoMachinesForAuthenticatedUser({ ...path, ...(args as object) });
    await (createPathClient(gh) as unknown as Client<any>).GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path, query: args },
    });
    expect(requests.map((r) => new URL(r.url).search)).toEqual([want, want]);
  });
});
