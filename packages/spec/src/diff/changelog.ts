import type { DiffResult } from "./compare.js";

/**
 * GitHub's `descriptions/api.github.com/CHANGELOG.md` (github/rest-api-description) lists the
 * breaking changes of each dated API version: a `## Version YYYY-MM-DD` heading, one bullet per
 * change (`- **Title**`), and under most bullets a `<details>` block whose summary is
 * `<strong>Affected endpoints</strong>` followed by `` - `METHOD /path` `` lines.
 */
export interface ChangelogEntry {
  readonly title: string;
  /** `GET /rate_limit`, … (empty when GitHub listed none). */
  readonly endpoints: readonly string[];
}

/** The breaking changes GitHub lists for one API version; undefined when the version has no section. */
export function parseChangelog(markdown: string, apiVersion: string): ChangelogEntry[] | undefined {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const start = lines.findIndex((l) =>
    new RegExp(`^##\\s+Version\\s+${apiVersion.replace(/[-]/g, "\\-")}\\s*$`).test(l),
  );
  if (start < 0) return undefined;
  const entries: { title: string; endpoints: string[] }[] = [];
  let inEndpoints = false;
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    const title = /^- \*\*(.+?)\*\*\s*$/.exec(line);
    if (title?.[1]) {
      entries.push({ title: title[1], endpoints: [] });
      inEndpoints = false;
      continue;
    }
    if (/<summary>.*Affected endpoints.*<\/summary>/i.test(line)) inEndpoints = true;
    else if (/<\/details>/i.test(line)) inEndpoints = false;
    else if (inEndpoints) {
      const endpoint = /^\s*- `([A-Z]+) ([^`]+)`\s*$/.exec(line);
      if (endpoint) entries.at(-1)?.endpoints.push(`${endpoint[1]} ${endpoint[2]}`);
    }
  }
  return entries;
}

/** Whether our diff between two dated versions agrees with GitHub's changelog for the newer one. */
export interface ChangelogCheck {
  readonly agrees: boolean;
  /** Our operations GitHub lists as affected by a breaking change. */
  readonly listed: readonly string[];
  /** Our operations whose diff has a major change. */
  readonly breaking: readonly string[];
  readonly text: string;
}

/**
 * Cross-checks a diff against the changelog, restricted to the operations we ship
 * (`operations`: `METHOD /path`). They agree when both name the same operations.
 */
export function crossCheckChangelog(
  diff: DiffResult,
  entries: readonly ChangelogEntry[],
  operations: readonly string[],
  versions: { from: string; to: string },
): ChangelogCheck {
  const ours = new Set(operations);
  const listed = [...new Set(entries.flatMap((e) => e.endpoints).filter((e) => ours.has(e)))].sort();
  const breaking = [
    ...new Set(
      diff.changes
        .filter((c) => c.bump === "major" && c.operation)
        .map((c) => `${c.operation!.method} ${c.operation!.path}`),
    ),
  ].sort();
  const agrees = listed.length === breaking.length && listed.every((e, i) => e === breaking[i]);
  const show = (l: readonly string[]) => (l.length ? l.join(", ") : "none");
  const text = agrees
    ? `changelog ${versions.to}: agrees — breaking changes in our operations from ${versions.from}: ${show(breaking)} (GitHub lists ${entries.length} breaking change(s) in all)`
    : `changelog ${versions.to}: DISAGREES — GitHub lists ${show(listed)} among our operations; our diff from ${versions.from} finds major changes in ${show(breaking)}`;
  return { agrees, listed, breaking, text };
}
