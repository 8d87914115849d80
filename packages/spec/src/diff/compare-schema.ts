/** Schema comparison of the description diff: types, unions, properties, items, `additionalProperties`. */
import { isObject } from "@codespaces-clients/openapi-model";
import { SpecError } from "../errors.js";
import { LIMITS } from "../limits.js";
import {
  below,
  canonical,
  ComparerBase,
  type Direction,
  isDocKey,
  type Json,
  type JsonObject,
  keyedDiff,
  keysOf,
  member,
  type Side,
  same,
  show,
} from "./compare-base.js";
import { CONSTRAINTS, constraints, type Emit, enumValues, nullable } from "./compare-keywords.js";
import type { Location } from "./location.js";

const SCHEMA_HANDLED = [
  "type",
  "nullable",
  "enum",
  "default",
  "deprecated",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "allOf",
  "oneOf",
  "anyOf",
  "not",
  ...CONSTRAINTS.map(([k]) => k),
];

export class SchemaComparer extends ComparerBase {
  private readonly report: Emit = (rule, at, pointer, detail) => this.emit(rule, at, pointer, detail);

  protected schema(dir: Direction, at: Location, oa: Side, nb: Side, stack: Set<string>): void {
    const sa = this.old(oa);
    const sb = this.new(nb);
    if (sa.node === undefined && sb.node === undefined) return;
    const visit = `${sa.ptr}|${sb.ptr}`;
    if (stack.has(visit)) return; // a recursive schema: this pair is already being compared above
    if (stack.size >= LIMITS.maxDepth) {
      // A chain of distinct schemas (each `$ref` to the next) could otherwise recurse past the stack.
      throw new SpecError(
        this.labels.new,
        `schemas nest deeper than ${LIMITS.maxDepth} levels, $refs followed (the limit)`,
        sb.ptr.startsWith("#") ? sb.ptr : undefined,
      );
    }
    const a: JsonObject = isObject(sa.node) ? sa.node : {};
    const b: JsonObject = isObject(sb.node) ? sb.node : {};
    const next = new Set(stack).add(visit);

    this.docs(at, a, b, sa.ptr, sb.ptr);
    this.deprecated(at, a, b, sb.ptr);
    const union = this.union(dir, at, sa, sb, next);
    const defaults = () => {
      if (!same(a.default, b.default))
        this.emit("default-changed", at, below(sb.ptr, "default"), `default ${show(a.default)} → ${show(b.default)}`);
    };
    if (union === "shape") {
      // A schema became a union or the reverse: `type` and the keywords below it belong to the alternatives now.
      defaults();
      nullable(this.report, dir, at, a, b, sb.ptr);
      return;
    }
    if (!same(a.type, b.type)) {
      // A new type makes every comparison below it meaningless: report the type only.
      this.emit("type-changed", at, below(sb.ptr, "type"), `type ${show(a.type)} → ${show(b.type)}`);
      return;
    }
    defaults();
    nullable(this.report, dir, at, a, b, sb.ptr);
    enumValues(this.report, dir, at, a, b, sb.ptr);
    constraints(this.report, dir, at, a, b, sb.ptr);
    this.properties(dir, at, sa, sb, next);
    if (a.items !== undefined || b.items !== undefined)
      this.schema(dir, at.items(), member(sa, "items"), member(sb, "items"), next);
    this.additional(dir, at, sa, sb, next);
    for (const key of ["allOf", "oneOf", "anyOf"] as const) {
      if (key === union) continue;
      const la = Array.isArray(a[key]) ? (a[key] as Json[]) : [];
      const lb = Array.isArray(b[key]) ? (b[key] as Json[]) : [];
      if (la.length !== lb.length) {
        this.emit("other-changed", at, below(sb.ptr, key), `${key} has ${lb.length} schema(s), had ${la.length}`);
        continue;
      }
      for (let i = 0; i < la.length; i++) this.schema(dir, at, member(sa, key, i), member(sb, key, i), next);
    }
    if (a.not !== undefined || b.not !== undefined)
      this.schema(dir, at.not(), member(sa, "not"), member(sb, "not"), next);
    this.leftovers(at, a, b, sb.ptr, SCHEMA_HANDLED);
  }

  /**
   * A union (`anyOf`/`oneOf`) that gained or lost alternatives, or a single schema that became a union
   * containing it (or the reverse). Alternatives are matched by value — dereferenced, their own
   * documentation ignored —: an added one widens the values, a removed one narrows them (request:
   * widening is minor, narrowing major; response: the reverse, see `rules.ts`). Returns `shape` for
   * single ⇄ union, the keyword for a union whose length changed, undefined for anything else
   * (same-length unions are compared alternative by alternative, as before).
   */
  private union(
    dir: Direction,
    at: Location,
    sa: Side,
    sb: Side,
    stack: Set<string>,
  ): "shape" | "anyOf" | "oneOf" | undefined {
    const a = isObject(sa.node) ? sa.node : {};
    const b = isObject(sb.node) ? sb.node : {};
    const ka = unionKeyOf(a);
    const kb = unionKeyOf(b);
    if (!ka && !kb) return undefined;
    if (ka && kb && (ka !== kb || (a[ka] as Json[]).length === (b[kb] as Json[]).length)) return undefined;
    // Only a plain schema takes part as one alternative (not `{}` or an allOf/not composition).
    if ((!ka && !isPlainAlternative(a)) || (!kb && !isPlainAlternative(b))) return undefined;
    const alternatives = (side: Side, key: "anyOf" | "oneOf" | undefined, deref: (s: Side) => Side): Alternative[] =>
      key
        ? ((side.node as JsonObject)[key] as Json[]).map((n, i) => ({
            ...deref(member(side, key, i)),
            ...(isObject(n) && typeof n.$ref === "string" ? { ref: n.$ref } : {}),
          }))
        : [side];
    const before = alternatives({ node: a, ptr: sa.ptr }, ka, this.old);
    const after = alternatives({ node: b, ptr: sb.ptr }, kb, this.new);
    const keyOf = (s: Side) => canonical(withoutKeys(s.node, OUTER_KEYS));
    const removed = before.filter((x) => !after.some((y) => keyOf(x) === keyOf(y)));
    const added = after.filter((y) => !before.some((x) => keyOf(x) === keyOf(y)));
    const list = (l: Alternative[]) => l.map(describeAlternative).join(", ");
    const shapes = `(${describeShape(a, ka)} → ${describeShape(b, kb)})`;
    if (added.length)
      this.emit(
        dir === "request" ? "request-union-widened" : "response-union-widened",
        at,
        kb ? below(sb.ptr, kb) : sb.ptr,
        `${dir === "request" ? "accepts" : "may be"} ${list(added)} too ${shapes}`,
      );
    if (removed.length)
      this.emit(
        dir === "request" ? "request-union-narrowed" : "response-union-narrowed",
        at,
        ka ? below(sa.ptr, ka) : sa.ptr,
        `${dir === "request" ? "no longer accepts" : "is never"} ${list(removed)} ${shapes}`,
      );
    if (ka && kb) {
      // Alternatives present on both sides: compare them for what matching ignored (their documentation).
      for (const x of before) {
        const y = after.find((s) => keyOf(s) === keyOf(x));
        if (y) this.schema(dir, at, x, y, stack);
      }
      return ka;
    }
    return "shape";
  }

  private properties(dir: Direction, at: Location, sa: Side, sb: Side, stack: Set<string>): void {
    const a = isObject(sa.node) ? sa.node : {};
    const b = isObject(sb.node) ? sb.node : {};
    const pa = member(sa, "properties");
    const pb = member(sb, "properties");
    const ra = new Set(Array.isArray(a.required) ? (a.required as string[]) : []);
    const rb = new Set(Array.isArray(b.required) ? (b.required as string[]) : []);
    const { removed, added, both } = keyedDiff(keysOf(pa.node), keysOf(pb.node));
    const prefix = dir === "request" ? "request" : "response";
    const deref = (s: (x: Side) => Side, side: Side, k: string) => s(member(side, k)).node;
    for (const [r, x] of pairRenames(
      removed,
      added,
      (k) => deref(this.old, pa, k),
      (k) => deref(this.new, pb, k),
      (k) => String(ra.has(k) || rb.has(k)),
    )) {
      this.emit(`${prefix}-property-renamed`, at.prop(r), below(pb.ptr, x), `property ${r} renamed to ${x}`);
      removed.splice(removed.indexOf(r), 1);
      added.splice(added.indexOf(x), 1);
    }
    for (const k of removed)
      this.emit(`${prefix}-property-removed`, at.prop(k), below(pa.ptr, k), `property ${k} removed`);
    for (const k of added) {
      const rule =
        dir === "response"
          ? "response-property-added"
          : rb.has(k)
            ? "request-property-added-required"
            : "request-property-added-optional";
      const kind = dir === "request" ? (rb.has(k) ? "required " : "optional ") : "";
      this.emit(rule, at.prop(k), below(pb.ptr, k), `${kind}property ${k} added`);
    }
    const required = below(sb.ptr, "required");
    const madeRequired = (k: string) =>
      this.emit(`${prefix}-property-made-required`, at.prop(k), required, `${k} is now required`);
    const noLongerRequired = (k: string) =>
      this.emit(
        dir === "response" ? "response-property-no-longer-required" : "request-property-made-optional",
        at.prop(k),
        required,
        `${k} is no longer required`,
      );
    for (const k of both) {
      if (!ra.has(k) && rb.has(k)) madeRequired(k);
      if (ra.has(k) && !rb.has(k)) noLongerRequired(k);
      this.schema(dir, at.prop(k), member(pa, k), member(pb, k), stack);
    }
    // `required` naming a property the schema does not declare (allowed by JSON Schema).
    const declaredA = new Set(keysOf(pa.node));
    const declaredB = new Set(keysOf(pb.node));
    for (const k of rb) if (!declaredB.has(k) && !ra.has(k)) madeRequired(k);
    for (const k of ra) if (!declaredA.has(k) && !rb.has(k)) noLongerRequired(k);
  }

  private additional(dir: Direction, at: Location, sa: Side, sb: Side, stack: Set<string>): void {
    const a = member(sa, "additionalProperties");
    const b = member(sb, "additionalProperties");
    if (isObject(a.node) && isObject(b.node)) {
      this.schema(dir, at.additional(), a, b, stack);
      return;
    }
    if (same(a.node, b.node)) return;
    // Absent, true and {} all allow any extra property; false forbids them.
    const open = (v: Json) => v === undefined || v === true || isObject(v);
    const detail = `additionalProperties ${show(a.node)} → ${show(b.node)}`;
    if (open(a.node) && open(b.node)) this.emit("other-changed", at, b.ptr, detail);
    else if (dir === "request")
      this.emit(open(b.node) ? "request-constraint-loosened" : "request-constraint-tightened", at, b.ptr, detail);
    else this.emit(open(b.node) ? "response-property-added" : "response-constraint-changed", at, b.ptr, detail);
  }
}

/** Keys that describe the schema around a union rather than one alternative of it. */
const OUTER_KEYS = new Set(["nullable", "default", "deprecated"]);
/** `anyOf` or `oneOf` when the schema is a union of alternatives. */
const unionKeyOf = (s: JsonObject): "anyOf" | "oneOf" | undefined =>
  Array.isArray(s.anyOf) ? "anyOf" : Array.isArray(s.oneOf) ? "oneOf" : undefined;
/** A schema that can stand as one alternative of a union: typed, and not itself a composition. */
const isPlainAlternative = (s: JsonObject) =>
  s.type !== undefined && !["allOf", "anyOf", "oneOf", "not"].some((k) => k in s);
/** A copy without documentation keys and `extra` keys, for matching alternatives by value. */
function withoutKeys(node: Json, extra: ReadonlySet<string>): Json {
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => !isDocKey(k) && !extra.has(k)));
}
/** One alternative of a union, with the `$ref` that named it. */
interface Alternative extends Side {
  readonly ref?: string;
}
/** `integer`, the `$ref` of a named alternative, or the JSON of one that is more than a type. */
function describeAlternative(s: Alternative): string {
  const node = withoutKeys(s.node, OUTER_KEYS);
  if (s.ref) return s.ref;
  return isObject(node) && Object.keys(node).length === 1 && typeof node.type === "string"
    ? node.type
    : canonical(node);
}
/** `anyOf[2]`, or the type of a single schema. */
const describeShape = (s: JsonObject, key: "anyOf" | "oneOf" | undefined) =>
  key ? `${key}[${(s[key] as Json[]).length}]` : show(s.type);

/**
 * Pairs removed with added names whose (dereferenced) definitions are equal and that share a group
 * (parameter location, or required-ness): such a pair is reported once, as a rename.
 */
export function pairRenames(
  removed: readonly string[],
  added: readonly string[],
  before: (k: string) => Json,
  after: (k: string) => Json,
  group: (k: string) => string | undefined,
): [string, string][] {
  const pairs: [string, string][] = [];
  const taken = new Set<string>();
  for (const r of removed) {
    const strip = (v: Json) => (isObject(v) ? { ...v, name: undefined, description: undefined } : v);
    const match = added.find((x) => !taken.has(x) && group(x) === group(r) && same(strip(before(r)), strip(after(x))));
    if (match) {
      taken.add(match);
      pairs.push([r, match]);
    }
  }
  return pairs;
}
