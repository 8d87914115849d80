import { isDeepStrictEqual } from "node:util";
import {
  DOWNLOAD_BYTES,
  type ExchangeRecord,
  FOLLOW_PREFIX,
  fetchRecords,
  REDIRECT_HEADER,
} from "../recording-proxy.js";
import { parseSlViolations } from "../violations.js";
import type { CaseContext } from "./context.js";
import { checkError } from "./error.js";
import { errorText } from "./failure.js";
import { checkRequests } from "./requests.js";

/**
 * A documented redirect: 301/302/303/307/308. GitHub's are a renamed repository's `301`
 * (`repos/get`, `issues/*`), a `307` that repeats a `PATCH`/`DELETE` (`repos/update`), a `302` to a
 * file on another host (the downloads), and a `303` after a `POST`. Two exchanges:
 *
 * - **With the `Location` GitHub sends** ({@link REDIRECT_HEADER}). For an operation with a documented
 *   2xx it points back at the mock, which answers there as the operation does. For one documented
 *   only as a redirect (`repos/download-zipball-archive`) it points at the download host, another
 *   origin. The client follows it and resolves with the answer at the end: the body the mock sent
 *   there, or the download's bytes as an `ArrayBuffer`. The first request is checked as every case
 *   checks the operation's request. The second must go to the `Location` with the method and body the
 *   Fetch standard gives the status (307/308 repeat both; a 303, and a 301/302 after a `POST`, become a
 *   bodiless `GET`), with the pinned version, and with the token only at the API's origin.
 * - **Without a `Location`** (Prism's own answer): the client rejects at once with `GitHubApiError`
 *   of the status, as {@link checkError} checks an error.
 */
export async function checkRedirect(ctx: CaseContext, status: number) {
  const download = !ctx.op.responses.some((r) => /^2\d\d$/.test(r.status));
  const label = `${status} with a Location (${download ? "the download host" : "back at the mock"})`;
  const id = ctx.newCaseId();
  const call = ctx.makeClient({ retry: false, cache: false });
  let data: unknown;
  let resolved = false;
  try {
    const headers = { ...ctx.headers(id, `code=${status}`), [REDIRECT_HEADER]: download ? "download" : "follow" };
    data = await call(ctx.args, { headers });
    resolved = true;
  } catch (error) {
    ctx.fail("client-resolves", "/result", `${label}: client rejected: ${errorText(error)}`);
  }
  const records = await fetchRecords(ctx.target.mock.proxyUrl, id);
  const [first, second] = records;
  if (records.length !== 2)
    ctx.fail(
      "request-count",
      "/requests",
      `${label}: ${records.length} request(s) arrived, expected 2: the operation's, and one at its Location`,
    );
  if (first) {
    checkRequests(ctx, [first], label, 1);
    if (first.response.status !== status)
      ctx.fail("mock-status", "/response/status", `${label}: the mock answered ${first.response.status}`);
  }
  if (first && second) checkFollowed(ctx, label, status, download, first, second);
  if (resolved && second) {
    const expected = download ? DOWNLOAD_BYTES : ctx.parse(second);
    const got = download && data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    if (!isDeepStrictEqual(got, expected))
      ctx.fail(
        "data-equals-body",
        "/result",
        `${label}: the client resolved with ${describe(data)}, not the ${download ? "download's bytes" : "body sent at the Location"}`,
      );
  }
  await checkError(ctx, status, 1, { headers: { [REDIRECT_HEADER]: "none" }, label: `${status} without a Location` });
}

/**
 * The request at the `Location`: where it went, with which method and body (Fetch standard, HTTP-redirect
 * fetch, step 12), the pinned version, and the token at the API's origin only.
 */
function checkFollowed(
  ctx: CaseContext,
  label: string,
  status: number,
  download: boolean,
  first: ExchangeRecord,
  second: ExchangeRecord,
) {
  const at = `${label}: the request at the Location`;
  const method = first.method;
  const becomesGet =
    (status === 303 && method !== "GET" && method !== "HEAD") ||
    ((status === 301 || status === 302) && method === "POST");
  const wantMethod = becomesGet ? "GET" : method;
  const [wantServer, wantPath] = download
    ? ["download", `/download${first.path}`]
    : ["mock", `${FOLLOW_PREFIX}${first.path}`];
  if (second.server !== wantServer || second.path !== wantPath)
    ctx.fail(
      "redirect-followed",
      "/request/path",
      `${at} went to ${second.server === "download" ? "the download host's " : ""}${second.path}, expected ${download ? "the download host's " : ""}${wantPath}`,
    );
  if (!download && !isDeepStrictEqual(second.query, first.query))
    ctx.fail("redirect-followed", "/request/query", `${at} had query ${JSON.stringify(second.query)}, not the first's`);
  if (second.method !== wantMethod)
    ctx.fail(
      "method",
      "/request/method",
      `${at} used ${second.method}, expected ${wantMethod} after ${status} to ${method}`,
    );
  const wantBody = becomesGet ? "" : first.body;
  if (second.body !== wantBody)
    ctx.fail(
      "request-body",
      "/request/body",
      `${at} carried ${JSON.stringify(second.body.slice(0, 200))}, expected ${becomesGet ? "no body" : "the first request's body"}`,
    );
  const version = ctx.target.client.API_VERSION;
  if (second.headers["x-github-api-version"] !== version)
    ctx.fail(
      "api-version-header",
      "/request/headers/x-github-api-version",
      `${at} had X-GitHub-Api-Version: ${second.headers["x-github-api-version"] ?? "(missing)"}, expected ${version}`,
    );
  const token = second.headers.authorization;
  if (download && token !== undefined)
    ctx.fail(
      "redirect-token",
      "/request/headers/authorization",
      `${at}, another origin, carried the Authorization header`,
    );
  if (!download && token !== first.headers.authorization)
    ctx.fail(
      "redirect-token",
      "/request/headers/authorization",
      `${at}, the API's origin, carried ${token === undefined ? "no Authorization header" : "another Authorization header"}, not the first request's`,
    );
  if (!download) {
    if (!/^2\d\d$/.test(String(second.response.status)))
      ctx.fail("mock-status", "/response/status", `${at}: the mock answered ${second.response.status}, expected a 2xx`);
    for (const v of parseSlViolations(second.response.headers["sl-violations"]).request)
      ctx.fail("prism-request", v.pointer, `${at}: Prism reported a request violation: ${v.message}`);
  }
}

function describe(data: unknown): string {
  if (data instanceof ArrayBuffer) return `an ArrayBuffer of ${data.byteLength} bytes`;
  return JSON.stringify(data)?.slice(0, 200) ?? String(data);
}
