import { describe, expect, it } from "vitest";
import { createGitHubClient, type OperationDescriptor, ResponseParseError } from "../src/index.js";
import { shapes } from "../src/shapes.js";
import { createClient, MACHINES } from "./fixtures/client.js";
import { json, recordingFetch } from "./helpers.js";

// A per-call `Accept` for another representation of an operation's answer: GitHub's diff or patch
// of a pull request or commit (`application/vnd.github.diff`), a file's raw text, a JSON variant.
const params = { owner: "octo-org", repo: "hello-world" };
const DIFF = "diff --git a/README.md b/README.md\n+hello\n";

describe("a per-call Accept", () => {
  const { fetch, requests } = recordingFetch((request) => {
    const accept = request.headers.get("accept") ?? "";
    if (accept.includes("diff"))
      return new Response(DIFF, {
        status: 200,
        headers: { "content-type": "application/vnd.github.diff; charset=utf-8" },
      });
    if (accept.includes("octet-stream"))
      return new Response(new Uint8Array([0x50, 0x4b, 0xff, 0x00]), {
        status: 200,
        headers: { "content-type": "application/octet-stream" },
      });
    if (accept.includes("html") && !accept.includes("json"))
      return new Response("<html>maintenance</html>", { status: 200, headers: { "content-type": "text/html" } });
    return json(MACHINES);
  });
  const gh = createClient({ fetch, retry: false, cache: false });

  it("resolves a 2xx answer that is not JSON with its text, sent with that Accept", async () => {
    const diff = await gh.repoMachinesForAuthenticatedUser(params, {
      headers: { accept: "application/vnd.github.diff" },
    });
    expect(diff).toBe(DIFF);
    expect(requests.at(-1)?.headers.get("accept")).toBe("application/vnd.github.diff");
    const { data, status } = await gh
      .repoMachinesForAuthenticatedUser(params, { headers: { Accept: "application/vnd.github.diff" } })
      .withResponse();
    expect([data, status]).toEqual([DIFF, 200]);
  });

  it("resolves an answer that does not say it is text (a release asset) with its exact bytes, in a package with shapes", async () => {
    const asset = {
      operationId: "repos/get-release-asset",
      method: "get",
      path: "/repos/{owner}/{repo}/codespaces/machines",
      pathParams: ["owner", "repo"],
      queryParams: [],
      headerParams: [],
    } as const satisfies OperationDescriptor;
    const withShapes = createGitHubClient<{}, { asset: typeof asset }>(
      { apiVersion: "2026-03-10", packageName: "p", packageVersion: "0.0.0", operations: { asset }, shapes },
      { fetch, retry: false, cache: false },
    ) as unknown as { asset: (p: object, o: object) => Promise<unknown> };
    const bytes = await withShapes.asset(params, { headers: { accept: "application/octet-stream" } });
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bytes as ArrayBuffer)]).toEqual([0x50, 0x4b, 0xff, 0x00]);
    expect(await withShapes.asset(params, { headers: { accept: "application/vnd.github.diff" } })).toBe(DIFF);
  });

  it("in a package without shapes (bodiless JSON operations only: the machines packages), reads it as text", async () => {
    const text = await gh.repoMachinesForAuthenticatedUser(params, { headers: { accept: "application/octet-stream" } });
    expect(typeof text).toBe("string");
  });

  it("parses a JSON answer to a JSON variant as JSON", async () => {
    const data = await gh.repoMachinesForAuthenticatedUser(params, {
      headers: { accept: "application/vnd.github.full+json" },
    });
    expect(data).toEqual(MACHINES);
  });

  it("without one, a 2xx that is not JSON is still a ResponseParseError (a maintenance page is not data)", async () => {
    const { fetch } = recordingFetch(
      () => new Response("<html>maintenance</html>", { status: 200, headers: { "content-type": "text/html" } }),
    );
    const error = await createClient({ fetch, retry: false })
      .repoMachinesForAuthenticatedUser(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
  });
});
