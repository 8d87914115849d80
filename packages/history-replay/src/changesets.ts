import type { Bump } from "./expected-bumps.js";

/** One classified change as `pnpm spec update` lists it in a changeset body. */
export interface ChangesetDetail {
  readonly bump: Bump;
  /** The operationId, or `document` for document-level changes (info, servers…). */
  readonly subject: string;
  readonly line: string;
}

/** A parsed changeset file (https://github.com/changesets/changesets/blob/main/docs/adding-a-changeset.md). */
export interface Changeset {
  /** package name → bump, from the YAML front matter. */
  readonly releases: Readonly<Record<string, Bump>>;
  readonly summary: string;
  readonly details: readonly ChangesetDetail[];
}

const BUMP = /^(major|minor|patch)$/;

/**
 * Parses a changeset: front matter `"<package>": <bump>` lines between `---` fences, then the
 * summary; detail lines as `packages/spec/src/diff/changeset.ts` writes them:
 * `- **minor** \`codespaces/x (GET /p)\` …` or `- **patch** \`document\` …`.
 */
export function parseChangeset(text: string, file: string): Changeset {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, "\n"));
  if (!m) throw new Error(`${file}: no front matter between --- fences`);
  const releases: Record<string, Bump> = {};
  for (const line of m[1]!.split("\n").filter((l) => l.trim())) {
    const r = /^\s*(?:"([^"]+)"|'([^']+)'|([^:\s]+))\s*:\s*(\S+)\s*$/.exec(line);
    const bump = r?.[4];
    if (!r || !bump || !BUMP.test(bump))
      throw new Error(`${file}: front matter line ${JSON.stringify(line)} is not "<package>": major|minor|patch`);
    releases[(r[1] ?? r[2] ?? r[3])!] = bump as Bump;
  }
  const body = m[2]!.trim();
  const details: ChangesetDetail[] = [];
  for (const line of body.split("\n")) {
    const d = /^- \*\*(major|minor|patch)\*\* `([^`]+)`/.exec(line);
    if (!d) continue;
    const label = d[2]!;
    details.push({
      bump: d[1] as Bump,
      subject: label === "document" ? "document" : label.replace(/ \(.*\)$/, ""),
      line,
    });
  }
  return { releases, summary: body.split("\n")[0] ?? "", details };
}

const ORDER: readonly Bump[] = ["patch", "minor", "major"];

/** The largest bump per subject (operationId or `document`) in a changeset's details. */
export function bumpsBySubject(details: readonly ChangesetDetail[]): Record<string, Bump> {
  const out: Record<string, Bump> = {};
  for (const d of details) {
    const prev = out[d.subject];
    if (!prev || ORDER.indexOf(d.bump) > ORDER.indexOf(prev)) out[d.subject] = d.bump;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
