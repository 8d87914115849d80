import { isDeepStrictEqual } from "node:util";
import type { ExchangeRecord } from "../recording-proxy.js";
import { parseSlViolations } from "../violations.js";
import type { CaseContext } from "./context.js";

/**
 * The requests of one exchange that reached the mock: `expectedCount` of them (when given), each
 * with the pinned `X-GitHub-Api-Version`, the `Accept` of {@link expectedAccept}, the operation's method, exactly the
 * caller's path and query parameters, the caller's JSON body (and none when the operation takes
 * none), and no request violation from Prism.
 */
export function checkRequests(ctx: CaseContext, records: ExchangeRecord[], label: string, expectedCount?: number) {
  if (records.length === 0) return ctx.fail("request-count", "/requests", `${label}: no request reached the mock`);
  if (expectedCount !== undefined && records.length !== expectedCount) {
    ctx.fail(
      "request-count",
      "/requests",
      `${label}: ${records.length} request(s) reached the mock, expected ${expectedCount}`,
    );
  }
  // The version the package pins (for a `spec/sources.json` version, the same string).
  const version = ctx.target.client.API_VERSION;
  const method = ctx.op.method.toUpperCase();
  const wantPath = ctx.op.path.replace(/\{([^{}]+)\}/g, (_m, name: string) => ctx.call.path[name] ?? `{${name}}`);
  const wantQuery = ctx.call.query;
  const accept = expectedAccept(ctx);
  for (const [i, r] of records.entries()) {
    const at = `${label}: request ${i + 1}`;
    const sent = r.headers["x-github-api-version"];
    if (sent !== version)
      ctx.fail(
        "api-version-header",
        "/request/headers/x-github-api-version",
        `${at} reached the mock with X-GitHub-Api-Version: ${sent ?? "(missing)"}, expected ${version}`,
      );
    if (r.headers.accept !== accept)
      ctx.fail(
        "accept-header",
        "/request/headers/accept",
        `${at} had Accept: ${r.headers.accept ?? "(missing)"}, expected ${accept}`,
      );
    if (r.method !== method) ctx.fail("method", "/request/method", `${at} used ${r.method}, expected ${method}`);
    let gotPath: string;
    try {
      gotPath = r.path.split("/").map(decodeURIComponent).join("/");
    } catch {
      gotPath = r.path;
    }
    if (gotPath !== wantPath) ctx.fail("path", "/request/path", `${at} went to ${r.path}, expected ${wantPath}`);
    const wantVia = ctx.op.server === undefined ? undefined : new URL(ctx.op.server).host;
    if (r.via !== wantVia)
      ctx.fail(
        "server",
        "/request/server",
        `${at} went to ${r.via ? `the stand-in of ${r.via}` : "the API's baseUrl"}, expected ${wantVia ? `the stand-in of ${wantVia} (the operation's own server)` : "the API's baseUrl"}`,
      );
    const gotQuery = [...r.query].sort();
    if (!isDeepStrictEqual(gotQuery, wantQuery))
      ctx.fail(
        "query",
        "/request/query",
        `${at} had query ${JSON.stringify(gotQuery)}, expected ${JSON.stringify(wantQuery)}`,
      );
    checkBody(ctx, r, at);
    for (const v of parseSlViolations(r.response.headers["sl-violations"]).request)
      ctx.fail("prism-request", v.pointer, `${at}: Prism reported a request violation: ${v.message}`);
  }
}

/**
 * The request's body: exactly the JSON the case sent, as `application/json`; exactly the bytes it
 * sent, as the described media type; or no body at all.
 */
function checkBody(ctx: CaseContext, r: ExchangeRecord, at: string) {
  const { body } = ctx.call;
  if (!("body" in ctx.call)) {
    if (r.body !== "") ctx.fail("request-body", "/request/body", `${at} carried a body: ${r.body.slice(0, 200)}`);
    return;
  }
  const binary = ctx.op.requestBody?.binary;
  if (binary) {
    const type = r.headers["content-type"] ?? "(none)";
    if (type !== binary.mediaType)
      ctx.fail(
        "request-body",
        "/request/headers/content-type",
        `${at} had Content-Type ${type}, expected ${binary.mediaType}`,
      );
    if (r.body !== Buffer.from(body as Uint8Array).toString())
      ctx.fail(
        "request-body",
        "/request/body",
        `${at} carried ${JSON.stringify(r.body.slice(0, 200))}, expected the ${ctx.call.bodySource}`,
      );
    return;
  }
  const type = r.headers["content-type"] ?? "";
  if (!/^application\/json\b/.test(type))
    ctx.fail(
      "request-body",
      "/request/headers/content-type",
      `${at} had Content-Type ${type || "(none)"}, expected application/json`,
    );
  let sent: unknown;
  try {
    sent = JSON.parse(r.body);
  } catch {
    return ctx.fail("request-body", "/request/body", `${at} carried a body that is not JSON: ${r.body.slice(0, 200)}`);
  }
  if (!isDeepStrictEqual(sent, body))
    ctx.fail(
      "request-body",
      "/request/body",
      `${at} carried ${r.body.slice(0, 200)}, expected the ${ctx.call.bodySource}: ${JSON.stringify(body).slice(0, 200)}`,
    );
}

const GITHUB_JSON = "application/vnd.github+json";

/**
 * The `Accept` a request must carry, from the description: GitHub's JSON media type; for an operation
 * none of whose documented success answers is JSON (`markdown/render`: `text/html`), that type and then
 * the documented ones, which a server negotiating as the description says (Prism) can answer.
 */
export function expectedAccept(ctx: CaseContext): string {
  const types = ctx.op.responses.filter((r) => /^2\d\d$/.test(r.status)).flatMap((r) => r.mediaTypes);
  const json = (type: string) => /^application\/([\w.-]+\+)?json\b|\bjson$/i.test(type);
  if (types.length === 0 || types.some(json)) return GITHUB_JSON;
  return [GITHUB_JSON, ...new Set(types)].join(", ");
}
