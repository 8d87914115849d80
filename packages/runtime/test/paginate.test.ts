import { describe, expect, it, vi } from "vitest";
import { createGitHubClient, type OperationMap } from "../src/index.js";
import { nextLink, withPagination } from "../src/paginate.js";
import { sendJson, track, useServers } from "./helpers.js";

const operations = {
  listThings: {
    operationId: "things/list",
    method: "get",
    path: "/orgs/{org}/things",
    pathParams: ["org"],
    queryParams: ["per_page", "page", "state"],
    paginated: true,
  },
} as const satisfies OperationMap;

const useServer = useServers();

/** A loopback server with `pages` pages of a `{ total_count, things }` list, linked by `Link` headers. */
async function pagedServer(options: { pages: number; link?: (page: number, base: string) => string | undefined }) {
  const server = await useServer((req, res) => {
    const url = new URL(req.url ?? "", "http://x");
    const page = Number(url.searchParams.get("page") ?? 1);
    const base = `http://${req.headers.host}`;
    const link =
      options.link?.(page, base) ??
      (page < options.pages
        ? `<${base}/organizations/1/things?per_page=2&page=${page + 1}>; rel="next", <${base}/organizations/1/things?per_page=2&page=${options.pages}>; rel="last"`
        : undefined);
    sendJson(
      res,
      200,
      { total_count: options.pages * 2, things: [{ id: page * 10 + 1 }, { id: page * 10 + 2 }] },
      link ? { link } : {},
    );
  });
  const gh = withPagination(
    createGitHubClient<{}, typeof operations>(
      { apiVersion: "2026-03-10", packageName: "@codespaces-clients/test", packageVersion: "0.0.0", operations },
      { baseUrl: server.baseUrl, retry: false, cache: false },
    ),
  );
  // A hand-written table has no generated interface: the method is typed loosely here.
  const list = gh.listThings as unknown as Parameters<typeof gh.paginate>[0];
  return { server, gh, list };
}

describe("paginate", () => {
  it("follows Link rel=next to the last page and returns every item, unwrapped from { total_count, things }", async () => {
    const { server, gh, list } = await pagedServer({ pages: 3 });
    const items = await gh.paginate(list, { org: "octo", per_page: 2, state: "open" } as never);
    expect(items).toEqual([{ id: 11 }, { id: 12 }, { id: 21 }, { id: 22 }, { id: 31 }, { id: 32 }]);
    // The next pages keep the call's parameters and take the Link URL's query (page, per_page).
    expect(server.seen.map((r) => r.url)).toEqual([
      "/orgs/octo/things?per_page=2&state=open",
      "/orgs/octo/things?per_page=2&state=open&page=2",
      "/orgs/octo/things?per_page=2&state=open&page=3",
    ]);
  });

  it("iterator yields each page with its response, and stopping early sends no further request", async () => {
    const { server, gh, list } = await pagedServer({ pages: 5 });
    const seen: unknown[] = [];
    for await (const page of gh.paginate.iterator(list, { org: "octo" } as never)) {
      expect(page.response.status).toBe(200);
      seen.push(page.data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([
      [{ id: 11 }, { id: 12 }],
      [{ id: 21 }, { id: 22 }],
    ]);
    expect(server.seen).toHaveLength(2);
  });

  it("stops when a next URL comes round again", async () => {
    const { server, gh, list } = await pagedServer({
      pages: 99,
      link: (_page, base) => `<${base}/orgs/octo/things?page=2>; rel="next"`,
    });
    const items = await gh.paginate(list, { org: "octo" } as never);
    expect(items).toHaveLength(4);
    expect(server.seen).toHaveLength(2);
  });

  it("unwraps an object's one array without total_count ({ total_seats, seats }), and refuses an answer that is not a list", async () => {
    const answers: unknown[] = [
      { total_seats: 2, seats: [{ id: 1 }, { id: 2 }] },
      { sha: "abc", parents: [{ sha: "p" }], files: [{ filename: "f" }] }, // repos/get-commit: two arrays
    ];
    const server = await useServer((_req, res) => sendJson(res, 200, answers.shift()));
    const gh = withPagination(
      createGitHubClient<{}, typeof operations>(
        { apiVersion: "2026-03-10", packageName: "@codespaces-clients/test", packageVersion: "0.0.0", operations },
        { baseUrl: server.baseUrl, retry: false, cache: false },
      ),
    );
    expect(await gh.paginate(gh.listThings as never, { org: "o" } as never)).toEqual([{ id: 1 }, { id: 2 }]);
    await expect(gh.paginate(gh.listThings as never, { org: "o" } as never)).rejects.toThrow(
      /did not answer with a list/,
    );
  });

  it("takes array answers as they are, and one page without Link is the whole list", async () => {
    const server = await useServer((_req, res) => sendJson(res, 200, [1, 2, 3]));
    const gh = withPagination(
      createGitHubClient<{}, typeof operations>(
        { apiVersion: "2026-03-10", packageName: "@codespaces-clients/test", packageVersion: "0.0.0", operations },
        { baseUrl: server.baseUrl, retry: false, cache: false },
      ),
    );
    expect(await gh.paginate(gh.listThings as never, { org: "o" } as never)).toEqual([1, 2, 3]);
  });

  it("applies the call options to every page, and a signal aborts the page in flight", async () => {
    let hold: (() => void) | undefined;
    const server = await useServer((req, res) => {
      const page = Number(new URL(req.url ?? "", "http://x").searchParams.get("page") ?? 1);
      if (page === 2) {
        hold = () => res.destroy();
        return;
      }
      sendJson(res, 200, [page], { link: `<http://${req.headers.host}/orgs/o/things?page=${page + 1}>; rel="next"` });
    });
    const gh = withPagination(
      createGitHubClient<{}, typeof operations>(
        { apiVersion: "2026-03-10", packageName: "@codespaces-clients/test", packageVersion: "0.0.0", operations },
        { baseUrl: server.baseUrl, retry: false, cache: false },
      ),
    );
    const controller = new AbortController();
    const second = server.nextRequest().then(() => server.nextRequest());
    const all = gh.paginate(
      gh.listThings as never,
      { org: "o" } as never,
      {
        signal: controller.signal,
        headers: { "x-trace": "t1" },
      } as never,
    );
    const arrived = await second;
    expect(arrived.seen.url).toBe("/orgs/o/things?page=2");
    controller.abort(new DOMException("stop", "AbortError"));
    await expect(all).rejects.toMatchObject({ name: "AbortError", message: "stop" });
    expect(server.seen.map((r) => r.headers["x-trace"])).toEqual(["t1", "t1"]);
    hold?.();
  });

  it("timeoutMs bounds each page, not the whole iteration", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      // The server holds every page until the test answers it (`release`).
      const held: Array<() => void> = [];
      const server = await useServer((req, res) => {
        const page = Number(new URL(req.url ?? "", "http://x").searchParams.get("page") ?? 1);
        const next = `<http://${req.headers.host}/orgs/o/things?page=${page + 1}>; rel="next"`;
        held.push(() => sendJson(res, 200, [page], page === 1 ? { link: next } : {}));
      });
      const gh = withPagination(
        createGitHubClient<{}, typeof operations>(
          { apiVersion: "2026-03-10", packageName: "@codespaces-clients/test", packageVersion: "0.0.0", operations },
          { baseUrl: server.baseUrl, retry: false, cache: false },
        ),
      );
      const first = server.nextRequest();
      const all = gh.paginate(gh.listThings as never, { org: "o" } as never, { timeoutMs: 1_000 } as never);
      const state = track(all);
      await first;
      await vi.advanceTimersByTimeAsync(600); // page 1 takes 600 ms of its 1000
      const second = server.nextRequest();
      held.shift()?.();
      expect((await second).seen.url).toBe("/orgs/o/things?page=2");
      // 600 + 999 ms since the iteration began: a bound on the whole would have fired already.
      await vi.advanceTimersByTimeAsync(999);
      expect(state.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await expect(all).rejects.toMatchObject({ name: "TimeoutError" });
      held.shift()?.();
    } finally {
      vi.useRealTimers();
    }
  });

  it("a Link query parameter the operation does not take rejects with the client's TypeError", async () => {
    const { gh, list } = await pagedServer({
      pages: 2,
      link: (page, base) => (page === 1 ? `<${base}/orgs/octo/things?after=abc>; rel="next"` : undefined),
    });
    await expect(gh.paginate(list, { org: "octo" } as never)).rejects.toThrow(
      'things/list has no parameter "after" (it takes: org, per_page, page, state)',
    );
  });
});

describe("nextLink", () => {
  it.each([
    [
      '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=9>; rel="last"',
      "https://api.github.com/x?page=2",
    ],
    [
      '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next"',
      "https://api.github.com/x?page=3",
    ],
    ["<https://api.github.com/x?page=3>; rel=next", "https://api.github.com/x?page=3"],
    ['<https://api.github.com/x?page=9>; rel="last"', undefined],
    [null, undefined],
  ])("%s → %s", (link, want) => {
    expect(nextLink(link)).toBe(want);
  });
});
