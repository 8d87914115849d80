/**
 * The method name of an operation: the part of the operationId after its category, camelCased —
 * the names Octokit users know (`codespaces/repo-machines-for-authenticated-user` →
 * `repoMachinesForAuthenticatedUser`, as in `octokit.rest.codespaces.repoMachinesForAuthenticatedUser`).
 */
export function methodNameOf(operationId: string): string {
  const action = operationId.includes("/") ? operationId.slice(operationId.indexOf("/") + 1) : operationId;
  const words = action.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (!words.length) throw new Error(`operationId "${operationId}" has no usable name`);
  const name = words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1)))
    .join("");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
