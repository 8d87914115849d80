import { describe, expect, it } from "vitest";
import { createGitHubClient } from "../src/index.js";
import { createPathClient as createRuntimePathClient } from "../src/paths.js";
import {
  API_VERSION,
  createClient,
  createClientFor,
  createPathClient,
  MACHINES,
  operations,
} from "./fixtures/client.js";
import { json, recordingFetch } from "./helpers.js";

/** A client as the other machines package makes it: the same operations, another API version. */
const otherVersionClient = (fetch: ReturnType<typeof recordingFetch>["fetch"]) =>
  createGitHubClient(
    {
      apiVersion: "2022-11-28",
      packageName: "@codespaces-clients/machines-2022-11-28",
      packageVersion: "0.0.0",
      operations,
    },
    { fetch },
  );

describe("createPathClient checks the client it is given (for JavaScript callers; TypeScript refuses these first)", () => {
  it("refuses an object that no createClient made", () => {
    expect(() => createPathClient({} as never)).toThrow(
      new TypeError("createPathClient needs a client made by createClient()"),
    );
  });

  it("refuses a client of another API version's package, naming both versions, before anything is sent", () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    expect(API_VERSION).toBe("2026-03-10");
    expect(() => createPathClient(otherVersionClient(fetch) as never)).toThrow(
      new TypeError(
        "createPathClient: these paths are of GitHub API version 2026-03-10, but the client sends 2022-11-28 (a client of another version's package)",
      ),
    );
    expect(requests).toHaveLength(0);
    // The runtime's own createPathClient, with no version named, takes any client.
    expect(typeof createRuntimePathClient(otherVersionClient(fetch)).GET).toBe("function");
  });

  it("takes the package's clients, of createClient and of createClientFor, and sends their version", async () => {
    const { fetch, requests } = recordingFetch(() => json(MACHINES));
    const lean = createClientFor(
      { codespaceMachinesForAuthenticatedUser: operations.codespaceMachinesForAuthenticatedUser },
      { fetch },
    );
    for (const client of [createClient({ fetch }), lean]) {
      const { data } = await createPathClient(client).GET("/user/codespaces/{codespace_name}/machines", {
        params: { path: { codespace_name: "cs" } },
      });
      expect(data).toEqual(MACHINES);
    }
    expect(requests.map((r) => r.headers.get("x-github-api-version"))).toEqual(["2026-03-10", "2026-03-10"]);
  });
});
