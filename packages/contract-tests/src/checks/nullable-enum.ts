import { isDeepStrictEqual } from "node:util";
import { successResponse } from "../case-plan.js";
import { craftedAnswer, fetchRecords, SERVE_HEADER } from "../recording-proxy.js";
import { type EnumSite, enumSites, isAtSite, setAll, valuesAt } from "../schema-walk.js";
import { parseSlViolations } from "../violations.js";
import type { CaseContext } from "./context.js";
import { errorText } from "./failure.js";

/** The value outside every enum that each checker must flag. */
const OUTSIDER = "contract-not-in-enum";

/**
 * Every value of every nullable enum of the success response as the description writes it
 * (`nullable: true` beside an `enum`) — `null` included — and one value outside the enum, served
 * as crafted bodies through `prism proxy` (Prism's response validation): client, ajv (on the
 * package's converted schema) and Prism must accept each listed value and flag the outsider.
 * Known defects excuse nothing here (see `known-defect-policy.ts`): violations are the subject.
 */
export async function checkNullableEnums(ctx: CaseContext) {
  const response = successResponse(ctx.op);
  if (!response)
    return ctx.fail("response-documented", `${ctx.op.pointer}/responses`, "no documented 2xx with a JSON body");
  const json = `${ctx.responsePointer(response.status)}/content/application~1json`;
  // The plan only makes this case when there is something to check; an empty list here would pass vacuously.
  if (response.nullableEnums.length === 0)
    return ctx.fail(
      "response-documented",
      `${json}/schema`,
      "the success schema has no nullable enum, so this case would check nothing",
    );
  const schema = ctx.target.schemas[ctx.op.operationId]?.[response.status];
  if (schema === undefined)
    return ctx.fail(
      "schema-present",
      `${json}/schema`,
      `the package's ./schemas has no schema for ${ctx.op.operationId} ${response.status}`,
    );
  const converted = new Set(enumSites(schema).map((s) => s.pointer));
  const base = Object.values(response.examples)[0];
  if (base === undefined) return ctx.fail("response-documented", `${json}/examples`, "no example to craft bodies from");
  for (const site of response.nullableEnums) {
    if (!converted.has(site.pointer))
      ctx.fail(
        "enum-in-package-schema",
        `/response/body${site.pointer}`,
        `${site.pointer}: the package's schema has no enum there (the description has one)`,
      );
    if (valuesAt(base, site.path.slice(0, -1)).length === 0) {
      ctx.fail(
        "response-documented",
        `${json}/examples`,
        `${site.pointer}: the example has no object there to set the value in`,
      );
      continue;
    }
    const documented = [null, ...site.values.filter((v) => v !== null)];
    for (const value of [...documented, OUTSIDER])
      await checkValue(ctx, response.status, schema, base, site, value, documented.includes(value));
    ctx.result.notes.push(
      `${site.pointer}: ${documented.map((v) => JSON.stringify(v)).join(", ")} accepted by client, ajv and Prism; outsider flagged`,
    );
  }
}

/** One crafted body: `base` with `value` at every place of `site`. */
async function checkValue(
  ctx: CaseContext,
  status: string,
  schema: unknown,
  base: unknown,
  site: EnumSite,
  value: unknown,
  listed: boolean,
) {
  const body = setAll(structuredClone(base), site.path, value);
  const id = ctx.newCaseId();
  const label = `${site.pointer} = ${JSON.stringify(value)}`;
  const seen: (string | null)[] = [];
  const call = ctx.makeClient({ retry: false, cache: false }, seen, ctx.target.mock.validatingUrl);
  let data: unknown;
  try {
    data = await call(ctx.args, {
      headers: { ...ctx.headers(id), [SERVE_HEADER]: craftedAnswer(Number(status), body) },
    });
  } catch (error) {
    return ctx.fail("client-resolves", "/result", `${label}: client rejected: ${errorText(error)}`);
  }
  const records = await fetchRecords(ctx.target.mock.proxyUrl, id);
  if (records.length !== 1 || !records[0]?.response.crafted)
    ctx.fail(
      "crafted-served",
      "/requests",
      `${label}: ${records.length} request(s) reached the recording proxy with the crafted body, expected 1 (did prism proxy forward ${SERVE_HEADER}?)`,
    );
  if (seen.length !== 1)
    ctx.fail(
      "crafted-served",
      "/response",
      `${label}: ${seen.length} response(s) came back through prism proxy, expected 1`,
    );
  if (!isDeepStrictEqual(data, body))
    ctx.fail("data-equals-body", "/result", `${label}: the client's data differs from the crafted body`);
  const prism = parseSlViolations(seen.at(-1)).response.filter((v) => isAtSite(site, v.pointer));
  const ajv = ctx.target.checkSchema(schema, data).filter((v) => isAtSite(site, v.pointer));
  const at = `/response/body${site.pointer}`;
  if (listed) {
    for (const v of [...prism, ...ajv])
      ctx.fail(
        v.source === "prism" ? "prism-response" : "ajv-response",
        `/response/body${v.pointer}`,
        `${label}: ${v.source} rejects a documented value: ${v.message}`,
      );
  } else {
    if (prism.length === 0)
      ctx.fail("prism-flags-outsider", at, `${label}: Prism accepted a value outside the enum (is it validating?)`);
    if (ajv.length === 0) ctx.fail("ajv-flags-outsider", at, `${label}: ajv accepted a value outside the enum`);
  }
}
