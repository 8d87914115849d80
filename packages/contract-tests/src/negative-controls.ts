import type { HttpMethod } from "@codespaces-clients/openapi-model";
import { sampleArguments } from "./call-arguments.js";
import type { CheckFailure } from "./checks/failure.js";
import type { OperationSpec, VersionSpec } from "./spec-catalog.js";

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

/** Parameters Prism can tell a wrong type of from a path or query string. */
const typed = (p: OperationSpec["parameters"][number]) =>
  p.in !== "header" &&
  p.in !== "cookie" &&
  (p.schema.type === "integer" ||
    p.schema.type === "number" ||
    p.schema.type === "boolean" ||
    Array.isArray(p.schema.enum));

/** Bare requests that violate the spec: Prism must reject each (proof that validation is on). */
export async function runNegativeControls(spec: VersionSpec, prismUrl: string): Promise<NegativeOutcome> {
  const outcome: NegativeOutcome = { checked: [], failures: [] };
  const expect = async (control: string, path: string, method: string, status: number, mention?: string) => {
    outcome.checked.push(control);
    const response = await fetch(`${prismUrl}${path}`, { method });
    const text = await response.text();
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
        detail: `${control}: Prism's ${status} does not name ${mention}: ${text.slice(0, 200)}`,
      });
  };
  await expect("unknown path → 404", "/contract/unknown/path", "GET", 404, "NO_PATH_MATCHED");
  for (const op of spec.operations) {
    const method = op.method.toUpperCase();
    const args = sampleArguments(op);
    /** The path with every parameter's sample, `name` replaced by `value` (empty: an empty segment). */
    const fill = (name?: string, value = "") =>
      op.path.replace(/\{([^{}]+)\}/g, (_m, n: string) =>
        n === name ? value : encodeURIComponent(String(args[n] ?? "")),
      );
    for (const p of op.parameters.filter((q) => q.in === "path"))
      await expect(`${op.operationId}: empty path segment {${p.name}} → 422`, fill(p.name), method, 422, p.name);
    for (const p of op.parameters.filter(typed)) {
      const path = p.in === "path" ? fill(p.name, "not-valid-value") : `${fill()}?${p.name}=not-valid-value`;
      await expect(`${op.operationId}: ${p.name} of the wrong type → 422`, path, method, 422, p.name);
    }
    // A repeated query parameter arrives as an array: the wrong type for a `type: string` one.
    for (const p of op.parameters.filter((q) => q.in === "query" && q.schema.type === "string")) {
      await expect(
        `${op.operationId}: ${p.name} given twice (array, not string) → 422`,
        `${fill()}?${p.name}=a&${p.name}=b`,
        method,
        422,
        p.name,
      );
    }
    if (op.requestBody?.required)
      await expect(`${op.operationId}: required request body missing → 422`, fill(), method, 422);
    const undocumented = UNDOCUMENTED_CANDIDATES.find((m) => !spec.document.paths[op.path]?.[m]);
    if (undocumented)
      await expect(
        `${op.operationId}: undocumented ${undocumented.toUpperCase()} → 405`,
        fill(),
        undocumented.toUpperCase(),
        405,
        "NO_METHOD_MATCHED",
      );
  }
  return outcome;
}
