import {
  follow,
  HTTP_METHODS,
  type HttpMethod,
  isObject as isObj,
  pointerOf,
  RefError,
} from "@codespaces-clients/openapi-model";
import { SpecError } from "@codespaces-clients/spec";
import { checkMethodName, methodNameOf } from "./method-name.js";

/** One row of a generated operation table (the runtime's `OperationDescriptor`). */
export interface OperationRow {
  readonly name: string;
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly summary: string;
  /** The operation's `description` (Markdown), for the method's JSDoc. */
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly docsUrl?: string;
  /** Documented response statuses, in source order. */
  readonly statuses: readonly string[];
}

type Obj = Record<string, unknown>;

function deref(document: Obj, node: unknown, where: string): unknown {
  try {
    return follow(document, node).node;
  } catch (error) {
    if (error instanceof RefError) throw new SpecError(where, error.message);
    throw error;
  }
}

/** Derives the operation table from a slice: names, paths, path/query parameters, statuses. */
export function operationsOf(document: Obj, where: string): OperationRow[] {
  const rows: OperationRow[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Obj)) {
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const operationId = String(op.operationId ?? "");
      if (!operationId) throw new SpecError(where, "operation has no operationId", pointerOf(["paths", path, method]));
      const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map(
        (p) => deref(document, p, where) as Obj,
      );
      const byIn = (kind: string) => [...new Set(params.filter((p) => p.in === kind).map((p) => String(p.name)))];
      const externalDocs =
        isObj(op.externalDocs) && typeof op.externalDocs.url === "string" ? op.externalDocs.url : undefined;
      rows.push({
        name: methodNameOf(operationId),
        operationId,
        method,
        path,
        pathParams: byIn("path"),
        queryParams: byIn("query"),
        summary: String(op.summary ?? operationId),
        ...(typeof op.description === "string" && op.description.trim() ? { description: op.description.trim() } : {}),
        ...(op.deprecated === true ? { deprecated: true } : {}),
        ...(externalDocs ? { docsUrl: externalDocs } : {}),
        statuses: Object.keys(isObj(op.responses) ? op.responses : {}),
      });
    }
  }
  const seen = new Map<string, string>();
  for (const row of rows) {
    checkMethodName(row.name, row.operationId, where);
    const other = seen.get(row.name);
    if (other)
      throw new SpecError(where, `operationIds ${other} and ${row.operationId} both become method ${row.name}`);
    seen.set(row.name, row.operationId);
  }
  return rows;
}
