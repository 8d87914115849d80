import type { IncomingMessage, ServerResponse } from "node:http";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClientOptions, type OperationMap } from "../src/index.js";
import { shapes } from "../src/shapes.js";
import { json, recordingFetch, sendJson, useServers } from "./helpers.js";

/**
 * Operations GitHub describes on a server of their own: `repos/upload-release-asset`, whose
 * `servers` is `https://uploads.github.com`, with bytes as its body. The client sends such an
 * operation where its `servers` option says, else to the described server's counterpart for its
 * `baseUrl`, with the token and the version; nothing else may go there.
 */
const operations = {
  uploadReleaseAsset: {
    operationId: "repos/upload-release-asset",
    method: "post",
    path: "/repos/{owner}/{repo}/releases/{release_id}/assets",
    pathParams: ["owner", "repo", "release_id"],
    queryParams: ["name", "label"],
    body: { mediaType: "application/octet-stream" },
    server: "https://uploads.github.com",
  },
  getRelease: {
    operationId: "repos/get-release",
    method: "get",
    path: "/repos/{owner}/{repo}/releases/{release_id}",
    pathParams: ["owner", "repo", "release_id"],
    queryParams: [],
  },
} as const satisfies OperationMap;

const TOKEN = "ghp_uploads_token_0123456789";
const useServer = useServers();
const upload = { owner: "o", repo: "r", release_id: 1, name: "a.zip" };

type Methods = Record<keyof typeof operations, (...args: unknown[]) => Promise<unknown>>;

function clientOf(options: GitHubClientOptions, withShapes = true): Methods {
  return createGitHubClient<{}, typeof operations>(
    {
      apiVersion: "2026-03-10",
      packageName: "@codespaces-clients/test",
      packageVersion: "0.0.0",
      operations,
      ...(withShapes ? { shapes } : {}),
    },
    { retry: false, cache: false, token: TOKEN, ...options },
  ) as unknown as Methods;
}

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

async function recordingServer(answer: (request: Received, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server = await useServer(async (req, res) => {
    const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: await buffer(req) };
    received.push(request);
    answer(request, res);
  });
  return { received, baseUrl: server.baseUrl };
}

describe("operations on a server of their own (uploads)", () => {
  it("sends the upload to the server `servers` maps, with its bytes, token and version, and the rest to baseUrl", async () => {
    const api = await recordingServer((_request, res) => sendJson(res, 200, { id: 1 }));
    const uploads = await recordingServer((request, res) => sendJson(res, 201, { id: 7, size: request.body.length }));
    const gh = clientOf({
      baseUrl: `${api.baseUrl}/api/v3`,
      servers: { "https://uploads.github.com": `${uploads.baseUrl}/api/uploads/` },
    });
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
    expect(
      await gh.uploadReleaseAsset({ ...upload, data: bytes }, { headers: { "content-type": "application/zip" } }),
    ).toEqual({
      id: 7,
      size: 6,
    });
    expect(await gh.getRelease({ owner: "o", repo: "r", release_id: 1 })).toEqual({ id: 1 });

    expect(uploads.received.map((r) => [r.method, r.url])).toEqual([
      ["POST", "/api/uploads/repos/o/r/releases/1/assets?name=a.zip"],
    ]);
    const [sent] = uploads.received;
    expect([...(sent?.body ?? [])]).toEqual([...bytes]);
    expect(sent?.headers).toMatchObject({
      "content-type": "application/zip",
      "content-length": "6",
      authorization: `Bearer ${TOKEN}`,
      "x-github-api-version": "2026-03-10",
    });
    expect(api.received.map((r) => r.url)).toEqual(["/api/v3/repos/o/r/releases/1"]);
  });

  it("sends a Blob as the described media type when the call names none", async () => {
    const uploads = await recordingServer((request, res) => sendJson(res, 201, { text: request.body.toString() }));
    const gh = clientOf({ baseUrl: uploads.baseUrl });
    expect(await gh.uploadReleaseAsset({ ...upload, label: "L", data: new Blob(["hello"]) })).toEqual({
      text: "hello",
    });
    // A baseUrl GitHub's servers do not derive from (a mock, a proxy): the upload goes there.
    expect(uploads.received.map((r) => [r.url, r.headers["content-type"]])).toEqual([
      ["/repos/o/r/releases/1/assets?name=a.zip&label=L", "application/octet-stream"],
    ]);
  });

  it.each([
    [
      "GitHub's API (the default baseUrl)",
      undefined,
      "https://uploads.github.com/repos/o/r/releases/1/assets?name=a.zip",
    ],
    [
      "GitHub Enterprise Server",
      "https://ghe.example.com/api/v3/",
      "https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets?name=a.zip",
    ],
    [
      "GHE.com",
      "https://api.octocorp.ghe.com",
      "https://uploads.octocorp.ghe.com/repos/o/r/releases/1/assets?name=a.zip",
    ],
    [
      "a proxy with a path",
      "http://127.0.0.1:9/github",
      "http://127.0.0.1:9/github/repos/o/r/releases/1/assets?name=a.zip",
    ],
  ])("derives the upload server from the baseUrl of %s", async (_name, baseUrl, want) => {
    const { fetch, requests } = recordingFetch(() => json({ id: 7 }, { status: 201 }));
    const gh = clientOf({ ...(baseUrl ? { baseUrl } : {}), fetch });
    await gh.uploadReleaseAsset({ ...upload, data: "text is bytes too" });
    expect(requests.map((r) => r.url)).toEqual([want]);
    expect(requests[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(await requests[0]?.text()).toBe("text is bytes too");
  });

  it("refuses a servers entry that is not an absolute http(s) URL without credentials, naming it, not echoing it, before sending", async () => {
    const secret = "s3cret-password";
    const { fetch, requests } = recordingFetch(() => json({ id: 7 }, { status: 201 }));
    for (const url of [`https://user:${secret}@uploads.example.com`, "uploads.example.com", "ftp://x"]) {
      // Checked at the first call of an operation on that server (the core client knows no servers).
      const gh = clientOf({ fetch, servers: { "https://uploads.github.com": url } });
      const error = await gh.uploadReleaseAsset({ ...upload, data: "x" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect(String(error)).toBe(
        'TypeError: servers["https://uploads.github.com"] must be an absolute http(s) URL (http: or https:) without credentials, a query or a fragment',
      );
      expect(String(error)).not.toContain(secret);
    }
    expect(requests).toEqual([]);
    expect(() => clientOf({ servers: "https://uploads.example.com" as never })).toThrow(
      new TypeError("servers must be an object"),
    );
  });

  it("takes only its own entries of `servers` (not an inherited one, not an undefined one), and ignores entries no operation is on", async () => {
    const { fetch, requests } = recordingFetch(() => json({ id: 7 }, { status: 201 }));
    const inherited = Object.create({ "https://uploads.github.com": "https://evil.example" }) as Record<string, string>;
    const gh = clientOf({ fetch, servers: { ...inherited, "https://other.example": "https://x.example" } });
    await gh.uploadReleaseAsset({ ...upload, data: "x" });
    expect(requests.map((r) => new URL(r.url).origin)).toEqual(["https://uploads.github.com"]);
    const viaProto = clientOf({ fetch, servers: inherited });
    await viaProto.uploadReleaseAsset({ ...upload, data: "x" });
    const undefinedEntry = clientOf({ fetch, servers: { "https://uploads.github.com": undefined as never } });
    await undefinedEntry.uploadReleaseAsset({ ...upload, data: "x" });
    expect(requests.map((r) => new URL(r.url).origin)).toEqual([
      "https://uploads.github.com",
      "https://uploads.github.com",
      "https://uploads.github.com",
    ]);
  });

  it("still refuses a request a middleware or caller sends outside both the baseUrl and the upload server", async () => {
    const { fetch, requests } = recordingFetch(() => json({}));
    const gh = createGitHubClient<{}, typeof operations>(
      {
        apiVersion: "2026-03-10",
        packageName: "@codespaces-clients/test",
        packageVersion: "0.0.0",
        operations,
        shapes,
      },
      { fetch, retry: false, cache: false, token: TOKEN, baseUrl: "https://api.example.com" },
    );
    const { createPathClient } = await import("../src/paths.js");
    const paths = createPathClient<{ "/x": { get: { responses: { 200: { content: { "application/json": {} } } } } } }>(
      gh,
    );
    // The upload server of this baseUrl is the baseUrl itself: any other host is outside.
    await expect(paths.GET("/x", { baseUrl: "https://uploads.github.com" })).rejects.toThrow(
      "GET https://uploads.github.com/x is outside baseUrl https://api.example.com",
    );
    expect(requests).toEqual([]);
  });

  it("refuses, at createClient, a definition with an operation on its own server but no `shapes`", () => {
    expect(() => clientOf({}, false)).toThrow(
      new TypeError(
        "repos/upload-release-asset has a body, header parameters, non-JSON answers or a server: pass `shapes`",
      ),
    );
  });
});
