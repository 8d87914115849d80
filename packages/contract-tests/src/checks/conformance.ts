import { explain, observationKey, type DefectTarget } from "../known-defects.js";
import { parseSlViolations } from "../violations.js";
import type { CaseContext } from "./context.js";
import { explainByFlaggedExample } from "../category.js";
import { excusesKnownDefects } from "./known-defect-policy.js";

/**
 * A response body against its schema, seen by Prism (`sl-violations`) and by ajv (the package's
 * `./schemas`): each violation is a failure, or a known defect where the policy excuses it
 * ({@link excusesKnownDefects}). A documented body whose schema the package lacks fails too:
 * ajv would check nothing and report nothing, which is not a pass.
 */
export function checkConformance(
  ctx: CaseContext,
  label: string,
  status: string,
  slViolations: string | null | undefined,
  body: unknown,
) {
  const { target, op, result } = ctx;
  const prism = parseSlViolations(slViolations);
  for (const v of prism.request)
    ctx.fail("prism-request", v.pointer, `${label}: Prism reported a request violation: ${v.message}`);
  const schema = target.schemas[op.operationId]?.[status];
  if (schema === undefined && ctx.response(status)?.hasJsonBody === true)
    ctx.fail(
      "schema-present",
      `${ctx.responsePointer(status)}/content/application~1json/schema`,
      `${label}: the package's ./schemas has no schema for ${op.operationId} ${status}, so ajv checked nothing`,
    );
  const ajv = schema === undefined ? [] : target.checkSchema(schema, body);
  const where: DefectTarget = { version: target.spec.version, operationId: op.operationId, status };
  for (const v of [...prism.response, ...ajv]) {
    const excused = excusesKnownDefects(result.kind);
    const defect = excused ? explain(target.defects, where, v) : undefined;
    const flagged =
      excused && !defect ? explainByFlaggedExample(target.flaggedExamples ?? [], body, v.pointer) : undefined;
    if (defect) {
      result.knownDefects.push(defect.id);
      result.observations.push(observationKey(where, v.source, v.pointer));
    } else if (flagged) {
      result.knownDefects.push(`example flagged by spec extract: ${flagged.pointer}`);
    } else {
      ctx.fail(
        v.source === "prism" ? "prism-response" : "ajv-response",
        `/response/body${v.pointer}`,
        `${label}: ${v.source} reports ${v.code} at ${v.pointer || "/"}: ${v.message}`,
      );
    }
  }
}
