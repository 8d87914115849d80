// Shared by the extraction benchmarks (bench/extract.bench.mjs, scripts/bench/scale.bench.mjs): the full
// description they read, the peers' command lines, and the probe that measures a child process.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * GitHub's description as @octokit/openapi publishes it (13 MB), read from the git-ignored npm cache,
 * filled on demand the way `extract --from npm:` does. Never a dependency (it unpacks to ~400 MB).
 */
export const OCTOKIT_SOURCE = "npm:@octokit/openapi@23.0.2";
const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(pkgDir, "package.json"));

/** The JS entry of a devDependency's bin (spawned with node directly: no shell-wrapper overhead). */
export function binOf(pkg, bin) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const rel = typeof manifest.bin === "string" ? manifest.bin : manifest.bin[bin];
  return { path: join(dirname(manifestPath), rel), version: manifest.version };
}

/** The environment for Redocly CLI runs: no telemetry, no update notices, no colours. */
export const REDOCLY_ENV = { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_NOTIFICATIONS: "true", NO_COLOR: "1" };

/** The description's file path; `work` is a scratch folder for a copy when an installed package is used. */
export async function octokitDescriptionFile(work) {
  const { loadSource, defaultCacheDir, parseNpmSpec } = await import(
    pathToFileURL(join(pkgDir, "dist", "source.js")).href
  );
  const { name, version, file } = parseNpmSpec(OCTOKIT_SOURCE);
  const cacheDir = defaultCacheDir(pkgDir);
  const cached = join(cacheDir, `${name}@${version}`, file);
  if (existsSync(cached)) return cached;
  console.log(`fetching ${OCTOKIT_SOURCE} into ${cacheDir} …`);
  const loaded = await loadSource(OCTOKIT_SOURCE, { cwd: pkgDir, cacheDir });
  if (existsSync(cached)) return cached;
  // An installed copy of the package was used instead of the cache: bench a copy of its bytes.
  const copy = join(work, "api.github.com.json");
  writeFileSync(copy, loaded.data);
  return copy;
}

/**
 * Writes `<work>/rss-probe.cjs`, for `node --require <it>`: on exit the process writes
 * "<peak RSS KiB> <CPU ms, all threads>" to `$BENCH_RSS_FILE` (Node cannot read a child's rusage).
 */
export function writeRssProbe(work) {
  const probe = join(work, "rss-probe.cjs");
  writeFileSync(
    probe,
    `process.on("exit", () => { const u = process.resourceUsage(); require("fs").writeFileSync(process.env.BENCH_RSS_FILE, \`\${u.maxRSS} \${(u.userCPUTime + u.systemCPUTime) / 1000}\`); });\n`,
  );
  return probe;
}
