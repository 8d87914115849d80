import type { Repository } from "./repository.js";
import { parseScript, type SimpleCommand } from "./shell.js";

/**
 * The policy for what a workflow may run, as data. A `run:` step is a thin wrapper: it calls at
 * least one repository entry point — a script file (`bash .ci/run`, `node scripts/ci/x.mjs`) or a
 * root package.json script through the pinned pnpm — and otherwise only glue from this list.
 */
export const GLUE_COMMANDS: ReadonlySet<string> = new Set(["echo", "printf", "cat", "test", "true", "git"]);

/** pnpm's own commands a workflow may call (`pnpm <name>` that is not a root script). */
export const PNPM_COMMANDS: ReadonlySet<string> = new Set(["install", "i"]);

/** Interpreters whose first argument is a repository file. */
const INTERPRETERS: ReadonlySet<string> = new Set(["bash", "sh", "node"]);

export interface CommandCheck {
  /** Entry points the script calls, e.g. `node scripts/ci/spec-drift.mjs`, `pnpm run version`. */
  readonly entryPoints: readonly string[];
  readonly problems: readonly string[];
}

/** Checks a `run:` script (or a command-valued action input) against the repository. */
export function checkCommands(script: string, repo: Repository, cwd = "."): CommandCheck {
  const parsed = parseScript(script);
  const entryPoints: string[] = [];
  const problems = parsed.unsupported.map(
    (what) => `uses ${what}: move that logic into a repository script (scripts/ci, scripts/release)`,
  );
  for (const command of parsed.commands) checkOne(command.words, repo, cwd, entryPoints, problems);
  return { entryPoints, problems };
}

function checkOne(
  words: SimpleCommand["words"],
  repo: Repository,
  cwd: string,
  entryPoints: string[],
  problems: string[],
): void {
  const [program, ...args] = words;
  if (program === undefined) return;
  if (GLUE_COMMANDS.has(program)) return;
  if (INTERPRETERS.has(program)) {
    const file = args[0];
    if (file === undefined || file.startsWith("-") || file.includes("$")) {
      problems.push(`\`${words.join(" ")}\`: ${program} must be given a repository script as its first argument`);
      return;
    }
    if (!repo.fileExists(file, cwd)) {
      problems.push(`\`${program} ${file}\`: ${file} does not exist in the repository`);
      return;
    }
    entryPoints.push(`${program} ${file}`);
    // A wrapper such as configure-registry runs the command after `--`: check that one too.
    const split = args.indexOf("--");
    if (split > 0) checkOne(args.slice(split + 1), repo, cwd, entryPoints, problems);
    return;
  }
  if (program.includes("/") && !program.includes("$")) {
    if (!repo.fileExists(program, cwd)) problems.push(`\`${program}\` does not exist in the repository`);
    else entryPoints.push(program);
    return;
  }
  if (program === "npx") {
    const at = args.findIndex((a) => !a.startsWith("-"));
    const [spec, ...pnpmArgs] = at < 0 ? [] : args.slice(at);
    if (!spec?.startsWith("pnpm@") && spec !== "pnpm") {
      problems.push(
        `\`${words.join(" ")}\`: npx may only start the repository's pnpm (${repo.packageManager ?? "packageManager is not set"})`,
      );
      return;
    }
    if (spec !== repo.packageManager) {
      problems.push(
        `\`npx ${spec}\`: the repository's pnpm is ${repo.packageManager ?? "not set (package.json packageManager)"}`,
      );
      return;
    }
    checkPnpm(pnpmArgs, repo, entryPoints, problems);
    return;
  }
  if (program === "pnpm") {
    checkPnpm(args, repo, entryPoints, problems);
    return;
  }
  if (program === "npm" && args[0] === "run" && args[1]) {
    if (!(args[1] in repo.scripts)) problems.push(`\`npm run ${args[1]}\`: package.json has no script "${args[1]}"`);
    else entryPoints.push(`npm run ${args[1]}`);
    return;
  }
  problems.push(
    `calls \`${program}\`, which is not a repository script: put that logic in scripts/ci or scripts/release and call it`,
  );
}

function checkPnpm(args: readonly string[], repo: Repository, entryPoints: string[], problems: string[]): void {
  const [first, second] = args.filter((a) => !a.startsWith("-"));
  if (first === undefined) {
    problems.push("`pnpm` without a command");
    return;
  }
  if (first === "run") {
    if (second === undefined || !(second in repo.scripts))
      problems.push(`\`pnpm run ${second ?? ""}\`: package.json has no script "${second ?? ""}"`);
    else entryPoints.push(`pnpm run ${second}`);
    return;
  }
  if (first in repo.scripts) {
    entryPoints.push(`pnpm ${first}`);
    return;
  }
  if (PNPM_COMMANDS.has(first)) {
    entryPoints.push(`pnpm ${first}`);
    return;
  }
  problems.push(
    `\`pnpm ${first}\`: neither a package.json script nor one of pnpm's commands allowed here (${[...PNPM_COMMANDS].join(", ")})`,
  );
}
