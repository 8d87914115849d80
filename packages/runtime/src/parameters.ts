import type { OperationDescriptor } from "./operation-types.js";

/**
 * The `TypeError` for a name an operation does not take, listing the names it does: its path and
 * query parameters, then `more` (header parameters and body fields, which only `shapes` knows).
 */
export function noParameter(op: OperationDescriptor, name: string, more: string[] = []): TypeError {
  return new TypeError(
    `${op.operationId} has no parameter "${name}" (it takes: ${[...op.pathParams, ...op.queryParams, ...more].join(", ")}); call options go in the second argument`,
  );
}
