import { readFileSync } from "node:fs";
import type { Violation } from "./violations.js";

/** Where a known defect shows: one (API version, operation, documented status). */
export interface DefectTarget {
  version: string;
  operationId: string;
  status: string;
}

/**
 * A known inaccuracy of GitHub's description, with the draft of GitHub's "schema inaccuracy"
 * issue form (https://github.com/github/rest-api-description/issues/new/choose).
 */
export interface KnownDefect {
  id: string;
  appliesTo: DefectTarget[];
  /** JSON pointer into the OpenAPI document, to what is wrong. */
  pointer: string;
  /** JSON pointers into the response body where the checkers report it. */
  responsePointers: string[];
  /** Checkers that must report it (each of them, at each response pointer). */
  detectedBy: Violation["source"][];
  reason: string;
  issue: { title: string; schema: string; actualResponse: string; expected: string };
}

/** Reads and shape-checks `known-spec-defects.json`; throws naming the file and the entry. */
export function loadKnownDefects(file: string): KnownDefect[] {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { defects?: KnownDefect[] };
  if (!Array.isArray(parsed.defects)) throw new Error(`${file}: "defects" must be an array`);
  for (const [i, d] of parsed.defects.entries()) {
    const where = `${file}: defects[${i}]`;
    if (!d.id || !d.pointer?.startsWith("#/") || !d.reason || d.reason.includes("\n"))
      throw new Error(`${where}: needs id, pointer "#/…" and a one-line reason`);
    if (!Array.isArray(d.appliesTo) || d.appliesTo.length === 0)
      throw new Error(`${where}: appliesTo must list version/operationId/status`);
    if (!Array.isArray(d.responsePointers) || d.responsePointers.length === 0)
      throw new Error(`${where}: responsePointers must not be empty`);
    if (!Array.isArray(d.detectedBy) || d.detectedBy.length === 0)
      throw new Error(`${where}: detectedBy must not be empty`);
    const { title, schema, actualResponse, expected } = d.issue ?? {};
    if (!title || !schema || !actualResponse || !expected)
      throw new Error(`${where}: issue needs title, schema, actualResponse, expected`);
  }
  return parsed.defects;
}

/** Key of one observation a known defect predicts. */
export const observationKey = (t: DefectTarget, source: string, pointer: string): string =>
  `${t.version} ${t.operationId} ${t.status} ${source} ${pointer}`;

/** The defect that explains `violation` at `target`, if any. */
export function explain(defects: KnownDefect[], target: DefectTarget, violation: Violation): KnownDefect | undefined {
  return defects.find(
    (d) =>
      d.detectedBy.includes(violation.source) &&
      d.responsePointers.includes(violation.pointer) &&
      d.appliesTo.some(
        (a) => a.version === target.version && a.operationId === target.operationId && a.status === target.status,
      ),
  );
}

/**
 * Everything a listed defect predicts that the run did not observe: a defect GitHub fixed (or
 * one listed for the wrong place) must be removed from the file, so it fails the suite.
 */
export function staleDefects(
  defects: KnownDefect[],
  observed: ReadonlySet<string>,
  targetsRun: DefectTarget[],
): string[] {
  const ran = new Set(targetsRun.map((t) => `${t.version} ${t.operationId} ${t.status}`));
  const stale: string[] = [];
  for (const d of defects) {
    for (const t of d.appliesTo) {
      if (!ran.has(`${t.version} ${t.operationId} ${t.status}`)) {
        stale.push(`${d.id}: ${t.version} ${t.operationId} ${t.status} has no contract case`);
        continue;
      }
      for (const source of d.detectedBy) {
        for (const pointer of d.responsePointers) {
          if (!observed.has(observationKey(t, source, pointer))) {
            stale.push(
              `${d.id}: no longer reported by ${source} at ${pointer} (${t.version} ${t.operationId} ${t.status})`,
            );
          }
        }
      }
    }
  }
  return stale;
}
