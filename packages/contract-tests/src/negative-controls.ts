import { follow, type HttpMethod, isObject, parseRef, valueAt } from "@codespaces-clients/openapi-model";
import { callArguments, sampleArguments } from "./call-arguments.js";
import { successResponse } from "./case-plan.js";
import type { CheckFailure } from "./checks/failure.js";
import { CONTROL_BODY } from "./checks/nullable-enum.js";
import type { VersionMock } from "./mock-fleet.js";
import { craftedAnswer, SERVE_HEADER } from "./recording-proxy.js";
import { prismSkipCause } from "./schema-walk.js";
import type { OperationSpec, VersionSpec } from "./spec-catalog.js";
import { parseSlViolations } from "./violations.js";

/** A failed negative control: which one (`control`, as listed in `checked`) and how it failed. */
export interface ControlFailure extends CheckFailure {
  control: string;
}

/** Outcome of one version's negative controls. */
export interface NegativeOutcome {
  checked: string[];
  failures: ControlFailure[];
}

/**
 * Methods tried as "undocumented" (the first the path lacks), in this order. Not every HTTP method:
 * Prism answers these with a body that names the problem (`NO_METHOD_MATCHED`); HEAD has no body.
 */
const UNDOCUMENTED_CANDIDATES: readonly HttpMethod[] = ["delete", "put", "post", "patch", "get"];

/** Whether the concrete `path` matches the OpenAPI path `template` (`{name}`: one non-empty segment). */
export const templateMatches = (template: string, path: string): boolean =>
  new RegExp(
    `^${template
      .split(/\{[^{}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]+")}$`,
  ).test(path);

/** Parameters Prism can tell a wrong type of from a path or query string. */
const typed = (p: OperationSpec["parameters"][number]) =>
  p.in !== "header" &&
  p.in !== "cookie" &&
  (p.schema.type === "integer" ||
    p.schema.type === "number" ||
    p.schema.type === "boolean" ||
    Array.isArray(p.schema.enum));

/**
 * Bare requests that violate the spec: Prism must reject each (proof that request validation is on).
 * And, through `prism proxy` (`validatingUrl`), a body of the wrong type as each operation's JSON
 * success: Prism must flag it (proof that it validates that response at all; see
 * {@link checkResponseValidation}).
 */
export async function runNegativeControls(
  spec: VersionSpec,
  { prismUrl, validatingUrl }: Pick<VersionMock, "prismUrl" | "validatingUrl">,
): Promise<NegativeOutcome> {
  const outcome: NegativeOutcome = { checked: [], failures: [] };
  const expect = async (control: string, path: string, method: string, status: number, mention?: string) => {
    outcome.checked.push(control);
    const response = await fetch(`${prismUrl}${path}`, { method });
    // Prism names what it rejected in its own problem body, or, when it answers with the
    // operation's documented 422/400 (and its example), in `sl-violations`.
    const text = `${await response.text()} ${response.headers.get("sl-violations") ?? ""}`;
    if (response.status !== status)
      outcome.failures.push({
        control,
        check: "prism-rejects",
        pointer: "/response/status",
        detail: `${control}: Prism answered ${response.status}, expected ${status}: ${text.slice(0, 200)}`,
      });
    else if (mention && !text.includes(mention))
      outcome.failures.push({
        control,
        check: "prism-rejects",
        pointer: "/response/body",
        detail: `${control}: Prism's ${status} (body, sl-violations) does not name ${mention}: ${text.slice(0, 200)}`,
      });
  };
  await expect("unknown path → 404", "/contract/unknown/path", "GET", 404, "NO_PATH_MATCHED");
  for (const op of spec.operations) {
    const method = op.method.toUpperCase();
    // Prism rejects an invalid request with the operation's documented 422, else its documented
    // 400, else a 422 of its own.
    const documented = new Set(op.responses.map((r) => r.status));
    const invalid = !documented.has("422") && documented.has("400") ? 400 : 422;
    const args = sampleArguments(op);
    /** The path with every parameter's sample, `name` replaced by `value` (empty: an empty segment). */
    const fill = (name?: string, value = "") =>
      op.path.replace(/\{([^{}]+)\}/g, (_m, n: string) =>
        n === name ? value : encodeURIComponent(String(args[n] ?? "")),
      );
    for (const p of op.parameters.filter((q) => q.in === "path"))
      await expect(
        `${op.operationId}: empty path segment {${p.name}} → ${invalid}`,
        fill(p.name),
        method,
        invalid,
        p.name,
      );
    for (const p of op.parameters.filter(typed)) {
      const path = p.in === "path" ? fill(p.name, "not-valid-value") : `${fill()}?${p.name}=not-valid-value`;
      await expect(`${op.operationId}: ${p.name} of the wrong type → ${invalid}`, path, method, invalid, p.name);
    }
    // A repeated query parameter arrives as an array: the wrong type for a `type: string` one.
    for (const p of op.parameters.filter((q) => q.in === "query" && q.schema.type === "string")) {
      await expect(
        `${op.operationId}: ${p.name} given twice (array, not string) → ${invalid}`,
        `${fill()}?${p.name}=a&${p.name}=b`,
        method,
        invalid,
        p.name,
      );
    }
    if (op.requestBody?.required)
      await expect(`${op.operationId}: required request body missing → ${invalid}`, fill(), method, invalid, "Body");
    // Undocumented for this URL: no path template that matches it (`/user/codespaces/secrets/public-key`
    // is also `/user/codespaces/secrets/{secret_name}`) documents the method.
    const url = fill();
    const templates = Object.keys(spec.document.paths).filter((t) => templateMatches(t, url));
    const undocumented = UNDOCUMENTED_CANDIDATES.find((m) => templates.every((t) => !spec.document.paths[t]?.[m]));
    if (undocumented)
      await expect(
        `${op.operationId}: undocumented ${undocumented.toUpperCase()} → 405`,
        url,
        undocumented.toUpperCase(),
        405,
        "NO_METHOD_MATCHED",
      );
    if (validatingUrl) await checkResponseValidation(spec, op, validatingUrl, outcome);
  }
  return outcome;
}

/**
 * `prism proxy` in front of a server that answers the operation's JSON success with {@link CONTROL_BODY}
 * (a string, where the schema wants an object or array) must report it in `sl-violations`. Prism 5.14
 * validates nothing of a response whose schema it cannot compile, and says nothing about it
 * (`prismSkipCause` names the causes known); every other check of Prism's verdict on a body would
 * then pass by default.
 */
export async function checkResponseValidation(
  spec: VersionSpec,
  op: OperationSpec,
  validatingUrl: string,
  outcome: NegativeOutcome,
) {
  const success = successResponse(op);
  if (!success) return;
  const json = `${op.pointer}/responses/${success.status}/content/application~1json/schema`;
  const schema = valueAt(spec.document, parseRef(json));
  // A string is of the wrong type only where the schema wants an object or an array.
  const top = schema === undefined ? undefined : follow(spec.document, schema).node;
  if (!isObject(top) || (top.type !== "object" && top.type !== "array" && !top.properties && !top.items)) return;
  const control = `${op.operationId}: a ${success.status} body of the wrong type → Prism's response validation flags it`;
  outcome.checked.push(control);
  const call = callArguments(op, spec.document, undefined);
  const path = op.path.replace(/\{([^{}]+)\}/g, (_m, n: string) => encodeURIComponent(call.path[n] ?? ""));
  const query = new URLSearchParams(call.query).toString();
  const response = await fetch(`${validatingUrl}${path}${query && `?${query}`}`, {
    method: op.method.toUpperCase(),
    headers: {
      accept: "application/json",
      [SERVE_HEADER]: craftedAnswer(Number(success.status), CONTROL_BODY),
      ...("body" in call ? { "content-type": "application/json" } : {}),
    },
    ...("body" in call ? { body: JSON.stringify(call.body) } : {}),
  });
  await response.arrayBuffer();
  if (parseSlViolations(response.headers.get("sl-violations")).response.length > 0) return;
  outcome.failures.push({
    control,
    check: "prism-validates",
    pointer: "/response/headers/sl-violations",
    detail: `${control}: Prism reported nothing (HTTP ${response.status}), so it validates nothing of this response${prismSkipCause(spec.document, json)}`,
  });
}
