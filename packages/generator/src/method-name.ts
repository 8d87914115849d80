import { SpecError } from "@codespaces-clients/spec";

/**
 * The method name of an operation: the part of the operationId after its category, camelCased —
 * the names Octokit users know (`codespaces/repo-machines-for-authenticated-user` →
 * `repoMachinesForAuthenticatedUser`, as in `octokit.rest.codespaces.repoMachinesForAuthenticatedUser`).
 */
export function methodNameOf(operationId: string): string {
  return camelCase(
    operationId.includes("/") ? operationId.slice(operationId.indexOf("/") + 1) : operationId,
    operationId,
  );
}

/**
 * The namespace of an operation when a slice spans several categories: the part of the operationId
 * before the `/`, camelCased (`codespaces/list-for-authenticated-user` → `codespaces`,
 * `dependency-graph/…` → `dependencyGraph`), as in `octokit.rest.codespaces.…`.
 */
export function namespaceOf(operationId: string): string {
  return camelCase(
    operationId.includes("/") ? operationId.slice(0, operationId.indexOf("/")) : "operations",
    operationId,
  );
}

function camelCase(text: string, operationId: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (!words.length) throw new Error(`operationId "${operationId}" has no usable name`);
  const name = words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1)))
    .join("");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * What a generated client already has besides its operation methods: `paginate` (packages with
 * paginated operations; the typed path client is `createPathClient(client)` and middleware
 * `useMiddleware(client, …)`, not members), what every object inherits (`toString`,
 * `constructor`, …), and `use` and `eject`, kept free: they were the middleware methods of 0.x and
 * would read as such.
 */
export const CLIENT_MEMBERS: readonly string[] = [
  "use",
  "eject",
  "paginate",
  ...Object.getOwnPropertyNames(Object.prototype),
];

/** Refuses a method (or namespace) name that would shadow a client member, naming the operation. */
export function checkMethodName(name: string, operationId: string, where: string, kind = "method"): void {
  if (CLIENT_MEMBERS.includes(name)) {
    throw new SpecError(
      where,
      `operationId ${operationId} becomes ${kind} ${name}, which collides with the client's own ${name}; rename the operationId`,
    );
  }
}
