import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { errorLines, fixtures, runCli, snapshotTree, tempDir } from "./helpers.js";

/** A real loopback server: each path is one behaviour; requests are recorded. */
let server: Server;
let base: string;
const requests: { url: string; authorization?: string }[] = [];
const hung: ServerResponse[] = [];

/** Most bytes any endless answer sends before it stops on its own (the client stops far earlier). */
const ENDLESS_CAP = 64 * 1024 * 1024;

/** Writes `chunk` again and again until the client goes away or ENDLESS_CAP is reached. */
function pump(res: ServerResponse, chunk: Buffer): void {
  let sent = 0;
  res.on("close", () => void (sent = Infinity));
  const more = () => {
    while (sent < ENDLESS_CAP) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    if (sent !== Infinity) res.end();
  };
  more();
}

/** A gzip member that never ends: empty, non-final stored deflate blocks (5 bytes each, nothing inflated). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
const EMPTY_STORED_BLOCKS = Buffer.concat(Array(13_107).fill(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff])));

beforeAll(async () => {
  const json = await readFile(join(fixtures, "closure.json"));
  const yaml = await readFile(join(fixtures, "ordered-responses.yaml"));
  // 16 MiB of spaces inflated from ~16 KiB: what a gzip bomb looks like, kept small.
  const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
  const gzippedJson = gzipSync(json);
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({
      url: req.url ?? "",
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/closure.json") res.writeHead(200, { "content-type": "application/json" }).end(json);
    else if (path === "/things.yaml") res.writeHead(200, { "content-type": "application/yaml" }).end(yaml);
    else if (path === "/never-answers") hung.push(res);
    else if (path === "/closure.json.gz")
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzippedJson);
    else if (path === "/endless") {
      res.writeHead(200, { "content-type": "application/json" });
      pump(res, Buffer.alloc(64 * 1024, 0x20));
    } else if (path === "/gzip-bomb")
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(bomb);
    else if (path === "/gzip-endless-empty-blocks") {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.write(GZIP_HEADER);
      pump(res, EMPTY_STORED_BLOCKS);
    } else if (path === "/declares-50mb") {
      res
        .writeHead(200, { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) })
        .flushHeaders();
      hung.push(res);
    } else if (path === "/redirect-to-bomb") res.writeHead(302, { location: "/gzip-bomb" }).end();
    else if (path === "/stalls-body") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(json.subarray(0, 100));
      hung.push(res);
    } else res.writeHead(404, { "content-type": "text/plain" }).end("no such file");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hung) res.destroy();
  server.closeAllConnections();
  server.close();
});

describe("URL sources over HTTP", () => {
  const ok: [string, { path: string; args: string[]; operations: string[] }][] = [
    [
      "200 with JSON is extracted",
      { path: "/closure.json", args: ["--operation-id", "trees/list"], operations: ["trees/list"] },
    ],
    [
      "200 with YAML is extracted",
      { path: "/things.yaml", args: ["--select", "things/list"], operations: ["things/list"] },
    ],
  ];

  test.each(ok)("%s, and provenance records the URL", async (_name, c) => {
    const dir = await tempDir();
    const result = await runCli(["extract", "--from", `${base}${c.path}`, ...c.args, "--out", join(dir, "s.json")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const provenance = JSON.parse(await readFile(join(dir, "s.provenance.json"), "utf8")) as {
      source: { from: string };
      operations: string[];
    };
    expect(provenance.source.from).toBe(`${base}${c.path}`);
    expect(provenance.operations).toEqual(c.operations);
  });

  test("credentials in the URL are sent as Basic auth and never printed or recorded", async () => {
    const dir = await tempDir();
    const url = `http://user:s3cr3t-pw@127.0.0.1:${new URL(base).port}/closure.json?token=tok-123`;
    const result = await runCli([
      "extract",
      "--from",
      url,
      "--operation-id",
      "trees/list",
      "--out",
      join(dir, "s.json"),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const provenance = await readFile(join(dir, "s.provenance.json"), "utf8");
    for (const text of [result.stdout, result.stderr, provenance]) {
      expect(text).not.toContain("s3cr3t-pw");
      expect(text).not.toContain("tok-123");
    }
    expect(requests.at(-1)).toEqual({
      url: "/closure.json?token=tok-123",
      authorization: `Basic ${Buffer.from("user:s3cr3t-pw").toString("base64")}`,
    });
  });
});

describe("URL sources that fail leave no output and print one line naming the URL", () => {
  // Only the hanging cases get the short timeout: a loaded machine may take longer than 300 ms to answer a 404.
  const short = { CODESPACES_SPEC_TIMEOUT_MS: "300" };
  const failures: [string, { path: string; user?: string; env?: Record<string, string>; want: RegExp }][] = [
    ["HTTP 404", { path: "/missing.json", want: /: HTTP 404 Not Found$/ }],
    [
      "HTTP 404 with credentials in the URL (the secret is not printed)",
      { path: "/missing.json", user: "user:s3cr3t-pw@", want: /: HTTP 404 Not Found$/ },
    ],
    [
      "a server that never answers times out",
      { path: "/never-answers", env: short, want: /: timed out after 300 ms$/ },
    ],
    ["a body that stalls half-way times out", { path: "/stalls-body", env: short, want: /: timed out after 300 ms$/ }],
  ];

  test.each(failures)("%s", async (_name, c) => {
    const dir = await tempDir();
    const out = join(dir, "s.json");
    await writeFile(out, "known slice\n");
    await writeFile(join(dir, "s.provenance.json"), "known provenance\n");
    const before = await snapshotTree(dir);
    const url = `http://${c.user ?? ""}127.0.0.1:${new URL(base).port}${c.path}`;
    const result = await runCli(["extract", "--from", url, "--out", out], c.env ? { env: c.env } : {});
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(c.want);
    expect(lines[0]!.startsWith(`spec: error: ${base}${c.path}:`)).toBe(true);
    expect(result.stderr).not.toContain("s3cr3t");
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe("URL downloads are bounded by CODESPACES_SPEC_MAX_BYTES, as sent and as inflated", () => {
  // The timeout only bounds a run that ignores the limit; each case ends at the limit, long before it.
  const limit = { CODESPACES_SPEC_MAX_BYTES: "1000000", CODESPACES_SPEC_TIMEOUT_MS: "120000" };
  const cases: [string, { path: string; want: string }][] = [
    [
      "an endless body",
      { path: "/endless", want: "body is more than the limit of 1000000 bytes (CODESPACES_SPEC_MAX_BYTES)" },
    ],
    [
      "a gzip bomb (16 KiB that inflate to 16 MiB)",
      {
        path: "/gzip-bomb",
        want: "body inflates (gzip) to more than the limit of 1000000 bytes (CODESPACES_SPEC_MAX_BYTES)",
      },
    ],
    [
      "an endless gzip body that inflates to nothing",
      {
        path: "/gzip-endless-empty-blocks",
        want: "body is more than the limit of 1000000 bytes (CODESPACES_SPEC_MAX_BYTES)",
      },
    ],
    [
      "a Content-Length above the limit (refused before the body)",
      {
        path: "/declares-50mb",
        want: "body is 52428800 bytes (Content-Length), more than the limit of 1000000 bytes (CODESPACES_SPEC_MAX_BYTES)",
      },
    ],
    [
      "a redirect to a gzip bomb",
      {
        path: "/redirect-to-bomb",
        want: "body inflates (gzip) to more than the limit of 1000000 bytes (CODESPACES_SPEC_MAX_BYTES)",
      },
    ],
  ];

  test.each(cases)("%s: exit 1, one line naming the URL and the limit, nothing written", async (_name, c) => {
    const dir = await tempDir();
    const result = await runCli(["extract", "--from", `${base}${c.path}`, "--out", join(dir, "s.json")], {
      env: limit,
    });
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([`spec: error: ${base}${c.path}: ${c.want}`]);
    expect(await snapshotTree(dir)).toEqual({});
  });

  test("a gzip body is inflated and extracted when it fits, and refused one byte below its inflated size", async () => {
    const size = (await readFile(join(fixtures, "closure.json"))).length;
    const dir = await tempDir();
    const fits = await runCli(
      ["extract", "--from", `${base}/closure.json.gz`, "--operation-id", "trees/list", "--out", join(dir, "s.json")],
      { env: { CODESPACES_SPEC_MAX_BYTES: String(size) } },
    );
    expect(fits.code, fits.stderr).toBe(0);
    const provenance = JSON.parse(await readFile(join(dir, "s.provenance.json"), "utf8")) as {
      source: { bytes: number };
    };
    expect(provenance.source.bytes).toBe(size);
    const below = await runCli(
      ["extract", "--from", `${base}/closure.json.gz`, "--operation-id", "trees/list", "--out", join(dir, "t.json")],
      { env: { CODESPACES_SPEC_MAX_BYTES: String(size - 1) } },
    );
    expect(below.code).toBe(1);
    expect(errorLines(below.stderr)).toEqual([
      `spec: error: ${base}/closure.json.gz: body inflates (gzip) to more than the limit of ${size - 1} bytes (CODESPACES_SPEC_MAX_BYTES)`,
    ]);
  });
});
