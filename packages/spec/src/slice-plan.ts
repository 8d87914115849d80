/**
 * The files of `spec/generated/<version>/` and how one version's are planned: fetch, extract, validate,
 * render. `pnpm spec update` (update.ts) decides what to write.
 */
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { upstreamPath, upstreamUrl, type SourcesConfig, type VersionEntry } from "./config.js";
import { buildSlice, countComponents, provenanceOf, type SliceResult } from "./pipeline.js";
import { stringifyOrdered } from "./json-order.js";
import { SpecError } from "./errors.js";
import { pathInside, type LoadOptions } from "./source.js";

/** Where the committed slices live below `spec/`. */
export const GENERATED_DIR = "generated";

/** Paths of one version's committed slice and its provenance. */
export function slicePaths(specDir: string, version: string): { slice: string; provenance: string } {
  const dir = join(specDir, GENERATED_DIR, version);
  return { slice: join(dir, "openapi.json"), provenance: join(dir, "provenance.json") };
}

/** Where `planVersion` reads from and writes to. */
export interface PlanOptions extends LoadOptions {
  readonly specDir: string;
  /** A local folder with the layout of GitHub's rest-api-description repository. */
  readonly mirror?: string;
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
  options: PlanOptions & { readonly ref?: string; readonly from?: string },
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
