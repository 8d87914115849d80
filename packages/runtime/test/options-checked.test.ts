import { describe, expect, it } from "vitest";
import { createClient, MACHINES } from "./fixtures/client.js";
import { sendJson, useServers } from "./helpers.js";

// Issue #12: bad options fail at createClient (or at the call, for call options) with a TypeError
// naming the option — and the closest valid name for a typo — before anything is sent.

const serve = useServers();

async function server() {
  const s = await serve((_req, res) => sendJson(res, 200, MACHINES));
  return s;
}

type Options = Parameters<typeof createClient>[0];

describe("createClient options", () => {
  it.each([
    { options: { timeout: 100 }, message: /^timeout is not an option \(did you mean timeoutMs\?\)/ },
    { options: { retries: 2 }, message: /^retries is not an option \(did you mean retry\?\)/ },
    { options: { logleve: "debug" }, message: /^logleve is not an option \(did you mean logLevel\?\)/ },
    { options: { baseURL: "https://x" }, message: /^baseURL is not an option \(did you mean baseUrl\?\)/ },
    {
      options: { retry: { retires: 1 } },
      message: /^retry\.retires is not an option \(did you mean retry\.retries\?\)/,
    },
    { options: { zzzzzzzz: 1 }, message: /^zzzzzzzz is not an option; known: .*\btimeoutMs\b/ },
    { options: { cache: true }, message: /^cache must be false or an EtagCache/ },
    { options: { cache: {} }, message: /^cache must be false or an EtagCache/ },
    { options: { retry: 5 }, message: /^retry must be false or an object/ },
    { options: { retry: { retries: -1 } }, message: /^retry\.retries must be a number from 0/ },
    { options: { timeoutMs: "100" }, message: /^timeoutMs must be a number from 1/ },
    { options: { fetch: "fetch" }, message: /^fetch must be a function/ },
    { options: { signal: {} }, message: /^signal must be an AbortSignal/ },
    { options: { logLevel: "verbose" }, message: /^logLevel must be one of debug, info, warn, error, off/ },
    { options: { logger: { log() {} } }, message: /^logger must be console-compatible/ },
    { options: { validate: true }, message: /^validate must be a function/ },
    { options: { token: 42 }, message: /^token must be an RFC 6750 bearer token/ },
  ])("$options is a TypeError: $message", async ({ options, message }) => {
    const s = await server();
    const create = () => createClient({ baseUrl: s.baseUrl, ...(options as Options) });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
    expect(s.seen).toHaveLength(0);
  });

  it("valid options, a token function and undefined values are accepted (control)", async () => {
    const s = await server();
    const gh = createClient({
      baseUrl: s.baseUrl,
      token: () => "ghp_abc",
      timeoutMs: undefined,
      retry: { retries: 0, random: Math.random },
      cache: false,
      logger: console,
      logLevel: "off",
    });
    await expect(gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" })).resolves.toEqual(MACHINES);
    expect(s.seen[0]?.headers.authorization).toBe("Bearer ghp_abc");
  });
});

describe("call options", () => {
  it.each([
    { options: { timeout: 5 }, message: /^timeout is not an option \(did you mean timeoutMs\?\)/ },
    { options: { ifNoneMatch: 1 }, message: /^ifNoneMatch must be a string/ },
    { options: { timeoutMs: 0 }, message: /^timeoutMs must be a number from 1/ },
    { options: { retry: 3 }, message: /^retry must be false or an object/ },
    { options: { headers: "x" }, message: /^headers must be an object/ },
  ])("$options rejects the call with a TypeError, nothing sent", async ({ options, message }) => {
    const s = await server();
    const gh = createClient({ baseUrl: s.baseUrl });
    const call = gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, options as never);
    await expect(call).rejects.toThrow(TypeError);
    await expect(call).rejects.toThrow(message);
    expect(s.seen).toHaveLength(0);
  });
});
