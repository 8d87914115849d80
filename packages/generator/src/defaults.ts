import { CLIENT_PREFIX, CLIENT_SCOPE } from "@codespaces-clients/openapi-model";

/**
 * The one defaults object every generated client package is made from: change a value here and
 * every `packages/machines-<version>` changes with it on the next `pnpm generate`.
 */
export const DEFAULTS = {
  /** npm scope and folder/name prefix: `<scope>/<prefix>-<api version>` (`packageNameOf`). */
  scope: CLIENT_SCOPE,
  prefix: CLIENT_PREFIX,
  /** Version of a package the generator creates for the first time (changesets bump it). */
  initialVersion: "0.0.0",
  license: "MIT",
  licenseHolder: "codespaces-clients contributors",
  engines: { node: ">=20" },
  keywords: ["github", "rest", "codespaces", "machines", "openapi", "openapi-fetch", "typed-client"],
  /** Dependency ranges of every client; `workspace:^` becomes a real range when packed. */
  dependencies: { "@codespaces-clients/runtime": "workspace:^" },
  devDependencies: {
    "@arethetypeswrong/cli": "0.18.5",
    "@codespaces-clients/generator": "workspace:*",
    publint: "0.3.25",
    typescript: "5.9.3",
  },
  /** The command that regenerates; named in every header. */
  regenerate: "pnpm generate",
} as const;

/** `machines-2026-03-10`, `@codespaces-clients/machines-2026-03-10`: one naming rule, shared with spec. */
export { packageDirName, packageNameOf } from "@codespaces-clients/openapi-model";

/** Folders this generator owns below `packages/`: only these can be created or removed. */
export const GENERATED_PACKAGE_DIR = new RegExp(`^${DEFAULTS.prefix}-\\d{4}-\\d{2}-\\d{2}$`);
