import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPathClient, MACHINES } from "./fixtures/client.js";
import { serializePath } from "../src/path-serializer.js";
import { json, recordingFetch, sendJson, startServer } from "./helpers.js";

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((_req, res) => sendJson(res, 200, MACHINES));
});
afterAll(() => server.close());

const seenPath = () => {
  const url = server.seen.at(-1)?.url ?? "";
  return url.split("?")[0] ?? "";
};

describe("path parameters as the server sees them", () => {
  it.each([
    { description: "a slash", owner: "octo/evil" },
    { description: "a dot-dot prefix", owner: "..%2f..%2fadmin" },
    { description: "a question mark", owner: "a?b=c" },
    { description: "a hash", owner: "a#frag" },
    { description: "a percent sign", owner: "100%" },
    { description: "a space", owner: "octo org" },
    { description: "non-ASCII", owner: "ök-ü" },
    { description: "a traversal with slashes", owner: "../../admin" },
    { description: "dots inside a name", owner: "a..b" },
  ])("an owner with $description stays one segment and round-trips", async ({ owner }) => {
    const gh = createClient({ baseUrl: server.baseUrl, retry: false });
    await expect(gh.repoMachinesForAuthenticatedUser({ owner, repo: "hello world/x", ref: "a&b=c" })).resolves.toEqual(
      MACHINES,
    );
    const segments = seenPath().split("/");
    expect(segments).toHaveLength(6);
    expect(segments[1]).toBe("repos");
    expect(decodeURIComponent(segments[2] ?? "")).toBe(owner);
    expect(decodeURIComponent(segments[3] ?? "")).toBe("hello world/x");
    expect(segments.slice(4)).toEqual(["codespaces", "machines"]);
    const query = new URL(server.seen.at(-1)?.url ?? "", server.baseUrl).searchParams;
    expect([...query]).toEqual([["ref", "a&b=c"]]);
  });

  it("a codespace name with a slash cannot reach another endpoint", async () => {
    const gh = createClient({ baseUrl: server.baseUrl, retry: false });
    await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "x/../../repos/o/r" });
    expect(seenPath()).toBe("/user/codespaces/x%2F..%2F..%2Frepos%2Fo%2Fr/machines");
  });

  it("the typed GET encodes path parameters the same way", async () => {
    const gh = createClient({ baseUrl: server.baseUrl, retry: false });
    await createPathClient(gh).GET("/user/codespaces/{codespace_name}/machines", {
      params: { path: { codespace_name: "a/b?c" } },
    });
    expect(seenPath()).toBe("/user/codespaces/a%2Fb%3Fc/machines");
  });
});

describe("path parameters that are rejected before sending", () => {
  it.each([
    { description: "an empty owner", args: { owner: "", repo: "r" }, error: /"owner" must not be empty/ },
    { description: "an owner of '.'", args: { owner: ".", repo: "r" }, error: /"owner" must not be "\."/ },
    {
      description: "a repo of '..' (URL parsing would remove the segment even as %2E%2E)",
      args: { owner: "o", repo: ".." },
      error: /"repo" must not be "\.\."/,
    },
    {
      description: "a missing repo",
      args: { owner: "o" } as { owner: string; repo: string },
      error: /"repo" must be a string or number, got undefined/,
    },
  ])("$description", async ({ args, error }) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const failure = createClient({ fetch }).repoMachinesForAuthenticatedUser(args);
    await expect(failure).rejects.toThrow(TypeError);
    await expect(failure).rejects.toThrow(error);
    expect(requests).toHaveLength(0);
  });

  it("an unknown parameter name is a TypeError naming the ones the operation takes", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const gh = createClient({ fetch });
    // @ts-expect-error -- JavaScript callers get the runtime check the types give TypeScript callers
    const failure = gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs", owner: "o" });
    await expect(failure).rejects.toThrow(/has no parameter "owner" \(it takes: codespace_name\)/);
    expect(requests).toHaveLength(0);
  });
});

describe("query parameters", () => {
  it.each([
    {
      description: "undefined ones are omitted",
      args: { location: undefined, client_ip: undefined, ref: undefined },
      want: "",
    },
    {
      description: "defined ones are encoded",
      args: { location: "West Europe", client_ip: "10.0.0.1", ref: "refs/heads/ä" },
      want: "?location=West%20Europe&client_ip=10.0.0.1&ref=refs%2Fheads%2F%C3%A4",
    },
    { description: "a mix keeps only the defined ones", args: { location: undefined, ref: "main" }, want: "?ref=main" },
  ])("$description", async ({ args, want }) => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    await createClient({ fetch }).repoMachinesForAuthenticatedUser({ owner: "o", repo: "r", ...args });
    expect(new URL(requests[0]?.url ?? "").search).toBe(want);
  });
});

describe("placeholders", () => {
  // The pattern openapi-fetch's default path serializer and ours have always matched; the
  // serializer splits on it instead of replacing with a callback (faster), which must not
  // change what counts as a placeholder.
  const reference = (url: string, params: Record<string, string>) =>
    url.replace(/\{([^{}]+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? "?"));
  const params = { a: "A/1", b: "b b", owner: "o", repo: "r" };
  it.each([
    "/repos/{owner}/{repo}/codespaces/machines",
    "{owner}{repo}",
    "{a{b}",
    "{}x{repo}",
    "}{owner}}",
    "{{owner}}",
    "x{",
    "/no/placeholders",
  ])("%s: the same placeholders as \\{([^{}]+)\\}", (template) => {
    expect(serializePath(template, params)).toBe(reference(template, params));
  });
});
