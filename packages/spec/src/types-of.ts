import { isObject, resolveRef, type Json, type JsonObject } from "@codespaces-clients/openapi-model";
import { DATA_KEYS, NAME_MAPS } from "./extract.js";

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
  const ast = await openapiTS(withoutDanglingDataRefs(document) as never, {
    // The slice is self-contained; nothing to fetch, no redocly.yaml to find.
    silent: true,
    // `"a" | "b" | null` for nullable enums: the project's allow-null decision (README).
    enum: false,
    alphabetize: false,
  });
  return astToString(await withoutOptionalNevers(ast));
}

/**
 * openapi-typescript writes every absent method of a path item and every absent parameter group,
 * request body and response content as an optional `never` member (`put?: never;`, `header?:
 * never;`, `requestBody?: never;`, `content?: never;`): 13,000 of them in the whole API, 15 % of
 * what each consumer's tsc parses of its types. A missing member means the same to every type that
 * reads them (openapi-fetch's and the runtime's), so they are left out; schemas are left as they are.
 */
async function withoutOptionalNevers<N extends import("typescript").Node>(nodes: N[]): Promise<N[]> {
  const { default: ts } = await import("typescript");
  const isOptionalNever = (member: import("typescript").TypeElement) =>
    ts.isPropertySignature(member) && member.questionToken && member.type?.kind === ts.SyntaxKind.NeverKeyword;
  const transformer: import("typescript").TransformerFactory<N> = (context) => {
    const visit = (node: import("typescript").Node): import("typescript").Node => {
      if (ts.isInterfaceDeclaration(node)) {
        // The `schemas` of `components` are the API's own types: an optional `never` there is meant.
        const inComponents = node.name.text === "components";
        return context.factory.updateInterfaceDeclaration(
          node,
          node.modifiers,
          node.name,
          node.typeParameters,
          node.heritageClauses,
          node.members
            .filter((m) => inComponents || !isOptionalNever(m))
            .map((m) =>
              inComponents && ts.isPropertySignature(m) && ts.isIdentifier(m.name) && m.name.text === "schemas"
                ? m
                : (ts.visitNode(m, visit) as import("typescript").TypeElement),
            ),
        );
      }
      if (ts.isTypeLiteralNode(node))
        return context.factory.updateTypeLiteralNode(
          node,
          context.factory.createNodeArray(
            node.members
              .filter((m) => !isOptionalNever(m))
              .map((m) => ts.visitNode(m, visit) as import("typescript").TypeElement),
          ),
        );
      return ts.visitEachChild(node, visit, context);
    };
    return (root) => ts.visitNode(root, visit) as N;
  };
  const result = ts.transform(nodes, [transformer]);
  const transformed = result.transformed;
  result.dispose();
  return transformed;
}

/**
 * Data (`example`, `value`, `default`, `enum`, `const`, `x-*`, JSON Schema `examples`) may hold a
 * `$ref` that OpenAPI treats as data: GitHub's description has 25, e.g. media-type example values
 * naming another example, and one schema `example`. The extractor copies data verbatim and does not
 * follow such a `$ref` (`DATA_KEYS`), so in a slice it can dangle; openapi-typescript's bundler
 * (Redocly) resolves every `$ref` it meets and refuses the whole slice. Types never come from those
 * values, so openapi-typescript gets a copy without each data value that holds a dangling `$ref` (a
 * schema `example` with one is also left out of the JSDoc, where it would be wrong). A document
 * without any is passed as it is, so the machines packages' types do not change.
 */
export function withoutDanglingDataRefs(document: Record<string, unknown>): Record<string, unknown> {
  const found: (string | number)[][] = [];
  const path: (string | number)[] = [];
  const dangles = (value: Json): boolean => {
    if (Array.isArray(value)) return value.some(dangles);
    if (!isObject(value)) return false;
    if (Object.hasOwn(value, "$ref") && typeof value.$ref === "string") {
      try {
        resolveRef(document, value.$ref);
      } catch {
        return true;
      }
    }
    return Object.values(value).some(dangles);
  };
  // The extractor's walk (extract.ts): keys of a name map are names; elsewhere these keys are data.
  const walk = (node: Json, inNameMap: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        path.push(index);
        walk(child, false);
        path.pop();
      });
      return;
    }
    if (!isObject(node)) return;
    for (const key of Object.keys(node)) {
      const child = (node as JsonObject)[key];
      path.push(key);
      if (!inNameMap && (key.startsWith("x-") || DATA_KEYS.has(key) || (key === "examples" && Array.isArray(child)))) {
        if (dangles(child)) found.push([...path]);
      } else walk(child, !inNameMap && NAME_MAPS.has(key) && !Array.isArray(child));
      path.pop();
    }
  };
  walk(document, false);
  if (!found.length) return document;
  const copy = structuredClone(document);
  for (const at of found) {
    let parent: Json = copy;
    for (const segment of at.slice(0, -1)) parent = (parent as Record<string | number, Json>)[segment];
    delete (parent as Record<string | number, Json>)[at.at(-1)!];
  }
  return copy;
}
