/**
 * `gh.paginate`, on the clients of packages with paginated operations only (a subpath, so the
 * others do not ship it): Octokit's `paginate` and `paginate.iterator` over the `Link` header.
 * @see https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
import type { ApiPromise, CallOptions, Page, Paginate, PaginateFunction } from "./operation-types.js";

type AnyMethod = (params?: Record<string, unknown>, options?: CallOptions) => ApiPromise<unknown>;

/** The URL of `rel="next"` in a `Link` header, if any. */
export function nextLink(link: string | null): string | undefined {
  for (const part of link?.split(/,(?=\s*<)/) ?? []) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(match[2] ?? "")) return match[1];
  }
  return undefined;
}

/**
 * The items of a list answer: the array, or the one array in an object (`{ total_count, <items>: [...] }`,
 * `copilot/list-copilot-seats`' `{ total_seats, seats: [...] }`); with `total_count`, the first of several.
 */
export function itemsOf(data: unknown, operation: string): unknown[] {
  if (Array.isArray(data)) return data;
  if (data && typeof data === "object") {
    const arrays = Object.values(data).filter(Array.isArray);
    if (arrays.length === 1 || (arrays.length && "total_count" in data)) return arrays[0]!;
  }
  throw new TypeError(
    `${operation} did not answer with a list (an array, or an object with one array: { total_count, <items>: [...] })`,
  );
}

/** The query of a `Link` URL as parameters: a repeated name becomes a list. */
function queryOf(url: string): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  new URL(url).searchParams.forEach((value, name) => {
    const before = query[name];
    query[name] = before === undefined ? value : ([] as unknown[]).concat(before, value);
  });
  return query;
}

/**
 * The pages of a paginated call: the first with `params`, each next one with `params` and the
 * query of the `Link` URL marked `rel="next"` (its `page`, `per_page`, cursor…), through the
 * method itself — so every page has the client's headers, retries, cache and errors, and a page
 * never goes to another host. Stops when there is no next link or a URL comes round again.
 */
async function* pages(method: AnyMethod, params: Record<string, unknown> = {}, options?: CallOptions) {
  const seen = new Set<string>();
  let next: Record<string, unknown> | undefined = params;
  while (next) {
    const { data, response } = await method(next, options).withResponse();
    yield { data: itemsOf(data, response.url || "the operation"), response } satisfies Page<unknown>;
    if (response.url) seen.add(response.url);
    const url = nextLink(response.headers.get("link"));
    if (!url || seen.has(url)) return;
    seen.add(url);
    next = { ...params, ...queryOf(url) };
  }
}

/** Adds `paginate` and `paginate.iterator` to a client (the generated `createClient` does). */
export function withPagination<Client extends object>(client: Client): Client & Paginate {
  const paginate = (async (method: AnyMethod, params?: Record<string, unknown>, options?: CallOptions) => {
    const items: unknown[] = [];
    for await (const page of pages(method, params, options)) items.push(...page.data);
    return items;
  }) as unknown as PaginateFunction;
  (paginate as { iterator: unknown }).iterator = pages;
  return Object.assign(client, { paginate });
}
