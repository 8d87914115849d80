import { readFileSync } from "node:fs";

/** A semver bump of a client package. */
export type Bump = "major" | "minor" | "patch";

/** What `spec/sources.json` may select (see packages/spec/src/config.ts). */
export interface SelectionSpec {
  readonly category?: string;
  readonly subcategory?: string;
  readonly operationIds?: readonly string[];
  /** Why this selection: one line for the reader. */
  readonly why: string;
}

/** One replayed pair of consecutive published versions of `@octokit/openapi`. */
export interface ExpectedPair {
  readonly from: string;
  readonly to: string;
  /** A key of `selections`. */
  readonly selection: string;
  /** The client package's bump, decided by reading the diff. */
  readonly bump: Bump;
  /** Why, in a sentence, from the diff. */
  readonly reason: string;
  /** The bump per operationId (and `document`), as a reader classifies each; unlisted = unchanged. */
  readonly changes: Readonly<Record<string, Bump>>;
  /** For a major: what a consumer written against `from` hits (substrings of tsc's output). */
  readonly consumerBreaks?: readonly string[];
}

export interface ExpectedBumps {
  readonly apiVersion: string;
  readonly selections: Readonly<Record<string, SelectionSpec>>;
  readonly pairs: readonly ExpectedPair[];
}

const BUMPS: ReadonlySet<unknown> = new Set<Bump>(["major", "minor", "patch"]);
const VERSION = /^\d+\.\d+\.\d+$/;

/** Reads and shape-checks the table; throws naming the file and the entry. */
export function loadExpectedBumps(file: string): ExpectedBumps {
  const table = JSON.parse(readFileSync(file, "utf8")) as ExpectedBumps;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(table.apiVersion ?? "")) throw new Error(`${file}: apiVersion must be YYYY-MM-DD`);
  for (const [name, s] of Object.entries(table.selections ?? {})) {
    const byIds = Array.isArray(s.operationIds) && s.operationIds.length > 0;
    if (byIds === Boolean(s.category) || (s.subcategory && !s.category))
      throw new Error(`${file}: selections.${name} needs operationIds, or category [+ subcategory]`);
    if (!s.why || s.why.includes("\n")) throw new Error(`${file}: selections.${name} needs a one-line why`);
  }
  if (!Array.isArray(table.pairs) || table.pairs.length === 0) throw new Error(`${file}: pairs must not be empty`);
  for (const [i, p] of table.pairs.entries()) {
    const where = `${file}: pairs[${i}] (${p.from} → ${p.to})`;
    if (!VERSION.test(p.from) || !VERSION.test(p.to) || compareVersions(p.from, p.to) >= 0)
      throw new Error(`${where}: from and to must be x.y.z with from < to`);
    if (!table.selections[p.selection]) throw new Error(`${where}: unknown selection ${JSON.stringify(p.selection)}`);
    if (!BUMPS.has(p.bump)) throw new Error(`${where}: bump must be major, minor or patch`);
    if (!p.reason || p.reason.includes("\n")) throw new Error(`${where}: needs a one-line reason`);
    const listed: Bump[] = Object.values(p.changes ?? {});
    if (!listed.length || listed.some((b) => !BUMPS.has(b)))
      throw new Error(`${where}: changes must map operationIds (or document) to bumps`);
    if (maxBump(listed) !== p.bump)
      throw new Error(`${where}: bump ${p.bump} is not the largest of changes (${maxBump(listed)})`);
    if (p.consumerBreaks && p.bump !== "major") throw new Error(`${where}: consumerBreaks only for a major`);
  }
  return table;
}

/** Order of plain x.y.z versions. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

const ORDER: readonly Bump[] = ["patch", "minor", "major"];

/** The largest bump of a list. */
export function maxBump(bumps: readonly Bump[]): Bump | undefined {
  return bumps.reduce<Bump | undefined>((a, b) => (!a || ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), undefined);
}

/** `changeset version`'s arithmetic for one bump (semver §7–8; a major on 0.x goes to 1.0.0). */
export function bumpVersion(version: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
