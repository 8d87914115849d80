import { afterEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "../src/index.js";
import { createClient, MACHINES } from "./fixtures/client.js";
import { deferred, sendJson, useServers } from "./helpers.js";

// Issue #12: `logger` + `logLevel`, against a real loopback server. The token never appears.

const TOKEN = "ghp_L0gg1ngT0kenValue0123456789abcdefAB";
const serve = useServers();
afterEach(() => vi.unstubAllEnvs());

/** A console-compatible logger that records `[level, line]`; `next(level)` resolves at the next line of that level. */
function recordingLogger() {
  const lines: Array<[string, string]> = [];
  const waiting: Array<[string, (line: string) => void]> = [];
  const at = (level: string) => (line: string) => {
    lines.push([level, line]);
    for (const [i, [want, resolve]] of waiting.entries()) {
      if (want === level) {
        waiting.splice(i, 1);
        resolve(line);
        break;
      }
    }
  };
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  const next = (level: string) => new Promise<string>((resolve) => waiting.push([level, resolve]));
  return { logger, lines, next };
}

describe("debug: one line per attempt", () => {
  it("method, redacted URL, status, ms, attempt, request id and cache hit; never the token", async () => {
    let n = 0;
    const server = await serve((req, res) => {
      n++;
      if (n === 1) sendJson(res, 502, { message: `bad ${req.headers.authorization}` }, { "x-github-request-id": "R1" });
      else if (req.headers["if-none-match"] === '"v1"')
        res.writeHead(304, { etag: '"v1"', "x-github-request-id": "R3" }).end();
      else sendJson(res, 200, MACHINES, { etag: '"v1"', "x-github-request-id": "R2" });
    });
    const { logger, lines } = recordingLogger();
    const gh = createClient({
      baseUrl: server.baseUrl,
      token: TOKEN,
      logger,
      logLevel: "debug",
      retry: { baseDelayMs: 0 },
    });
    const params = { owner: "o", repo: "r", ref: TOKEN };
    await gh.repoMachinesForAuthenticatedUser(params);
    await gh.repoMachinesForAuthenticatedUser(params);
    const url = `${server.baseUrl}/repos/o/r/codespaces/machines?ref=[REDACTED]`;
    expect(lines).toEqual([
      ["debug", expect.stringMatching(new RegExp(`^GET ${escape(url)} 502 \\d+ms attempt 1 request-id R1$`))],
      ["debug", expect.stringMatching(new RegExp(`^GET ${escape(url)} 200 \\d+ms attempt 2 request-id R2$`))],
      ["debug", expect.stringMatching(new RegExp(`^GET ${escape(url)} 304 \\d+ms attempt 1 request-id R3 cache hit$`))],
    ]);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it("the default level is warn: no debug lines; CODESPACES_CLIENT_LOG_LEVEL sets it where there is an environment", async () => {
    const server = await serve((_req, res) => sendJson(res, 200, MACHINES));
    const quiet = recordingLogger();
    await createClient({ baseUrl: server.baseUrl, logger: quiet.logger }).codespaceMachinesForAuthenticatedUser({
      codespace_name: "cs",
    });
    expect(quiet.lines).toEqual([]);
    vi.stubEnv("CODESPACES_CLIENT_LOG_LEVEL", "debug");
    const loud = recordingLogger();
    await createClient({ baseUrl: server.baseUrl, logger: loud.logger }).codespaceMachinesForAuthenticatedUser({
      codespace_name: "cs",
    });
    expect(loud.lines.map(([level]) => level)).toEqual(["debug"]);
    vi.stubEnv("CODESPACES_CLIENT_LOG_LEVEL", "loud");
    expect(() => createClient({ baseUrl: server.baseUrl })).toThrow(
      /^CODESPACES_CLIENT_LOG_LEVEL must be one of debug, info, warn, error, off$/,
    );
  });
});

describe("warn", () => {
  it("a retry wait longer than 1 s is announced with its reason (before the wait; the call is then cancelled)", async () => {
    const server = await serve((_req, res) => sendJson(res, 429, { message: "slow down" }, { "retry-after": "3" }));
    const { logger, next, lines } = recordingLogger();
    const controller = new AbortController();
    const warned = next("warn");
    const call = createClient({ baseUrl: server.baseUrl, token: TOKEN, logger })
      .codespaceMachinesForAuthenticatedUser({ codespace_name: TOKEN }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(await warned).toBe(
      `GET ${server.baseUrl}/user/codespaces/[REDACTED]/machines answered 429; retrying in 3 s`,
    );
    controller.abort();
    expect(await call).toMatchObject({ name: "AbortError" });
    expect(server.seen).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it("a short wait is not announced (control)", async () => {
    const done = deferred();
    let n = 0;
    const server = await serve((_req, res) =>
      n++ === 0 ? sendJson(res, 503, { message: "down" }) : (sendJson(res, 200, MACHINES), done.resolve()),
    );
    const { logger, lines } = recordingLogger();
    await createClient({
      baseUrl: server.baseUrl,
      logger,
      retry: { baseDelayMs: 10 },
    }).codespaceMachinesForAuthenticatedUser({
      codespace_name: "cs",
    });
    await done.promise;
    expect(lines).toEqual([]);
  });

  it("Deprecation / Sunset headers: once per operation, with the date and the link", async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, MACHINES, {
        deprecation: "@1767225600",
        sunset: "Wed, 30 Dec 2026 00:00:00 GMT",
        link: '<https://docs.github.com/changes/x>; rel="deprecation"; type="text/html"',
      }),
    );
    const { logger, lines } = recordingLogger();
    const gh = createClient({ baseUrl: server.baseUrl, logger });
    await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "a" });
    await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "b" });
    await gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r" });
    expect(lines).toEqual([
      [
        "warn",
        "codespaces/codespace-machines-for-authenticated-user is deprecated (Deprecation: @1767225600), sunset Wed, 30 Dec 2026 00:00:00 GMT; see https://docs.github.com/changes/x",
      ],
      ["warn", expect.stringMatching(/^codespaces\/repo-machines-for-authenticated-user is deprecated/)],
    ]);
  });

  it("a cache that throws is skipped and reported (issue #10), without the token", async () => {
    const server = await serve((_req, res) => sendJson(res, 200, MACHINES, { etag: '"v1"' }));
    const { logger, lines } = recordingLogger();
    const cache = {
      get: () => Promise.reject(new Error(`redis down for Bearer ${TOKEN}`)),
      set: () => {
        throw new Error("disk full");
      },
    };
    const gh = createClient({ baseUrl: server.baseUrl, token: TOKEN, cache, logger });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).resolves.toEqual(MACHINES);
    expect(lines).toEqual([
      ["warn", "ETag cache get failed: Error: redis down for Bearer [REDACTED]"],
      ["warn", "ETag cache set failed: Error: disk full"],
    ]);
  });

  it("logLevel off: nothing, not even warnings", async () => {
    const server = await serve((_req, res) => sendJson(res, 200, MACHINES, { deprecation: "true" }));
    const { logger, lines } = recordingLogger();
    await createClient({ baseUrl: server.baseUrl, logger, logLevel: "off" }).codespaceMachinesForAuthenticatedUser({
      codespace_name: "cs",
    });
    expect(lines).toEqual([]);
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
