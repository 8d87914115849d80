/**
 * The one table that turns a change in GitHub's description into a semver bump of the client
 * package. Every change the comparer (`compare.ts`) reports names one of these rules; nothing else
 * decides a bump. Sources: semver 2.0.0 §7–8, GitHub's "Breaking changes" list in
 * https://docs.github.com/rest/about-the-rest-api/api-versions, and the issue that asked for this.
 *
 * "request" is what the client sends (parameters, request body); "response" is what it reads.
 * A change that makes requests stricter breaks callers; a change that makes responses looser breaks
 * readers. The reverse directions are additive.
 */

/** A semver bump; `undefined` elsewhere means "no change, no release". */
export type Bump = "major" | "minor" | "patch";

/** Choices a project makes where GitHub and TypeScript disagree (`spec/sources.json` → `semver`). */
export interface SemverSettings {
  /**
   * A new enum value in a response: GitHub calls it additive, but consumer code with an exhaustive
   * `switch` over the literal union stops compiling (its `never` check fails). Default `minor`.
   */
  readonly responseEnumAddition: "minor" | "major";
}

export const DEFAULT_SEMVER: SemverSettings = { responseEnumAddition: "minor" };

interface Rule {
  readonly bump: Bump | ((settings: SemverSettings) => Bump);
  /** One line for reports and the README. */
  readonly means: string;
  /**
   * For a major rule: why it is breaking even when a caller's code still compiles against the new
   * types (`compile-check.ts` reports it when the old usage compiles). Without it, `means` says why.
   */
  readonly beyondTypes?: string;
}

/* prettier-ignore */
export const RULES = {
  // ── operations ────────────────────────────────────────────────────────────────────────────
  "operation-removed": { bump: "major", means: "an operation (method + path) is gone" },
  "operation-added": { bump: "minor", means: "a new operation" },
  "operation-id-changed": {
    bump: "major",
    means: "operationId changed: the client's method name comes from it",
    beyondTypes: "the client's method name comes from the operationId, which the path-keyed types do not show",
  },
  "operation-deprecated": { bump: "minor", means: "deprecated: true added (semver §7: deprecations are minor)" },
  // ── responses ─────────────────────────────────────────────────────────────────────────────
  "response-status-removed": { bump: "major", means: "a response status code is gone" },
  "response-status-added": { bump: "minor", means: "a new response status code" },
  "media-type-removed": { bump: "major", means: "a request or response media type is gone" },
  "media-type-added": { bump: "minor", means: "a new request or response media type" },
  "response-header-removed": {
    bump: "major",
    means: "a response header is gone",
    beyondTypes:
      "headers are typed as an open map, so reading a removed header still compiles and gets undefined at runtime",
  },
  "response-header-added": { bump: "minor", means: "a new response header" },
  "response-property-removed": {
    bump: "major",
    means: "a response property is gone",
    beyondTypes: "a reader gets undefined at runtime where it read a value, whatever the types say",
  },
  "response-property-renamed": {
    bump: "major",
    means: "a response property has a new name (same schema)",
    beyondTypes: "a reader of the old name gets undefined at runtime",
  },
  "response-property-no-longer-required": { bump: "major", means: "a response property may now be missing" },
  "response-property-made-required": { bump: "minor", means: "a response property is now always present" },
  "response-property-added": { bump: "minor", means: "a new response property (or additionalProperties allowed)" },
  "response-nullable-added": { bump: "major", means: "a response value may now be null" },
  "response-nullable-removed": { bump: "minor", means: "a response value is never null any more" },
  "response-enum-value-added": {
    bump: (s) => s.responseEnumAddition,
    means: "a new enum value in a response (configurable: semver.responseEnumAddition)",
  },
  "response-enum-value-removed": {
    bump: "major",
    means: "an enum value gone from a response (TypeScript rejects a `case` for it, TS2678)",
  },
  "response-constraint-changed": {
    bump: "patch",
    means: "a response constraint (maxLength, pattern, format…) changed: types are unchanged",
  },
  // ── parameters ────────────────────────────────────────────────────────────────────────────
  "parameter-removed": { bump: "major", means: "a parameter is gone" },
  "parameter-renamed": { bump: "major", means: "a parameter has a new name (same location and schema)" },
  "parameter-added-required": { bump: "major", means: "a new required parameter" },
  "parameter-added-optional": { bump: "minor", means: "a new optional parameter" },
  "parameter-made-required": {
    bump: "major",
    means: "an optional parameter became required",
    beyondTypes: "the usage passes every parameter, so it compiles; a caller that omits this one no longer does",
  },
  "parameter-made-optional": { bump: "minor", means: "a required parameter became optional" },
  // ── request bodies ────────────────────────────────────────────────────────────────────────
  "request-body-removed": { bump: "major", means: "the request body is gone" },
  "request-body-added-required": {
    bump: "major",
    means: "a new required request body",
    beyondTypes:
      "the usage sent no body and the client types may not force one; the server now rejects a request without it",
  },
  "request-body-added-optional": { bump: "minor", means: "a new optional request body" },
  "request-body-made-required": {
    bump: "major",
    means: "the request body became required",
    beyondTypes: "the usage sends a body, so it compiles; a caller that omits it now gets an error",
  },
  "request-body-made-optional": { bump: "minor", means: "the request body became optional" },
  "request-property-removed": { bump: "major", means: "a request property is gone" },
  "request-property-renamed": { bump: "major", means: "a request property has a new name (same schema)" },
  "request-property-added-required": { bump: "major", means: "a new required request property" },
  "request-property-added-optional": { bump: "minor", means: "a new optional request property" },
  "request-property-made-required": {
    bump: "major",
    means: "an optional request property became required",
    beyondTypes: "the usage sends every property, so it compiles; a caller that omits this one no longer does",
  },
  "request-property-made-optional": { bump: "minor", means: "a required request property became optional" },
  "request-enum-value-removed": { bump: "major", means: "an enum value a request could send is gone" },
  "request-enum-value-added": { bump: "minor", means: "a request may send a new enum value" },
  "request-constraint-tightened": {
    bump: "major",
    means: "a request constraint tightened (max down, min up, pattern/format added, nullable dropped…)",
    beyondTypes:
      "types do not carry maxLength, pattern, format or minimum: the server now rejects values the old description accepted",
  },
  "request-constraint-loosened": { bump: "minor", means: "a request constraint loosened" },
  // ── unions (anyOf/oneOf gains or loses an alternative; a schema becomes a union with it, or the reverse) ──
  "request-union-widened": {
    bump: "minor",
    means:
      "a request value may also be of a new alternative (e.g. items string → anyOf [integer, string]): every old value is still accepted",
  },
  "request-union-narrowed": {
    bump: "major",
    means: "a request value may no longer be of an alternative it could be: callers sending it break",
  },
  "response-union-widened": {
    bump: "major",
    means:
      "a response value may be of a new alternative: readers' exhaustive handling of the old ones breaks (like response-nullable-added)",
  },
  "response-union-narrowed": {
    bump: "minor",
    means:
      "a response value is never of a removed alternative any more: every value still fits the old type (like response-nullable-removed)",
  },
  // ── both directions ───────────────────────────────────────────────────────────────────────
  "type-changed": {
    bump: "major",
    means: "a parameter's or property's type changed",
    beyondTypes:
      "some type changes (integer → number, a format) give the same TypeScript type, but the values change meaning",
  },
  "default-changed": { bump: "minor", means: "a default value changed (behaviour when omitted)" },
  "other-changed": {
    bump: "major",
    means: "a change no rule above covers (security, style, allOf branches…): breaking until a rule says otherwise",
    beyondTypes: "no rule covers this change, so it is breaking until a rule says otherwise",
  },
  // ── documentation ─────────────────────────────────────────────────────────────────────────
  "documentation-changed": {
    bump: "patch",
    means: "description, summary, title, example(s), externalDocs, tags, x-* extensions, document info",
  },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

const ORDER: readonly Bump[] = ["patch", "minor", "major"];

/** The bump of one rule under the project's settings. */
export function bumpOf(rule: RuleId, settings: SemverSettings = DEFAULT_SEMVER): Bump {
  const { bump } = RULES[rule] as Rule;
  return typeof bump === "function" ? bump(settings) : bump;
}

/** The larger of two bumps (`undefined` = none). */
export function maxBump(a: Bump | undefined, b: Bump | undefined): Bump | undefined {
  if (!a) return b;
  if (!b) return a;
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}
