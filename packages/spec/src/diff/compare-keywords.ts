/** Schema keywords compared by value: `nullable`, `enum` and the constraint keywords. */
import { below, type Direction, type Json, type JsonObject, same, show } from "./compare-base.js";
import type { Location } from "./location.js";
import type { RuleId } from "./rules.js";

export type Emit = (rule: RuleId, at: Location, pointer: string, detail: string) => void;

/** How a constraint keyword tightens: a larger value, a smaller value, or any new value. */
type ConstraintKind = "max" | "min" | "flag" | "value";
export const CONSTRAINTS: readonly (readonly [string, ConstraintKind])[] = [
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

export function nullable(emit: Emit, dir: Direction, at: Location, a: JsonObject, b: JsonObject, ptr: string): void {
  const na = a.nullable === true;
  const nb = b.nullable === true;
  if (na === nb) return;
  if (dir === "response")
    emit(
      nb ? "response-nullable-added" : "response-nullable-removed",
      at,
      below(ptr, "nullable"),
      nb ? "may now be null" : "is never null any more",
    );
  else
    emit(
      nb ? "request-constraint-loosened" : "request-constraint-tightened",
      at,
      below(ptr, "nullable"),
      nb ? "null now accepted" : "null no longer accepted",
    );
}

export function enumValues(emit: Emit, dir: Direction, at: Location, a: JsonObject, b: JsonObject, ptr: string): void {
  const ea = Array.isArray(a.enum) ? (a.enum as Json[]) : undefined;
  const eb = Array.isArray(b.enum) ? (b.enum as Json[]) : undefined;
  if (!ea && !eb) return;
  const where = below(ptr, "enum");
  // No enum at all means "any value": dropping the enum widens, adding one narrows.
  if (!ea || !eb) {
    const widened = !eb;
    const detail = widened ? `enum ${show(ea)} dropped: any value now` : `values now restricted to enum ${show(eb)}`;
    if (dir === "request")
      emit(widened ? "request-constraint-loosened" : "request-constraint-tightened", at, where, detail);
    else emit(widened ? "response-enum-value-added" : "response-enum-value-removed", at, where, detail);
    return;
  }
  for (const v of ea.filter((v) => !eb.some((w) => same(v, w))))
    emit(
      dir === "request" ? "request-enum-value-removed" : "response-enum-value-removed",
      at,
      where,
      `enum value ${show(v)} removed`,
    );
  for (const v of eb.filter((v) => !ea.some((w) => same(v, w))))
    emit(
      dir === "request" ? "request-enum-value-added" : "response-enum-value-added",
      at,
      where,
      `enum value ${show(v)} added`,
    );
}

export function constraints(emit: Emit, dir: Direction, at: Location, a: JsonObject, b: JsonObject, ptr: string): void {
  for (const [key, kind] of CONSTRAINTS) {
    const va = a[key];
    const vb = b[key];
    if (same(va, vb)) continue;
    const detail = `${key} ${show(va)} → ${show(vb)}`;
    if (dir === "response") emit("response-constraint-changed", at, below(ptr, key), detail);
    else
      emit(
        tighter(kind, va, vb) ? "request-constraint-tightened" : "request-constraint-loosened",
        at,
        below(ptr, key),
        detail,
      );
  }
}

function tighter(kind: ConstraintKind, a: Json, b: Json): boolean {
  if (b === undefined) return false; // a constraint dropped always loosens
  if (a === undefined) return kind !== "flag" || b === true;
  if (kind === "max") return Number(b) < Number(a);
  if (kind === "min") return Number(b) > Number(a);
  if (kind === "flag") return b === true;
  return true; // a different pattern, format or multipleOf: cannot prove it accepts every old value
}
