import type { CaseKind, CaseSpec } from "./case-plan.js";
import { CaseContext, type CaseResult, type ContractTarget } from "./checks/context.js";
import { checkDeprecationWarnings } from "./checks/deprecation.js";
import { checkDynamic } from "./checks/dynamic.js";
import { checkError, RETRY } from "./checks/error.js";
import { checkExample } from "./checks/example.js";
import { errorText } from "./checks/failure.js";
import { checkNotModified } from "./checks/not-modified.js";
import { checkNullableEnums } from "./checks/nullable-enum.js";
import { checkPagination } from "./checks/pagination.js";
import { checkRedirect } from "./checks/redirect.js";

/**
 * The contract checks' entry point: {@link runCase} dispatches a planned case to its kind's module
 * in `checks/` (one module per case kind; the shared request and body checks in `requests.ts` and
 * `conformance.ts`; the known-defects policy in `known-defect-policy.ts`). Negative controls are in
 * `negative-controls.ts`.
 */
const CHECKS: Record<CaseKind, (ctx: CaseContext) => Promise<void>> = {
  example: (ctx) => checkExample(ctx, ctx.result.column),
  "not-modified": checkNotModified,
  error: (ctx) => checkError(ctx, Number(ctx.result.column), 1),
  "retried-error": (ctx) => checkError(ctx, Number(ctx.result.column), RETRY.retries + 1),
  dynamic: checkDynamic,
  "nullable-enum": checkNullableEnums,
  pagination: checkPagination,
  redirect: (ctx) => checkRedirect(ctx, Number(ctx.result.column)),
  unsupported: async (ctx) =>
    ctx.fail(
      "behaviour-defined",
      ctx.responsePointer(ctx.result.column),
      `status ${ctx.result.column} is documented but the suite defines no behaviour for it`,
    ),
};

/** `pass`, `known defect` or `fail`, as the coverage matrix shows a case. */
export const outcomeOf = (r: CaseResult): "pass" | "known defect" | "fail" =>
  r.failures.length > 0 ? "fail" : r.knownDefects.length > 0 ? "known defect" : "pass";

/** Runs one case; never throws for a contract failure, it reports it in `failures`. */
export async function runCase(target: ContractTarget, spec: CaseSpec): Promise<CaseResult> {
  const result: CaseResult = {
    ...spec,
    failures: [],
    knownDefects: [],
    observations: [],
    notes: [],
    deprecationWarnings: [],
  };
  const op = target.spec.operations.find((o) => o.operationId === spec.operationId);
  if (!op) {
    result.failures.push({
      check: "operation-in-spec",
      pointer: "#/paths",
      detail: `${spec.operationId} is not in ${target.spec.specPath}`,
    });
    return result;
  }
  const entry = Object.entries(target.client.operations).find(([, e]) => e.operationId === spec.operationId);
  if (!entry) {
    result.failures.push({
      check: "client-method",
      pointer: op.pointer,
      detail: `the client package of ${target.spec.version} has no method for ${spec.operationId}`,
    });
    return result;
  }
  const ctx = new CaseContext(target, op, entry[0], result);
  if (ctx.call.bodyProblem) {
    ctx.fail("request-body", `${op.pointer}/requestBody`, ctx.call.bodyProblem);
    return result;
  }
  try {
    await CHECKS[spec.kind](ctx);
    checkDeprecationWarnings(ctx);
  } catch (error) {
    ctx.fail("case-crashed", "", `case crashed: ${errorText(error)}`);
  }
  result.knownDefects = [...new Set(result.knownDefects)].sort();
  result.observations = [...new Set(result.observations)].sort();
  return result;
}
