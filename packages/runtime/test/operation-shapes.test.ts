import type { IncomingMessage } from "node:http";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { createGitHubClient, GitHubApiError, type OperationMap } from "../src/index.js";
import { shapes } from "../src/shapes.js";
import { sendJson, useServers } from "./helpers.js";

/** Every shape the generator describes: bodies, header parameters, 201/202/204, text and binary answers. */
const operations = {
  create: {
    operationId: "things/create",
    method: "post",
    path: "/repos/{owner}/things",
    pathParams: ["owner"],
    queryParams: ["dry_run"],
    headerParams: ["x-request-tag"],
    body: { mediaType: "application/json", required: true, fields: ["name", "tags"] },
  },
  update: {
    operationId: "things/update",
    method: "patch",
    path: "/things/{name}",
    pathParams: ["name"],
    queryParams: [],
    body: { mediaType: "application/json" },
  },
  remove: {
    operationId: "things/remove",
    method: "delete",
    path: "/things/{name}",
    pathParams: ["name"],
    queryParams: [],
    responses: { 204: "none" },
  },
  start: {
    operationId: "things/start",
    method: "post",
    path: "/things/{name}/start",
    pathParams: ["name"],
    queryParams: [],
    body: { mediaType: "application/json", required: true, fields: ["ref"] },
  },
  render: {
    operationId: "markdown/render-raw",
    method: "post",
    path: "/markdown/raw",
    pathParams: [],
    queryParams: [],
    body: { mediaType: "text/plain", required: true },
    responses: { 200: "text" },
    accept: "application/vnd.github+json, text/html",
  },
  zipball: {
    // Documented only as `302` (GitHub's repos/download-zipball-archive): the generator reads the 200 at its end as bytes.
    operationId: "things/download-zipball",
    method: "get",
    path: "/things/{name}/zipball",
    pathParams: ["name"],
    queryParams: [],
    responses: { 200: "binary" },
  },
  download: {
    operationId: "things/download",
    method: "get",
    path: "/things/{name}/zip",
    pathParams: ["name"],
    queryParams: [],
    responses: { 200: "binary" },
  },
} as const satisfies OperationMap;

const useServer = useServers();

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A loopback server that records each request with its body and answers with `answer(request)`. */
async function serve(answer: (request: Received, res: import("node:http").ServerResponse) => void) {
  const received: Received[] = [];
  const server = await useServer(async (req, res) => {
    const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: await text(req) };
    received.push(request);
    answer(request, res);
  });
  const gh = createGitHubClient<{}, typeof operations>(
    { apiVersion: "2026-03-10", packageName: "@codespaces-clients/test", packageVersion: "0.0.0", operations, shapes },
    { baseUrl: server.baseUrl, retry: false, cache: false, token: "ghp_shapes" },
  );
  // The runtime's generic type for a table without a generated interface: the calls are untyped here.
  return { received, gh: gh as unknown as Record<keyof typeof operations, (...args: unknown[]) => Promise<unknown>> };
}

describe("operation shapes", () => {
  it("sends JSON body fields from the top level of params, header parameters as headers, and resolves a 201 body", async () => {
    const { received, gh } = await serve((_request, res) => sendJson(res, 201, { id: 7 }));
    const data = await gh.create({ owner: "octo", dry_run: true, "x-request-tag": "abc", name: "n1", tags: ["a"] });
    expect(data).toEqual({ id: 7 });
    const [request] = received;
    expect(request).toMatchObject({ method: "POST", url: "/repos/octo/things?dry_run=true" });
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["x-request-tag"]).toBe("abc");
    expect(request?.headers.authorization).toBe("Bearer ghp_shapes");
    expect(JSON.parse(request?.body ?? "")).toEqual({ name: "n1", tags: ["a"] });
  });

  it("sends {} for a required body given no fields, and nothing for an optional one", async () => {
    const { received, gh } = await serve((_request, res) => sendJson(res, 202, { queued: true }));
    expect(await gh.start({ name: "n1" })).toEqual({ queued: true });
    expect(received[0]?.body).toBe("{}");
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    await gh.update({ name: "n1" });
    expect(received[1]?.method).toBe("PATCH");
    expect(received[1]?.body).toBe("");
    expect(received[1]?.headers["content-type"]).toBeUndefined();
  });

  it("sends a body without fields from params.data (an array here)", async () => {
    const { received, gh } = await serve((_request, res) => sendJson(res, 200, { ok: 1 }));
    await gh.update({ name: "n1", data: ["x", "y"] });
    expect(JSON.parse(received[0]?.body ?? "")).toEqual(["x", "y"]);
  });

  it("resolves a 204 with undefined", async () => {
    const { received, gh } = await serve((_request, res) => {
      res.writeHead(204);
      res.end();
    });
    const promise = gh.remove({ name: "n1" }) as Promise<unknown> & { withResponse(): Promise<{ status: number }> };
    expect(await promise).toBeUndefined();
    expect((await promise.withResponse()).status).toBe(204);
    expect(received[0]?.method).toBe("DELETE");
  });

  it("sends a text/plain body as is and reads a text answer as a string", async () => {
    const { received, gh } = await serve((_request, res) => {
      res.writeHead(200, { "content-type": "text/html;charset=utf-8" });
      res.end("<p><strong>hi</strong></p>");
    });
    expect(await gh.render({ data: "**hi**" })).toBe("<p><strong>hi</strong></p>");
    expect(received[0]?.body).toBe("**hi**");
    expect(received[0]?.headers["content-type"]).toBe("text/plain");
  });

  it("sends the descriptor's Accept (an operation without JSON answers), GitHub's by default, and the caller's over both", async () => {
    const { received, gh } = await serve((request, res) => {
      if (request.method === "POST") {
        res.writeHead(200, { "content-type": "text/html;charset=utf-8" });
        return res.end("<p>hi</p>");
      }
      res.writeHead(200, { "content-type": "application/zip" });
      res.end(Buffer.from([1]));
    });
    await gh.render({ data: "hi" });
    await gh.download({ name: "n1" });
    await gh.render({ data: "hi" }, { headers: { accept: "text/html" } });
    expect(received.map((r) => r.headers.accept)).toEqual([
      "application/vnd.github+json, text/html",
      "application/vnd.github+json",
      "text/html",
    ]);
  });

  it("follows a download's redirect and resolves with the bytes at its end", async () => {
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]);
    const { received, gh } = await serve((request, res) => {
      if (request.url === "/things/n1/zipball") {
        res.writeHead(302, { location: "/codeload/n1.zip" });
        return res.end();
      }
      res.writeHead(200, { "content-type": "application/zip" });
      res.end(bytes);
    });
    const data = await gh.zipball({ name: "n1" });
    expect(data).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(data as ArrayBuffer)).toEqual(bytes);
    expect(received.map((r) => r.url)).toEqual(["/things/n1/zipball", "/codeload/n1.zip"]);
  });

  it("reads a binary answer as an ArrayBuffer with its exact bytes", async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x80]);
    const { gh } = await serve((_request, res) => {
      res.writeHead(200, { "content-type": "application/zip" });
      res.end(bytes);
    });
    const data = await gh.download({ name: "n1" });
    expect(data).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(data as ArrayBuffer)).toEqual(bytes);
  });

  it("rejects an error answer of a body operation with the typed error, as today", async () => {
    const { gh } = await serve((_request, res) => sendJson(res, 422, { message: "Validation Failed" }));
    await expect(gh.create({ owner: "octo", name: "n1" })).rejects.toMatchObject({ status: 422 });
    await expect(gh.create({ owner: "octo", name: "n1" })).rejects.toBeInstanceOf(GitHubApiError);
  });

  it("rejects a name the operation does not take, listing path, query, header and body names", async () => {
    const { received, gh } = await serve((_request, res) => sendJson(res, 201, {}));
    await expect(gh.create({ owner: "octo", nmae: "typo" })).rejects.toThrow(
      new TypeError(
        'things/create has no parameter "nmae" (it takes: owner, dry_run, x-request-tag, name, tags); call options go in the second argument',
      ),
    );
    await expect(gh.update({ name: "n1", machine: "x" })).rejects.toThrow(/it takes: name, data\)/);
    await expect(gh.remove({ name: "n1", data: {} })).rejects.toThrow(/has no parameter "data" \(it takes: name\)/);
    expect(received).toHaveLength(0);
  });

  it("refuses at creation a definition whose operations need shapes it was not given, naming the operation", () => {
    for (const name of ["create", "remove", "render"] as const) {
      expect(() =>
        createGitHubClient(
          { apiVersion: "2026-03-10", packageName: "p", packageVersion: "0.0.0", operations: { x: operations[name] } },
          {},
        ),
      ).toThrow(
        new RegExp(
          `^${operations[name].operationId} has a body, header parameters, non-JSON answers or a server: pass \`shapes\`$`,
        ),
      );
    }
    // Bodiless JSON operations need none: the machines packages pass no shapes and ship none.
    const plain = { operationId: "a/b", method: "get", path: "/a", pathParams: [], queryParams: ["q"] } as const;
    expect(() =>
      createGitHubClient({
        apiVersion: "2026-03-10",
        packageName: "p",
        packageVersion: "0.0.0",
        operations: { plain },
      }),
    ).not.toThrow();
  });

  it("without shapes, a name a bodiless operation does not take is the same TypeError", async () => {
    const plain = { operationId: "a/b", method: "get", path: "/a", pathParams: [], queryParams: ["q"] } as const;
    const gh = createGitHubClient<{}, { plain: typeof plain }>(
      { apiVersion: "2026-03-10", packageName: "p", packageVersion: "0.0.0", operations: { plain } },
      { baseUrl: "http://127.0.0.1:9", retry: false },
    ) as unknown as { plain: (params: unknown) => Promise<unknown> };
    await expect(gh.plain({ q: 1, data: {} })).rejects.toThrow(
      new TypeError('a/b has no parameter "data" (it takes: q); call options go in the second argument'),
    );
  });
});
