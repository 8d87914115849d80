import { describe, expect, it } from "vitest";
import { ResponseParseError } from "../src/index.js";
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
