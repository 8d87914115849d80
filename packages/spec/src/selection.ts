/** Which operations a slice keeps, and the `--select` argument that names them. */
import { isObject, type JsonObject } from "@codespaces-clients/openapi-model";
import { UsageError } from "./errors.js";

/** Which operations to keep: by `x-github` category/subcategory, or by operationId. */
export interface Selection {
  readonly category?: string;
  readonly subcategory?: string;
  readonly operationIds?: readonly string[];
}

/** Category/subcategory of the machines endpoints, the project's default selection. */
export const DEFAULT_SELECTION: Selection = { category: "codespaces", subcategory: "machines" };

/** Describes a selection for messages. */
export function describeSelection(selection: Selection): string {
  if (selection.operationIds?.length) return `operationIds ${selection.operationIds.join(", ")}`;
  return `x-github ${selection.category ?? "*"}/${selection.subcategory ?? "*"}`;
}

/** The selection a `--select <category>[/<subcategory>]` argument names. */
export function parseSelectArgument(select: string): Selection {
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
  if (wanted) return typeof operation.operationId === "string" && wanted.has(operation.operationId);
  const xg = operation["x-github"];
  if (!isObject(xg)) return false;
  return (
    (selection.category === undefined || xg.category === selection.category) &&
    (selection.subcategory === undefined || xg.subcategory === selection.subcategory)
  );
}
