/**
 * TypeScript types of a slice with openapi-typescript's Node API (`paths`, `components`,
 * `operations`), the types openapi-fetch is made for. The one place these options live: the generator
 * writes each client's `src/generated/types.ts` with it, and `spec update` compiles the old slice's
 * usage against it (`diff/compile-check.ts`). It lives here, not in the generator, because the
 * generator depends on this package and not the reverse.
 */
export async function typesOf(document: Record<string, unknown>): Promise<string> {
  // Imported on demand: openapi-typescript (and the Redocly core it loads) costs ~0.5 s to import,
  // which `extract` and `diff` never need.
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const ast = await openapiTS(document as never, {
    // The slice is self-contained; nothing to fetch, no redocly.yaml to find.
    silent: true,
    // `"a" | "b" | null` for nullable enums: the project's allow-null decision (README).
    enum: false,
    alphabetize: false,
  });
  return astToString(ast);
}
