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

/** Bare requests that violate the spec: Prism must reject each (proof that validation is on). */
export async function runNegativeControls(spec: VersionSpec, prismUrl: string): Promise<NegativeOutcome> {
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
  }
  return outcome;
}
