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
 */
export async function checkError(ctx: CaseContext, status: number, attempts: number) {
  const label = `${status}`;
  const id = ctx.newCaseId();
  const call = ctx.makeClient({ retry: RETRY, cache: false });
  let error: unknown;
  let rejected = false;
  try {
    const data = await call(ctx.args, { headers: ctx.headers(id, `code=${status}`) });
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
  const documented = ctx.response(label)?.hasJsonBody === true;
  const message = (body as { message?: unknown } | undefined)?.message;
  // Without a message in the body, "carries the body's message" would compare nothing.
  if (last && documented && typeof message !== "string")
    ctx.fail(
      "body-message",
      "/response/body/message",
      `${label}: the mock's body has no string "message" to compare GitHubApiError.message with: ${last.response.body.slice(0, 200)}`,
    );
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
    }
  }
  if (last && documented) checkConformance(ctx, `${label} body`, label, last.response.headers["sl-violations"], body);
}
