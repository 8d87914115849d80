import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { readSourcesConfig, slicePaths, SpecError, writeFilesAtomically } from "@codespaces-clients/spec";
import { syncClientDependents } from "./client-dependents.js";
import { GENERATED_PACKAGE_DIR, DEFAULTS, packageDirName, packageNameOf } from "./defaults.js";
import { operationsOf, type OperationRow } from "./operations.js";
import { renderPackage, typeNameOf, type PackageInput } from "./package-template.js";
import { responseSchemasOf } from "./response-schemas.js";
import { typesOf } from "./types.js";

export interface GenerateOptions {
  /** Repository root (the folder with `spec/` and `packages/`). */
  readonly root: string;
  readonly log?: (line: string) => void;
  /** Run `pnpm install` when packages were created or removed (default true). */
  readonly install?: boolean;
}

export interface GenerateResult {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

const versionOf = (path: string): string => (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;

/** `@codespaces-clients/generator@x.y.z`. */
export const GENERATOR = `@codespaces-clients/generator@${versionOf(new URL("../package.json", import.meta.url).pathname)}`;
const OPENAPI_TYPESCRIPT = versionOf(createRequire(import.meta.url).resolve("openapi-typescript/package.json"));

/** `components.schemas` keys with their title and first description paragraph, for the exported type names. */
function schemasOf(document: Record<string, unknown>): PackageInput["schemas"] {
  const schemas = (document.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {};
  return Object.entries(schemas).map(([key, schema]) => {
    const { title, description } = (schema ?? {}) as { title?: unknown; description?: unknown };
    return {
      key,
      ...(typeof title === "string" ? { title } : {}),
      ...(typeof description === "string" && description.trim()
        ? { description: description.trim().split(/\n\s*\n/)[0] }
        : {}),
    };
  });
}

/** Renders one package from a slice into `dir`: only changed files are written; stale generated files go. */
async function writePackage(
  root: string,
  dir: string,
  result: GenerateResult,
  from: {
    operations?: OperationRow[];
    apiVersion: string;
    document: Record<string, unknown>;
    bytes: Buffer;
    slicePath: string;
    provenance: PackageInput["provenance"];
    slice?: PackageInput["slice"];
  },
): Promise<void> {
  const { document, slicePath } = from;
  const pkgJson = join(dir, "package.json");
  const files = renderPackage({
    apiVersion: from.apiVersion,
    version: existsSync(pkgJson) ? versionOf(pkgJson) : DEFAULTS.initialVersion,
    operations: from.operations ?? operationsOf(document, slicePath),
    slicePath,
    sliceSha256: createHash("sha256").update(from.bytes).digest("hex"),
    provenance: from.provenance,
    generator: GENERATOR,
    openapiTypescript: OPENAPI_TYPESCRIPT,
    types: await typesOf(document).catch((error: Error) => {
      // openapi-typescript (Redocly) throws plain errors with a trace: one line naming the slice.
      throw new SpecError(slicePath, `openapi-typescript cannot make its types: ${error.message}`);
    }),
    responseSchemas: responseSchemasOf(document),
    schemas: schemasOf(document),
    ...(from.slice ? { slice: from.slice } : {}),
  });
  const changed: { path: string; content: string }[] = [];
  for (const [file, content] of Object.entries(files)) {
    const path = join(dir, file);
    const before = await readFile(path, "utf8").catch(() => undefined);
    if (before === content) result.unchanged.push(relative(root, path));
    else {
      changed.push({ path, content });
      result.written.push(relative(root, path));
    }
  }
  await writeFilesAtomically(changed);
  // Files the generator made earlier but no longer makes.
  const generatedDir = join(dir, "src", "generated");
  for (const name of existsSync(generatedDir) ? await readdir(generatedDir) : []) {
    if (!files[`src/generated/${name}`]) {
      await rm(join(generatedDir, name), { recursive: true, force: true });
      result.removed.push(relative(root, join(generatedDir, name)));
    }
  }
}

/** What `pnpm generate --slice` is given. */
export interface SliceOptions {
  /** The repository root (its `tsconfig.base.json` and `packages/runtime` are used). */
  readonly root: string;
  /** An OpenAPI 3 document with the selected operations (e.g. from `pnpm spec extract`). */
  readonly slice: string;
  readonly apiVersion: string;
  /** npm package name of the client. */
  readonly name: string;
  /** The package folder to write (created if missing). */
  readonly out: string;
  /** Leave out (and name) the operations the runtime cannot call instead of failing. */
  readonly skipUnsupported?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * `pnpm generate --slice <openapi.json> --api-version <v> --name <package> --out <dir>`: a complete
 * client package from any slice, outside the configured ones. Inside `packages/` it is a workspace
 * package (`workspace:^` runtime); elsewhere it depends on the runtime's published range.
 */
export async function generateSlice(options: SliceOptions): Promise<GenerateResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { root, apiVersion, name } = options;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(apiVersion))
    throw new SpecError("--api-version", `${JSON.stringify(apiVersion)} is not a GitHub API version (YYYY-MM-DD)`);
  if (!/^(@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/.test(name) || name.length > 214)
    throw new SpecError("--name", `${JSON.stringify(name)} is not an npm package name`);
  const slicePath = relative(root, options.slice) || options.slice;
  let bytes: Buffer;
  try {
    bytes = await readFile(options.slice);
  } catch (error) {
    throw new SpecError(
      options.slice,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new SpecError(options.slice, `is not JSON (${(error as Error).message})`);
  }
  if (typeof document?.openapi !== "string" || !document.openapi.startsWith("3.") || typeof document.paths !== "object")
    throw new SpecError(options.slice, "is not an OpenAPI 3 document with paths");
  const ops = operationsOf(
    document,
    slicePath,
    options.skipUnsupported ? { skipUnsupported: (line) => log(`skipped: ${line}`) } : {},
  );
  if (!ops.length) throw new SpecError(options.slice, "has no operations");
  const categories = [...new Set(ops.map((o) => o.operationId.split("/")[0]))];
  // `@scope/codespaces-2022-11-28` → `CodespacesClient`: the API version is in the package, not the type.
  const base = name.slice(name.lastIndexOf("/") + 1).replace(/-\d{4}-\d{2}-\d{2}$/, "");
  const inWorkspace = !relative(join(root, "packages"), options.out).startsWith("..");
  const runtimeVersion = versionOf(join(root, "packages", "runtime", "package.json"));
  const tsconfigBase = JSON.parse(await readFile(join(root, "tsconfig.base.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
  };
  const result: GenerateResult = { written: [], unchanged: [], removed: [] };
  await writePackage(root, options.out, result, {
    operations: ops,
    apiVersion,
    document,
    bytes,
    slicePath,
    provenance: { from: slicePath, sha256: createHash("sha256").update(bytes).digest("hex") },
    slice: {
      name,
      title: `GitHub's ${categories.join(", ")} REST endpoints`,
      clientName: `${typeNameOf(base).replace(/Client$/, "")}Client`,
      regenerate: `pnpm generate --slice ${slicePath} --api-version ${apiVersion} --name ${name} --out ${relative(root, options.out) || "."}`,
      runtime: inWorkspace ? "workspace:^" : `^${runtimeVersion}`,
      ...(inWorkspace ? {} : { compilerOptions: tsconfigBase.compilerOptions }),
    },
  });
  for (const p of result.written) log(`wrote ${p}`);
  log(
    `generate: ${name} (${ops.length} operation(s)), ${result.written.length} file(s) written, ${result.unchanged.length} unchanged`,
  );
  return result;
}

/**
 * `pnpm generate`: one client package per API version listed in `spec/sources.json`, from the
 * committed slices only (no network). Packages of versions no longer listed are removed.
 */
export async function generateAll(options: GenerateOptions): Promise<GenerateResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { root } = options;
  const specDir = join(root, "spec");
  const config = await readSourcesConfig(specDir);
  const result: GenerateResult = { written: [], unchanged: [], removed: [] };
  const wanted = new Set(config.versions.map((v) => packageDirName(v.version)));
  let packagesChanged = false;

  // Every slice must be there before any package is written, so a missing one changes nothing.
  for (const { version: apiVersion } of config.versions) {
    const { slice } = slicePaths(specDir, apiVersion);
    if (!existsSync(slice))
      throw new SpecError(relative(root, slice), `is missing for API version ${apiVersion}: run \`pnpm spec update\``);
  }

  for (const { version: apiVersion } of config.versions) {
    const paths = slicePaths(specDir, apiVersion);
    const slicePath = relative(root, paths.slice);
    const bytes = await readFile(paths.slice);
    let document: Record<string, unknown>;
    let provenance: { source: { from: string; sha256: string; repository?: string; commit?: string } };
    try {
      document = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
      provenance = JSON.parse(await readFile(paths.provenance, "utf8")) as typeof provenance;
    } catch (error) {
      throw new SpecError(
        slicePath,
        `cannot be read as JSON with its provenance.json (${(error as Error).message}): run \`pnpm spec update\``,
      );
    }
    const dir = join(root, "packages", packageDirName(apiVersion));
    if (!existsSync(dir)) packagesChanged = true;
    await writePackage(root, dir, result, { apiVersion, document, bytes, slicePath, provenance: provenance.source });
  }

  for (const name of await readdir(join(root, "packages"))) {
    if (!GENERATED_PACKAGE_DIR.test(name) || wanted.has(name)) continue;
    const pkgJson = join(root, "packages", name, "package.json");
    const marker = existsSync(pkgJson)
      ? (JSON.parse(await readFile(pkgJson, "utf8")) as { "//"?: string })["//"]
      : undefined;
    if (!marker?.startsWith("Generated by ")) {
      throw new SpecError(
        relative(root, join(root, "packages", name)),
        "looks like a client package but has no generated marker; remove it by hand if it is stale",
      );
    }
    await rm(join(root, "packages", name), { recursive: true, force: true });
    result.removed.push(relative(root, join(root, "packages", name)));
    packagesChanged = true;
  }

  for (const path of await syncClientDependents(
    root,
    config.versions.map((v) => packageNameOf(v.version)),
  )) {
    result.written.push(relative(root, path));
    packagesChanged = true; // the workspace's dependency graph changed: relink
  }

  for (const p of result.written) log(`wrote ${p}`);
  for (const p of result.removed) log(`removed ${p}`);
  log(
    `generate: ${config.versions.length} package(s), ${result.written.length} file(s) written, ${result.unchanged.length} unchanged, ${result.removed.length} removed`,
  );

  if (packagesChanged && options.install !== false) {
    // A new or removed workspace package needs linking before it can build.
    const pnpm = process.env.npm_execpath;
    if (pnpm && /pnpm/.test(pnpm)) {
      log("generate: packages were added or removed; running pnpm install");
      execFileSync(process.execPath, [pnpm, "install", "--prefer-offline", "--no-frozen-lockfile"], {
        cwd: root,
        stdio: "inherit",
      });
    } else log("generate: packages were added or removed; run `pnpm install` to link them");
  }
  return result;
}
