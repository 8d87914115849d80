import { isDeepStrictEqual } from "node:util";
import { fetchRecords } from "../recording-proxy.js";
import type { CaseContext } from "./context.js";
import { errorText } from "./failure.js";
import { checkRequests } from "./requests.js";

/**
 * 304, both ways the runtime handles it: {@link checkUncachedNotModified}, then, for a GET answered
 * 200 (the ETag cache keeps 200 answers of GETs only), {@link checkCachedNotModified}. A GET answered
 * 204 or 404 (`activity/check-repo-is-starred-by-authenticated-user`) has nothing to cache.
 */
export async function checkNotModified(ctx: CaseContext) {
  await checkUncachedNotModified(ctx);
  if (ctx.op.method === "get" && ctx.op.responses.some((r) => r.status === "200")) await checkCachedNotModified(ctx);
}

/** With `ifNoneMatch` and no cache: that ETag is sent, and the client resolves the typed NotModified result. */
async function checkUncachedNotModified(ctx: CaseContext) {
  const label = "304 without cache";
  const id = ctx.newCaseId();
  const etag = `"contract-${id.slice(-12)}"`;
  const call = ctx.makeClient({ retry: false, cache: false });
  let got: unknown;
  let resolved = false;
  try {
    got = await call(ctx.args, { ifNoneMatch: etag, headers: ctx.headers(id, "code=304") });
    resolved = true;
  } catch (error) {
    ctx.fail("client-resolves", "/result", `${label}: client rejected: ${errorText(error)}`);
  }
  if (resolved && !isDeepStrictEqual(got, { notModified: true, etag, status: 304 }))
    ctx.fail(
      "not-modified-result",
      "/result",
      `${label}: resolved with ${JSON.stringify(got)}, expected { notModified: true, etag: ${etag}, status: 304 }`,
    );
  const records = await fetchRecords(ctx.target.mock.proxyUrl, id);
  checkRequests(ctx, records, label, 1);
  const [r] = records;
  if (r && r.headers["if-none-match"] !== etag)
    ctx.fail(
      "if-none-match",
      "/request/headers/if-none-match",
      `${label}: If-None-Match ${r.headers["if-none-match"]} reached the mock, expected ${etag}`,
    );
  if (r && r.response.status !== 304)
    ctx.fail("mock-status", "/response/status", `${label}: the mock answered ${r.response.status}`);
}

/** With the default ETag cache: a 200 with an ETag, then a 304 sent with that ETag resolves with the cached data. */
async function checkCachedNotModified(ctx: CaseContext) {
  const label = "304 with cache";
  const first = ctx.newCaseId();
  const second = ctx.newCaseId();
  const call = ctx.makeClient({ retry: false });
  let fresh: unknown;
  let cached: unknown;
  try {
    fresh = await call(ctx.args, { headers: ctx.headers(first, "code=200") });
    cached = await call(ctx.args, { headers: ctx.headers(second, "code=304") });
  } catch (error) {
    return ctx.fail("client-resolves", "/result", `${label}: client rejected: ${errorText(error)}`);
  }
  const firstRecords = await fetchRecords(ctx.target.mock.proxyUrl, first);
  checkRequests(ctx, firstRecords, `${label}: the 200`, 1);
  const records = await fetchRecords(ctx.target.mock.proxyUrl, second);
  checkRequests(ctx, records, label, 1);
  const [a] = firstRecords;
  if (a && a.response.status !== 200)
    ctx.fail(
      "mock-status",
      "/response/status",
      `${label}: the first request was answered ${a.response.status}, expected 200`,
    );
  // Each comparison below would pass on two `undefined`s: require the values first.
  const etag = a?.response.headers.etag;
  const [r] = records;
  if (!etag)
    ctx.fail(
      "etag-present",
      "/response/headers/etag",
      `${label}: the 200 reached the client without an ETag, so the cache had nothing to revalidate with`,
    );
  else if (r && r.headers["if-none-match"] !== etag)
    ctx.fail(
      "if-none-match",
      "/request/headers/if-none-match",
      `${label}: the revalidation sent If-None-Match ${r.headers["if-none-match"] ?? "(none)"}, expected the 200's ETag ${etag}`,
    );
  if (r && r.response.status !== 304)
    ctx.fail("mock-status", "/response/status", `${label}: the mock answered ${r.response.status}`);
  const sent = ctx.parse(a);
  if (fresh === undefined || sent === undefined || !isDeepStrictEqual(fresh, sent))
    ctx.fail(
      "data-equals-body",
      "/result",
      `${label}: the 200 resolved with ${JSON.stringify(fresh)?.slice(0, 200)}, not with the body the mock sent`,
    );
  else if (!isDeepStrictEqual(cached, fresh))
    ctx.fail(
      "cached-data",
      "/result",
      `${label}: resolved with ${JSON.stringify(cached)?.slice(0, 200)}, not with the cached 200 data`,
    );
}
