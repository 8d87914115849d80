import { once } from "node:events";
import { mkdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonOrdered, stringifyOrdered } from "../src/index.js";
import { descriptionPath, fixtureMirror, fixtureSpecCopy, runCli, snapshotTree, tempDir } from "./helpers.js";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures poke at arbitrary OpenAPI nodes

const PASSWORD = "s3cr3t-PASSWORD";
const TOKEN = "tok-SECRET-123";
/** Every form a leaked secret could take: as given, percent-encoded, and inside a Basic auth header. */
const SECRETS = [
  PASSWORD,
  TOKEN,
  Buffer.from(`user:${PASSWORD}`).toString("base64"),
  encodeURIComponent(PASSWORD),
  encodeURIComponent(TOKEN),
];

/** A loopback server with the fixture's descriptions; 2026-03-10 has a new optional query parameter, so `update` writes a changeset. */
let server: Server;
let port: number;
const authorizations: (string | undefined)[] = [];

beforeAll(async () => {
  const old = await readFile(descriptionPath(fixtureMirror, "2022-11-28"));
  const changed = parseJsonOrdered(await readFile(descriptionPath(fixtureMirror, "2026-03-10"), "utf8")) as Doc;
  changed.paths["/repos/{owner}/{repo}/codespaces/machines"].get.parameters.push({
    name: "sku",
    in: "query",
    schema: { type: "string" },
  });
  const bodies: Record<string, string | Buffer> = { "/old.json": old, "/new.json": stringifyOrdered(changed) };
  server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    const body = bodies[new URL(req.url ?? "/", "http://x").pathname];
    if (body) res.writeHead(200, { "content-type": "application/json" }).end(body);
    else res.writeHead(404, { "content-type": "text/plain" }).end("no such file");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** A URL with both kinds of secret: userinfo and a token query parameter. */
const secretUrl = (path: string) =>
  `http://user:${PASSWORD}@127.0.0.1:${port}${path}?access_token=${TOKEN}&sig=${TOKEN}`;

interface Case {
  /** The command line, given the workspace folder. */
  readonly args: (ws: string) => string[];
  readonly code: number;
  /** What the run must show, so that a run that printed nothing cannot pass. */
  readonly shows: RegExp;
  /** Files the run must have written below the workspace (names matched). */
  readonly writes?: RegExp;
}

const update = (ws: string, path: string, ...rest: string[]) => [
  "update",
  "--from",
  secretUrl(path),
  "--version",
  "2026-03-10",
  "--spec-dir",
  join(ws, "spec"),
  ...rest,
];

const cases: [string, Case][] = [
  [
    "spec update --from a URL that works: report, slice, provenance and changeset",
    {
      args: (ws) => update(ws, "/new.json"),
      code: 0,
      shows: /parameter-added-optional/,
      writes: /^\.changeset\/machines-2026-03-10-spec-http-127-0-0-1-.*\.md$/,
    },
  ],
  [
    "spec update --from a URL that works, --dry-run",
    {
      args: (ws) => update(ws, "/new.json", "--dry-run"),
      code: 0,
      shows: /fetching http:\/\/127\.0\.0\.1:\d+\/new\.json\?access_token=REDACTED&sig=REDACTED/,
    },
  ],
  [
    "spec update --from a URL that answers 404",
    { args: (ws) => update(ws, "/missing.json"), code: 1, shows: /HTTP 404/ },
  ],
  [
    "spec diff of two URLs",
    {
      args: () => ["diff", secretUrl("/old.json"), secretUrl("/new.json")],
      code: 0,
      shows: /^http:\/\/127\.0\.0\.1:\d+\/old\.json\?access_token=REDACTED&sig=REDACTED → /,
    },
  ],
  [
    "spec diff of two URLs, --json",
    {
      args: () => ["diff", secretUrl("/old.json"), secretUrl("/new.json"), "--json"],
      code: 0,
      shows: /"rule": "parameter-added-optional"/,
    },
  ],
  [
    "spec diff with a URL that answers 404",
    { args: () => ["diff", secretUrl("/old.json"), secretUrl("/missing.json")], code: 1, shows: /HTTP 404/ },
  ],
  [
    "extract --from a URL that works",
    {
      args: (ws) => ["extract", "--from", secretUrl("/new.json"), "--out", join(ws, "out", "slice.json")],
      code: 0,
      shows: /extracted 2 operations/,
      writes: /^out\/slice\.provenance\.json$/,
    },
  ],
  [
    "extract --from a URL that answers 404",
    {
      args: (ws) => ["extract", "--from", secretUrl("/missing.json"), "--out", join(ws, "out", "slice.json")],
      code: 1,
      shows: /HTTP 404/,
    },
  ],
];

describe("no secret of a source URL reaches the output or a file", () => {
  it.each(cases)("%s", async (_name, c) => {
    const ws = await tempDir("spec-redaction-");
    await fixtureSpecCopy(ws);
    await mkdir(join(ws, ".changeset"));
    const asked = authorizations.length;
    const run = await runCli(c.args(ws), { cwd: ws });
    expect(run.code, run.stderr).toBe(c.code);
    expect(`${run.stdout}${run.stderr}`).toMatch(new RegExp(c.shows.source, "m"));
    // The credentials were used (sent as Basic auth), only never shown.
    expect(authorizations.slice(asked).length).toBeGreaterThan(0);
    expect(
      authorizations.slice(asked).every((a) => a === `Basic ${Buffer.from(`user:${PASSWORD}`).toString("base64")}`),
    ).toBe(true);

    const files = await snapshotTree(ws); // every file and folder name below the workspace, with its bytes
    if (c.writes) expect(Object.keys(files)).toContainEqual(expect.stringMatching(c.writes));
    const places: [string, string][] = [
      ["stdout", run.stdout],
      ["stderr", run.stderr],
      ...Object.entries(files).flatMap(([name, bytes]): [string, string][] => [
        [`file name ${name}`, name],
        [`file ${name}`, Buffer.from(bytes, "latin1").toString("utf8")],
      ]),
    ];
    // Case-insensitive: a changeset's file name is the source lowercased.
    const leaks = places.flatMap(([where, text]) =>
      SECRETS.filter((s) => text.toLowerCase().includes(s.toLowerCase())).map((s) => `${where} contains ${s}`),
    );
    expect(leaks).toEqual([]);
  });
});
