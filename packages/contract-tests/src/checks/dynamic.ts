import { isDeepStrictEqual } from "node:util";
import { successResponse } from "../case-plan.js";
import { fetchRecords } from "../recording-proxy.js";
import { enumSites, valuesAt } from "../schema-walk.js";
import { checkConformance } from "./conformance.js";
import type { CaseContext } from "./context.js";
import { errorText } from "./failure.js";
import { checkRequests } from "./requests.js";

/** Failures after which the dynamic case stops comparing samples (the report stays readable). */
const MAX_FAILURES = 20;

/**
 * `Prefer: dynamic=true` on the success response, `target.dynamicSamples` times (default 50):
 * each generated body parses through the client into data equal to what Prism sent, conforming to
 * the schema. Notes which enum values Prism generated.
 */
export async function checkDynamic(ctx: CaseContext) {
  const samples = ctx.target.dynamicSamples ?? 50;
  const success = successResponse(ctx.op);
  if (!success)
    return ctx.fail(
      "response-documented",
      `${ctx.op.pointer}/responses`,
      "no documented 2xx with a JSON body to sample",
    );
  const status = success.status;
  const schema = ctx.target.schemas[ctx.op.operationId]?.[status];
  const id = ctx.newCaseId();
  const call = ctx.makeClient({ retry: false, cache: false });
  // One slot per sample (a rejected sample stays empty), so that sample i is compared with request i.
  const datas: { data: unknown }[] = [];
  for (let i = 0; i < samples; i++) {
    try {
      datas[i] = { data: await call(ctx.args, { headers: ctx.headers(id, `code=${status}, dynamic=true`) }) };
    } catch (error) {
      ctx.fail("client-resolves", "/result", `dynamic sample ${i + 1}: client rejected: ${errorText(error)}`);
    }
  }
  const records = await fetchRecords(ctx.target.mock.proxyUrl, id);
  checkRequests(ctx, records, "dynamic", samples);
  for (const [i, r] of records.entries()) {
    if (ctx.result.failures.length > MAX_FAILURES) break;
    const got = datas[i];
    if (!got) continue;
    const label = `dynamic sample ${i + 1}`;
    if (String(r.response.status) !== status)
      ctx.fail(
        "mock-status",
        "/response/status",
        `${label}: the mock answered ${r.response.status}, expected ${status}`,
      );
    if (got.data === undefined) ctx.fail("data-present", "/result", `${label}: the client resolved with no data`);
    else if (!isDeepStrictEqual(got.data, ctx.parse(r)))
      ctx.fail("data-equals-body", "/result", `${label}: the client's data differs from the body Prism sent`);
    checkConformance(ctx, label, status, r.response.headers["sl-violations"], got.data);
  }
  const counts = new Map<string, number>();
  for (const site of enumSites(schema))
    for (const { data } of datas.filter(Boolean))
      for (const value of valuesAt(data, site.path)) {
        const key = `${site.pointer}=${JSON.stringify(value)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
  ctx.result.notes.push(
    `${samples} dynamic samples; enum values generated: ${[...counts].map(([k, n]) => `${k} ×${n}`).join(", ") || "none"}`,
  );
}
