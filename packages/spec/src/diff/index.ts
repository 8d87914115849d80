/**
 * Classifying changes between two OpenAPI descriptions as semver bumps of the client packages,
 * and the `pnpm spec update` / `pnpm spec diff` flows built on it.
 */
export { RULES, bumpOf, maxBump, DEFAULT_SEMVER, type Bump, type RuleId, type SemverSettings } from "./rules.js";
export { diffDescriptions, type Change, type DiffLabels, type DiffResult, type OperationRef } from "./compare.js";
export { formatChange, formatDiff, formatSummary, diffToJson, operationLabel } from "./report.js";
export { parseChangelog, crossCheckChangelog, type ChangelogEntry, type ChangelogCheck } from "./changelog.js";
export { renderChangeset, specUpdateChangeset, initialReleaseChangeset, changesetFileName } from "./changeset.js";
export {
  runSpecUpdate,
  DriftError,
  type SpecUpdateOptions,
  type SpecUpdateResult,
  type VersionOutcome,
} from "../update.js";
export { pinCommit, resolveRef } from "../pins.js";
export { clientPackageName, repositoryOf } from "./workspace.js";
export { checkWithCompiler, type CompileVerdict } from "./compile-check.js";
export { CompileCheckError } from "../errors.js";
export { usageOf, type Usage } from "./usage.js";
