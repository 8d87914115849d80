// Shared helpers of the client benchmarks (scripts/bench/*.bench.mjs).
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Scratch folder inside the repository (gitignored as `.tmp/`), so root node_modules resolve. */
export const SCRATCH = join(REPO, "scripts", "bench", ".tmp");

/** The newest API version in spec/sources.json: the client every benchmark uses. */
export function latestClient() {
  const versions = JSON.parse(readFileSync(join(REPO, "spec", "sources.json"), "utf8"))
    .versions.map((v) => v.version)
    .sort();
  const version = versions.at(-1);
  return {
    version,
    dir: join(REPO, "packages", `machines-${version}`),
    name: `@codespaces-clients/machines-${version}`,
  };
}

/** Fails with one line when the client or the runtime has not been built. */
export function requireBuilt(client = latestClient()) {
  for (const file of [join(client.dir, "dist", "index.js"), join(REPO, "packages", "runtime", "dist", "index.js")]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm build\` first`);
  }
  return client;
}

/**
 * A fresh scratch folder where `import "<client name>"` resolves to the workspace package as a
 * consumer's node_modules would (a link), and `@octokit/*` resolve from the root node_modules.
 */
export function scratch(name, client = latestClient()) {
  const dir = join(SCRATCH, name);
  rmSync(dir, { recursive: true, force: true });
  const link = join(dir, "node_modules", ...client.name.split("/"));
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(client.dir, link, "dir");
  return dir;
}

/**
 * `BENCH_BASELINE=<dir>`: a built client package from another commit (e.g. the base of a change,
 * exported and built outside the repository) that every benchmark measures beside ours, so
 * before and after come from one run. Undefined when unset.
 */
export function baseline() {
  const dir = process.env.BENCH_BASELINE;
  if (!dir) return undefined;
  const file = join(dir, "dist", "index.js");
  if (!existsSync(file)) throw new Error(`BENCH_BASELINE: ${file} is missing: build that package first`);
  return { dir, file, label: `before (${process.env.BENCH_BASELINE_LABEL ?? dir})` };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const machine = () =>
  `Node ${process.version}, ${process.platform}/${process.arch}, ${cpus()[0]?.model.trim() ?? "?"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`;

/** `| target | measured | target | verdict |` rows; returns the markdown. */
export function verdicts(rows) {
  const lines = ["| target | measured | target | verdict |", "| --- | ---: | ---: | --- |"];
  for (const { name, value, limit, unit = "" } of rows)
    lines.push(`| ${name} | ${value}${unit} | ≤ ${limit}${unit} | ${Number(value) <= limit ? "PASS" : "MISS"} |`);
  return lines.join("\n");
}

/** Prints the section and exits non-zero only on a crash of a contender (not on a MISS). */
export async function main(title, body) {
  try {
    const markdown = await body();
    console.log(`## ${title}\n\n${markdown}\n`);
    return markdown;
  } catch (error) {
    console.error(`bench: error: ${title}: ${error?.message ?? error}`);
    process.exitCode = 1;
    return undefined;
  }
}

/** The version of a package installed at the repository root (a peer measured beside ours). */
export const versionOf = (name) =>
  JSON.parse(readFileSync(join(REPO, "node_modules", ...name.split("/"), "package.json"), "utf8")).version;
