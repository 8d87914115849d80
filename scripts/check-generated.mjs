#!/usr/bin/env node
// Freshness gate: regenerate every client package from the committed spec/, then fail if that
// changed anything Git knows about (or left new files) below packages/machines-* or spec/generated.
//
//   node scripts/check-generated.mjs [--root <repo>] [--no-build]
//
// --root     the repository to check (default: the one this script is in)
// --no-build use packages/generator/dist as it is (default: build it first with turbo)
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "..");
const PNPM = ["--yes", "pnpm@10.34.9"];
const FIX =
  "generated files are stale: run `pnpm generate` (and `pnpm spec update --mirror ../shared/github-descriptions` for spec/) and commit the result";
// contract-tests/package.json: its client devDependencies are kept by the generator (client-dependents.ts).
const PATHSPEC = ["packages/machines-*", "spec/generated", "packages/contract-tests/package.json"];

const fail = (line) => {
  console.error(`check-generated: error: ${line}`);
  process.exit(1);
};

const { values } = parseArgs({ options: { root: { type: "string" }, "no-build": { type: "boolean" } } });
const root = resolve(values.root ?? REPO);
if (!existsSync(join(root, "spec", "sources.json")))
  fail(`${join(root, "spec", "sources.json")} not found: --root must be the repository root`);

if (!values["no-build"]) {
  // The generator runs from its build output; turbo makes this a cache hit when nothing changed.
  try {
    execFileSync(
      "npx",
      [...PNPM, "exec", "turbo", "run", "build", "--filter=@codespaces-clients/generator", "--output-logs=errors-only"],
      {
        cwd: REPO,
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
  } catch {
    fail("building @codespaces-clients/generator failed (see above)");
  }
}
const entry = join(REPO, "packages", "generator", "dist", "index.js");
if (!existsSync(entry)) fail(`${entry} is missing: run \`pnpm build\` first (or drop --no-build)`);

const { generateAll } = await import(pathToFileURL(entry).href);
try {
  // No install: a package that appears or disappears is a stale checkout either way.
  await generateAll({ root, install: false, log: () => {} });
} catch (error) {
  fail(`pnpm generate failed: ${error?.message ?? error}`);
}

let status;
try {
  status = execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--", ...PATHSPEC], {
    cwd: root,
    encoding: "utf8",
  });
} catch (error) {
  fail(`git status failed in ${root}: ${error?.message ?? error}`);
}
const changed = status.split("\n").filter(Boolean);
if (changed.length) {
  console.error(`check-generated: ${changed.length} generated file(s) differ from what is committed:`);
  for (const line of changed) console.error(`  ${line}`);
  console.error(FIX);
  process.exit(1);
}
console.log(`check-generated: ${PATHSPEC.join(", ")} match what \`pnpm generate\` makes from spec/`);
