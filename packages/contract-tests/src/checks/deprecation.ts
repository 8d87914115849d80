import type { CaseContext } from "./context.js";

/**
 * The runtime's deprecation warning, held to what each client of the case received: a client that got
 * an answer with a `Deprecation` or `Sunset` header (Prism sends `Deprecation` for an operation the
 * description marks `deprecated`) logs exactly one warning, naming the operation; a client that got
 * none logs none. The lines land in the case result, not on the console.
 */
export function checkDeprecationWarnings(ctx: CaseContext): void {
  const { op, result } = ctx;
  for (const [i, client] of ctx.clients.entries()) {
    const lines = client.deprecationWarnings;
    result.deprecationWarnings.push(...lines);
    const expected = client.deprecationHeaders > 0 ? 1 : 0;
    const which = `client ${i + 1} of the case`;
    if (lines.length !== expected) {
      ctx.fail(
        "deprecation-warning",
        "/log/warn",
        `${which} got ${client.deprecationHeaders} answer(s) with a Deprecation or Sunset header and logged ${lines.length} deprecation warning(s), expected ${expected === 1 ? "exactly one" : "none"}${lines[0] ? `: ${lines[0]}` : ""}`,
      );
    } else if (expected === 1 && !lines[0]!.startsWith(`${op.operationId} is deprecated`)) {
      ctx.fail(
        "deprecation-warning",
        "/log/warn",
        `${which}'s deprecation warning does not name ${op.operationId}: ${lines[0]}`,
      );
    }
  }
}
