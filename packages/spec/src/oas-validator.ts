/**
 * The official OpenAPI schema validator (@seriousme/openapi-schema-validator), run from the modules the
 * build precompiles (scripts/precompile-oas-schemas.mjs) when they match the installed library.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";

export type StructureResult = { valid: boolean; errors?: ErrorObject[] | string };
type StructureValidator = {
  /** The document against its OAS version's schema; `$ref`s are the caller's to check (validate.ts). */
  validate: (d: Record<string, unknown>) => Promise<StructureResult>;
};

/** OAS versions that scripts/precompile-oas-schemas.mjs compiles to dist/oas-schemas/v<version>.js. */
const PRECOMPILED_VERSIONS = ["3.0", "3.1", "3.2"] as const;

let validatorReady: Promise<StructureValidator> | undefined;

/**
 * Loads the OpenAPI validator once.
 *
 * Compiling the OAS 3.0 schema with Ajv costs ~90 ms and importing the library's entry (two Ajv
 * flavours and a YAML parser) ~20 ms more, so the build precompiles the schemas into Ajv standalone
 * modules. Kept because the bench shows it is needed for the ≤ 2× JSON.parse floor target of the
 * machines extraction (bench/RESULTS.md: without it +0.43 s CPU, 2.8× the floor). This validator runs
 * those modules exactly as the library's `Validator#validate` runs its compiled schema (same Ajv class,
 * options and formats), and hands every other case to the library itself: a document it would read as
 * Swagger 2.0, a version without a module, or modules missing (dist/ built by plain `tsc`) or built from
 * other library or Ajv versions. The library's `$ref` check (`checkRefs`) is not run after a module:
 * `validateStructure` checks the references with the project's own resolver (validate.ts).
 */
export function openApiValidator(): Promise<StructureValidator> {
  validatorReady ??= (async () => {
    const libraryVersion = installedLibraryVersions();
    const loaded = new Map<string, Promise<ValidateFunction | undefined>>();
    const precompiled = (version: string) => {
      if (!loaded.has(version)) loaded.set(version, loadPrecompiled(version, libraryVersion));
      return loaded.get(version)!;
    };
    let library: Promise<StructureValidator> | undefined;
    const fallback = () =>
      (library ??= import("@seriousme/openapi-schema-validator").then(
        ({ Validator }) => new Validator({ allErrors: true }),
      ));
    const validator: StructureValidator = {
      async validate(document) {
        const version = precompiledVersionOf(document);
        const validate = version && (await precompiled(version));
        if (!validate) return (await fallback()).validate(document);
        if (validate(document)) return { valid: true };
        return validate.errors ? { valid: false, errors: validate.errors } : { valid: false };
      },
    };
    return validator;
  })();
  return validatorReady;
}

/** The OAS minor version the library would pick for `document`, when it has a precompiled module. */
function precompiledVersionOf(document: Record<string, unknown>): string | undefined {
  // The library tries "2.0" (the `swagger` field) before the 3.x versions (the `openapi` field).
  if (typeof document.swagger === "string" && document.swagger.startsWith("2.0")) return undefined;
  const openapi = document.openapi;
  return typeof openapi === "string" ? PRECOMPILED_VERSIONS.find((v) => openapi.startsWith(v)) : undefined;
}

/**
 * What a precompiled module must have been built from to be used: the library and the Ajv packages it
 * resolves (the same string scripts/precompile-oas-schemas.mjs writes), or undefined if not installed.
 */
function installedLibraryVersions(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve("@seriousme/openapi-schema-validator/package.json");
    const fromLibrary = createRequire(manifest);
    return [manifest, ...["ajv", "ajv-draft-04", "ajv-formats"].map((p) => fromLibrary.resolve(`${p}/package.json`))]
      .map((path) => {
        const { name, version } = JSON.parse(readFileSync(path, "utf8")) as { name: string; version: string };
        return `${name}@${version}`;
      })
      .join(" ");
  } catch {
    return undefined;
  }
}

async function loadPrecompiled(
  version: string,
  libraryVersion: string | undefined,
): Promise<ValidateFunction | undefined> {
  try {
    const m = (await import(`./oas-schemas/v${version}.js`)) as { default: ValidateFunction; builtFrom: string };
    return libraryVersion !== undefined && m.builtFrom === libraryVersion ? m.default : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw error;
  }
}
