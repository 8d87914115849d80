/**
 * What every part of the description diff shares: the two sides of a compared node, pointers built from
 * segments, the keyed-map diff, `$ref` following, and the checks of documentation and leftover keys.
 * compare-schema.ts and compare.ts build on `ComparerBase`.
 */
import { encodePointerSegment, follow, isObject, ownKey, RefError } from "@codespaces-clients/openapi-model";
import type { Change, DiffLabels, OperationRef } from "./compare.js";
import type { Location } from "./location.js";
import { bumpOf, type RuleId, type SemverSettings } from "./rules.js";

export type Json = unknown;
export type JsonObject = Record<string, Json>;
export type Direction = "request" | "response";

/** A node in one document with its real JSON pointer. */
export interface Side {
  readonly node: Json;
  readonly ptr: string;
}

/** `ptr` extended by raw segments, each escaped by the one encoder. */
export const below = (ptr: string, ...segments: readonly (string | number)[]): string =>
  ptr + segments.map((s) => `/${encodePointerSegment(s)}`).join("");

/** The member at `keys` below `side` (own keys; array indexes), absent when there is none, with its pointer. */
export function member(side: Side, ...keys: readonly (string | number)[]): Side {
  let node = side.node;
  for (const key of keys)
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? ownKey(node, String(key)) : undefined;
  return { node, ptr: below(side.ptr, ...keys) };
}

/** Keys only in `a` (removed), only in `b` (added), and in both (in `b`'s order): the one keyed-map diff. */
export function keyedDiff<K>(a: Iterable<K>, b: Iterable<K>): { removed: K[]; added: K[]; both: K[] } {
  const inA = new Set(a);
  const inB = new Set(b);
  return {
    removed: [...inA].filter((k) => !inB.has(k)),
    added: [...inB].filter((k) => !inA.has(k)),
    both: [...inB].filter((k) => inA.has(k)),
  };
}

export const keysOf = (node: Json): string[] => (isObject(node) ? Object.keys(node) : []);
/** Own keys only: a property named `constructor` or `toString` is not inherited from `Object.prototype`. */
export const has = (o: JsonObject, key: string): boolean => Object.hasOwn(o, key);
export const str = (v: Json) => (typeof v === "string" ? v : undefined);
export const show = (v: Json) => (v === undefined ? "(none)" : JSON.stringify(v));
/** Keys that only document: a change to them is a patch wherever it happens. */
const DOC_KEYS = new Set(["description", "summary", "title", "example", "examples", "externalDocs", "tags"]);
export const isDocKey = (key: string) => DOC_KEYS.has(key) || key.startsWith("x-");

/** Canonical JSON (sorted keys) for equality; key order is not meaning. */
export function canonical(value: Json): string {
  return JSON.stringify(value, (_k, v: Json) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
export const same = (a: Json, b: Json) => canonical(a) === canonical(b);

/** What to do with each key of two keyed maps. */
export interface KeyedVisitor {
  removed(key: string, a: Side): void;
  added(key: string, b: Side): void;
  both(key: string, a: Side, b: Side): void;
}

export class ComparerBase {
  readonly changes: Change[] = [];
  protected op: OperationRef | undefined;

  constructor(
    protected readonly oldDoc: JsonObject,
    protected readonly newDoc: JsonObject,
    private readonly settings: SemverSettings,
    protected readonly labels: DiffLabels,
  ) {}

  protected emit(rule: RuleId, at: Location, pointer: string, detail: string): void {
    this.changes.push({
      rule,
      bump: bumpOf(rule, this.settings),
      ...(this.op ? { operation: this.op } : {}),
      at: at.toString(),
      pointer,
      detail,
    });
  }

  /**
   * Follows local `$ref`s (OAS 3.0: siblings of `$ref` are ignored) to the node they name. A `$ref` that
   * does not resolve (external, missing, a cycle) reads as an absent node at that `$ref`.
   */
  private deref(doc: JsonObject, side: Side): Side {
    try {
      const { node, ref } = follow(doc, side.node);
      return { node, ptr: ref ?? side.ptr };
    } catch (error) {
      if (error instanceof RefError) return { node: undefined, ptr: error.ref };
      throw error;
    }
  }
  protected old = (s: Side) => this.deref(this.oldDoc, s);
  protected new = (s: Side) => this.deref(this.newDoc, s);

  /** The keyed-map diff of two objects (responses, headers, content, examples), members with pointers. */
  protected keyed(oa: Side, nb: Side, visit: KeyedVisitor): void {
    const { removed, added, both } = keyedDiff(keysOf(oa.node), keysOf(nb.node));
    for (const key of removed) visit.removed(key, member(oa, key));
    for (const key of added) visit.added(key, member(nb, key));
    for (const key of both) visit.both(key, member(oa, key), member(nb, key));
  }

  protected deprecated(at: Location, a: JsonObject, b: JsonObject, ptr: string): void {
    if (a.deprecated !== true && b.deprecated === true)
      this.emit("operation-deprecated", at, below(ptr, "deprecated"), `${at} deprecated`);
    else if (a.deprecated === true && b.deprecated !== true)
      this.emit("documentation-changed", at, below(ptr, "deprecated"), `${at} no longer deprecated`);
  }

  protected docs(at: Location, a: JsonObject, b: JsonObject, pa: string, pb: string): void {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (key === "examples" && isObject(ownKey(a, key)) && isObject(ownKey(b, key))) {
        this.examples(at, member({ node: a, ptr: pa }, key), member({ node: b, ptr: pb }, key));
        continue;
      }
      if (!isDocKey(key) || same(ownKey(a, key), ownKey(b, key))) continue;
      const verb = !has(a, key) ? "added" : !has(b, key) ? "removed" : "changed";
      this.emit("documentation-changed", at, below(has(b, key) ? pb : pa, key), `${key} ${verb}`);
    }
  }

  /**
   * An `examples` map (name → Example Object or its `$ref`, OAS 3.0 §4.7.11/§4.7.19). A named example
   * such as `#/components/examples/codespace-machines-list` is compared through its `$ref`, so a new
   * value is a documentation change with the component's pointer, once per operation that shows it.
   */
  private examples(at: Location, oa: Side, nb: Side): void {
    this.keyed(oa, nb, {
      removed: (name, a) =>
        this.emit("documentation-changed", at.label("example", name), a.ptr, `example ${name} removed`),
      added: (name, b) => this.emit("documentation-changed", at.label("example", name), b.ptr, `example ${name} added`),
      both: (name, ma, mb) => {
        const where = at.label("example", name);
        const ea = this.old(ma);
        const eb = this.new(mb);
        if (same(ea.node, eb.node)) return;
        if (!isObject(ea.node) || !isObject(eb.node)) {
          this.emit("documentation-changed", where, eb.node === undefined ? ea.ptr : eb.ptr, `example ${name} changed`);
          return;
        }
        const { removed, added, both } = keyedDiff(Object.keys(ea.node), Object.keys(eb.node));
        for (const key of removed)
          this.emit("documentation-changed", where, below(ea.ptr, key), `example ${name} ${key} removed`);
        for (const key of added)
          this.emit("documentation-changed", where, below(eb.ptr, key), `example ${name} ${key} added`);
        for (const key of both)
          if (!same(ownKey(ea.node, key), ownKey(eb.node, key)))
            this.emit("documentation-changed", where, below(eb.ptr, key), `example ${name} ${key} changed`);
      },
    });
  }

  /** Anything not handled above and not documentation: reported, and breaking until a rule says otherwise. */
  protected leftovers(at: Location, a: JsonObject, b: JsonObject, ptr: string, handled: readonly string[]): void {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (handled.includes(key) || isDocKey(key) || key === "$ref" || same(ownKey(a, key), ownKey(b, key))) continue;
      this.emit("other-changed", at, below(ptr, key), `${key} ${show(ownKey(a, key))} → ${show(ownKey(b, key))}`);
    }
  }
}
