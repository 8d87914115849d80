import { describe, expect, it } from "vitest";
import {
  decodePointerSegment,
  deref,
  encodePointerSegment,
  follow,
  forEachOperation,
  MAX_REF_HOPS,
  packageDirName,
  packageNameOf,
  parseRef,
  pointerOf,
  RefError,
  resolveRef,
  type RefErrorReason,
} from "../src/index.js";

/** A chain `#/<name>/0` → `#/<name>/1` → … → `{ end: true }` of `n` nodes. */
function chain(name: string, n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => (i < n - 1 ? { $ref: `#/${name}/${i + 1}` } : { end: true }));
}

/** Parsed from text, as every document is: `__proto__` is then an own key, like any other. */
const doc = JSON.parse(`{
  "a": { "b": { "value": 1 } },
  "with/slash": { "value": 2 },
  "with~tilde": { "value": 3 },
  "with space": { "value": 4 },
  "100%": { "value": 5 },
  "list": [{ "value": 6 }],
  "hop": { "$ref": "#/a/b" },
  "loop1": { "$ref": "#/loop2" },
  "loop2": { "$ref": "#/loop1" },
  "self": { "$ref": "#/self" },
  "short": ${JSON.stringify(chain("short", MAX_REF_HOPS))},
  "long": ${JSON.stringify(chain("long", MAX_REF_HOPS + 1))},
  "__proto__": { "value": 7 }
}`);

type Row = [what: string, ref: string, want: unknown | RefErrorReason];
const ok = (value: unknown) => ({ ok: value });

const rows: Row[] = [
  ["a plain pointer", "#/a/b", ok({ value: 1 })],
  ["# alone is the whole document", "#", ok(doc)],
  ["~1 is a slash inside a name", "#/with~1slash", ok({ value: 2 })],
  ["~0 is a tilde inside a name", "#/with~0tilde", ok({ value: 3 })],
  ["%-escapes are decoded", "#/with%20space", ok({ value: 4 })],
  ["%25 is a percent", "#/100%25", ok({ value: 5 })],
  ["%2F separates segments (decoded before the pointer is split)", "#/a%2Fb", ok({ value: 1 })],
  ["%7E1 decodes to ~1, a slash inside a name", "#/with%7E1slash", ok({ value: 2 })],
  ["array index", "#/list/0", ok({ value: 6 })],
  ["a $ref to a $ref is followed", "#/hop", ok({ value: 1 })],
  [`a chain of ${MAX_REF_HOPS} $refs (the one passed included) resolves`, "#/short/0", ok({ end: true })],
  ["an own __proto__ key resolves to its own value", "#/__proto__", ok({ value: 7 })],
  ["an invalid %-escape", "#/a%zz", "malformed"],
  ["a fragment that is not a pointer", "#a/b", "malformed"],
  ["a reference into another document", "other.json#/a", "external"],
  ["a missing target", "#/a/nope", "missing"],
  ["an array index past the end", "#/list/1", "missing"],
  ["an array index with a leading zero", "#/list/00", "missing"],
  ["constructor is not an own key: not Object.prototype.constructor", "#/a/constructor", "missing"],
  ["__proto__ where it is not an own key: not Object.prototype", "#/a/__proto__", "missing"],
  ["toString is not an own key", "#/a/b/toString", "missing"],
  ["a cycle of two", "#/loop1", "cycle"],
  ["a $ref to itself", "#/self", "cycle"],
  [`a chain longer than ${MAX_REF_HOPS} $refs`, "#/long/0", "too-deep"],
];

describe("deref: one rule for pointers, %-escapes, hops and missing targets", () => {
  it.each(rows)("%s (%s)", (_what, ref, want) => {
    if (typeof want === "string") {
      let error: unknown;
      try {
        deref(doc, ref);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RefError);
      expect((error as RefError).reason).toBe(want);
      expect((error as RefError).message).toContain("$ref");
    } else {
      expect(deref(doc, ref)).toEqual((want as { ok: unknown }).ok);
    }
  });

  it("resolving hostile keys pollutes nothing", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    expect(deref(hostile, "#/__proto__")).toEqual({ polluted: true });
    expect(deref(hostile, "#/constructor/prototype")).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
  });

  it("follow reports the last $ref followed, and leaves a non-$ref node as it is", () => {
    expect(follow(doc, { $ref: "#/hop" })).toEqual({ node: { value: 1 }, ref: "#/a/b" });
    expect(follow(doc, { value: 0 })).toEqual({ node: { value: 0 }, ref: undefined });
  });

  it("resolveRef takes one hop only", () => {
    expect(resolveRef(doc, "#/hop")).toEqual({ $ref: "#/a/b" });
    expect(() => resolveRef(doc, "#/a/nope")).toThrow(RefError);
  });

  it("RefError names the $ref", () => {
    expect(() => deref(doc, "#/a/nope")).toThrow('$ref "#/a/nope" points nowhere');
  });
});

describe("pointers", () => {
  it.each([
    ["a/b", "a~1b"],
    ["a~b", "a~0b"],
    ["~1", "~01"],
    ["/~", "~1~0"],
    ["", ""],
  ])("%j round-trips as %j", (raw, encoded) => {
    expect(encodePointerSegment(raw)).toBe(encoded);
    expect(decodePointerSegment(encoded)).toBe(raw);
  });

  it("pointerOf builds a fragment pointer that parseRef reads back", () => {
    const segments = ["paths", "/repos/{owner}", "get", "a~b"];
    expect(pointerOf(segments)).toBe("#/paths/~1repos~1{owner}/get/a~0b");
    expect(parseRef(pointerOf(segments))).toEqual(segments);
    expect(pointerOf([])).toBe("#");
  });
});

describe("forEachOperation", () => {
  it("yields every operation: paths in document order, methods in HTTP_METHODS order, with pointers", () => {
    const api = {
      paths: {
        "/b": { post: { operationId: "p" }, get: { operationId: "g" }, parameters: [], summary: "x" },
        "/a/{id}": { delete: { operationId: "d" }, "x-ext": {} },
        "/bad": "not an object",
      },
    };
    expect([...forEachOperation(api)].map((o) => [o.path, o.method, o.operation.operationId, o.pointer])).toEqual([
      ["/b", "get", "g", "#/paths/~1b/get"],
      ["/b", "post", "p", "#/paths/~1b/post"],
      ["/a/{id}", "delete", "d", "#/paths/~1a~1{id}/delete"],
    ]);
    expect([...forEachOperation({})]).toEqual([]);
  });
});

describe("package names", () => {
  it("one name per API version", () => {
    expect(packageDirName("2026-03-10")).toBe("machines-2026-03-10");
    expect(packageNameOf("2026-03-10")).toBe("@codespaces-clients/machines-2026-03-10");
  });
});
