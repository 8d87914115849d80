import openapiTS, { astToString } from "openapi-typescript";

/**
 * TypeScript types of a slice with openapi-typescript's Node API (`paths`, `components`,
 * `operations`), the types openapi-fetch is made for.
 */
export async function typesOf(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as never, {
    // The slice is self-contained; nothing to fetch, no redocly.yaml to find.
    silent: true,
    // `"a" | "b" | null` for nullable enums: the project's allow-null decision (README).
    enum: false,
    alphabetize: false,
  });
  return astToString(ast);
}
