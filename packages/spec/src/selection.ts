/** Which operations a slice keeps, and the `--select` argument that names them. */
import { isObject, type JsonObject } from "@codespaces-clients/openapi-model";
import { UsageError } from "./errors.js";

/**
 * Which operations to keep: every operation (`all`), by `x-github` category/subcategory, or by
 * operationId. `all` is never combined with the others (the CLI and sources.json refuse that).
 */
export interface Selection {
  readonly all?: true;
  readonly category?: string;
  readonly subcategory?: string;
  readonly operationIds?: readonly string[];
}

/** Category/subcategory of the machines endpoints, the project's default selection. */
export const DEFAULT_SELECTION: Selection = { category: "codespaces", subcategory: "machines" };

/** Every operation of the description, with or without `x-github` (`--all-operations`). */
export const ALL_OPERATIONS: Selection = { all: true };

/** Describes a selection for messages. */
export function describeSelection(selection: Selection): string {
  if (selection.all) return "all operations";
  if (selection.operationIds?.length) return `operationIds ${selection.operationIds.join(", ")}`;
  return `x-github ${selection.category ?? "*"}/${selection.subcategory ?? "*"}`;
}

/**
 * The selection a `--select <category>[/<subcategory>]` argument names. Names are literal: a glob such
 * as `*` or `codespaces/*` is refused (every operation is `--all-operations`; a whole category is
 * `--select <category>`), so that no pattern is read as a category that matches nothing.
 */
export function parseSelectArgument(select: string): Selection {
  if (/[*?[\]{}]/.test(select)) {
    throw new UsageError(
      `--select takes a literal <category> or <category>/<subcategory>, not the pattern ${JSON.stringify(select)}: use --all-operations for every operation, --select <category> for a whole category`,
    );
  }
  const [category, subcategory, extra] = select.split("/");
  if (!category || extra !== undefined) throw new UsageError("--select takes <category> or <category>/<subcategory>");
  return subcategory ? { category, subcategory } : { category };
}

/** Whether an operation is selected (`wanted`: the operationIds, when the selection names them). */
export function matchesSelection(
  operation: JsonObject,
  wanted: Set<string> | undefined,
  selection: Selection,
): boolean {
  if (selection.all) return true;
  if (wanted) return typeof operation.operationId === "string" && wanted.has(operation.operationId);
  const xg = operation["x-github"];
  if (!isObject(xg)) return false;
  return (
    (selection.category === undefined || xg.category === selection.category) &&
    (selection.subcategory === undefined || xg.subcategory === selection.subcategory)
  );
}
