import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SpecError } from "./errors.js";
import type { Selection } from "./selection.js";

/** One GitHub REST API version, pinned to an upstream commit. */
export interface VersionEntry {
  readonly version: string;
  readonly commit: string;
}

/** `spec/sources.json`: the single list of API versions and the selection. */
export interface SourcesConfig {
  readonly upstream: {
    readonly repository: string;
    /** URL base; `{commit}` is replaced by the version's pinned commit. */
    readonly baseUrl: string;
    /** Path below the base (and below a mirror); `{version}` is replaced. */
    readonly path: string;
  };
  readonly selection: Selection;
  readonly versions: readonly VersionEntry[];
  /** Choices for `pnpm spec update`'s bump classification (see `diff/rules.ts`). */
  readonly semver?: { readonly responseEnumAddition?: "minor" | "major" };
}

const CONFIG_SCHEMA = {
  type: "object",
  required: ["upstream", "selection", "versions"],
  properties: {
    $comment: { type: "string" },
    upstream: {
      type: "object",
      required: ["repository", "baseUrl", "path"],
      additionalProperties: false,
      properties: {
        // owner/name, neither of them `.` or `..` (the name goes into api.github.com URLs).
        repository: { type: "string", pattern: "^(?!\\.\\.?/)[\\w.-]+/(?!\\.\\.?$)[\\w.-]+$" },
        baseUrl: { type: "string", pattern: "^https?://.*\\{commit\\}.*/$" },
        // A relative path that names `{version}`; its segments are checked by `checkRelativePath`.
        path: { type: "string", pattern: "\\{version\\}" },
      },
    },
    selection: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      properties: {
        all: { const: true },
        category: { type: "string", minLength: 1 },
        subcategory: { type: "string", minLength: 1 },
        operationIds: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, uniqueItems: true },
      },
    },
    semver: {
      type: "object",
      additionalProperties: false,
      properties: { responseEnumAddition: { enum: ["minor", "major"] } },
    },
    versions: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["version", "commit"],
        additionalProperties: false,
        properties: {
          version: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
          commit: { type: "string", pattern: "^[0-9a-f]{40}$" },
        },
      },
    },
  },
  additionalProperties: false,
} as const;

export const CONFIG_FILE = "sources.json";

/** Reads and validates `<specDir>/sources.json`; errors name the file and the JSON pointer. */
export async function readSourcesConfig(specDir: string): Promise<SourcesConfig> {
  const file = join(specDir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SpecError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SpecError(file, `is not valid JSON (${(error as Error).message})`);
  }
  // Imported on demand: the CLI loads this module for every command, and Ajv costs ~20 ms to import,
  // which `extract` (it never reads sources.json) would otherwise pay on its critical path.
  const { Ajv } = await import("ajv");
  const validate = new Ajv({ allErrors: false }).compile(CONFIG_SCHEMA);
  if (!validate(value)) {
    const e = validate.errors![0]!;
    throw new SpecError(file, e.message ?? "is invalid", `#${e.instancePath}`);
  }
  const config = value as unknown as SourcesConfig;
  checkRelativePath(config.upstream.path, file, "#/upstream/path");
  if (config.selection.all && Object.keys(config.selection).length > 1) {
    throw new SpecError(file, '"all": true selects every operation: give it without other keys', "#/selection");
  }
  const seen = new Set<string>();
  config.versions.forEach((v, i) => {
    if (!isRealDate(v.version))
      throw new SpecError(file, `version ${v.version} is not a real date (YYYY-MM-DD)`, `#/versions/${i}/version`);
    if (seen.has(v.version))
      throw new SpecError(file, `version ${v.version} is listed twice`, `#/versions/${i}/version`);
    seen.add(v.version);
  });
  return config;
}

/** `2022-11-28` yes; `2022-13-45` and `2023-02-29` no. */
export function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A path below a root (a mirror, a URL base): relative, `/`-separated, no empty, `.` or `..` segment,
 * no backslash and no `%` (a URL would decode `%2e%2e` into `..`). `upstream.path` with `../` once
 * passed the check and read outside the mirror.
 */
function checkRelativePath(path: string, file: string, pointer: string): void {
  const segments = path.split("/");
  if (path.includes("\\") || path.includes("%") || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new SpecError(
      file,
      `${JSON.stringify(path)} must be a relative path without empty, '.' or '..' segments, backslashes or '%'`,
      pointer,
    );
  }
}

/** The upstream URL of a version's description at its pinned commit (or at `ref`). */
export function upstreamUrl(config: SourcesConfig, entry: VersionEntry, ref = entry.commit): string {
  return config.upstream.baseUrl.replace("{commit}", ref) + upstreamPath(config, entry.version);
}

/** The path of a version's description inside the upstream repository (and inside a mirror). */
export function upstreamPath(config: SourcesConfig, version: string): string {
  return config.upstream.path.replace("{version}", version);
}

/** Picks versions by name; an unknown name is an error that lists the known ones. */
export function pickVersions(config: SourcesConfig, names: readonly string[], file: string): VersionEntry[] {
  if (!names.length) return [...config.versions];
  return names.map((name) => {
    const entry = config.versions.find((v) => v.version === name);
    if (!entry)
      throw new SpecError(
        file,
        `unknown API version ${name} (known: ${config.versions.map((v) => v.version).join(", ")})`,
        "#/versions",
      );
    return entry;
  });
}
