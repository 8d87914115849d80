#!/usr/bin/env node
// `pnpm generate`: without arguments, every configured client package (`turbo run generate`, from
// spec/sources.json); with arguments, the generator's command line, e.g.
// `pnpm generate --slice <openapi.json> --api-version <v> --name <package name> --out <dir>`
// (the generator is built first). Paths are taken from the folder pnpm was called in.
import { spawnSync } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The repository's own turbo, also when this script is run with plain `node`.
const env = {
  ...process.env,
  PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
};
const args = process.argv.slice(2);

/** Runs a command in the repository root; its exit code becomes ours when it fails. */
function step(command, commandArgs) {
  const { status, error } = spawnSync(command, commandArgs, { cwd: root, env, stdio: "inherit" });
  if (error) {
    console.error(`generate: error: cannot run ${command}: ${error.message}`);
    process.exit(1);
  }
  if (status !== 0) process.exit(status ?? 1);
}

if (!args.length) step("turbo", ["run", "generate"]);
else {
  step("turbo", ["run", "build", "--filter=@codespaces-clients/generator", "--output-logs=errors-only"]);
  step(process.execPath, [join(root, "packages", "generator", "dist", "cli.js"), ...args]);
}
