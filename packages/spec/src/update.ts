import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import {
  CONFIG_FILE,
  pickVersions,
  readSourcesConfig,
  upstreamPath,
  upstreamUrl,
  type SourcesConfig,
  type VersionEntry,
} from "./config.js";
import { readCurrent, writeFilesAtomically } from "./atomic-write.js";
import { buildSlice, countComponents, provenanceOf, type SliceResult } from "./pipeline.js";
import { stringifyOrdered } from "./json-order.js";
import { SpecError } from "./errors.js";
import { pathInside, redactSecrets, type LoadOptions } from "./source.js";

/** Where the committed slices live below `spec/`. */
export const GENERATED_DIR = "generated";

/** Paths of one version's committed slice and its provenance. */
export function slicePaths(specDir: string, version: string): { slice: string; provenance: string } {
  const dir = join(specDir, GENERATED_DIR, version);
  return { slice: join(dir, "openapi.json"), provenance: join(dir, "provenance.json") };
}

export interface UpdateOptions extends LoadOptions {
  readonly specDir: string;
  /** A local folder with the layout of GitHub's rest-api-description repository. */
  readonly mirror?: string;
  readonly versions?: readonly string[];
  readonly log?: (line: string) => void;
}

export interface UpdateResult {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

/**
 * `pnpm spec update`: for every configured API version, fetch GitHub's description at the pinned
 * commit (or read it from a mirror), extract the selection, validate it, and write the slice and
 * its provenance under `spec/generated/<version>/`. Every version is built and checked before any
 * file is written; versions no longer configured are removed.
 */
export async function updateSpec(options: UpdateOptions): Promise<UpdateResult> {
  const print = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => print(redactSecrets(line));
  const specDir = resolve(options.specDir);
  const config = await readSourcesConfig(specDir);
  const entries = pickVersions(config, options.versions ?? [], join(specDir, CONFIG_FILE));
  const files: { path: string; content: string }[] = [];
  for (const entry of entries) files.push(...(await planVersion(config, entry, { ...options, specDir }, log)).files);
  const result: UpdateResult = { written: [], unchanged: [], removed: [] };
  const changed: typeof files = [];
  for (const file of files) {
    const before = await readCurrent(file.path);
    (before === file.content ? result.unchanged : result.written).push(file.path);
    if (before !== file.content) changed.push(file);
  }
  await writeFilesAtomically(changed);
  if (!options.versions?.length) result.removed.push(...(await removeUnlistedVersions(specDir, config)));
  const show = (p: string) => relative(options.cwd ?? process.cwd(), p) || p;
  for (const p of result.written) log(`wrote ${show(p)}`);
  for (const p of result.unchanged) log(`unchanged ${show(p)}`);
  for (const p of result.removed) log(`removed ${show(p)} (no longer in ${CONFIG_FILE})`);
  return result;
}

/** One version's planned update: the fresh slice and the files it would write. */
export interface VersionPlan {
  readonly entry: VersionEntry;
  readonly slice: SliceResult;
  readonly files: readonly { path: string; content: string }[];
}

/**
 * Fetches one version's description (at `ref`, default the pinned commit; or from the mirror; or
 * from `from`, any source `buildSlice` reads), extracts and validates the selection, and returns
 * the slice and provenance it would write. Writes nothing.
 */
export async function planVersion(
  config: SourcesConfig,
  entry: VersionEntry,
  options: Omit<UpdateOptions, "log" | "versions"> & { readonly ref?: string; readonly from?: string },
  log: (line: string) => void,
): Promise<VersionPlan> {
  const specDir = resolve(options.specDir);
  const commit = options.ref ?? entry.commit;
  const path = upstreamPath(config, entry.version);
  const url = upstreamUrl(config, entry, commit);
  const from = options.from ?? (options.mirror ? mirrorPath(options.mirror, path) : url);
  log(`${entry.version}  fetching ${options.from ? from : options.mirror ? `${from} (mirror of ${url})` : url}`);
  const slice = await buildSlice(from, { ...options, selection: config.selection });
  log(`${entry.version}  read ${slice.source.bytes} bytes, sha256 ${slice.source.sha256}`);
  log(
    `${entry.version}  kept ${slice.operations.length} operations (${slice.operations.map((o) => o.operationId).join(", ")}), ${countComponents(slice.components)} components`,
  );
  for (const w of slice.warnings) log(`${entry.version}  warning: ${slice.label}${w.pointer}: ${w.message}`);
  const provenance = provenanceOf(
    slice,
    config.selection,
    {
      ...(options.from
        ? { from: slice.source.from }
        : { from: url, repository: config.upstream.repository, path, commit }),
      ...(options.mirror && !options.from ? { readFrom: `mirror (${basename(resolve(options.mirror))})` } : {}),
    },
    entry.version,
  );
  const target = slicePaths(specDir, entry.version);
  return {
    entry,
    slice,
    files: [
      { path: target.slice, content: slice.text },
      { path: target.provenance, content: stringifyOrdered(provenance) },
    ],
  };
}

/** `path` below the mirror folder; a path that would lead out of it is refused. */
export function mirrorPath(mirror: string, path: string): string {
  const full = pathInside(mirror, path);
  if (!full) throw new SpecError(resolve(mirror), `${JSON.stringify(path)} leads outside the mirror folder`);
  return full;
}

/** Removes `spec/generated/<version>/` folders of versions no longer in the config; returns them. */
export async function removeUnlistedVersions(specDir: string, config: SourcesConfig): Promise<string[]> {
  const root = join(specDir, GENERATED_DIR);
  const keep = new Set(config.versions.map((v) => v.version));
  const removed: string[] = [];
  for (const dir of existsSync(root) ? await readdir(root) : []) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(dir) && !keep.has(dir)) {
      await rm(join(root, dir), { recursive: true, force: true });
      removed.push(join(root, dir));
    }
  }
  return removed;
}
