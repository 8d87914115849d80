import { isDeepStrictEqual } from "node:util";
import { fetchRecords } from "../recording-proxy.js";
import { checkConformance } from "./conformance.js";
import type { CaseContext } from "./context.js";
import { errorText } from "./failure.js";
import { checkRequests } from "./requests.js";

/** Retry policy of the error cases: 2 retries, 1 ms backoff base. */
export const RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } as const;

/**
 * 4xx/5xx, with retries configured ({@link RETRY}): after `attempts` requests (1 for a status the
 * runtime does not retry, `retries + 1` for one it does), the client rejects with `GitHubApiError`
 * carrying the status and the body's `message` (a documented body must have one), and the body conforms.
 * `headers` go with the call (a redirect case's `REDIRECT_HEADER`), and `label` starts each failure's detail.
 */
export async function checkError(
  ctx: CaseContext,
  status: number,
  attempts: number,
  { headers = {}, label = `${status}` }: { headers?: Record<string, string>; label?: string } = {},
) {
  const documentedStatus = `${status}`;
  const id = ctx.newCaseId();
  const call = ctx.makeClient({ retry: RETRY, cache: false });
  let error: unknown;
  let rejected = false;
  try {
    const data = await call(ctx.args, { headers: { ...ctx.headers(id, `code=${status}`), ...headers } });
    ctx.fail(
      "client-rejects",
      "/result",
      `${label}: resolved with ${JSON.stringify(data)?.slice(0, 200)} instead of rejecting`,
    );
  } catch (e) {
    error = e;
    rejected = true;
  }
  const records = await fetchRecords(ctx.target.mock.proxyUrl, id);
  checkRequests(ctx, records, label, attempts);
  const last = records.at(-1);
  const body = ctx.parse(last);
  if (last && last.response.status !== status)
    ctx.fail("mock-status", "/response/status", `${label}: the mock answered ${last.response.status}`);
  const documented = ctx.response(documentedStatus)?.hasJsonBody === true;
  const message = (body as { message?: unknown } | undefined)?.message;
  // A documented body the mock sent: the error carries it whole (GitHub documents error bodies
  // without a string message: `pulls/merge-async`'s `{ status, details }`, a 404's `{}`).
  if (last && documented && body === undefined)
    ctx.fail("body-message", "/response/body", `${label}: the mock sent no JSON body for a documented one`);
  if (rejected) {
    if (!(error instanceof ctx.target.client.GitHubApiError))
      ctx.fail("error-type", "/error", `${label}: rejected with ${errorText(error)}, expected GitHubApiError`);
    else {
      if (error.status !== status)
        ctx.fail("error-status", "/error/status", `${label}: GitHubApiError.status is ${error.status}`);
      if (typeof message === "string" && error.message !== message)
        ctx.fail(
          "error-message",
          "/error/message",
          `${label}: GitHubApiError.message is ${JSON.stringify(error.message)}, the body's message is ${JSON.stringify(message)}`,
        );
      if (typeof message !== "string" && body !== undefined && !error.message.startsWith(`HTTP ${status}`))
        ctx.fail(
          "error-message",
          "/error/message",
          `${label}: the body has no string message, and GitHubApiError.message is ${JSON.stringify(error.message)}, not "HTTP ${status} …"`,
        );
      if (body !== undefined && !isDeepStrictEqual((error as { body?: unknown }).body, body))
        ctx.fail(
          "error-body",
          "/error/body",
          `${label}: GitHubApiError.body is ${JSON.stringify((error as { body?: unknown }).body)?.slice(0, 200)}, not the body the mock sent`,
        );
    }
  }
  if (last && documented)
    checkConformance(ctx, `${label} body`, documentedStatus, last.response.headers["sl-violations"], body);
}
