import type { OperationDescriptor } from "./operation-types.js";

/** The parts of an openapi-fetch request init that one `params` object of an operation call becomes. */
export interface RequestParts {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
  body?: unknown;
  /** Set for non-JSON bodies: sent as given (a string, `Blob`, `ArrayBuffer`, …), not JSON-encoded. */
  bodySerializer?: (body: unknown) => unknown;
}

/**
 * Splits the one `params` object of an operation call into path, query, header and body by the
 * operation's descriptor. Body fields sit at the top level when the descriptor lists them
 * (`body.fields`); any other body (an array, a string, binary, or an object with a field named
 * like a parameter) is `params.data`. A name the operation does not take is a `TypeError`.
 */
export function requestParts(op: OperationDescriptor, params: Record<string, unknown> = {}): RequestParts {
  const { body: spec, headerParams = [] } = op;
  const fields = spec?.fields;
  const parts: RequestParts = { params: { path: {}, query: {}, header: {} } };
  const body: Record<string, unknown> = {};
  let hasFields = false;
  for (const name in params) {
    const value = params[name];
    if (op.pathParams.includes(name)) parts.params.path[name] = value;
    else if (op.queryParams.includes(name)) parts.params.query[name] = value;
    else if (headerParams.includes(name)) parts.params.header[name] = value;
    else if (fields?.includes(name)) {
      body[name] = value;
      hasFields = true;
    } else if (spec && !fields && name === "data") parts.body = value;
    else {
      const takes = [...op.pathParams, ...op.queryParams, ...headerParams, ...(spec ? (fields ?? ["data"]) : [])];
      throw new TypeError(
        `${op.operationId} has no parameter "${name}" (it takes: ${takes.join(", ")}); call options go in the second argument`,
      );
    }
  }
  if (hasFields || (fields && spec.required)) parts.body = body;
  if (spec && parts.body !== undefined && !/json/i.test(spec.mediaType)) {
    parts.params.header["content-type"] = spec.mediaType;
    parts.bodySerializer = (value) => value;
  }
  return parts;
}
