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
  return astToString(await lighter(ast));
}

/**
 * What every consumer's tsc parses of the types, made smaller without changing what a type means to
 * openapi-fetch or the runtime (a whole-API package's types are 3.7 MB; parse, bind and the garbage
 * collection of their syntax trees are most of a consumer's tsc time). Outside `components`
 * (`schemas` and the other groups are the API's own named types, left as they are):
 * - openapi-typescript writes every absent method of a path item and every absent parameter group,
 *   request body and response content as an optional `never` member (`put?: never;`, `header?:
 *   never;`, `requestBody?: never;`, `content?: never;`): 13,000 of them in the whole API. A missing
 *   member means the same to every type that reads them, so they are left out.
 * - a response's `headers: { [name: string]: unknown }` (no named header) says nothing and nothing
 *   reads it (openapi-fetch and the runtime read `content`): left out, 1,460 of them.
 * - a `components["parameters"]["owner"]` reference is replaced by that parameter's type (`string`):
 *   the same type in 1 node instead of 8, 3,150 times; the parameter's JSDoc is on the member already.
 * - the JSDoc of the methods of `paths` (summary and description) repeats what each client method's
 *   own JSDoc says, 0.8 MB of comments: left out; so is a path item's `parameters` that declares
 *   none (openapi-fetch and the runtime read each operation's own `parameters`).
 * - typographic quotes, dashes, ellipses and arrows in comments become ASCII: one such character
 *   makes tsc hold the whole file as a two-byte string (double the memory).
 */
async function lighter<N extends import("typescript").Node>(nodes: N[]): Promise<N[]> {
  const { default: ts } = await import("typescript");
  type Node = import("typescript").Node;
  type TypeElement = import("typescript").TypeElement;
  const isOptionalNever = (member: TypeElement) =>
    ts.isPropertySignature(member) && member.questionToken && member.type?.kind === ts.SyntaxKind.NeverKeyword;
  const named = (member: TypeElement, name: string) =>
    ts.isPropertySignature(member) &&
    member.name !== undefined &&
    ts.isIdentifier(member.name) &&
    member.name.text === name;
  /** `headers: { [name: string]: unknown }` of a response object (whose other members can only be `content`). */
  const isEmptyHeaders = (member: TypeElement, siblings: readonly TypeElement[]) => {
    if (!named(member, "headers") || !siblings.every((m) => m === member || named(m, "content"))) return false;
    const type = (member as import("typescript").PropertySignature).type;
    return (
      type !== undefined &&
      ts.isTypeLiteralNode(type) &&
      type.members.length === 1 &&
      ts.isIndexSignatureDeclaration(type.members[0]!) &&
      type.members[0].type.kind === ts.SyntaxKind.UnknownKeyword
    );
  };
  /** `components["parameters"]["<name>"]` → `<name>`. */
  const parameterRef = (node: Node): string | undefined => {
    if (!ts.isIndexedAccessTypeNode(node) || !ts.isIndexedAccessTypeNode(node.objectType)) return undefined;
    const { objectType: root, indexType: group } = node.objectType;
    const literal = (n: Node) =>
      ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal) ? n.literal.text : undefined;
    if (!ts.isTypeReferenceNode(root) || !ts.isIdentifier(root.typeName) || root.typeName.text !== "components")
      return undefined;
    return literal(group) === "parameters" ? literal(node.indexType) : undefined;
  };
  const parameterTypes = new Map<string, import("typescript").TypeNode>();
  for (const node of nodes)
    if (ts.isInterfaceDeclaration(node) && node.name.text === "components")
      for (const group of node.members)
        if (named(group, "parameters") && (group as import("typescript").PropertySignature).type) {
          const type = (group as import("typescript").PropertySignature).type!;
          if (ts.isTypeLiteralNode(type))
            for (const p of type.members)
              if (ts.isPropertySignature(p) && p.type && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
                parameterTypes.set(p.name.text, p.type);
        }
  const asciiComments = (node: Node): void => {
    const comments = ts.getSyntheticLeadingComments(node);
    if (comments?.some((c) => c.text !== asciiPunctuation(c.text)))
      ts.setSyntheticLeadingComments(
        node,
        comments.map((c) => ({ ...c, text: asciiPunctuation(c.text) })),
      );
    ts.forEachChild(node, asciiComments);
  };
  // Members left out besides optional `never`s: the empty `parameters` of path items.
  const dropped = new Set<TypeElement>();
  const transformer: import("typescript").TransformerFactory<N> = (context) => {
    const visit = (node: Node): Node => {
      if (ts.isInterfaceDeclaration(node)) {
        // The `schemas` of `components` are the API's own types: an optional `never` there is meant.
        const inComponents = node.name.text === "components";
        if (node.name.text === "paths")
          for (const item of node.members)
            if (ts.isPropertySignature(item) && item.type && ts.isTypeLiteralNode(item.type))
              for (const member of item.type.members) {
                ts.setSyntheticLeadingComments(member, undefined);
                const type = ts.isPropertySignature(member) ? member.type : undefined;
                if (
                  named(member, "parameters") &&
                  type &&
                  ts.isTypeLiteralNode(type) &&
                  type.members.every(isOptionalNever)
                )
                  dropped.add(member);
              }
        return context.factory.updateInterfaceDeclaration(
          node,
          node.modifiers,
          node.name,
          node.typeParameters,
          node.heritageClauses,
          node.members
            .filter((m) => inComponents || !isOptionalNever(m))
            .map((m) => (inComponents && named(m, "schemas") ? m : (ts.visitNode(m, visit) as TypeElement))),
        );
      }
      if (ts.isTypeLiteralNode(node)) {
        const members = node.members.filter((m) => !isOptionalNever(m) && !dropped.has(m));
        return context.factory.updateTypeLiteralNode(
          node,
          context.factory.createNodeArray(
            members.filter((m) => !isEmptyHeaders(m, members)).map((m) => ts.visitNode(m, visit) as TypeElement),
          ),
        );
      }
      const parameter = parameterRef(node);
      if (parameter !== undefined && parameterTypes.has(parameter)) return parameterTypes.get(parameter)!;
      return ts.visitEachChild(node, visit, context);
    };
    return (root) => ts.visitNode(root, visit) as N;
  };
  const result = ts.transform(nodes, [transformer]);
  const transformed = result.transformed;
  result.dispose();
  for (const node of transformed) asciiComments(node);
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

/**
 * Typographic quotes, dashes, ellipses and arrows as ASCII, for comments in declaration files: one
 * such character makes every consumer's tsc hold the whole file as a two-byte string (double the
 * memory). Used here for the types and by the generator for its JSDoc.
 */
export const asciiPunctuation = (text: string): string =>
  text.replace(
    /[‘’“”–—…→]/g,
    (c) => ({ "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "→": "->" })[c]!,
  );
