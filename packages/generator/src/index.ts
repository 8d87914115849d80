/** @codespaces-clients/generator — spec/ → one client package per GitHub REST API version. */
export {
  generateAll,
  generateSlice,
  GENERATOR,
  type GenerateOptions,
  type GenerateResult,
  type SliceOptions,
} from "./generate.js";
export { methodNameOf } from "./method-name.js";
export { operationsOf, type OperationRow } from "./operations.js";
export { responseSchemasOf } from "./response-schemas.js";
export { renderPackage, headerText, type PackageInput } from "./package-template.js";
export { typesOf } from "./types.js";
export { DEFAULTS, packageNameOf, packageDirName } from "./defaults.js";
export { syncClientDependents, DEPENDS_ON_ALL_CLIENTS } from "./client-dependents.js";
