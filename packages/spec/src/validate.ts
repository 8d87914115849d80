import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { pointerOf } from "./errors.js";
import { follow, isObject, parseRef, RefError } from "@codespaces-clients/openapi-model";
import { DATA_KEYS, NAME_MAPS, resolveLocalRef } from "./extract.js";
import { getKey, setOwn } from "./json-order.js";
import { toJsonSchema, type NullableEnumMode } from "./json-schema.js";
import { linearRegExp, patternProblem } from "./linear-regexp.js";

/** One finding, with the JSON pointer it is about. */
export interface Finding {
  readonly pointer: string;
  readonly message: string;
}

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Structural validation of a slice against the official OpenAPI JSON Schema for its version
 * (OAS 3.0 / 3.1 schemas published by the OpenAPI Initiative), with @seriousme/openapi-schema-validator.
 * Returns errors; an empty list means valid. Redocly's `struct` rule is the cross-check in tests.
 */
export async function validateStructure(document: Record<string, unknown>): Promise<Finding[]> {
  const validator = await openApiValidator();
  const result = await validator.validate(withoutDataRefs(document) as Record<string, unknown>);
  if (result.valid) return [];
  if (typeof result.errors === "string") return [{ pointer: "#", message: result.errors }];
  return (result.errors ?? []).map((e) => ({
    pointer: `#${e.instancePath}`,
    message: `${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`,
  }));
}

/**
 * The validator follows every `$ref` key it meets, also where `$ref` is not a reference: a schema
 * property named `$ref`, or a `$ref` key inside example/default/enum data. Those are renamed in a
 * copy (the OAS schema allows any name and any data there, so validity is unchanged); real
 * references — in the same places the extractor follows them — are kept.
 */
function withoutDataRefs(node: unknown, inNameMap = false, inData = false): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutDataRefs(n, false, inData));
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    const name = (inNameMap || inData) && key === "$ref" ? "$ref (not a reference)" : key;
    if (inData) setOwn(out, name, withoutDataRefs(child, false, true));
    else if (inNameMap) setOwn(out, name, withoutDataRefs(child, false, false));
    else if (key.startsWith("x-") || DATA_KEYS.has(key) || (key === "examples" && Array.isArray(child)))
      setOwn(out, name, withoutDataRefs(child, false, true));
    else setOwn(out, name, withoutDataRefs(child, NAME_MAPS.has(key) && !Array.isArray(child), false));
  }
  return out;
}

type StructureResult = { valid: boolean; errors?: ErrorObject[] | string };
type StructureValidator = { validate: (d: Record<string, unknown>) => Promise<StructureResult> };

const LIBRARY_RESOLVE = "@seriousme/openapi-schema-validator/resolve.js";
/** OAS versions that scripts/precompile-oas-schemas.mjs compiles to dist/oas-schemas/v<version>.js. */
const PRECOMPILED_VERSIONS = ["3.0", "3.1", "3.2"] as const;

let validatorReady: Promise<StructureValidator> | undefined;

/**
 * Loads the OpenAPI validator once (callers may warm it up early).
 *
 * Compiling the OAS 3.0 schema with Ajv costs ~90 ms and importing the library's entry (two Ajv
 * flavours and a YAML parser) ~20 ms more, so the build precompiles the schemas into Ajv standalone
 * modules. This validator runs those modules exactly as the library's `Validator#validate` runs its
 * compiled schema (same Ajv class, options and formats; then the library's own `checkRefs`), and hands
 * every other case to the library itself: a document it would read as Swagger 2.0, a version without a
 * module, or modules missing (dist/ built by plain `tsc`) or built from other library or Ajv versions.
 */
export function openApiValidator(): Promise<StructureValidator> {
  validatorReady ??= (async () => {
    const libraryVersion = installedLibraryVersions();
    const loaded = new Map<string, Promise<ValidateFunction | undefined>>();
    const precompiled = (version: string) => {
      if (!loaded.has(version)) loaded.set(version, loadPrecompiled(version, libraryVersion));
      return loaded.get(version)!;
    };
    let library: Promise<StructureValidator> | undefined;
    const fallback = () =>
      (library ??= import("@seriousme/openapi-schema-validator").then(
        ({ Validator }) => new Validator({ allErrors: true }),
      ));
    // The `$ref` check the library's `validate` runs once the schema passes (an untyped module, hence the
    // specifier in a variable and the annotation).
    const checkRefs = import(LIBRARY_RESOLVE).then(
      (m: { checkRefs: (tree: Record<string, unknown>) => StructureResult }) => m.checkRefs,
    );
    const validator: StructureValidator = {
      async validate(document) {
        const version = precompiledVersionOf(document);
        const validate = version && (await precompiled(version));
        if (!validate) return (await fallback()).validate(document);
        if (validate(document)) return (await checkRefs)(document);
        return validate.errors ? { valid: false, errors: validate.errors } : { valid: false };
      },
    };
    // Warm up for GitHub's descriptions (OAS 3.0.x): loads the module (or, without it, compiles the schema
    // in the library) and runs the code paths once.
    await validator.validate({ openapi: "3.0.3", info: { title: "warm-up", version: "0" }, paths: {} });
    return validator;
  })();
  return validatorReady;
}

/** The OAS minor version the library would pick for `document`, when it has a precompiled module. */
function precompiledVersionOf(document: Record<string, unknown>): string | undefined {
  // The library tries "2.0" (the `swagger` field) before the 3.x versions (the `openapi` field).
  if (typeof document.swagger === "string" && document.swagger.startsWith("2.0")) return undefined;
  const openapi = document.openapi;
  return typeof openapi === "string" ? PRECOMPILED_VERSIONS.find((v) => openapi.startsWith(v)) : undefined;
}

/**
 * What a precompiled module must have been built from to be used: the library and the Ajv packages it
 * resolves (the same string scripts/precompile-oas-schemas.mjs writes), or undefined if not installed.
 */
function installedLibraryVersions(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve("@seriousme/openapi-schema-validator/package.json");
    const fromLibrary = createRequire(manifest);
    return [manifest, ...["ajv", "ajv-draft-04", "ajv-formats"].map((p) => fromLibrary.resolve(`${p}/package.json`))]
      .map((path) => {
        const { name, version } = JSON.parse(readFileSync(path, "utf8")) as { name: string; version: string };
        return `${name}@${version}`;
      })
      .join(" ");
  } catch {
    return undefined;
  }
}

async function loadPrecompiled(
  version: string,
  libraryVersion: string | undefined,
): Promise<ValidateFunction | undefined> {
  try {
    const m = (await import(`./oas-schemas/v${version}.js`)) as { default: ValidateFunction; builtFrom: string };
    return libraryVersion !== undefined && m.builtFrom === libraryVersion ? m.default : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw error;
  }
}

/** The Ajv configuration of the example checks; schema `pattern`s run in linear time (`linear-regexp.ts`). */
function newExampleAjv(): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    logger: false,
    validateFormats: true,
    ownProperties: true,
    code: { regExp: linearRegExp },
  });
  addFormats(ajv);
  return ajv;
}

let spareAjv: Ajv | undefined;

/**
 * Readies the Ajv instance that the next `createSchemaValidator` call takes. Its first `addSchema`
 * compiles Ajv's meta-schema (to validate the added schema), ~10-20 ms of cold code generation that the
 * validation worker does here, while the main thread is still parsing, instead of after it.
 */
export function prepareSchemaValidator(): void {
  spareAjv = newExampleAjv();
  spareAjv.validateSchema({}); // compiles the meta-schema; the instance's later answers are unchanged
}

const COMPONENTS_ID = "https://codespaces-clients.invalid/components.json";
const REF_BASE = "https://codespaces-clients.invalid/ref/";

/**
 * Builds an Ajv instance that knows every `#/components/schemas/*` of `document`, and any other schema a
 * `$ref` names inside the document (`#/components/parameters/p/schema`, which OAS allows and which Ajv,
 * given the schema alone, could not resolve).
 */
export function createSchemaValidator(
  document: Record<string, unknown>,
  nullableEnum: NullableEnumMode = "allow-null",
) {
  const ajv = spareAjv ?? newExampleAjv();
  spareAjv = undefined; // one instance per document, as before
  const schemas =
    isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  const added = new Set<string>();
  const rewriteRef = (ref: string): string => {
    if (ref.startsWith("#/components/schemas/")) {
      return `${COMPONENTS_ID}#/definitions/${ref.slice("#/components/schemas/".length)}`;
    }
    if (!ref.startsWith("#")) return ref;
    const id = `${REF_BASE}${encodeURIComponent(ref.slice(1))}`;
    if (!added.has(id)) {
      added.add(id); // before converting: the target may refer back to itself
      const target = resolveLocalRef(document, ref);
      ajv.addSchema(
        (isObject(target) || typeof target === "boolean"
          ? toJsonSchema(target, { nullableEnum, rewriteRef })
          : {}) as object,
        id,
      );
    }
    return id;
  };
  const definitions = Object.fromEntries(
    Object.entries(schemas).map(([k, v]) => [k, toJsonSchema(v, { nullableEnum, rewriteRef })]),
  );
  ajv.addSchema({ $id: COMPONENTS_ID, definitions });
  const cache = new WeakMap<object, ValidateFunction>();
  return (schema: unknown): ValidateFunction => {
    if (isObject(schema) && cache.has(schema)) return cache.get(schema)!;
    const compiled = ajv.compile(toJsonSchema(schema, { nullableEnum, rewriteRef }) as object);
    if (isObject(schema)) cache.set(schema, compiled);
    return compiled;
  };
}

/**
 * Validates every example in the slice against its schema: media-type `example`/`examples`
 * (following `#/components/examples` refs), parameter examples, and schema-level `example`s.
 * Mismatches are warnings (GitHub's own examples have defects); each names the example's pointer.
 */
export function validateExamples(
  document: Record<string, unknown>,
  nullableEnum: NullableEnumMode = "allow-null",
): Finding[] {
  const compile = createSchemaValidator(document, nullableEnum);
  const findings = new Map<string, Finding>();
  const report = (valuePointer: string, schemaPointer: string, errors: ErrorObject[] | null | undefined) => {
    for (const e of errors ?? []) {
      const pointer = `${valuePointer}${e.instancePath}`;
      const message = `example does not match schema ${schemaPointer}: ${e.message ?? e.keyword}${e.keyword === "enum" ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})` : ""}`;
      findings.set(`${pointer} ${message}`, { pointer, message });
    }
  };
  const deref = (node: unknown, at: (string | number)[]): { node: unknown; at: (string | number)[] } => {
    try {
      const { node: target, ref } = follow(document, node, getKey);
      return { node: target, at: ref === undefined ? at : parseRef(ref) };
    } catch (error) {
      if (error instanceof RefError) return { node: undefined, at }; // extraction has refused it already
      throw error;
    }
  };
  const check = (value: unknown, valueAt: (string | number)[], schema: unknown, schemaAt: (string | number)[]) => {
    if (schema === undefined) return;
    let validate: ValidateFunction;
    try {
      validate = compile(schema);
    } catch (error) {
      // A schema Ajv cannot compile is not the example's fault: say so once, where the example is.
      const pointer = pointerOf(valueAt);
      const message = `example not checked: schema ${pointerOf(schemaAt)} cannot be compiled (${(error as Error).message.split("\n")[0]})`;
      findings.set(`${pointer} ${message}`, { pointer, message });
      return;
    }
    if (!validate(value)) report(pointerOf(valueAt), pointerOf(schemaAt), validate.errors);
  };
  const checkMediaType = (media: unknown, at: (string | number)[]) => {
    if (!isObject(media)) return;
    const schema = media.schema;
    if ("example" in media) check(media.example, [...at, "example"], schema, [...at, "schema"]);
    if (isObject(media.examples)) {
      for (const [name, ex] of Object.entries(media.examples)) {
        const { node, at: exAt } = deref(ex, [...at, "examples", name]);
        if (isObject(node) && "value" in node) check(node.value, [...exAt, "value"], schema, [...at, "schema"]);
      }
    }
  };
  const checkParameter = (param: unknown, at: (string | number)[]) => {
    const { node, at: pAt } = deref(param, at);
    checkMediaType(node, pAt); // a Parameter Object carries schema/example/examples like a Media Type Object
  };
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isObject(op)) continue;
      const opAt = ["paths", path, method];
      if (Array.isArray(op.parameters))
        for (const [i, p] of op.parameters.entries()) checkParameter(p, [...opAt, "parameters", i]);
      if (isObject(op.requestBody)) {
        const { node, at } = deref(op.requestBody, [...opAt, "requestBody"]);
        if (isObject(node) && isObject(node.content))
          for (const [mt, media] of Object.entries(node.content)) checkMediaType(media, [...at, "content", mt]);
      }
      if (isObject(op.responses)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const { node, at } = deref(response, [...opAt, "responses", status]);
          if (isObject(node) && isObject(node.content))
            for (const [mt, media] of Object.entries(node.content)) checkMediaType(media, [...at, "content", mt]);
        }
      }
    }
  }
  // Schema-level `example`s, validated against the schema they sit in.
  const walkSchema = (schema: unknown, at: (string | number)[]) => {
    if (Array.isArray(schema)) {
      for (const [i, s] of schema.entries()) walkSchema(s, [...at, i]);
      return;
    }
    if (!isObject(schema) || typeof schema.$ref === "string") return;
    if ("example" in schema) check(schema.example, [...at, "example"], schema, at);
    for (const key of ["properties", "patternProperties"]) {
      if (isObject(schema[key])) for (const [k, v] of Object.entries(schema[key])) walkSchema(v, [...at, key, k]);
    }
    for (const key of ["items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"])
      if (key in schema) walkSchema(schema[key], [...at, key]);
  };
  const schemas =
    isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) walkSchema(schema, ["components", "schemas", name]);
  return [...patternFindings(document), ...findings.values()];
}

/**
 * Every schema `pattern` (and `patternProperties` name) that the linear-time engine cannot run, as a
 * warning naming its pointer: examples are not checked against it. Data (`example`, `default`, `enum`,
 * extensions) is not searched.
 */
function patternFindings(document: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const warn = (pattern: string, at: (string | number)[]) => {
    const problem = patternProblem(pattern);
    if (problem !== undefined) {
      findings.push({
        pointer: pointerOf(at),
        message: `pattern ${JSON.stringify(pattern)} cannot be checked in linear time (${problem}); examples are not checked against it`,
      });
    }
  };
  const stack: { node: unknown; at: (string | number)[]; inNameMap: boolean }[] = [
    { node: document, at: [], inNameMap: false },
  ];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, at, inNameMap } = top;
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) stack.push({ node: child, at: [...at, i], inNameMap: false });
      continue;
    }
    if (!isObject(node)) continue;
    for (const [key, child] of Object.entries(node)) {
      if (inNameMap) {
        stack.push({ node: child, at: [...at, key], inNameMap: false });
        continue;
      }
      if (key.startsWith("x-") || DATA_KEYS.has(key) || (key === "examples" && Array.isArray(child))) continue;
      if (key === "pattern" && typeof child === "string") warn(child, [...at, key]);
      if (key === "patternProperties" && isObject(child))
        for (const name of Object.keys(child)) warn(name, [...at, key, name]);
      stack.push({ node: child, at: [...at, key], inNameMap: NAME_MAPS.has(key) && !Array.isArray(child) });
    }
  }
  return findings.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
