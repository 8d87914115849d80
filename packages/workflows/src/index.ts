import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Finding } from "./finding.js";
import { checkPolicy } from "./policy.js";
import { readRepository } from "./repository.js";
import { checkSyntax } from "./syntax.js";

export { formatFinding, type Finding } from "./finding.js";
export { checkSyntax } from "./syntax.js";
export { checkPolicy, COMMAND_INPUTS, UNPINNED_EXCEPTIONS } from "./policy.js";
export { checkCommands, GLUE_COMMANDS, PNPM_COMMANDS } from "./commands.js";
export { parseScript } from "./shell.js";
export { readRepository, type Repository } from "./repository.js";

/** One workflow file and what is wrong with it (nothing, when `findings` is empty). */
export interface WorkflowReport {
  readonly file: string;
  readonly findings: readonly Finding[];
}

/**
 * Every `*.yml` / `*.yaml` in `<root>/.github/workflows`, checked by GitHub's parser and then, when
 * GitHub accepts it, by the repository policy. Fails when there is no workflow at all.
 */
export async function validateWorkflows(root: string): Promise<WorkflowReport[]> {
  const dir = join(root, ".github", "workflows");
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  if (!names.length) throw new Error(`${dir} has no workflow files`);
  const repo = readRepository(root);
  const reports: WorkflowReport[] = [];
  for (const name of names) {
    const file = relative(root, join(dir, name)).split("\\").join("/");
    const content = await readFile(join(dir, name), "utf8");
    const syntax = await checkSyntax(file, content);
    reports.push({ file, findings: syntax.length ? syntax : checkPolicy(file, content, repo) });
  }
  return reports;
}
