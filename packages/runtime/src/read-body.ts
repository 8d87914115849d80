import type { ResponseBodyKind } from "./operation-types.js";

/**
 * Reads a successful answer the way its operation's description says: `text` as a string,
 * `binary` as an `ArrayBuffer`, `none` (204, or a documented answer without content) as
 * `undefined`, its body discarded. JSON (the default) is read by the pipeline's parser.
 */
export async function readBody(response: Response, kind: ResponseBodyKind): Promise<unknown> {
  if (kind === "text") return response.text();
  if (kind === "binary") return response.arrayBuffer();
  await response.body?.cancel();
  return undefined;
}
