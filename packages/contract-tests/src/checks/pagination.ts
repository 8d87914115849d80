import { isDeepStrictEqual } from "node:util";
import { type ExchangeRecord, fetchRecords, PAGES_HEADER } from "../recording-proxy.js";
import type { CaseContext } from "./context.js";
import { errorText } from "./failure.js";
import { checkRequests } from "./requests.js";

/** Pages the proxy links (`Link: rel="next"`) in the pagination case. */
export const PAGES = 3;

/** What `gh.paginate` is, as the case uses it. */
interface Paginate {
  (method: unknown, params?: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown[]>;
  iterator(
    method: unknown,
    params?: Record<string, unknown>,
    options?: Record<string, unknown>,
  ): AsyncIterable<{ data: unknown; response: Response }>;
}

/** A page body as `paginate` returns its items: an array, or the one array of `{ total_count, <items> }`. */
export function itemsOf(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (body === null || typeof body !== "object") return undefined;
  const arrays = Object.values(body).filter(Array.isArray);
  return arrays.length === 1 ? arrays[0] : undefined;
}

/**
 * `Link`-header pagination, through the recording proxy ({@link PAGES_HEADER}): `gh.paginate`
 * follows `rel="next"` across {@link PAGES} pages and resolves with every page's items in order;
 * `gh.paginate.iterator` yields each page as `{ data, response }`; each page request carries the
 * caller's parameters (and `page` from the link); a `next` that repeats a URL ends the walk.
 */
export async function checkPagination(ctx: CaseContext) {
  const client = ctx.makeFullClient({ retry: false, cache: false });
  const paginate = client.paginate as unknown as Paginate | undefined;
  const method = ctx.methodOf(client);
  if (typeof paginate !== "function" || typeof paginate.iterator !== "function")
    return ctx.fail("pagination", "/client/paginate", "the client has no paginate / paginate.iterator");

  // 1. paginate: every item of every page, in order.
  const id = ctx.newCaseId();
  let items: unknown[] | undefined;
  try {
    items = await paginate(method, ctx.args, {
      headers: { ...ctx.headers(id, "code=200"), [PAGES_HEADER]: `${PAGES}` },
    });
  } catch (error) {
    ctx.fail("client-resolves", "/result", `paginate: client rejected: ${errorText(error)}`);
  }
  const records = await fetchRecords(ctx.target.mock.proxyUrl, id);
  checkPages(ctx, "paginate", records, PAGES);
  if (items !== undefined) {
    const expected = records.flatMap((r) => itemsOf(ctx.parse(r)) ?? []);
    if (expected.length === 0)
      ctx.fail("pagination", "/response/body", "paginate: the mock's pages hold no items, so nothing was compared");
    else if (!isDeepStrictEqual(items, expected))
      ctx.fail(
        "pagination",
        "/result",
        `paginate: resolved with ${items.length} item(s), expected the ${expected.length} of the ${records.length} pages in order`,
      );
  }

  // 2. paginate.iterator: one { data, response } per page.
  const iterId = ctx.newCaseId();
  const pages: { data: unknown; response: Response }[] = [];
  try {
    for await (const page of paginate.iterator(method, ctx.args, {
      headers: { ...ctx.headers(iterId, "code=200"), [PAGES_HEADER]: `${PAGES}` },
    }))
      pages.push(page);
  } catch (error) {
    ctx.fail("client-resolves", "/result", `paginate.iterator: rejected: ${errorText(error)}`);
  }
  const iterRecords = await fetchRecords(ctx.target.mock.proxyUrl, iterId);
  checkPages(ctx, "paginate.iterator", iterRecords, PAGES);
  if (pages.length !== iterRecords.length)
    ctx.fail(
      "pagination",
      "/result",
      `paginate.iterator: ${pages.length} page(s) for ${iterRecords.length} request(s)`,
    );
  for (const [i, page] of pages.entries()) {
    const want = itemsOf(ctx.parse(iterRecords[i]));
    if (!isDeepStrictEqual(page.data, want) || page.response?.status !== 200)
      ctx.fail(
        "pagination",
        `/result/${i}`,
        `paginate.iterator: page ${i + 1} is not the items of the ${i + 1}th answer`,
      );
  }

  // 3. A `next` link that repeats a URL: the walk ends there instead of looping.
  const loopId = ctx.newCaseId();
  try {
    await paginate(method, ctx.args, { headers: { ...ctx.headers(loopId, "code=200"), [PAGES_HEADER]: "loop" } });
  } catch (error) {
    ctx.fail("client-resolves", "/result", `paginate (repeated next URL): client rejected: ${errorText(error)}`);
  }
  const loopRecords = await fetchRecords(ctx.target.mock.proxyUrl, loopId);
  if (loopRecords.length !== 2)
    ctx.fail(
      "pagination",
      "/requests",
      `paginate (every next link is page 2): ${loopRecords.length} request(s), expected 2 (page 1, page 2, then stop at the repeated URL)`,
    );
}

/** `expected` page requests, the nth asking for page n (the first without `page`), each otherwise the caller's. */
function checkPages(ctx: CaseContext, label: string, records: ExchangeRecord[], expected: number) {
  const pageOf = (r: ExchangeRecord) => r.query.find(([name]) => name === "page")?.[1];
  for (const [i, r] of records.entries()) {
    const want = i === 0 ? undefined : String(i + 1);
    if (pageOf(r) !== want)
      ctx.fail(
        "pagination",
        "/request/query/page",
        `${label}: request ${i + 1} asked for page ${pageOf(r) ?? "(none)"}`,
      );
  }
  // Apart from `page`, every request carries exactly the caller's parameters.
  const rest = records.map((r) => ({ ...r, query: r.query.filter(([name]) => name !== "page") }));
  checkRequests(ctx, rest, label, expected);
}
