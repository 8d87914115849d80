import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { checkCommands } from "./commands.js";
import type { Finding } from "./finding.js";
import type { Repository } from "./repository.js";

/** A third-party action pinned by commit: `owner/repo[/path]@<40 hex>`, with `# v1.2.3` beside it. */
const PINNED = /^[\w.-]+\/[\w.-]+(?:\/[^@\s]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v\d+(?:\.\d+)*\b/;

/**
 * Third-party actions allowed without a commit pin, each with the reason. Empty: every action
 * used here was pinned to the commit its release tag points to.
 */
export const UNPINNED_EXCEPTIONS: Readonly<Record<string, string>> = {};

/**
 * Action inputs that are shell commands, checked like `run:` steps (the action runs them in the
 * repository): changesets/action's `version` and `publish`.
 */
export const COMMAND_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "changesets/action": ["version", "publish"],
};

/**
 * The repository's rules for a workflow file, beyond GitHub's syntax:
 * - `pinned-actions`: every third-party `uses:` names a full commit SHA and its version comment;
 * - `permissions`: the workflow declares `permissions:` and grants nothing beyond read at the top
 *   (writes belong to the job that needs them);
 * - `concurrency`: a workflow that runs on a schedule or may write declares a top-level
 *   `concurrency:` with `cancel-in-progress: false` (a run that pushes is never cut off);
 * - `timeout`: every job sets `timeout-minutes` (GitHub's default of 6 hours hides a hang);
 * - `run-scripts`: every `run:` step (and command input) calls repository scripts that exist, and
 *   package.json scripts that exist, through the pinned pnpm (see `commands.ts`).
 */
export function checkPolicy(file: string, content: string, repo: Repository): Finding[] {
  const lines = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lines });
  const findings: Finding[] = [];
  const at = (node: Node | null | undefined, rule: string, message: string) => {
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    findings.push({ file, line: pos.line, column: pos.col, rule, message });
  };
  if (doc.errors.length || !isMap(doc.contents)) return findings; // syntax findings say why
  const top = doc.contents;

  // permissions
  const permissions = top.get("permissions", true) as Node | undefined;
  if (permissions === undefined)
    at(
      top,
      "permissions",
      "declare `permissions:` at the top (e.g. `contents: read`); grant writes in the job that needs them",
    );
  else if (isScalar(permissions) && /write/.test(String(permissions.value)))
    at(
      permissions,
      "permissions",
      `top-level permissions are "${String(permissions.value)}": grant writes in the job that needs them`,
    );
  else if (isMap(permissions)) {
    for (const pair of permissions.items) {
      if (isScalar(pair.value) && pair.value.value === "write")
        at(
          pair.value,
          "permissions",
          `top-level \`${String((pair.key as { value?: unknown }).value)}: write\`: grant writes in the job that needs them`,
        );
    }
  }

  // concurrency
  const on = top.get("on", true) as Node | undefined;
  const scheduled = isMap(on) && on.has("schedule");
  const jobsNode = top.get("jobs", true);
  const writes =
    grantsWrite(permissions) ||
    (isMap(jobsNode) &&
      jobsNode.items.some((j) => isMap(j.value) && grantsWrite(j.value.get("permissions", true) as Node | undefined)));
  if (scheduled || writes) {
    const concurrency = top.get("concurrency", true) as Node | undefined;
    const why = scheduled ? "it runs on a schedule" : "it may write";
    if (concurrency === undefined)
      at(
        top,
        "concurrency",
        `declare a top-level \`concurrency:\` (group per workflow, cancel-in-progress: false): ${why}`,
      );
    else if (!isMap(concurrency) || concurrency.get("cancel-in-progress") !== false)
      at(
        concurrency,
        "concurrency",
        `\`concurrency:\` needs \`cancel-in-progress: false\`: ${why}, and a run must not be cut off half-way`,
      );
  }

  // jobs: timeout, uses, run
  const jobs = top.get("jobs", true);
  if (!isMap(jobs)) return findings;
  const workflowCwd = workingDirectory(top);
  for (const jobPair of jobs.items) {
    const job = jobPair.value;
    if (!isMap(job)) continue;
    const name = String((jobPair.key as { value?: unknown }).value);
    const jobUses = job.get("uses", true) as Node | undefined;
    if (jobUses !== undefined) checkUses(jobUses, at);
    else if (!job.has("timeout-minutes"))
      at(jobPair.key as Node, "timeout", `job \`${name}\` has no \`timeout-minutes\``);
    const steps = job.get("steps", true);
    if (!isSeq(steps)) continue;
    const jobCwd = workingDirectory(job) ?? workflowCwd ?? ".";
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const cwd = isScalar(step.get("working-directory", true)) ? String(step.get("working-directory")) : jobCwd;
      const uses = step.get("uses", true) as Node | undefined;
      if (uses !== undefined) {
        checkUses(uses, at);
        const action = isScalar(uses) ? String(uses.value).split("@")[0]! : "";
        const withMap = step.get("with", true);
        for (const input of COMMAND_INPUTS[action] ?? []) {
          const value = isMap(withMap) ? (withMap.get(input, true) as Node | undefined) : undefined;
          if (isScalar(value)) checkRun(String(value.value), value, `${action} input \`${input}\``, cwd, repo, at);
        }
      }
      const run = step.get("run", true) as Node | undefined;
      if (isScalar(run)) checkRun(String(run.value), run, "`run:` step", cwd, repo, at);
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

type At = (node: Node | null | undefined, rule: string, message: string) => void;

function checkUses(node: Node, at: At): void {
  if (!isScalar(node)) return;
  const ref = String(node.value);
  if (ref.startsWith("./") || ref.startsWith("docker://")) return; // in this repository, or an image digest's business
  const action = ref.split("@")[0]!;
  if (action in UNPINNED_EXCEPTIONS) return;
  if (!PINNED.test(ref)) {
    at(node, "pinned-actions", `\`${ref}\` is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)`);
    return;
  }
  if (!VERSION_COMMENT.test(node.comment ?? ""))
    at(node, "pinned-actions", `\`${ref}\` needs the release it points to as a comment (\`# vX.Y.Z\`)`);
}

function checkRun(script: string, node: Node, what: string, cwd: string, repo: Repository, at: At): void {
  if (/\$\{\{/.test(script))
    at(node, "run-scripts", `${what} splices \`\${{ … }}\` into the script: pass it through \`env:\` instead`);
  const { entryPoints, problems } = checkCommands(script.replace(/\$\{\{[\s\S]*?\}\}/g, "EXPR"), repo, cwd);
  for (const p of problems) at(node, "run-scripts", `${what}: ${p}`);
  if (!entryPoints.length && !problems.length)
    at(
      node,
      "run-scripts",
      `${what} calls no repository script: workflows are thin wrappers around scripts that also run locally`,
    );
}

/** `write-all`, or a map of scopes with at least one `write`. */
function grantsWrite(node: Node | undefined): boolean {
  if (isScalar(node)) return String(node.value) === "write-all";
  return isMap(node) && node.items.some((pair) => isScalar(pair.value) && pair.value.value === "write");
}

function workingDirectory(map: YAMLMap): string | undefined {
  const value = map.getIn(["defaults", "run", "working-directory"]);
  return typeof value === "string" ? value : undefined;
}
