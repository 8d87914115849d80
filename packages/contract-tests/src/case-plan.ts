import { RETRY } from "./checks/error.js";
import { PAGES } from "./checks/pagination.js";
import type { OperationSpec, ResponseSpec, VersionSpec } from "./spec-catalog.js";

/** What a documented status means for the client, and so how its case checks it. */
export type CaseKind =
  | "example" // 2xx with a body: resolves with the (example) data
  | "not-modified" // 304: typed NotModified, or cached data
  | "error" // 4xx: GitHubApiError at once
  | "retried-error" // 429/5xx: GitHubApiError after the configured retries
  | "dynamic" // Prism `dynamic=true`: many generated bodies
  | "nullable-enum" // each value (and null) of every nullable enum, through Prism's validation
  | "pagination" // `paginate` / `paginate.iterator` across pages linked by `Link: rel="next"`
  | "redirect" // 301/302/303/307/308: followed to the Location (token only at the API's origin); without one, GitHubApiError
  | "unsupported"; // documented, but no behaviour defined here: fails the coverage check

/** One contract case: a cell of the coverage matrix. */
export interface CaseSpec {
  version: string;
  operationId: string;
  /** Matrix column: a documented status (`"404"`) or `dynamic` / `nullable enum`. */
  column: string;
  kind: CaseKind;
}

const RETRIED = new Set(["429", "500", "502", "503", "504"]);
const REDIRECTS = new Set(["301", "302", "303", "307", "308"]);

/** How the runtime treats a documented response status. */
export function kindOfStatus(status: string): CaseKind {
  if (/^2\d\d$/.test(status)) return "example";
  if (status === "304") return "not-modified";
  if (REDIRECTS.has(status)) return "redirect";
  if (RETRIED.has(status)) return "retried-error";
  if (/^4\d\d$/.test(status)) return "error";
  return "unsupported";
}

/** The success response whose body the dynamic and nullable-enum cases check: the first JSON 2xx. */
export const successResponse = (op: OperationSpec): ResponseSpec | undefined =>
  op.responses.find((r) => /^2\d\d$/.test(r.status) && r.hasJsonBody);

/**
 * Cases of one operation: one per documented status, plus `dynamic` for a JSON 2xx,
 * `nullable enum` when that 2xx schema has nullable enums (no case that would check nothing) and
 * `pagination` for an operation GitHub paginates (`per_page` + `page`).
 */
export function planOperation(version: string, op: OperationSpec): CaseSpec[] {
  const cases: CaseSpec[] = op.responses.map((r) => ({
    version,
    operationId: op.operationId,
    column: r.status,
    kind: kindOfStatus(r.status),
  }));
  const success = successResponse(op);
  if (success) {
    cases.push({ version, operationId: op.operationId, column: "dynamic", kind: "dynamic" });
    if (success.nullableEnums.length > 0)
      cases.push({ version, operationId: op.operationId, column: "nullable enum", kind: "nullable-enum" });
    if (op.paginated) cases.push({ version, operationId: op.operationId, column: "pagination", kind: "pagination" });
  }
  return cases;
}

/** Every case of a version's slice, in document order. */
export const planVersion = (spec: VersionSpec): CaseSpec[] =>
  spec.operations.flatMap((op) => planOperation(spec.version, op));

/**
 * Documented (version, operation, status) triples that have no runnable case: the suite fails
 * on any, so a new status the runtime has no behaviour for cannot pass unnoticed.
 */
export function uncoveredPairs(specs: VersionSpec[], cases: CaseSpec[]): string[] {
  const runnable = new Set(
    cases.filter((c) => c.kind !== "unsupported").map((c) => `${c.version} ${c.operationId} ${c.column}`),
  );
  return specs.flatMap((s) =>
    s.operations.flatMap((op) =>
      op.responses.map((r) => `${s.version} ${op.operationId} ${r.status}`).filter((k) => !runnable.has(k)),
    ),
  );
}

/** What a case holds the client to, as its test title says it (`dynamicSamples`: of a `dynamic` case). */
export function caseTitle(c: CaseSpec, dynamicSamples = 50): string {
  switch (c.kind) {
    case "example":
      return `answers ${c.column} with the spec's example, sent with the pinned version and the caller's parameters and body`;
    case "not-modified":
      return "answers 304 as a typed NotModified without cache, and with the cached data from the ETag cache (a GET answered 200)";
    case "error":
      return `answers ${c.column} with GitHubApiError carrying the body's message, without retrying`;
    case "retried-error":
      return `answers ${c.column} with GitHubApiError after ${RETRY.retries} retries`;
    case "dynamic":
      return `parses ${dynamicSamples} dynamic responses that all match the schema`;
    case "nullable-enum":
      return "accepts null and every enum value of each nullable enum in client, ajv and Prism";
    case "pagination":
      return `paginates across ${PAGES} linked pages (paginate, paginate.iterator) and stops at a repeated URL`;
    case "redirect":
      return `follows ${c.column} to its Location (the token only at the API's origin), and rejects one without a Location with GitHubApiError`;
    case "unsupported":
      return `documents ${c.column}, which the suite has no behaviour for`;
  }
}
