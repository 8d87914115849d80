import type { IncomingMessage, ServerResponse } from "node:http";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { createGitHubClient, GitHubApiError, GitHubRequestError, type OperationMap } from "../src/index.js";
import { shapes } from "../src/shapes.js";
import { sendJson, useServers } from "./helpers.js";

/**
 * GitHub's redirects, as the description documents them: a renamed repository's `301` (`repos/get`,
 * `issues/get`), a `307` that repeats a `PATCH`/`DELETE` at the new place (`repos/update`), a `302`
 * to a file on another host (`repos/download-zipball-archive`, job logs). The client leaves them to
 * `fetch` (`redirect: "follow"`), so these tests pin what that does for a caller: the answer at the
 * end, the token only where the API is, and a typed error for a redirect that names no place.
 */
const operations = {
  get: {
    operationId: "things/get",
    method: "get",
    path: "/things/{name}",
    pathParams: ["name"],
    queryParams: ["ref"],
  },
  update: {
    operationId: "things/update",
    method: "patch",
    path: "/things/{name}",
    pathParams: ["name"],
    queryParams: [],
    body: { mediaType: "application/json", fields: ["description"] },
  },
  create: {
    operationId: "things/create",
    method: "post",
    path: "/things",
    pathParams: [],
    queryParams: [],
    body: { mediaType: "application/json", required: true, fields: ["name"] },
  },
  zipball: {
    operationId: "things/download-zipball",
    method: "get",
    path: "/things/{name}/zipball",
    pathParams: ["name"],
    queryParams: [],
    responses: { 200: "binary" },
  },
} as const satisfies OperationMap;

const TOKEN = "ghp_redirect_token_0123456789";
const useServer = useServers();

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A loopback server recording each request with its body, answering with `answer`. */
async function recordingServer(answer: (request: Received, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server = await useServer(async (req, res) => {
    const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: await text(req) };
    received.push(request);
    answer(request, res);
  });
  return { received, baseUrl: server.baseUrl };
}

/** A client of `operations` at `baseUrl`, without retries and (unless `withCache`) without the ETag cache. */
function clientOf(baseUrl: string, withCache = false) {
  const gh = createGitHubClient<{}, typeof operations>(
    { apiVersion: "2026-03-10", packageName: "@codespaces-clients/test", packageVersion: "0.0.0", operations, shapes },
    { baseUrl, retry: false, token: TOKEN, ...(withCache ? {} : { cache: false as const }) },
  );
  return gh as unknown as Record<keyof typeof operations, (...args: unknown[]) => Promise<unknown>>;
}

describe("redirects", () => {
  it("follows a renamed repository's 301 at the API's origin: the answer at the end, with the token and the version", async () => {
    const api = await recordingServer((request, res) => {
      if (request.url.startsWith("/things/old")) {
        res.writeHead(301, { location: "/things/new?ref=main", "content-type": "application/json" });
        return res.end(JSON.stringify({ message: "Moved Permanently", url: "/things/new" }));
      }
      sendJson(res, 200, { name: "new" });
    });
    const gh = clientOf(api.baseUrl);
    expect(await gh.get({ name: "old", ref: "main" })).toEqual({ name: "new" });
    expect(api.received.map((r) => r.url)).toEqual(["/things/old?ref=main", "/things/new?ref=main"]);
    for (const r of api.received) {
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.headers["x-github-api-version"]).toBe("2026-03-10");
      expect(r.headers.accept).toBe("application/vnd.github+json");
    }
  });

  it("revalidates a cached GET behind a 301 at the new place, and resolves with the cached data on its 304", async () => {
    const api = await recordingServer((request, res) => {
      if (request.url === "/things/old") {
        res.writeHead(301, { location: "/things/new" });
        return res.end();
      }
      if (request.headers["if-none-match"] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        return res.end();
      }
      sendJson(res, 200, { name: "new" }, { etag: '"v1"' });
    });
    const gh = clientOf(api.baseUrl, true); // the default in-memory ETag cache
    expect(await gh.get({ name: "old" })).toEqual({ name: "new" });
    expect(await gh.get({ name: "old" })).toEqual({ name: "new" });
    expect(api.received.map((r) => [r.url, r.headers["if-none-match"] ?? null])).toEqual([
      ["/things/old", null],
      ["/things/new", null],
      ["/things/old", '"v1"'],
      ["/things/new", '"v1"'],
    ]);
  });

  it("repeats a PATCH and its body at a 307's place, and turns a POST answered 303 into a GET", async () => {
    const api = await recordingServer((request, res) => {
      if (request.url === "/things/old") {
        res.writeHead(307, { location: "/things/new" });
        return res.end();
      }
      if (request.url === "/things") {
        res.writeHead(303, { location: "/things/existing" });
        return res.end();
      }
      sendJson(res, 200, { at: request.url, method: request.method });
    });
    const gh = clientOf(api.baseUrl);
    expect(await gh.update({ name: "old", description: "d" })).toEqual({ at: "/things/new", method: "PATCH" });
    expect(await gh.create({ name: "n" })).toEqual({ at: "/things/existing", method: "GET" });
    expect(api.received.map((r) => [r.method, r.url, r.body])).toEqual([
      ["PATCH", "/things/old", '{"description":"d"}'],
      ["PATCH", "/things/new", '{"description":"d"}'],
      ["POST", "/things", '{"name":"n"}'],
      ["GET", "/things/existing", ""],
    ]);
  });

  it("sends no token to another origin: a download's 302 to a file host gets the bytes without Authorization", async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x05, 0x06, 0x00, 0xff]);
    const files = await recordingServer((_request, res) => {
      res.writeHead(200, { "content-type": "application/zip" });
      res.end(bytes);
    });
    // 127.0.0.1 and localhost are different origins, as api.github.com and codeload.github.com are.
    const fileUrl = `${files.baseUrl.replace("127.0.0.1", "localhost")}/archive/n1.zip`;
    const api = await recordingServer((_request, res) => {
      res.writeHead(302, { location: fileUrl });
      res.end();
    });
    const data = await clientOf(api.baseUrl).zipball({ name: "n1" });
    expect(Buffer.from(data as ArrayBuffer)).toEqual(bytes);
    expect(api.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(files.received.map((r) => r.url)).toEqual(["/archive/n1.zip"]);
    expect(files.received[0]?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(files.received[0]?.headers)).not.toContain(TOKEN);
  });

  it("rejects a 3xx that names no place with GitHubApiError: status, message and body, one request", async () => {
    const body = { message: "Moved Permanently", documentation_url: "https://docs.github.com/rest" };
    const api = await recordingServer((_request, res) => sendJson(res, 301, body));
    const error = await clientOf(api.baseUrl)
      .get({ name: "old" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({ status: 301, message: "Moved Permanently", body });
    expect(api.received).toHaveLength(1);
  });

  it("rejects a redirect loop with GitHubRequestError once fetch stops following, and the token is in no part of it", async () => {
    const api = await recordingServer((request, res) => {
      res.writeHead(302, { location: request.url === "/things/a" ? "/things/b" : "/things/a" });
      res.end();
    });
    const error = await clientOf(api.baseUrl)
      .get({ name: "a" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect((error as GitHubRequestError).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/things\/a/);
    // fetch's limit: the first request and 20 redirects.
    expect(api.received).toHaveLength(21);
    let text = "";
    for (let e: unknown = error; e instanceof Error; e = e.cause) text += `${e.message}\n${e.stack}\n`;
    expect(text).not.toContain(TOKEN);
  });
});
