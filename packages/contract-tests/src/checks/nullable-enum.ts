import { isDeepStrictEqual } from "node:util";
import { parseRef, valueAt } from "@codespaces-clients/openapi-model";
import { sample } from "openapi-sampler";
import { successResponse } from "../case-plan.js";
import { craftedAnswer, fetchRecords, SERVE_HEADER } from "../recording-proxy.js";
import { type EnumSite, enumSites, isAtSite, prismSkipCause, setAll, valuesAt } from "../schema-walk.js";
import { parseSlViolations } from "../violations.js";
import type { CaseContext } from "./context.js";
import { errorText } from "./failure.js";

/** The value outside every enum that each checker must flag. */
export const OUTSIDER = "contract-not-in-enum";

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
  const examples = Object.values(response.examples);
  if (examples.length === 0)
    return ctx.fail("response-documented", `${json}/examples`, "no example to craft bodies from");
  const candidates = [
    ...examples,
    sampledBody(ctx, schema, valueAt(ctx.target.spec.document, parseRef(`${json}/schema`))),
  ];
  for (const site of response.nullableEnums) {
    if (!converted.has(site.pointer))
      ctx.fail(
        "enum-in-package-schema",
        `/response/body${site.pointer}`,
        `${site.pointer}: the package's schema has no enum there (the description has one)`,
      );
    const documented = [null, ...site.values.filter((v) => v !== null)];
    const base = baseFor(ctx, schema, site, candidates, documented.at(-1));
    if (base === undefined) {
      ctx.fail(
        "response-documented",
        `${json}/examples`,
        `${site.pointer}: the example has no object there to set the value in`,
      );
      continue;
    }
    for (const value of [...documented, OUTSIDER])
      await checkValue(ctx, response.status, schema, base, site, value, documented.includes(value));
    ctx.result.notes.push(
      `${site.pointer}: ${documented.map((v) => JSON.stringify(v)).join(", ")} accepted by client, ajv and Prism; outsider flagged`,
    );
  }
}

/** A body no object or array schema accepts: Prism must flag it, if it validates the response at all. */
export const CONTROL_BODY = "contract-control-not-an-object";

/**
 * Why Prism let an outsider through, when the reason is that it validates nothing of this response: a
 * control body of the wrong type ({@link CONTROL_BODY}) drew no violation either. Prism skips a
 * schema it cannot compile; the reason names what does it (`prismSkipCause`), when the
 * response's schema has one of the causes known. Undefined when Prism flags the control (then it missed the outsider).
 */
async function prismValidatesNothing(ctx: CaseContext, status: string): Promise<string | undefined> {
  const id = ctx.newCaseId();
  const seen: (string | null)[] = [];
  const call = ctx.makeClient({ retry: false, cache: false }, seen, ctx.target.mock.validatingUrl);
  try {
    await call(ctx.args, {
      headers: { ...ctx.headers(id), [SERVE_HEADER]: craftedAnswer(Number(status), CONTROL_BODY) },
    });
  } catch {
    // The client's verdict on the control is not the question; Prism's header is.
  }
  if (seen.length !== 1 || parseSlViolations(seen[0]).response.length > 0) return undefined;
  const cause = prismSkipCause(
    ctx.target.spec.document,
    `${ctx.responsePointer(status)}/content/application~1json/schema`,
  );
  return `Prism validates nothing of this response (a body of the wrong type drew no violation either)${cause}`;
}

/** Whether `body` has an object (or array) at the parent of every place of `site`. */
const hasPlaceFor = (body: unknown, site: EnumSite) =>
  valuesAt(body, site.path.slice(0, -1)).some((v) => v !== null && typeof v === "object");

/**
 * The body to set a site's values in: the first example that, with a documented value set there, the
 * package's schema accepts whole (ajv). Only then is a violation at the site the outsider's alone:
 * GitHub's examples include objects whose only member is a data `$ref` (`issues/get`), which Prism's
 * validation resolves into another body and so misses the outsider, and examples without the object
 * the site is in (`type: null`). Failing that, a body sampled from the schema; failing that too, the
 * first example with a place for the value, as before (its other violations are not the site's).
 */
function baseFor(ctx: CaseContext, schema: unknown, site: EnumSite, candidates: unknown[], value: unknown) {
  const placed = candidates.filter((c) => c !== undefined && hasPlaceFor(c, site));
  return (
    placed.find((c) => ctx.target.checkSchema(schema, setAll(structuredClone(c), site.path, value)).length === 0) ??
    placed.find((c) => c !== candidates.at(-1))
  );
}

/**
 * A body openapi-sampler makes from the description's schema of the response (`described`, its `$ref`s
 * resolved in the description), when the package's `schema` accepts it (ajv); else undefined.
 */
function sampledBody(ctx: CaseContext, schema: unknown, described: unknown): unknown {
  if (described === null || typeof described !== "object") return undefined;
  try {
    const body: unknown = sample(described, { quiet: true }, ctx.target.spec.document);
    return ctx.target.checkSchema(schema, body).length === 0 ? body : undefined;
  } catch {
    return undefined; // a schema the sampler cannot walk
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
    if (prism.length === 0) {
      const unvalidated = await prismValidatesNothing(ctx, status);
      if (unvalidated) ctx.fail("prism-validates", at, `${label}: ${unvalidated}`);
      else ctx.fail("prism-flags-outsider", at, `${label}: Prism accepted a value outside the enum`);
    }
    if (ajv.length === 0) ctx.fail("ajv-flags-outsider", at, `${label}: ajv accepted a value outside the enum`);
  }
}
