/**
 * `spec extract`'s core: the selected operations and the transitive `$ref` closure of the components
 * they use (`RefClosure`). Copies and depth checks are in kept-copy.ts, the selection in selection.ts.
 * About 300 lines: the closure walk is one algorithm over one state.
 */
import { isHttpMethod, isObject, parseRef, RefError, resolveRef, valueAt } from "@codespaces-clients/openapi-model";
import { SpecError, pointerOf } from "./errors.js";
import { getKey, unmarkKey } from "./json-order.js";
import { checkDepth, copyKept, DROPPED_EXTENSIONS, newObject } from "./kept-copy.js";
import { describeSelection, matchesSelection, type Selection } from "./selection.js";

type Json = unknown;
type JsonObject = Record<string, Json>;

/**
 * The node a local `$ref` names in a document of this package (integer-like keys marked, see
 * json-order.ts), one hop, by @codespaces-clients/openapi-model's rules; throws its `RefError`.
 */
export const resolveLocalRef = (document: Json, ref: string): Json => resolveRef(document, ref, getKey);

export interface SelectedOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
}

export interface ExtractResult {
  /** The slice, in memory (integer-like keys marked; serialise with `stringifyOrdered`). */
  readonly document: JsonObject;
  readonly operations: readonly SelectedOperation[];
  /** Kept component names per section, in source order. */
  readonly components: Readonly<Record<string, readonly string[]>>;
}

/** Top-level keys a slice keeps; everything else (`x-webhooks`, `webhooks`, extensions) is dropped. */
const TOP_LEVEL = [
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "security",
  "tags",
  "externalDocs",
  "paths",
  "components",
];
/** Keys whose values are maps from names to objects: their keys are names, never keywords. */
export const NAME_MAPS: ReadonlySet<string> = new Set([
  "properties",
  "patternProperties",
  "responses",
  "content",
  "headers",
  "examples",
  "links",
  "callbacks",
  "encoding",
  "variables",
  "$defs",
  "definitions",
  "schemas",
  "parameters",
  "requestBodies",
  "securitySchemes",
  "pathItems",
  "dependentSchemas",
]);
/** Keys whose values are data (instances), where a `$ref` key is just data. */
export const DATA_KEYS: ReadonlySet<string> = new Set(["example", "default", "enum", "const", "value"]);

/** Checks that `document` is OpenAPI 3.x, failing with a pointer to what is wrong. */
export function assertOpenApi3(document: JsonObject, where: string): void {
  const version = document.openapi;
  if (typeof version === "number") {
    throw new SpecError(
      where,
      `is not OpenAPI 3.x ("openapi" is the number ${version}; a 3.x description has a version string such as "3.0.3")`,
      "#/openapi",
    );
  }
  if (typeof version !== "string") {
    if (typeof document.swagger === "string" || typeof document.swagger === "number") {
      throw new SpecError(where, `is Swagger ${document.swagger}, not OpenAPI 3.x`, "#/swagger");
    }
    throw new SpecError(where, 'is not an OpenAPI 3.x description (no string field "openapi")', "#/openapi");
  }
  if (!/^3\.\d+\.\d+/.test(version)) {
    throw new SpecError(where, `is OpenAPI ${version}; only 3.x is supported`, "#/openapi");
  }
  if (!isObject(document.paths)) {
    throw new SpecError(where, "has no paths object", "#/paths");
  }
}

/**
 * Extracts the selected operations and the transitive `$ref` closure of the components they use
 * (schemas, parameters, responses, examples, headers, requestBodies, securitySchemes, …). Upstream
 * content is kept verbatim, in source key order, except `x-octokit` keys, which are dropped.
 */
export function extractSelection(document: JsonObject, selection: Selection, where: string): ExtractResult {
  assertOpenApi3(document, where);
  const paths = document.paths as JsonObject;
  const wanted = selection.operationIds?.length ? new Set(selection.operationIds) : undefined;
  const operations: SelectedOperation[] = [];
  const outPaths = newObject();
  const keptPaths: { key: string; item: JsonObject }[] = [];

  for (const [pathKey, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const kept = newObject();
    let any = false;
    for (const [key, value] of Object.entries(item)) {
      if (!isHttpMethod(key)) continue;
      if (!isObject(value) || !matchesSelection(value, wanted, selection)) continue;
      operations.push({ operationId: String(value.operationId ?? `${key} ${pathKey}`), method: key, path: pathKey });
      any = true;
    }
    if (!any) continue;
    for (const [key, value] of Object.entries(item)) {
      if (isHttpMethod(key)) {
        if (isObject(value) && matchesSelection(value, wanted, selection)) kept[key] = value;
      } else if (!DROPPED_EXTENSIONS.has(key)) {
        kept[key] = value;
      }
    }
    keptPaths.push({ key: pathKey, item: kept });
  }

  if (wanted) {
    const found = new Set(operations.map((o) => o.operationId));
    const missing = [...wanted].filter((id) => !found.has(id));
    if (missing.length) throw new SpecError(where, `no operation has operationId ${missing.join(", ")}`, "#/paths");
  }
  if (operations.length === 0) {
    throw new SpecError(where, `selection ${describeSelection(selection)} matched no operation`, "#/paths");
  }

  const closure = new RefClosure(document, where, new Set(keptPaths.map((p) => p.key)));
  for (const { key, item } of keptPaths) {
    closure.walk(item, ["paths", key], false);
    outPaths[key] = copyKept(item, ["paths", key], where);
  }
  if (Array.isArray(document.security)) closure.collectSecurity(document.security);
  closure.finish();

  const components = closure.components();
  const out = newObject();
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL.includes(key)) continue;
    if (key === "paths") out.paths = outPaths;
    else if (key === "components") {
      if (Object.keys(components.document).length) out.components = components.document;
    } else if (key === "tags") {
      if (!Array.isArray(document.tags)) {
        out.tags = copyKept(document.tags, ["tags"], where);
        continue;
      }
      const used = new Set(
        keptPaths.flatMap(({ item }) =>
          Object.values(item).flatMap((op) => (isObject(op) && Array.isArray(op.tags) ? op.tags : [])),
        ),
      );
      const tags = document.tags.filter((t) => isObject(t) && used.has(t.name));
      if (tags.length) out.tags = copyKept(tags, ["tags"], where);
    } else out[key] = copyKept(document[key], [key], where);
  }
  if (!out.paths) out.paths = outPaths;
  return { document: out, operations, components: components.names };
}

/**
 * Walks kept content, following internal `$ref`s into `#/components/<section>/<name>`. Components are
 * walked from a work list, not by recursion, so a chain of 100,000 `$ref`s costs no stack; recursion
 * only follows the nesting of one node, which `LIMITS.maxDepth` bounds.
 */
class RefClosure {
  private readonly kept = new Map<string, Set<string>>();
  private readonly securityNames = new Set<string>();
  private readonly pending: [section: string, name: string][] = [];

  constructor(
    private readonly document: JsonObject,
    private readonly where: string,
    private readonly keptPathKeys: ReadonlySet<string>,
  ) {}

  /**
   * `at` is the pointer of `node`, as one array that the walk extends and shortens as it goes (a copy per
   * node was most of the walk's allocation); a pointer is written out only for an error.
   */
  walk(node: Json, at: (string | number)[], inNameMap: boolean): void {
    if (Array.isArray(node)) {
      checkDepth(at, this.where);
      for (let i = 0; i < node.length; i++) {
        at.push(i);
        this.walk(node[i], at, false);
        at.pop();
      }
      return;
    }
    if (!isObject(node)) return;
    checkDepth(at, this.where);
    if (!inNameMap && Object.hasOwn(node, "$ref") && typeof node.$ref === "string") {
      at.push("$ref");
      this.follow(node.$ref, at);
      at.pop();
    }
    for (const rawKey in node) {
      const child = node[rawKey];
      const key = unmarkKey(rawKey);
      if (inNameMap) {
        at.push(key);
        this.walk(child, at, false);
        at.pop();
        continue;
      }
      if (key.startsWith("x-") || DATA_KEYS.has(key)) {
        if (typeof child === "object" && child !== null && !DROPPED_EXTENSIONS.has(key)) this.keepDataTargets(child);
        continue;
      }
      if (key === "security" && Array.isArray(child)) {
        this.collectSecurity(child);
        continue;
      }
      if (key === "discriminator" && isObject(child) && Object.hasOwn(child, "mapping") && isObject(child.mapping)) {
        for (const [name, target] of Object.entries(child.mapping)) {
          if (typeof target !== "string") continue;
          at.push(key, "mapping", unmarkKey(name));
          this.mapping(target, at);
          at.length -= 3;
        }
        continue;
      }
      if (key === "examples" && Array.isArray(child)) {
        this.keepDataTargets(child); // JSON Schema `examples`: data
        continue;
      }
      at.push(key);
      this.walk(child, at, NAME_MAPS.has(key) && !Array.isArray(child));
      at.pop();
    }
  }

  collectSecurity(requirements: Json[]): void {
    for (const requirement of requirements) {
      if (!isObject(requirement)) continue;
      for (const name of Object.keys(requirement)) {
        const scheme = unmarkKey(name);
        if (this.securityNames.has(scheme)) continue;
        this.securityNames.add(scheme);
        const schemes = this.section("securitySchemes");
        if (schemes && getKey(schemes, scheme) !== undefined) this.keep("securitySchemes", scheme);
      }
    }
  }

  /** Walks every component kept so far, and those they keep in turn. */
  finish(): void {
    for (let next = this.pending.pop(); next; next = this.pending.pop()) {
      const [section, name] = next;
      this.walk(getKey(this.section(section)!, name), ["components", section, name], false);
    }
  }

  /** `#/components/<section>` when it is an object. */
  private section(section: string): JsonObject | undefined {
    const components = getKey(this.document, "components");
    const entries = isObject(components) ? getKey(components, section) : undefined;
    return isObject(entries) ? entries : undefined;
  }

  /**
   * A `discriminator.mapping` value (OAS 3.0.3 §4.7.25): a local reference, or the name of a schema in
   * `#/components/schemas`. Anything else is a reference into another document, which a slice cannot
   * keep: refused like an external `$ref` (once it was kept silently, dangling).
   */
  private mapping(target: string, at: readonly (string | number)[]): void {
    if (target.startsWith("#")) {
      this.follow(target, at);
      return;
    }
    const schemas = this.section("schemas");
    if (/^[A-Za-z0-9._-]+$/.test(target) && schemas && getKey(schemas, target) !== undefined) {
      this.keep("schemas", target);
      return;
    }
    throw new SpecError(
      this.where,
      `discriminator mapping "${target}" is neither a local reference (#/…) nor the name of a schema in #/components/schemas; a slice cannot keep references into other documents (bundle the description first)`,
      pointerOf(at),
    );
  }

  /**
   * Keeps the component a `$ref` inside data names (an example, a default, an extension's value), when
   * it names one. In OpenAPI such a `$ref` is data, not a reference, but GitHub's description has
   * them (`"value": { "$ref": "#/components/examples/issue" }`, 24 in @octokit/openapi 23.0.2), and
   * tools that resolve every `$ref` in a document, Prism among them, refuse to load a slice where one
   * dangles, as they load the source. Nothing else happens: one that names nothing, or something
   * outside the components, stays data, as it is in the source; it is never an error; one inside a
   * dropped extension (`x-octokit`) is not read. A work list: data of any depth costs no stack
   * (copyKept checks its depth afterwards).
   */
  private keepDataTargets(data: object): void {
    const stack: unknown[] = [data];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (Array.isArray(node)) {
        for (const child of node) if (typeof child === "object" && child !== null) stack.push(child);
        continue;
      }
      if (typeof node !== "object" || node === null) continue;
      const ref = (node as JsonObject).$ref;
      if (typeof ref === "string" && Object.hasOwn(node, "$ref") && ref.startsWith("#/components/")) {
        try {
          const segments = parseRef(ref);
          if (
            segments.length >= 3 &&
            this.section(segments[1]!) &&
            valueAt(this.document, segments, getKey) !== undefined
          )
            this.keep(segments[1]!, segments[2]!);
        } catch (error) {
          if (!(error instanceof RefError)) throw error; // not a pointer: data
        }
      }
      for (const key in node) {
        const child = (node as JsonObject)[key];
        if (typeof child === "object" && child !== null && !DROPPED_EXTENSIONS.has(key)) stack.push(child);
      }
    }
  }

  private follow(ref: string, at: readonly (string | number)[]): void {
    let segments: string[];
    try {
      segments = parseRef(ref);
      if (valueAt(this.document, segments, getKey) === undefined) throw new RefError(ref, "missing");
    } catch (error) {
      if (error instanceof RefError) throw new SpecError(this.where, error.message, pointerOf(at));
      throw error;
    }
    if (segments[0] === "components" && segments.length >= 3) {
      if (!this.section(segments[1]!)) {
        throw new SpecError(
          this.where,
          `$ref "${ref}" points into #/components/${segments[1]}, which is not a map of named components`,
          pointerOf(at),
        );
      }
      this.keep(segments[1]!, segments[2]!);
      return;
    }
    if (segments[0] === "paths" && segments[1] !== undefined && this.keptPathKeys.has(segments[1])) return;
    throw new SpecError(
      this.where,
      `$ref "${ref}" points outside #/components and the selected paths, which a slice cannot keep`,
      pointerOf(at),
    );
  }

  private keep(section: string, name: string): void {
    let names = this.kept.get(section);
    if (!names) this.kept.set(section, (names = new Set()));
    if (names.has(name)) return; // cycles end here
    names.add(name);
    this.pending.push([section, name]);
  }

  /** The kept components, sections and names in source order. */
  components(): { document: JsonObject; names: Record<string, string[]> } {
    const source = getKey(this.document, "components");
    const document = newObject();
    const names = newObject() as Record<string, string[]>;
    for (const [section, entries] of Object.entries(isObject(source) ? source : {})) {
      const kept = this.kept.get(unmarkKey(section));
      if (!kept || !isObject(entries)) continue;
      const out = newObject();
      for (const [rawName, value] of Object.entries(entries)) {
        if (kept.has(unmarkKey(rawName)))
          out[rawName] = copyKept(value, ["components", unmarkKey(section), unmarkKey(rawName)], this.where);
      }
      document[section] = out;
      names[unmarkKey(section)] = Object.keys(out).map(unmarkKey);
    }
    return { document, names };
  }
}
