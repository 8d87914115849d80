import { packageNameOf } from "@codespaces-clients/openapi-model";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SpecError } from "../errors.js";

/**
 * The repository that holds `specDir` as its `spec/` folder, when it is a pnpm workspace with a
 * generator; `undefined` for a spec folder elsewhere (tests work on temp copies).
 */
export function repositoryOf(specDir: string): string | undefined {
  const root = dirname(specDir);
  return existsSync(join(root, "pnpm-workspace.yaml")) &&
    existsSync(join(root, "packages", "generator", "package.json"))
    ? root
    : undefined;
}

/**
 * The npm name of the client package of an API version: the workspace package whose package.json
 * says `"githubApiVersion": "<version>"` (the generator writes it), else the generator's naming
 * convention `@codespaces-clients/machines-<version>` for a package not generated yet.
 */
export async function clientPackageName(root: string | undefined, apiVersion: string): Promise<string> {
  const packages = root ? join(root, "packages") : undefined;
  for (const dir of packages && existsSync(packages) ? await readdir(packages) : []) {
    const file = join(packages!, dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(await readFile(file, "utf8")) as { name?: string; githubApiVersion?: string };
    if (pkg.githubApiVersion === apiVersion && pkg.name) return pkg.name;
  }
  return packageNameOf(apiVersion);
}

/** The pnpm that runs this process (inside `pnpm spec`), else the root's `packageManager` via npx. */
async function pnpmCommand(root: string): Promise<string[]> {
  const exec = process.env.npm_execpath;
  if (exec && /pnpm/.test(exec)) return [process.execPath, exec];
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { packageManager?: string };
  return ["npx", "--yes", pkg.packageManager ?? "pnpm"];
}

/** Runs `pnpm <args>` in the repository, output streamed; a non-zero exit is an error naming the command. */
export async function runPnpm(root: string, args: readonly string[]): Promise<void> {
  const [command, ...prefix] = await pnpmCommand(root);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command!, [...prefix, ...args], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, INIT_CWD: root },
    });
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new SpecError(root, `\`pnpm ${args.join(" ")}\` exited with ${code}`);
}
