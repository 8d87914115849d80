/**
 * @codespaces-clients/spec — extract GitHub's Codespaces machines operations (or any x-github
 * category/subcategory, or operationIds) and their `$ref` closure from GitHub's OpenAPI description.
 */
export { SpecError, UsageError, pointerOf } from "./errors.js";
export { parseDescription, type ParsedDescription } from "./parse.js";
export {
  loadSource,
  parseNpmSpec,
  redactUrl,
  redactSecrets,
  findWorkspaceRoot,
  sourceArgument,
  sourceKind,
  pathInside,
  type LoadedSource,
  type LoadOptions,
  type SourceInfo,
} from "./source.js";
export { LIMITS } from "./limits.js";
export { ENV, checkEnvironment } from "./env.js";
export {
  extractSelection,
  assertOpenApi3,
  resolveLocalRef,
  type ExtractResult,
  type SelectedOperation,
} from "./extract.js";
export { assertDepth } from "./kept-copy.js";
export { describeSelection, DEFAULT_SELECTION, parseSelectArgument, type Selection } from "./selection.js";
export { asParsedInPlace, stringifyOrdered, parseJsonOrdered } from "./json-order.js";
export { toJsonSchema, type NullableEnumMode, type ToJsonSchemaOptions } from "./json-schema.js";
export { validateStructure, validateExamples, type Finding } from "./validate.js";
export { createExampleChecker, type ExampleCheck, type ExampleError } from "./example-check.js";
export { buildSlice, provenanceOf, type Provenance, type SliceResult, type SliceOptions } from "./pipeline.js";
export {
  readSourcesConfig,
  isRealDate,
  upstreamUrl,
  upstreamPath,
  pickVersions,
  CONFIG_FILE,
  type SourcesConfig,
  type VersionEntry,
} from "./config.js";
export {
  planVersion,
  removeUnlistedVersions,
  slicePaths,
  GENERATED_DIR,
  type PlanOptions,
  type VersionPlan,
} from "./slice-plan.js";
export * from "./diff/index.js";
export { writeFilesAtomically } from "./atomic-write.js";
export { tuneHeapForExtraction } from "./heap-flags.js";
export { asciiPunctuation, typesOf } from "./types-of.js";
export { linearTest, patternProblem } from "./linear-regexp.js";
