import { inspect } from "node:util";
import { expect } from "vitest";

/**
 * Every text a caller (or a logger) can get out of `value`, each labelled with where it came
 * from: `String()`, `JSON.stringify` (and so `toJSON`), `util.inspect` with hidden properties and
 * getters, and, walking the object graph, every own property (non-enumerable and symbol-keyed
 * ones included, so `message`, `stack` and the whole `cause` chain), every `toJSON()` result
 * and the contents of arrays, Maps, Sets, `Headers`, `Request`s and `Response`s found on the way.
 */
export function reachableTexts(value: unknown): Array<[where: string, text: string]> {
  const texts: Array<[string, string]> = [];
  const seen = new Set<unknown>();
  const add = (where: string, text: unknown) => void (typeof text === "string" && texts.push([where, text]));
  const safely = (where: string, read: () => unknown) => {
    try {
      return read();
    } catch (error) {
      add(`${where} (threw)`, String(error));
      return undefined;
    }
  };

  const walk = (where: string, node: unknown, depth: number): void => {
    if (typeof node === "string") return add(where, node);
    if (typeof node === "bigint" || typeof node === "number" || typeof node === "symbol")
      return add(where, String(node));
    if (node === null || (typeof node !== "object" && typeof node !== "function") || seen.has(node) || depth > 12)
      return;
    seen.add(node);
    const object = node as Record<PropertyKey, unknown>;
    add(
      `${where} String()`,
      safely(where, () => String(node)),
    );
    add(
      `${where} util.inspect`,
      safely(where, () => inspect(node, { depth: 20, showHidden: true, getters: true })),
    );
    add(
      `${where} JSON.stringify`,
      safely(where, () => JSON.stringify(node)),
    );
    if (typeof object.toJSON === "function")
      walk(
        `${where}.toJSON()`,
        safely(where, () => (object.toJSON as () => unknown)()),
        depth + 1,
      );
    if (node instanceof Error) add(`${where}.stack`, node.stack);
    if (node instanceof Headers) node.forEach((v, k) => add(`${where} header ${k}`, `${k}: ${v}`));
    if (node instanceof Request || node instanceof Response) {
      walk(`${where}.url`, node.url, depth + 1);
      walk(`${where}.headers`, node.headers, depth + 1);
    }
    if (node instanceof Map || node instanceof Set) {
      let i = 0;
      for (const entry of node) walk(`${where}[entry ${i++}]`, entry, depth + 1);
    }
    for (const key of Reflect.ownKeys(object)) {
      walk(
        `${where}.${String(key)}`,
        safely(where, () => object[key]),
        depth + 1,
      );
    }
  };
  walk("error", value, 0);
  return texts;
}

/**
 * Asserts that `secret` appears in none of {@link reachableTexts}(`value`). Also checks that the
 * walk did reach something (the message at least), so a broken walk cannot pass by seeing nothing.
 */
export function expectNoLeak(value: unknown, secret: string): void {
  const texts = reachableTexts(value);
  expect(texts.length, "texts reachable from the error").toBeGreaterThan(3);
  const leaks = texts
    .filter(([, text]) => text.includes(secret))
    .map(([where, text]) => `${where}: ${text.slice(0, 300)}`);
  expect(leaks).toEqual([]);
}
