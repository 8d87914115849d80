import { isDeepStrictEqual } from "node:util";
import { fetchRecords } from "../recording-proxy.js";
import { checkConformance } from "./conformance.js";
import type { CaseContext } from "./context.js";
import { errorText } from "./failure.js";
import { checkRequests } from "./requests.js";

/**
 * 2xx: with each named example (`Prefer: code=<status>, example=<name>`; Prism's static response
 * when there is none), one request with the pinned version and the caller's parameters, and the
 * client resolves with data equal to the body sent and to the spec's example, conforming to the schema.
 */
export async function checkExample(ctx: CaseContext, status: string) {
  const response = ctx.response(status);
  if (!response) return ctx.fail("response-documented", ctx.responsePointer(status), `${status} is not documented`);
  const names = Object.keys(response.examples);
  for (const name of names.length > 0 ? names : [undefined]) {
    const id = ctx.newCaseId();
    const label = name ? `example "${name}"` : "Prism's static response";
    const call = ctx.makeClient({ retry: false, cache: false });
    let data: unknown;
    let resolved = false;
    try {
      data = await call(ctx.args, { headers: ctx.headers(id, `code=${status}${name ? `, example=${name}` : ""}`) });
      resolved = true;
    } catch (error) {
      ctx.fail("client-resolves", "/result", `${label}: client rejected: ${errorText(error)}`);
    }
    const records = await fetchRecords(ctx.target.mock.proxyUrl, id);
    checkRequests(ctx, records, label, 1);
    const last = records.at(-1);
    if (last && String(last.response.status) !== status)
      ctx.fail(
        "mock-status",
        "/response/status",
        `${label}: the mock answered ${last.response.status}, expected ${status}`,
      );
    if (!resolved) continue;
    // `undefined === undefined` must not pass: a documented body has to arrive as data.
    if (response.hasJsonBody && data === undefined) {
      ctx.fail("data-present", "/result", `${label}: the client resolved with no data`);
      continue;
    }
    if (last && !isDeepStrictEqual(data, ctx.parse(last)))
      ctx.fail(
        "data-equals-body",
        "/result",
        `${label}: the client resolved with data that differs from the body the mock sent`,
      );
    if (name && !isDeepStrictEqual(data, response.examples[name]))
      ctx.fail(
        "data-equals-example",
        "/result",
        `${label}: the client resolved with data that differs from the spec's example`,
      );
    if (response.hasJsonBody) checkConformance(ctx, label, status, last?.response.headers["sl-violations"], data);
  }
}
