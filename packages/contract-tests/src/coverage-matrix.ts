import type { CaseResult } from "./checks/context.js";
import { outcomeOf } from "./contract-checks.js";
import type { NegativeOutcome } from "./negative-controls.js";

const ORDER = (column: string) => (/^\d+$/.test(column) ? `0${column}` : `1${column}`);

/** One summary line: `contract: 24 cases, 22 pass, 2 known defects, 0 fail`. */
export function summaryLine(
  results: CaseResult[],
  extra: { negativeControls: number; negativeFailures: number },
): string {
  const count = (o: string) => results.filter((r) => outcomeOf(r) === o).length;
  return (
    `contract: ${results.length} cases, ${count("pass")} pass, ${count("known defect")} known defects, ${count("fail")} fail` +
    `; ${extra.negativeControls} negative controls, ${extra.negativeFailures} fail`
  );
}

/**
 * The coverage matrix as Markdown: one table per API version, operations × columns (documented
 * statuses, then `dynamic` and `nullable enum`). Sorted, no timestamps: the same run gives the
 * same bytes.
 */
export function renderMatrix(results: CaseResult[], negative: Record<string, NegativeOutcome>): string {
  const versions = [...new Set(results.map((r) => r.version))].sort();
  const columns = [...new Set(results.map((r) => r.column))].sort((a, b) => ORDER(a).localeCompare(ORDER(b)));
  const lines = [
    "# Contract coverage matrix",
    "",
    "Written by `pnpm --filter @codespaces-clients/contract-tests coverage-matrix` (a full contract run; do not edit). `test` does not write it.",
    "Rows: operations of `spec/generated/<version>/openapi.json`; columns: documented statuses, then 50+",
    "`Prefer: dynamic=true` samples and every value of each nullable enum through `prism proxy`.",
    "`known defect` = the case passed except for violations listed in `known-spec-defects.json`; `—` = not documented.",
    "",
  ];
  for (const version of versions) {
    lines.push(
      `## ${version}`,
      "",
      `| operation | ${columns.join(" | ")} |`,
      `|---|${columns.map(() => "---").join("|")}|`,
    );
    const ops = [...new Set(results.filter((r) => r.version === version).map((r) => r.operationId))].sort();
    for (const op of ops) {
      const cells = columns.map((c) => {
        const r = results.find((x) => x.version === version && x.operationId === op && x.column === c);
        if (!r) return "—";
        const outcome = outcomeOf(r);
        return outcome === "known defect"
          ? `known defect (${r.knownDefects.join(", ")})`
          : outcome === "fail"
            ? "**FAIL**"
            : "pass";
      });
      lines.push(`| \`${op}\` | ${cells.join(" | ")} |`);
    }
    const neg = negative[version];
    if (neg) {
      lines.push(
        "",
        `Negative controls (bare requests Prism must reject): ${neg.checked.length} checked, ${neg.failures.length} fail.`,
      );
      for (const c of neg.checked)
        lines.push(`- ${neg.failures.some((f) => f.control === c) ? "**FAIL**" : "pass"}: ${c}`);
    }
    lines.push("");
  }
  const total = summaryLine(results, {
    negativeControls: Object.values(negative).reduce((n, v) => n + v.checked.length, 0),
    negativeFailures: Object.values(negative).reduce((n, v) => n + v.failures.length, 0),
  });
  lines.push(`Summary: ${total}`, "");
  return lines.join("\n");
}
