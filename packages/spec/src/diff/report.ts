import type { Change, DiffResult } from "./compare.js";
import type { Bump } from "./rules.js";

/** `codespaces/repo-machines…` (GET /repos/…), or `document` for info/servers changes. */
export function operationLabel(change: Change): string {
  const op = change.operation;
  return op ? `${op.operationId} (${op.method} ${op.path})` : "document";
}

/** One line per change: bump, rule, operation, where, what, pointer. */
export function formatChange(change: Change): string {
  return `${change.bump.padEnd(5)}  ${change.rule}  ${operationLabel(change)}  ${change.at}: ${change.detail}  ${change.pointer}`;
}

/** `major (1 major, 0 minor, 2 patch)` or `unchanged`. */
export function formatSummary(result: DiffResult): string {
  if (!result.bump) return "unchanged";
  const { major, minor, patch } = result.counts;
  return `${result.bump} (${result.changes.length} change${result.changes.length === 1 ? "" : "s"}: ${major} major, ${minor} minor, ${patch} patch)`;
}

/** The readable report of one comparison, as `pnpm spec diff` prints it. */
export function formatDiff(result: DiffResult, indent = ""): string {
  const lines = [`${indent}classified: ${formatSummary(result)}`];
  for (const c of result.changes) lines.push(`${indent}  ${formatChange(c)}`);
  return lines.join("\n");
}

/** The JSON form of a comparison: stable keys, for scripts. */
export function diffToJson(result: DiffResult): {
  bump: Bump | null;
  counts: DiffResult["counts"];
  changes: readonly Change[];
} {
  return { bump: result.bump ?? null, counts: result.counts, changes: result.changes };
}
