import { isUtf8 } from "node:buffer";
import type { Node as YamlNode, Document as YamlDocument } from "yaml";
import { SpecError, pointerOf } from "./errors.js";
import { containsMark, markKey, parseJsonBytesOrdered, parseJsonOrdered } from "./json-order.js";
import { LIMITS } from "./limits.js";

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
      throw new SpecError(
        where,
        `is not valid JSON (${/end of (JSON )?input/i.test(reason) ? `truncated: ${reason}` : reason})`,
      );
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
  let doc: YamlDocument;
  try {
    doc = yaml.parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    // The parser recurses once per level of nesting: 100,000 levels run it out of stack.
    if (error instanceof RangeError) throw tooDeepToParse(where);
    throw error;
  }
  const [error] = doc.errors;
  if (error) {
    if (/call stack/i.test(error.message)) throw tooDeepToParse(where);
    const line = error.linePos?.[0];
    throw new SpecError(
      where,
      `is neither valid JSON nor valid YAML (${line ? `line ${line.line}, column ${line.col}: ` : ""}${error.message.split("\n")[0]})`,
    );
  }
  if (doc.contents === null) throw new SpecError(where, "is empty");
  if (yaml.isScalar(doc.contents)) {
    throw new SpecError(where, "is neither a JSON nor a YAML object (a plain scalar), so not an OpenAPI description");
  }
  return toOrdered(doc, yaml, where);
}

function tooDeepToParse(where: string): SpecError {
  return new SpecError(
    where,
    `nests too deeply for the YAML parser (the limit is ${LIMITS.maxDepth} levels of objects and arrays)`,
  );
}

/**
 * Converts YAML nodes to plain data, marking integer-like keys so their order survives. Maps become
 * prototype-less objects, so a key named `__proto__` stays a key. Aliases are expanded (JSON has no
 * references), within limits that a hostile document reaches quickly:
 *
 * - an alias inside the node it names (`a: &a [*a]`) is a cycle JSON cannot hold: refused;
 * - expansion may add at most `LIMITS.maxYamlAliasNodes` nodes in all (a 760-byte "billion laughs" once
 *   ran without bound);
 * - nesting, aliases expanded, may be at most `LIMITS.maxDepth` levels deep.
 *
 * Each alias names the last anchor of its name before it in document order (YAML 1.2 §3.2.2.2); that is
 * worked out once, in one pass, instead of once per alias.
 */
function toOrdered(doc: YamlDocument, yaml: typeof import("yaml"), where: string): unknown {
  const targets = anchorTargets(doc.contents as YamlNode, yaml);
  const path: (string | number)[] = [];
  const active = new Set<YamlNode>(); // the collections being converted: an alias to one of them is a cycle
  let expanding = 0;
  let aliasNodes = 0;
  const convert = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (yaml.isAlias(node)) {
      const target = targets.get(node);
      if (!target)
        throw new SpecError(
          where,
          `YAML alias *${node.source} has no anchor &${node.source} before it`,
          pointerOf(path),
        );
      if (active.has(target))
        throw new SpecError(
          where,
          `YAML alias *${node.source} is inside the node it names (a cycle, which JSON cannot hold)`,
          pointerOf(path),
        );
      expanding++;
      try {
        return convert(target);
      } finally {
        expanding--;
      }
    }
    if (expanding > 0 && ++aliasNodes > LIMITS.maxYamlAliasNodes) {
      throw new SpecError(
        where,
        `YAML aliases expand to more than ${LIMITS.maxYamlAliasNodes} nodes (the limit)`,
        pointerOf(path),
      );
    }
    if (yaml.isMap(node) || yaml.isSeq(node)) {
      if (path.length > LIMITS.maxDepth) {
        throw new SpecError(
          where,
          `nests objects and arrays deeper than ${LIMITS.maxDepth} levels (the limit)`,
          pointerOf(path),
        );
      }
      active.add(node);
      try {
        if (yaml.isSeq(node)) {
          return node.items.map((item, i) => {
            path.push(i);
            const value = convert(item);
            path.pop();
            return value;
          });
        }
        const out = Object.create(null) as Record<string, unknown>;
        for (const pair of node.items) {
          const key = yaml.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          path.push(key);
          out[markKey(key)] = convert(pair.value);
          path.pop();
        }
        return out;
      } finally {
        active.delete(node);
      }
    }
    if (yaml.isScalar(node)) return node.value;
    return null;
  };
  return convert(doc.contents);
}

/** Which node each alias names, from one pass in document order, without recursion. */
function anchorTargets(root: YamlNode, yaml: typeof import("yaml")): Map<unknown, YamlNode> {
  const targets = new Map<unknown, YamlNode>();
  const anchors = new Map<string, YamlNode>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (yaml.isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
    } else if (yaml.isPair(node)) {
      stack.push(node.value, node.key); // the key comes first in document order
    } else if (yaml.isNode(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      if (yaml.isMap(node) || yaml.isSeq(node))
        for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return targets;
}
