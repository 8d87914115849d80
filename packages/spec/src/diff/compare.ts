/**
 * The description diff: operations matched by method and path, then their parameters, request body,
 * responses, headers and content (keyed maps, `keyed` in compare-base.ts); schemas in compare-schema.ts.
 */
import { forEachOperation, isObject, pointerOf } from "@codespaces-clients/openapi-model";
import { below, type JsonObject, keyedDiff, member, type Side, same, str } from "./compare-base.js";
import { pairRenames, SchemaComparer } from "./compare-schema.js";
import { Location } from "./location.js";
import { type Bump, DEFAULT_SEMVER, maxBump, type RuleId, type SemverSettings } from "./rules.js";

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

class Comparer extends SchemaComparer {
  run(): void {
    this.op = undefined;
    for (const key of ["info", "servers", "externalDocs", "tags"]) {
      if (!same(this.oldDoc[key], this.newDoc[key]))
        this.emit("documentation-changed", Location.of("document", key), pointerOf([key]), `${key} changed`);
    }
    const oldOps = operationsOf(this.oldDoc);
    const newOps = operationsOf(this.newDoc);
    for (const [key, o] of oldOps) {
      const n = newOps.get(key);
      this.op = { method: o.method.toUpperCase(), path: o.path, operationId: str((n ?? o).node.operationId) ?? key };
      if (!n) this.emit("operation-removed", Location.of(key), o.ptr, `${key} removed`);
      else this.operation(o, n);
    }
    for (const [key, n] of newOps) {
      if (oldOps.has(key)) continue;
      this.op = { method: n.method.toUpperCase(), path: n.path, operationId: str(n.node.operationId) ?? key };
      this.emit("operation-added", Location.of(key), n.ptr, `${key} added`);
    }
    this.op = undefined;
  }

  private operation(o: OperationAt, n: OperationAt): void {
    const a = o.node;
    const b = n.node;
    if (a.operationId !== b.operationId) {
      this.emit(
        "operation-id-changed",
        Location.of("operationId"),
        below(n.ptr, "operationId"),
        `operationId ${String(a.operationId)} → ${String(b.operationId)}`,
      );
    }
    const at = Location.of("operation");
    this.deprecated(at, a, b, n.ptr);
    this.docs(at, a, b, o.ptr, n.ptr);
    this.parameters(o, n);
    this.requestBody(member(o, "requestBody"), member(n, "requestBody"));
    this.responses(member(o, "responses"), member(n, "responses"));
    this.leftovers(at, a, b, n.ptr, ["operationId", "deprecated", "parameters", "requestBody", "responses"]);
  }

  private parameters(o: OperationAt, n: OperationAt): void {
    const collect = (op: OperationAt, deref: (s: Side) => Side) => {
      const map = new Map<string, Side & { readonly node: JsonObject; readonly at: Location }>();
      // Path-level parameters apply unless the operation overrides them (OAS 3.0 §4.7.9).
      for (const list of [member(op.pathItem, "parameters"), member(op, "parameters")]) {
        if (!Array.isArray(list.node)) continue;
        for (let i = 0; i < list.node.length; i++) {
          const { node, ptr } = deref(member(list, i));
          if (isObject(node))
            map.set(`${String(node.in)} ${String(node.name)}`, {
              node,
              ptr,
              at: Location.of(String(node.in), "parameter", String(node.name)),
            });
        }
      }
      return map;
    };
    const before = collect(o, this.old);
    const after = collect(n, this.new);
    const { removed, added, both } = keyedDiff(before.keys(), after.keys());
    const inOf = (k: string) => k.split(" ")[0];
    for (const [r, x] of pairRenames(
      removed,
      added,
      (k) => before.get(k)!.node,
      (k) => after.get(k)!.node,
      inOf,
    )) {
      this.emit("parameter-renamed", before.get(r)!.at, after.get(x)!.ptr, `${r} renamed to ${x}`);
      removed.splice(removed.indexOf(r), 1);
      added.splice(added.indexOf(x), 1);
    }
    for (const k of removed)
      this.emit("parameter-removed", before.get(k)!.at, before.get(k)!.ptr, `${k} parameter removed`);
    for (const k of added) {
      const p = after.get(k)!;
      const required = p.node.required === true;
      this.emit(
        required ? "parameter-added-required" : "parameter-added-optional",
        p.at,
        p.ptr,
        `${required ? "required" : "optional"} ${k} parameter added`,
      );
    }
    for (const k of both) {
      const a = before.get(k)!;
      const b = after.get(k)!;
      const at = b.at;
      if (a.node.required !== true && b.node.required === true)
        this.emit("parameter-made-required", at, b.ptr, `${at} is now required`);
      if (a.node.required === true && b.node.required !== true)
        this.emit("parameter-made-optional", at, b.ptr, `${at} is now optional`);
      this.deprecated(at, a.node, b.node, b.ptr);
      this.docs(at, a.node, b.node, a.ptr, b.ptr);
      this.schema("request", at, member(a, "schema"), member(b, "schema"), new Set());
      this.content("request", at, member(a, "content"), member(b, "content"));
      this.leftovers(at, a.node, b.node, b.ptr, ["in", "name", "required", "deprecated", "schema", "content"]);
    }
  }

  private requestBody(oa: Side, nb: Side): void {
    const a = this.old(oa);
    const b = this.new(nb);
    const at = Location.of("request body");
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
    this.content("request", at, member(a, "content"), member(b, "content"));
    this.leftovers(at, a.node, b.node, b.ptr, ["required", "content"]);
  }

  private responses(oa: Side, nb: Side): void {
    this.keyed(oa, nb, {
      removed: (status, a) =>
        this.emit("response-status-removed", Location.of("response", status), a.ptr, `response ${status} removed`),
      added: (status, b) =>
        this.emit("response-status-added", Location.of("response", status), b.ptr, `response ${status} added`),
      both: (status, ma, mb) => {
        const at = Location.of("response", status);
        const ra = this.old(ma);
        const rb = this.new(mb);
        if (!isObject(ra.node) || !isObject(rb.node)) return;
        this.docs(at, ra.node, rb.node, ra.ptr, rb.ptr);
        this.headers(at, member(ra, "headers"), member(rb, "headers"));
        this.content("response", at, member(ra, "content"), member(rb, "content"));
        this.leftovers(at, ra.node, rb.node, rb.ptr, ["headers", "content"]);
      },
    });
  }

  private headers(at: Location, oa: Side, nb: Side): void {
    this.keyed(oa, nb, {
      removed: (name, a) =>
        this.emit("response-header-removed", at.label("header", name), a.ptr, `header ${name} removed`),
      added: (name, b) => this.emit("response-header-added", at.label("header", name), b.ptr, `header ${name} added`),
      both: (name, ma, mb) => {
        const where = at.label("header", name);
        const ha = this.old(ma);
        const hb = this.new(mb);
        if (!isObject(ha.node) || !isObject(hb.node)) return;
        this.docs(where, ha.node, hb.node, ha.ptr, hb.ptr);
        this.schema("response", where, member(ha, "schema"), member(hb, "schema"), new Set());
        this.leftovers(where, ha.node, hb.node, hb.ptr, ["schema"]);
      },
    });
  }

  /** A Content map (media type → Media Type Object), request or response. */
  private content(dir: "request" | "response", at: Location, oa: Side, nb: Side): void {
    this.keyed(oa, nb, {
      removed: (type, a) => this.emit("media-type-removed", at.label(type), a.ptr, `media type ${type} removed`),
      added: (type, b) => this.emit("media-type-added", at.label(type), b.ptr, `media type ${type} added`),
      both: (type, ma, mb) => {
        const where = at.label(type);
        if (!isObject(ma.node) || !isObject(mb.node)) return;
        this.docs(where, ma.node, mb.node, ma.ptr, mb.ptr);
        this.schema(dir, where.body(), member(ma, "schema"), member(mb, "schema"), new Set());
        this.leftovers(where, ma.node, mb.node, mb.ptr, ["schema"]);
      },
    });
  }
}

interface OperationAt extends Side {
  readonly method: string;
  readonly path: string;
  readonly node: JsonObject;
  readonly pathItem: Side;
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
      pathItem: { node: pathItem, ptr: pointerOf(["paths", path]) },
    });
  return out;
}

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
