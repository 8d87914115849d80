import type { CaseKind } from "../case-plan.js";

/**
 * The known-defects policy, in one place: in which cases a body violation that an entry of
 * `known-spec-defects.json` explains is reported as a known defect instead of failing the case.
 *
 * - **example, not-modified, error, retried-error — excused.** They serve what GitHub's description
 *   documents: its named examples, and Prism's static responses built from them. A listed defect is
 *   exactly an inaccuracy there (an example that omits a required property); failing on it would
 *   fail the client for GitHub's text. Each entry must still occur (`staleDefects`), so an excuse
 *   ends when GitHub fixes the description.
 * - **dynamic — not excused.** Prism generates these bodies from the schema, not from examples, so
 *   no example defect can show in them; a violation there means schema, Prism and ajv disagree,
 *   which is a real failure even at a pointer a defect lists.
 * - **nullable-enum — not excused.** The suite crafts these bodies to test one enum; a violation is
 *   either the outsider the case expects or the failure it exists to find.
 * - **pagination — not excused.** It checks links and items, not bodies against schemas.
 * - **redirect — excused**, as an error is: its body is Prism's static response to the redirect, built
 *   from the documented example.
 * - **unsupported** runs nothing, so excuses nothing.
 */
const EXCUSES_KNOWN_DEFECTS: Record<CaseKind, boolean> = {
  example: true,
  "not-modified": true,
  error: true,
  "retried-error": true,
  dynamic: false,
  "nullable-enum": false,
  pagination: false,
  redirect: true,
  unsupported: false,
};

/** Whether a case of `kind` reports a violation a known defect explains instead of failing on it (see above). */
export const excusesKnownDefects = (kind: CaseKind): boolean => EXCUSES_KNOWN_DEFECTS[kind];
