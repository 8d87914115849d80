import { readFileSync } from "node:fs";
import { packageDirName } from "@codespaces-clients/openapi-model";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./spec-catalog.js";

/** operationId → status → JSON Schema (the package's `./schemas` entry). */
export type ResponseSchemas = Record<string, Record<string, unknown>>;

/** One row of a generated package's `operations` table. */
export interface OperationEntry {
  operationId: string;
  method: string;
  path: string;
  pathParams: readonly string[];
  queryParams: readonly string[];
  /** The request body, when the operation takes one: `fields` are the top-level `params` names it takes. */
  body?: { mediaType?: string; fields?: readonly string[] };
  /** The server the description puts the operation on, when not the API's (`https://uploads.github.com`). */
  server?: string;
}

/** An operation method: `(params, options?)` (client API v2). */
type AnyMethod = (params?: Record<string, unknown>, options?: Record<string, unknown>) => Promise<unknown>;

/** What the suite uses of a generated `@codespaces-clients/machines-<version>` package. */
export interface ClientModule {
  API_VERSION: string;
  operations: Record<string, OperationEntry>;
  createClient(options?: Record<string, unknown>): Record<string, AnyMethod>;
  GitHubApiError: new (...args: never[]) => Error & { status: number; documentation_url?: string };
}

/** A loaded client package of one API version. */
export interface LoadedClient {
  packageDir: string;
  client: ClientModule;
  schemas: ResponseSchemas;
}

/** The folder of the generated package of `version` (no dependency entry needed). */
export const packageDir = (version: string, root = repoRoot()): string =>
  join(root, "packages", packageDirName(version));

/**
 * Imports the built package in `dir` through its own `exports` map (`.` and `./schemas`), so a
 * new API version needs no edit here. Run `pnpm turbo run build` first.
 */
export async function loadClientPackage(dir: string): Promise<LoadedClient> {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    exports: Record<string, { default: string }>;
  };
  const entry = (key: string) => {
    const target = manifest.exports[key]?.default;
    if (!target) throw new Error(`${dir}/package.json: no exports["${key}"].default`);
    return pathToFileURL(join(dir, target)).href;
  };
  let client: ClientModule;
  let schemas: { responseSchemas: ResponseSchemas };
  try {
    client = (await import(entry("."))) as ClientModule;
    schemas = (await import(entry("./schemas"))) as { responseSchemas: ResponseSchemas };
  } catch (error) {
    throw new Error(
      `${dir}: cannot import the built package (run \`pnpm turbo run build\`): ${(error as Error).message}`,
    );
  }
  return { packageDir: dir, client, schemas: schemas.responseSchemas };
}
