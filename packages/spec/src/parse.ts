import { isUtf8 } from "node:buffer";
import type { Node as YamlNode, Document as YamlDocument } from "yaml";
import { SpecError } from "./errors.js";
import { containsMark, markKey, parseJsonBytesOrdered, parseJsonOrdered } from "./json-order.js";

/** A parsed description with its in-memory (key-order-preserving) object. */
export interface ParsedDescription {
  readonly document: Record<string, unknown>;
  readonly format: "json" | "yaml";
}

/**
 * Parses a description given as JSON or YAML bytes. JSON is tried when the first non-blank
 * character is `{`; anything else is read as YAML (a superset of JSON). Errors name `where`.
 */
export async function parseDescription(bytes: Uint8Array, where: string): Promise<ParsedDescription> {
  // Valid JSON objects (GitHub's case) take a faster route to the same value; anything else, including
  // every input that fails, goes the general way below, which words the errors.
  const fast = parseJsonBytesOrdered(bytes);
  if (fast) return { document: fast, format: "json" };
  if (bytes.length === 0) throw new SpecError(where, "is empty");
  if (!isUtf8(bytes)) throw new SpecError(where, "is not valid UTF-8 text");
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new SpecError(where, "is empty");
  if (containsMark(text)) {
    throw new SpecError(where, "contains U+E000, which the extractor reserves to keep key order");
  }
  const first = text.trimStart()[0];
  let value: unknown;
  let format: "json" | "yaml";
  if (first === "{" || first === "[") {
    format = "json";
    try {
      value = parseJsonOrdered(text);
    } catch (error) {
      const reason = (error as Error).message;
      throw new SpecError(where, `is not valid JSON (${/end of (JSON )?input/i.test(reason) ? `truncated: ${reason}` : reason})`);
    }
  } else {
    format = "yaml";
    value = await parseYaml(text, where);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SpecError(where, `is ${format.toUpperCase()} but not an object, so not an OpenAPI description`);
  }
  return { document: value as Record<string, unknown>, format };
}

async function parseYaml(text: string, where: string): Promise<unknown> {
  // Loaded on demand: GitHub publishes JSON, so most runs never need the YAML parser.
  const yaml = await import("yaml");
  const doc = yaml.parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const [error] = doc.errors;
  if (error) {
    const line = error.linePos?.[0];
    throw new SpecError(where, `is neither valid JSON nor valid YAML (${line ? `line ${line.line}, column ${line.col}: ` : ""}${error.message.split("\n")[0]})`);
  }
  if (doc.contents === null) throw new SpecError(where, "is empty");
  if (yaml.isScalar(doc.contents)) {
    throw new SpecError(where, "is neither a JSON nor a YAML object (a plain scalar), so not an OpenAPI description");
  }
  return toOrdered(doc.contents as YamlNode, doc, yaml);
}

/** Converts YAML nodes to plain objects, marking integer-like keys so their order survives. */
function toOrdered(node: YamlNode | null, doc: YamlDocument, yaml: typeof import("yaml")): unknown {
  if (node === null) return null;
  if (yaml.isAlias(node)) return toOrdered(node.resolve(doc) ?? null, doc, yaml);
  if (yaml.isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = yaml.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[markKey(key)] = toOrdered(pair.value as YamlNode | null, doc, yaml);
    }
    return out;
  }
  if (yaml.isSeq(node)) return node.items.map((item) => toOrdered(item as YamlNode | null, doc, yaml));
  if (yaml.isScalar(node)) return node.value;
  return null;
}
