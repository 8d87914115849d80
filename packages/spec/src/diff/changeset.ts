import type { DiffResult } from "./compare.js";
import { operationLabel } from "./report.js";
import type { Bump } from "./rules.js";

/**
 * A changeset file (https://github.com/changesets/changesets/blob/main/docs/adding-a-changeset.md):
 * YAML front matter naming the package and its bump, then a markdown summary. The first line is
 * the changelog entry; the list below it goes into the package's CHANGELOG.md as its detail.
 */
export function renderChangeset(pkg: string, bump: Bump, summary: string, details: readonly string[] = []): string {
  const body = details.length ? `${summary}\n\n${details.join("\n")}\n` : `${summary}\n`;
  return `---\n${JSON.stringify(pkg)}: ${bump}\n---\n\n${body}`;
}

/** The changeset for a spec update of one client package, from its classified diff. */
export function specUpdateChangeset(pkg: string, apiVersion: string, sourceLabel: string, diff: DiffResult): string {
  if (!diff.bump) throw new Error("no changeset for an unchanged description");
  const { major, minor, patch } = diff.counts;
  const summary = `Update to GitHub's REST API description ${sourceLabel} (API version ${apiVersion}): ${major} major, ${minor} minor, ${patch} patch change(s).`;
  const details = diff.changes.map(
    (c) => `- **${c.bump}** \`${operationLabel(c)}\` ${c.at}: ${c.detail} (\`${c.rule}\`, \`${c.pointer}\`)`,
  );
  return renderChangeset(pkg, diff.bump, summary, details);
}

/** The first changeset of a client package created for a new API version. */
export function initialReleaseChangeset(pkg: string, apiVersion: string): string {
  return renderChangeset(
    pkg,
    "minor",
    `Initial release of \`${pkg}\`: a typed client for GitHub's Codespaces machines REST endpoints, API version ${apiVersion}.`,
  );
}

/**
 * `machines-2026-03-10-spec-0114920.md`, `machines-2026-03-10-initial-release.md`: a file name that says
 * what and where from. Each word becomes lowercase `a-z0-9-` (at most 40 characters).
 */
export function changesetFileName(pkg: string, ...words: string[]): string {
  const base = pkg.replace(/^@[^/]+\//, "");
  const safe = words.map((word) =>
    word
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40),
  );
  return `${[base, ...safe].join("-")}.md`;
}
