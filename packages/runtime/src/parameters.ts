import type { OperationDescriptor } from "./operation-types.js";

/** The `TypeError` for a name an operation does not take, listing the names it does. */
export function noParameter(op: OperationDescriptor, name: string): TypeError {
  const takes = [
    ...op.pathParams,
    ...op.queryParams,
    ...(op.headerParams ?? []),
    ...(op.body ? (op.body.fields ?? ["data"]) : []),
  ];
  return new TypeError(
    `${op.operationId} has no parameter "${name}" (it takes: ${takes.join(", ")}); call options go in the second argument`,
  );
}
