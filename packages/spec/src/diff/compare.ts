import {
  encodePointerSegment as esc,
  follow,
  forEachOperation,
  isObject,
  ownKey,
  pointerOf,
  RefError,
} from "@codespaces-clients/openapi-model";
import { SpecError } from "../errors.js";
import { LIMITS } from "../limits.js";
import { bumpOf, DEFAULT_SEMVER, maxBump, type Bump, type RuleId, type SemverSettings } from "./rules.js";

type Json = unknown;
type JsonObject = Record<string, Json>;

/** An operation, as the report names it. */
export interface OperationRef {
  readonly method: string;
  readonly path: string;
  /** The new operationId (the old one when the operation was removed). */
  readonly operationId: string;
}

/** One classified change. */
export interface Change {
  readonly rule: RuleId;
  readonly bump: Bump;
  /** Undefined for document-level changes (info, servers…). */
  readonly operation?: OperationRef;
  /** Where in the operation, readable: `response 200 application/json: machines[].name`. */
  readonly at: string;
  /**
   * JSON pointer (RFC 6901) of the changed node in the new document, or in the old one when the
   * node was removed. A node reached through `$ref` has the component's pointer, so a change in a
   * shared component shows once per operation that uses it, each with the same pointer.
   */
  readonly pointer: string;
  readonly detail: string;
}

/** How errors name the two documents (a file, URL or npm source). */
export interface DiffLabels {
  readonly old: string;
  readonly new: string;
}

/** The result of comparing two descriptions. */
export interface DiffResult {
  readonly changes: readonly Change[];
  /** The largest bump, undefined when nothing changed. */
  readonly bump: Bump | undefined;
  readonly counts: Readonly<Record<Bump, number>>;
}

/**
 * Own keys only: `in` and plain reads also see `Object.prototype`, so a property named `constructor`
 * or `toString` would always look present (its removal unreported) and read as a function.
 */
const has = (o: JsonObject, key: string): boolean => Object.hasOwn(o, key);
const isDocKey = (key: string) => DOC_KEYS.has(key) || key.startsWith("x-");
/** Keys that only document: a change to them is a patch wherever it happens. */
const DOC_KEYS = new Set(["description", "summary", "title", "example", "examples", "externalDocs", "tags"]);

/** Canonical JSON (sorted keys) for equality; key order is not meaning. */
function canonical(value: Json): string {
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
const same = (a: Json, b: Json) => canonical(a) === canonical(b);

/** A node in one document with its real JSON pointer. */
interface Side {
  readonly node: Json;
  readonly ptr: string;
}

class Comparer {
  readonly changes: Change[] = [];
  private op: OperationRef | undefined;

  constructor(
    private readonly oldDoc: JsonObject,
    private readonly newDoc: JsonObject,
    private readonly settings: SemverSettings,
    private readonly labels: DiffLabels,
  ) {}

  emit(rule: RuleId, at: string, pointer: string, detail: string): void {
    this.changes.push({
      rule,
      bump: bumpOf(rule, this.settings),
      ...(this.op ? { operation: this.op } : {}),
      at,
      pointer,
      detail,
    });
  }

  /**
   * Follows local `$ref`s (OAS 3.0: siblings of `$ref` are ignored) to the node they name. A `$ref` that
   * does not resolve (external, missing, a cycle) reads as an absent node at that `$ref`.
   */
  deref(doc: JsonObject, side: Side): Side {
    try {
      const { node, ref } = follow(doc, side.node);
      return { node, ptr: ref ?? side.ptr };
    } catch (error) {
      if (error instanceof RefError) return { node: undefined, ptr: error.ref };
      throw error;
    }
  }
  old = (s: Side) => this.deref(this.oldDoc, s);
  new = (s: Side) => this.deref(this.newDoc, s);

  // ── document ───────────────────────────────────────────────────────────────────────────
  run(): void {
    this.op = undefined;
    for (const key of ["info", "servers", "externalDocs", "tags"]) {
      if (!same(this.oldDoc[key], this.newDoc[key]))
        this.emit("documentation-changed", `document ${key}`, pointerOf([key]), `${key} changed`);
    }
    const oldOps = operationsOf(this.oldDoc);
    const newOps = operationsOf(this.newDoc);
    for (const [key, o] of oldOps) {
      const n = newOps.get(key);
      this.op = { method: o.method.toUpperCase(), path: o.path, operationId: str((n ?? o).node.operationId) ?? key };
      if (!n) this.emit("operation-removed", key, o.ptr, `${key} removed`);
      else this.operation(o, n);
    }
    for (const [key, n] of newOps) {
      if (oldOps.has(key)) continue;
      this.op = { method: n.method.toUpperCase(), path: n.path, operationId: str(n.node.operationId) ?? key };
      this.emit("operation-added", key, n.ptr, `${key} added`);
    }
    this.op = undefined;
  }

  // ── operation ──────────────────────────────────────────────────────────────────────────
  private operation(o: OperationAt, n: OperationAt): void {
    const a = o.node;
    const b = n.node;
    if (a.operationId !== b.operationId) {
      this.emit(
        "operation-id-changed",
        "operationId",
        `${n.ptr}/operationId`,
        `operationId ${String(a.operationId)} → ${String(b.operationId)}`,
      );
    }
    this.deprecated("operation", a, b, n.ptr);
    this.docs("operation", a, b, o.ptr, n.ptr);
    this.parameters(o, n);
    this.requestBody(
      { node: a.requestBody, ptr: `${o.ptr}/requestBody` },
      { node: b.requestBody, ptr: `${n.ptr}/requestBody` },
    );
    this.responses({ node: a.responses, ptr: `${o.ptr}/responses` }, { node: b.responses, ptr: `${n.ptr}/responses` });
    this.leftovers("operation", a, b, n.ptr, ["operationId", "deprecated", "parameters", "requestBody", "responses"]);
  }

  private parameters(o: OperationAt, n: OperationAt): void {
    const collect = (op: OperationAt, deref: (s: Side) => Side) => {
      const map = new Map<string, Side>();
      // Path-level parameters apply unless the operation overrides them (OAS 3.0 §4.7.9).
      for (const [list, base] of [
        [op.pathParameters, op.pathPtr],
        [op.node.parameters, op.ptr],
      ] as const) {
        if (!Array.isArray(list)) continue;
        list.forEach((p, i) => {
          const side = deref({ node: p, ptr: `${base}/parameters/${i}` });
          if (isObject(side.node)) map.set(`${String(side.node.in)} ${String(side.node.name)}`, side);
        });
      }
      return map;
    };
    const before = collect(o, this.old);
    const after = collect(n, this.new);
    const removed = [...before.keys()].filter((k) => !after.has(k));
    const added = [...after.keys()].filter((k) => !before.has(k));
    for (const [r, x] of pairRenames(
      removed,
      added,
      (k) => before.get(k)!.node,
      (k) => after.get(k)!.node,
      (k) => k.split(" ")[0],
    )) {
      this.emit(
        "parameter-renamed",
        `${r.split(" ")[0]} parameter ${r.split(" ")[1]}`,
        after.get(x)!.ptr,
        `${r} renamed to ${x}`,
      );
      removed.splice(removed.indexOf(r), 1);
      added.splice(added.indexOf(x), 1);
    }
    for (const k of removed)
      this.emit("parameter-removed", `${k.replace(" ", " parameter ")}`, before.get(k)!.ptr, `${k} parameter removed`);
    for (const k of added) {
      const p = after.get(k)!;
      const required = (p.node as JsonObject).required === true;
      this.emit(
        required ? "parameter-added-required" : "parameter-added-optional",
        k.replace(" ", " parameter "),
        p.ptr,
        `${required ? "required" : "optional"} ${k} parameter added`,
      );
    }
    for (const [k, a] of before) {
      const b = after.get(k);
      if (!b) continue;
      const at = k.replace(" ", " parameter ");
      const pa = a.node as JsonObject;
      const pb = b.node as JsonObject;
      if (pa.required !== true && pb.required === true)
        this.emit("parameter-made-required", at, b.ptr, `${at} is now required`);
      if (pa.required === true && pb.required !== true)
        this.emit("parameter-made-optional", at, b.ptr, `${at} is now optional`);
      this.deprecated(at, pa, pb, b.ptr);
      this.docs(at, pa, pb, a.ptr, b.ptr);
      this.schema(
        "request",
        at,
        { node: pa.schema, ptr: `${a.ptr}/schema` },
        { node: pb.schema, ptr: `${b.ptr}/schema` },
        new Set(),
      );
      this.content(
        "request",
        at,
        { node: pa.content, ptr: `${a.ptr}/content` },
        { node: pb.content, ptr: `${b.ptr}/content` },
      );
      this.leftovers(at, pa, pb, b.ptr, ["in", "name", "required", "deprecated", "schema", "content"]);
    }
  }

  private requestBody(oa: Side, nb: Side): void {
    const a = this.old(oa);
    const b = this.new(nb);
    const at = "request body";
    if (!isObject(a.node) && !isObject(b.node)) return;
    if (!isObject(b.node)) {
      this.emit("request-body-removed", at, a.ptr, "request body removed");
      return;
    }
    if (!isObject(a.node)) {
      const required = b.node.required === true;
      this.emit(
        required ? "request-body-added-required" : "request-body-added-optional",
        at,
        b.ptr,
        `${required ? "required" : "optional"} request body added`,
      );
      return;
    }
    if (a.node.required !== true && b.node.required === true)
      this.emit("request-body-made-required", at, b.ptr, "request body is now required");
    if (a.node.required === true && b.node.required !== true)
      this.emit("request-body-made-optional", at, b.ptr, "request body is now optional");
    this.docs(at, a.node, b.node, a.ptr, b.ptr);
    this.content(
      "request",
      at,
      { node: a.node.content, ptr: `${a.ptr}/content` },
      { node: b.node.content, ptr: `${b.ptr}/content` },
    );
    this.leftovers(at, a.node, b.node, b.ptr, ["required", "content"]);
  }

  private responses(oa: Side, nb: Side): void {
    const a = isObject(oa.node) ? oa.node : {};
    const b = isObject(nb.node) ? nb.node : {};
    for (const status of Object.keys(a)) {
      if (!has(b, status))
        this.emit(
          "response-status-removed",
          `response ${status}`,
          `${oa.ptr}/${esc(status)}`,
          `response ${status} removed`,
        );
    }
    for (const status of Object.keys(b)) {
      const at = `response ${status}`;
      if (!has(a, status)) {
        this.emit("response-status-added", at, `${nb.ptr}/${esc(status)}`, `response ${status} added`);
        continue;
      }
      const ra = this.old({ node: a[status], ptr: `${oa.ptr}/${esc(status)}` });
      const rb = this.new({ node: b[status], ptr: `${nb.ptr}/${esc(status)}` });
      if (!isObject(ra.node) || !isObject(rb.node)) continue;
      this.docs(at, ra.node, rb.node, ra.ptr, rb.ptr);
      this.headers(
        at,
        { node: ra.node.headers, ptr: `${ra.ptr}/headers` },
        { node: rb.node.headers, ptr: `${rb.ptr}/headers` },
      );
      this.content(
        "response",
        at,
        { node: ra.node.content, ptr: `${ra.ptr}/content` },
        { node: rb.node.content, ptr: `${rb.ptr}/content` },
      );
      this.leftovers(at, ra.node, rb.node, rb.ptr, ["headers", "content"]);
    }
  }

  private headers(at: string, oa: Side, nb: Side): void {
    const a = isObject(oa.node) ? oa.node : {};
    const b = isObject(nb.node) ? nb.node : {};
    for (const name of Object.keys(a)) {
      if (!has(b, name))
        this.emit(
          "response-header-removed",
          `${at} header ${name}`,
          `${oa.ptr}/${esc(name)}`,
          `header ${name} removed`,
        );
    }
    for (const name of Object.keys(b)) {
      const where = `${at} header ${name}`;
      if (!has(a, name)) {
        this.emit("response-header-added", where, `${nb.ptr}/${esc(name)}`, `header ${name} added`);
        continue;
      }
      const ha = this.old({ node: a[name], ptr: `${oa.ptr}/${esc(name)}` });
      const hb = this.new({ node: b[name], ptr: `${nb.ptr}/${esc(name)}` });
      if (!isObject(ha.node) || !isObject(hb.node)) continue;
      this.docs(where, ha.node, hb.node, ha.ptr, hb.ptr);
      this.schema(
        "response",
        where,
        { node: ha.node.schema, ptr: `${ha.ptr}/schema` },
        { node: hb.node.schema, ptr: `${hb.ptr}/schema` },
        new Set(),
      );
      this.leftovers(where, ha.node, hb.node, hb.ptr, ["schema"]);
    }
  }

  /** A Content map (media type → Media Type Object), request or response. */
  private content(dir: Direction, at: string, oa: Side, nb: Side): void {
    const a = isObject(oa.node) ? oa.node : {};
    const b = isObject(nb.node) ? nb.node : {};
    for (const type of Object.keys(a)) {
      if (!has(b, type))
        this.emit("media-type-removed", `${at} ${type}`, `${oa.ptr}/${esc(type)}`, `media type ${type} removed`);
    }
    for (const type of Object.keys(b)) {
      const where = `${at} ${type}`;
      if (!has(a, type)) {
        this.emit("media-type-added", where, `${nb.ptr}/${esc(type)}`, `media type ${type} added`);
        continue;
      }
      const ma = { node: a[type], ptr: `${oa.ptr}/${esc(type)}` };
      const mb = { node: b[type], ptr: `${nb.ptr}/${esc(type)}` };
      if (!isObject(ma.node) || !isObject(mb.node)) continue;
      this.docs(where, ma.node, mb.node, ma.ptr, mb.ptr);
      this.schema(
        dir,
        `${where}:`,
        { node: ma.node.schema, ptr: `${ma.ptr}/schema` },
        { node: mb.node.schema, ptr: `${mb.ptr}/schema` },
        new Set(),
      );
      this.leftovers(where, ma.node, mb.node, mb.ptr, ["schema"]);
    }
  }

  // ── schemas ────────────────────────────────────────────────────────────────────────────
  private schema(dir: Direction, at: string, oa: Side, nb: Side, stack: Set<string>): void {
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
    const loc = at.endsWith(":") ? `${at} (body)` : at;

    this.docs(loc, a, b, sa.ptr, sb.ptr);
    this.deprecated(loc, a, b, sb.ptr);
    const union = this.union(dir, loc, sa, sb, next);
    if (union === "shape") {
      // A schema became a union or the reverse: `type` and the keywords below it belong to the alternatives now.
      if (!same(a.default, b.default))
        this.emit("default-changed", loc, `${sb.ptr}/default`, `default ${show(a.default)} → ${show(b.default)}`);
      this.nullable(dir, loc, a, b, sb.ptr);
      return;
    }
    if (!same(a.type, b.type)) {
      // A new type makes every comparison below it meaningless: report the type only.
      this.emit("type-changed", loc, `${sb.ptr}/type`, `type ${show(a.type)} → ${show(b.type)}`);
      return;
    }
    if (!same(a.default, b.default))
      this.emit("default-changed", loc, `${sb.ptr}/default`, `default ${show(a.default)} → ${show(b.default)}`);
    this.nullable(dir, loc, a, b, sb.ptr);
    this.enumValues(dir, loc, a, b, sb.ptr);
    this.constraints(dir, loc, a, b, sb.ptr);
    this.properties(dir, at, sa, sb, next);
    if (a.items !== undefined || b.items !== undefined) {
      this.schema(
        dir,
        at.endsWith(":") ? `${at} []` : `${at}[]`,
        { node: a.items, ptr: `${sa.ptr}/items` },
        { node: b.items, ptr: `${sb.ptr}/items` },
        next,
      );
    }
    this.additional(dir, at, sa, sb, next);
    for (const key of ["allOf", "oneOf", "anyOf"] as const) {
      if (key === union) continue;
      const la = Array.isArray(a[key]) ? (a[key] as Json[]) : [];
      const lb = Array.isArray(b[key]) ? (b[key] as Json[]) : [];
      if (la.length !== lb.length) {
        this.emit("other-changed", loc, `${sb.ptr}/${key}`, `${key} has ${lb.length} schema(s), had ${la.length}`);
        continue;
      }
      for (let i = 0; i < la.length; i++)
        this.schema(
          dir,
          at,
          { node: la[i], ptr: `${sa.ptr}/${key}/${i}` },
          { node: lb[i], ptr: `${sb.ptr}/${key}/${i}` },
          next,
        );
    }
    if (a.not !== undefined || b.not !== undefined) {
      this.schema(
        dir,
        `${loc} (not)`,
        { node: a.not, ptr: `${sa.ptr}/not` },
        { node: b.not, ptr: `${sb.ptr}/not` },
        next,
      );
    }
    this.leftovers(loc, a, b, sb.ptr, SCHEMA_HANDLED);
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
    at: string,
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
    const alternatives = (
      node: JsonObject,
      key: "anyOf" | "oneOf" | undefined,
      ptr: string,
      deref: (s: Side) => Side,
    ): Alternative[] =>
      key
        ? (node[key] as Json[]).map((n, i) => ({
            ...deref({ node: n, ptr: `${ptr}/${key}/${i}` }),
            ...(isObject(n) && typeof n.$ref === "string" ? { ref: n.$ref } : {}),
          }))
        : [{ node, ptr }];
    const before = alternatives(a, ka, sa.ptr, this.old);
    const after = alternatives(b, kb, sb.ptr, this.new);
    const keyOf = (s: Side) => canonical(withoutKeys(s.node, OUTER_KEYS));
    const removed = before.filter((x) => !after.some((y) => keyOf(x) === keyOf(y)));
    const added = after.filter((y) => !before.some((x) => keyOf(x) === keyOf(y)));
    const list = (l: Alternative[]) => l.map(describeAlternative).join(", ");
    if (added.length) {
      const rule = dir === "request" ? "request-union-widened" : "response-union-widened";
      this.emit(
        rule,
        at,
        kb ? `${sb.ptr}/${kb}` : sb.ptr,
        `${dir === "request" ? "accepts" : "may be"} ${list(added)} too (${describeShape(a, ka)} → ${describeShape(b, kb)})`,
      );
    }
    if (removed.length) {
      const rule = dir === "request" ? "request-union-narrowed" : "response-union-narrowed";
      this.emit(
        rule,
        at,
        ka ? `${sa.ptr}/${ka}` : sa.ptr,
        `${dir === "request" ? "no longer accepts" : "is never"} ${list(removed)} (${describeShape(a, ka)} → ${describeShape(b, kb)})`,
      );
    }
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

  private nullable(dir: Direction, at: string, a: JsonObject, b: JsonObject, ptr: string): void {
    const na = a.nullable === true;
    const nb = b.nullable === true;
    if (na === nb) return;
    if (dir === "response")
      this.emit(
        nb ? "response-nullable-added" : "response-nullable-removed",
        at,
        `${ptr}/nullable`,
        nb ? "may now be null" : "is never null any more",
      );
    else
      this.emit(
        nb ? "request-constraint-loosened" : "request-constraint-tightened",
        at,
        `${ptr}/nullable`,
        nb ? "null now accepted" : "null no longer accepted",
      );
  }

  private enumValues(dir: Direction, at: string, a: JsonObject, b: JsonObject, ptr: string): void {
    const ea = Array.isArray(a.enum) ? (a.enum as Json[]) : undefined;
    const eb = Array.isArray(b.enum) ? (b.enum as Json[]) : undefined;
    if (!ea && !eb) return;
    const where = `${ptr}/enum`;
    // No enum at all means "any value": dropping the enum widens, adding one narrows.
    if (!ea || !eb) {
      const widened = !eb;
      const detail = widened ? `enum ${show(ea)} dropped: any value now` : `values now restricted to enum ${show(eb)}`;
      if (dir === "request")
        this.emit(widened ? "request-constraint-loosened" : "request-constraint-tightened", at, where, detail);
      else this.emit(widened ? "response-enum-value-added" : "response-enum-value-removed", at, where, detail);
      return;
    }
    const removed = ea.filter((v) => !eb.some((w) => same(v, w)));
    const added = eb.filter((v) => !ea.some((w) => same(v, w)));
    for (const v of removed)
      this.emit(
        dir === "request" ? "request-enum-value-removed" : "response-enum-value-removed",
        at,
        where,
        `enum value ${show(v)} removed`,
      );
    for (const v of added)
      this.emit(
        dir === "request" ? "request-enum-value-added" : "response-enum-value-added",
        at,
        where,
        `enum value ${show(v)} added`,
      );
  }

  private constraints(dir: Direction, at: string, a: JsonObject, b: JsonObject, ptr: string): void {
    for (const [key, kind] of CONSTRAINTS) {
      const va = a[key];
      const vb = b[key];
      if (same(va, vb)) continue;
      const tightened = tighter(kind, va, vb);
      const detail = `${key} ${show(va)} → ${show(vb)}`;
      if (dir === "response") this.emit("response-constraint-changed", at, `${ptr}/${key}`, detail);
      else
        this.emit(
          tightened ? "request-constraint-tightened" : "request-constraint-loosened",
          at,
          `${ptr}/${key}`,
          detail,
        );
    }
  }

  private properties(dir: Direction, at: string, sa: Side, sb: Side, stack: Set<string>): void {
    const a = isObject(sa.node) ? sa.node : {};
    const b = isObject(sb.node) ? sb.node : {};
    const pa = isObject(a.properties) ? a.properties : {};
    const pb = isObject(b.properties) ? b.properties : {};
    const ra = new Set(Array.isArray(a.required) ? (a.required as string[]) : []);
    const rb = new Set(Array.isArray(b.required) ? (b.required as string[]) : []);
    const removed = Object.keys(pa).filter((k) => !has(pb, k));
    const added = Object.keys(pb).filter((k) => !has(pa, k));
    const prefix = dir === "request" ? "request" : "response";
    const name = (p: string) => `${child(at)}${p}`;
    const deref = (s: (x: Side) => Side, node: Json) => s({ node, ptr: "" }).node;
    for (const [r, x] of pairRenames(
      removed,
      added,
      (k) => deref(this.old, pa[k]),
      (k) => deref(this.new, pb[k]),
      (k) => String(ra.has(k) || rb.has(k)),
    )) {
      this.emit(
        `${prefix}-property-renamed`,
        name(r),
        `${sb.ptr}/properties/${esc(x)}`,
        `property ${r} renamed to ${x}`,
      );
      removed.splice(removed.indexOf(r), 1);
      added.splice(added.indexOf(x), 1);
    }
    for (const k of removed)
      this.emit(`${prefix}-property-removed`, name(k), `${sa.ptr}/properties/${esc(k)}`, `property ${k} removed`);
    for (const k of added) {
      const rule =
        dir === "response"
          ? "response-property-added"
          : rb.has(k)
            ? "request-property-added-required"
            : "request-property-added-optional";
      this.emit(
        rule,
        name(k),
        `${sb.ptr}/properties/${esc(k)}`,
        `${dir === "request" ? (rb.has(k) ? "required " : "optional ") : ""}property ${k} added`,
      );
    }
    for (const k of Object.keys(pb)) {
      if (!has(pa, k)) continue;
      const ptr = `${sb.ptr}/required`;
      if (!ra.has(k) && rb.has(k)) this.emit(`${prefix}-property-made-required`, name(k), ptr, `${k} is now required`);
      if (ra.has(k) && !rb.has(k))
        this.emit(
          dir === "response" ? "response-property-no-longer-required" : "request-property-made-optional",
          name(k),
          ptr,
          `${k} is no longer required`,
        );
      this.schema(
        dir,
        name(k),
        { node: pa[k], ptr: `${sa.ptr}/properties/${esc(k)}` },
        { node: pb[k], ptr: `${sb.ptr}/properties/${esc(k)}` },
        stack,
      );
    }
    // `required` naming a property the schema does not declare (allowed by JSON Schema).
    for (const k of rb)
      if (!has(pb, k) && !ra.has(k))
        this.emit(`${prefix}-property-made-required`, name(k), `${sb.ptr}/required`, `${k} is now required`);
    for (const k of ra)
      if (!has(pa, k) && !rb.has(k))
        this.emit(
          dir === "response" ? "response-property-no-longer-required" : "request-property-made-optional",
          name(k),
          `${sb.ptr}/required`,
          `${k} is no longer required`,
        );
  }

  private additional(dir: Direction, at: string, sa: Side, sb: Side, stack: Set<string>): void {
    const a = (isObject(sa.node) ? sa.node : {}).additionalProperties;
    const b = (isObject(sb.node) ? sb.node : {}).additionalProperties;
    if (isObject(a) && isObject(b)) {
      this.schema(
        dir,
        `${child(at)}{*}`,
        { node: a, ptr: `${sa.ptr}/additionalProperties` },
        { node: b, ptr: `${sb.ptr}/additionalProperties` },
        stack,
      );
      return;
    }
    if (same(a, b)) return;
    // Absent, true and {} all allow any extra property; false forbids them.
    const open = (v: Json) => v === undefined || v === true || isObject(v);
    const ptr = `${sb.ptr}/additionalProperties`;
    const detail = `additionalProperties ${show(a)} → ${show(b)}`;
    if (open(a) && open(b)) this.emit("other-changed", at, ptr, detail);
    else if (dir === "request")
      this.emit(open(b) ? "request-constraint-loosened" : "request-constraint-tightened", at, ptr, detail);
    else this.emit(open(b) ? "response-property-added" : "response-constraint-changed", at, ptr, detail);
  }

  // ── shared ─────────────────────────────────────────────────────────────────────────────
  private deprecated(at: string, a: JsonObject, b: JsonObject, ptr: string): void {
    if (a.deprecated !== true && b.deprecated === true)
      this.emit("operation-deprecated", at, `${ptr}/deprecated`, `${at} deprecated`);
    else if (a.deprecated === true && b.deprecated !== true)
      this.emit("documentation-changed", at, `${ptr}/deprecated`, `${at} no longer deprecated`);
  }

  private docs(at: string, a: JsonObject, b: JsonObject, pa: string, pb: string): void {
    for (const key of union(a, b)) {
      if (key === "examples" && isObject(ownKey(a, key)) && isObject(ownKey(b, key))) {
        this.examples(
          at,
          { node: ownKey(a, key), ptr: `${pa}/examples` },
          { node: ownKey(b, key), ptr: `${pb}/examples` },
        );
        continue;
      }
      if (!isDocKey(key) || same(ownKey(a, key), ownKey(b, key))) continue;
      const verb = !has(a, key) ? "added" : !has(b, key) ? "removed" : "changed";
      this.emit("documentation-changed", at, `${has(b, key) ? pb : pa}/${esc(key)}`, `${key} ${verb}`);
    }
  }

  /**
   * An `examples` map (name → Example Object or its `$ref`, OAS 3.0 §4.7.11/§4.7.19). A named example
   * such as `#/components/examples/codespace-machines-list` is compared through its `$ref`, so a new
   * value is a documentation change with the component's pointer, once per operation that shows it.
   */
  private examples(at: string, oa: Side, nb: Side): void {
    const a = oa.node as JsonObject;
    const b = nb.node as JsonObject;
    for (const name of union(a, b)) {
      const where = `${at} example ${name}`;
      if (!has(b, name)) {
        this.emit("documentation-changed", where, `${oa.ptr}/${esc(name)}`, `example ${name} removed`);
        continue;
      }
      if (!has(a, name)) {
        this.emit("documentation-changed", where, `${nb.ptr}/${esc(name)}`, `example ${name} added`);
        continue;
      }
      const ea = this.old({ node: a[name], ptr: `${oa.ptr}/${esc(name)}` });
      const eb = this.new({ node: b[name], ptr: `${nb.ptr}/${esc(name)}` });
      if (same(ea.node, eb.node)) continue;
      if (!isObject(ea.node) || !isObject(eb.node)) {
        this.emit("documentation-changed", where, eb.node === undefined ? ea.ptr : eb.ptr, `example ${name} changed`);
        continue;
      }
      for (const key of union(ea.node, eb.node)) {
        if (same(ownKey(ea.node, key), ownKey(eb.node, key))) continue;
        const verb = !has(ea.node, key) ? "added" : !has(eb.node, key) ? "removed" : "changed";
        this.emit(
          "documentation-changed",
          where,
          `${has(eb.node, key) ? eb.ptr : ea.ptr}/${esc(key)}`,
          `example ${name} ${key} ${verb}`,
        );
      }
    }
  }

  /** Anything not handled above and not documentation: reported, and breaking until a rule says otherwise. */
  private leftovers(at: string, a: JsonObject, b: JsonObject, ptr: string, handled: readonly string[]): void {
    for (const key of union(a, b)) {
      if (handled.includes(key) || isDocKey(key) || key === "$ref" || same(ownKey(a, key), ownKey(b, key))) continue;
      this.emit("other-changed", at, `${ptr}/${esc(key)}`, `${key} ${show(ownKey(a, key))} → ${show(ownKey(b, key))}`);
    }
  }
}

type Direction = "request" | "response";

/** How a constraint keyword tightens: a larger value, a smaller value, or any new value. */
type ConstraintKind = "max" | "min" | "flag" | "value";
const CONSTRAINTS: readonly (readonly [string, ConstraintKind])[] = [
  ["maxLength", "max"],
  ["maxItems", "max"],
  ["maximum", "max"],
  ["maxProperties", "max"],
  ["minLength", "min"],
  ["minItems", "min"],
  ["minimum", "min"],
  ["minProperties", "min"],
  ["exclusiveMaximum", "flag"],
  ["exclusiveMinimum", "flag"],
  ["uniqueItems", "flag"],
  ["pattern", "value"],
  ["format", "value"],
  ["multipleOf", "value"],
];
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

function tighter(kind: ConstraintKind, a: Json, b: Json): boolean {
  if (b === undefined) return false; // a constraint dropped always loosens
  if (a === undefined) return kind !== "flag" || b === true;
  if (kind === "max") return Number(b) < Number(a);
  if (kind === "min") return Number(b) > Number(a);
  if (kind === "flag") return b === true;
  return true; // a different pattern, format or multipleOf: cannot prove it accepts every old value
}

/**
 * Pairs removed with added names whose (dereferenced) definitions are equal and that share a group
 * (parameter location, or required-ness): such a pair is reported once, as a rename.
 */
function pairRenames(
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

interface OperationAt {
  readonly method: string;
  readonly path: string;
  readonly node: JsonObject;
  readonly ptr: string;
  readonly pathPtr: string;
  readonly pathParameters: Json;
}

/** `GET /path` → operation, in document order. */
function operationsOf(doc: JsonObject): Map<string, OperationAt> {
  const out = new Map<string, OperationAt>();
  for (const { path, method, operation, pathItem, pointer } of forEachOperation(doc))
    out.set(`${method.toUpperCase()} ${path}`, {
      method,
      path,
      node: operation,
      ptr: pointer,
      pathPtr: pointerOf(["paths", path]),
      pathParameters: pathItem.parameters,
    });
  return out;
}

const str = (v: Json) => (typeof v === "string" ? v : undefined);
const union = (a: JsonObject, b: JsonObject) => [...new Set([...Object.keys(a), ...Object.keys(b)])];
const show = (v: Json) => (v === undefined ? "(none)" : JSON.stringify(v));
/** `response 200 application/json:` + `machines` → `response 200 application/json: machines.` */
const child = (at: string) =>
  at.endsWith(":") ? `${at} ` : at.endsWith("]") || at.endsWith("}") || /[\w-]$/.test(at) ? `${at}.` : `${at} `;

/**
 * Compares the operations of two OpenAPI 3.0 documents (whole descriptions or slices), following
 * `$ref`s, and classifies every difference with the rules in `rules.ts`. Operations are matched by
 * method and path; a changed path is a removed and an added operation.
 */
export function diffDescriptions(
  oldDoc: Record<string, unknown>,
  newDoc: Record<string, unknown>,
  settings: SemverSettings = DEFAULT_SEMVER,
  labels: DiffLabels = { old: "old description", new: "new description" },
): DiffResult {
  const comparer = new Comparer(oldDoc, newDoc, settings, labels);
  comparer.run();
  const order = (c: Change) =>
    `${c.operation ? `${c.operation.path} ${c.operation.method}` : ""}\u0000${c.at}\u0000${c.pointer}\u0000${c.detail}`;
  const changes = [...new Map(comparer.changes.map((c) => [`${c.rule}${order(c)}`, c])).values()].sort((x, y) =>
    order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0,
  );
  const counts: Record<Bump, number> = { major: 0, minor: 0, patch: 0 };
  let bump: Bump | undefined;
  for (const c of changes) {
    counts[c.bump]++;
    bump = maxBump(bump, c.bump);
  }
  return { changes, bump, counts };
}
