/** Copies of kept content (prototype-less, dropped extensions removed) and the nesting limit. */
import { pointerOf, SpecError } from "./errors.js";
import { unmarkKey } from "./json-order.js";
import { LIMITS } from "./limits.js";

type Json = unknown;
type JsonObject = Record<string, Json>;

/**
 * A new object for a copy. It has no prototype, so a key named `__proto__` is stored as the key it is
 * (on a plain object, `out["__proto__"] = v` would change the prototype and lose the key) and no key
 * can be read through a prototype (`constructor`, `toString`).
 */
export const newObject = (): JsonObject => Object.create(null) as JsonObject;

/** Extension keys dropped wherever they occur (documented in the README). */
export const DROPPED_EXTENSIONS = new Set(["x-octokit"]);

/** Refuses an object or array nested deeper than `LIMITS.maxDepth` (its pointer has that many segments). */
export function checkDepth(at: readonly (string | number)[], where: string): void {
  if (at.length > LIMITS.maxDepth) {
    throw new SpecError(
      where,
      `nests objects and arrays deeper than ${LIMITS.maxDepth} levels (the limit)`,
      pointerOf(at.slice(0, LIMITS.maxDepth + 1)),
    );
  }
}

/**
 * Checks a whole document against `LIMITS.maxDepth` without recursion (for code that then walks all of
 * it, such as `spec diff` of two whole descriptions). The error names the first pointer past the limit.
 */
export function assertDepth(document: Json, where: string): void {
  const stack: { node: Json; at: (string | number)[] }[] = [{ node: document, at: [] }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, at } = top;
    if (node === null || typeof node !== "object") continue;
    checkDepth(at, where);
    if (Array.isArray(node)) for (const [i, child] of node.entries()) stack.push({ node: child, at: [...at, i] });
    else for (const [key, child] of Object.entries(node)) stack.push({ node: child, at: [...at, unmarkKey(key)] });
  }
}

/**
 * Copies kept content without `x-octokit` (and other dropped) extension keys, at any depth, into
 * prototype-less objects (see `newObject`), checking the nesting limit on the way. A value without
 * dropped keys is returned as it is.
 */
export function copyKept(value: Json, at: (string | number)[], where: string): Json {
  const path = [...at];
  const copy = (node: Json): Json => {
    if (node === null || typeof node !== "object") return node;
    checkDepth(path, where);
    let changed = false;
    if (Array.isArray(node)) {
      const out = node.map((child, i) => {
        path.push(i);
        const c = copy(child);
        path.pop();
        if (c !== child) changed = true;
        return c;
      });
      return changed ? out : node;
    }
    const out = newObject();
    for (const key in node) {
      const child = (node as JsonObject)[key];
      if (DROPPED_EXTENSIONS.has(key)) {
        changed = true;
        continue;
      }
      path.push(unmarkKey(key));
      const c = copy(child);
      path.pop();
      if (c !== child) changed = true;
      out[key] = c;
    }
    return changed ? out : node;
  };
  return copy(value);
}
