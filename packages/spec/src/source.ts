import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { SpecError } from "./errors.js";

const execFileAsync = promisify(execFile);

/** Where a description came from, as recorded in provenance files. */
export interface SourceInfo {
  /** `https://…` URL, `npm:<name>@<version>`, or the file path as given. */
  readonly from: string;
  /** Upstream git commit, when the source names one (GitHub raw URLs, pinned config entries). */
  readonly commit?: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface LoadedSource extends SourceInfo {
  readonly data: Uint8Array;
  /** A label for messages: the path, the URL without credentials, or the npm spec. */
  readonly label: string;
}

export interface LoadOptions {
  /** Per-request timeout for URL sources. Default 30 s, or `CODESPACES_SPEC_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
  /** Never run `npm pack`: an npm source must already be installed or cached. */
  readonly offline?: boolean;
  /** Folder that caches files taken from npm tarballs. Default `<workspace>/.cache/npm`. */
  readonly cacheDir?: string;
  /** Working directory for relative paths and `node_modules` lookups. */
  readonly cwd?: string;
}

const NPM_DEFAULT_FILE = "generated/api.github.com.json";
const GITHUB_RAW_COMMIT = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/([0-9a-f]{40})\//;

/**
 * Loads a description from a local path, an `http(s)://` URL, or `npm:<name>[@<version>][#<file>]`
 * (default file `generated/api.github.com.json`, the layout of `@octokit/openapi`).
 */
export async function loadSource(spec: string, options: LoadOptions = {}): Promise<LoadedSource> {
  if (/^https?:\/\//i.test(spec)) return loadUrl(spec, options);
  if (spec.startsWith("npm:")) return loadNpm(spec, options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new SpecError(redactUrl(spec), "unsupported source scheme (use a path, http(s):// or npm:)");
  }
  const path = resolve(options.cwd ?? process.cwd(), spec);
  let data: Uint8Array;
  try {
    data = await readFile(path);
  } catch (error) {
    throw new SpecError(spec, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return finish(data, spec, spec);
}

function finish(data: Uint8Array, from: string, label: string, commit?: string): LoadedSource {
  const sha256 = createHash("sha256").update(data).digest("hex");
  return { data, label, from, sha256, bytes: data.length, ...(commit ? { commit } : {}) };
}

/** Query parameter names that carry secrets: `token`, `access_token`, `sig`, `X-Amz-Signature`, `api_key`, `password`… */
const SECRET_PARAMETER = /token|key|secret|sig|password|passwd|auth|credential/i;

/**
 * Removes userinfo (RFC 3986 §3.2.1, `user:password@`) and secret-looking query parameters (values
 * replaced by `REDACTED`) so a URL can be printed or written. A URL with neither is returned as given.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/[^@/\s]*@/, "//");
  }
  let changed = false;
  if (u.username || u.password) {
    u.username = "";
    u.password = "";
    changed = true;
  }
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMETER.test(key)) {
      u.searchParams.set(key, "REDACTED");
      changed = true;
    }
  }
  return changed ? u.toString() : url;
}

/**
 * `redactUrl` applied to every URL inside a line of text or a file we write (messages, changesets,
 * reports, provenance): what `spec update`, `spec diff` and `extract` print or write goes through it.
 */
export function redactSecrets(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]+/gi, (url) => redactUrl(url));
}

async function loadUrl(url: string, options: LoadOptions): Promise<LoadedSource> {
  const label = redactUrl(url);
  const timeoutMs = options.timeoutMs ?? Number(process.env.CODESPACES_SPEC_TIMEOUT_MS ?? 30_000);
  // fetch() refuses URLs with userinfo, and its error message repeats the whole URL (secret
  // included): send userinfo as Basic auth instead (RFC 9110 §11.2), never inside the URL.
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new SpecError(label, "is not a valid URL");
  }
  const headers: Record<string, string> = { accept: "application/json, application/yaml;q=0.9, */*;q=0.1" };
  if (target.username || target.password) {
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    const user = `${decode(target.username)}:${decode(target.password)}`;
    headers.authorization = `Basic ${Buffer.from(user).toString("base64")}`;
    target.username = "";
    target.password = "";
  }
  let response: Response;
  try {
    response = await fetch(target, { signal: AbortSignal.timeout(timeoutMs), headers, redirect: "follow" });
  } catch (error) {
    const e = error as Error;
    if (e.name === "TimeoutError" || e.name === "AbortError") {
      throw new SpecError(label, `timed out after ${timeoutMs} ms`);
    }
    const cause = (e.cause as Error | undefined)?.message ?? e.message;
    throw new SpecError(label, `request failed (${cause.replaceAll(url, label).replaceAll(target.href, label)})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new SpecError(label, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  }
  let data: Uint8Array;
  try {
    data = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    const e = error as Error;
    throw new SpecError(label, e.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : `body could not be read (${e.message})`);
  }
  return finish(data, label, label, GITHUB_RAW_COMMIT.exec(url)?.[1]);
}

/** Parses `npm:<name>[@<version>][#<file>]`. */
export function parseNpmSpec(spec: string): { name: string; version?: string; file: string } {
  const rest = spec.slice("npm:".length);
  const [pkg = "", file = NPM_DEFAULT_FILE] = rest.split("#", 2);
  const m = /^(@[^/@\s]+\/[^/@\s]+|[^/@\s]+)(?:@([^\s#]+))?$/.exec(pkg);
  if (!m?.[1]) throw new SpecError(spec, "is not an npm source of the form npm:<name>[@<version>][#<file>]");
  if (file.split("/").includes("..")) throw new SpecError(spec, "file inside the package must not contain '..'");
  return { name: m[1], ...(m[2] ? { version: m[2] } : {}), file };
}

/** The workspace root (the nearest folder with pnpm-workspace.yaml), or undefined. */
export function findWorkspaceRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Default cache for files taken out of npm tarballs. */
export function defaultCacheDir(cwd: string): string {
  if (process.env.CODESPACES_SPEC_CACHE) return resolve(process.env.CODESPACES_SPEC_CACHE);
  const root = findWorkspaceRoot(cwd);
  return root ? join(root, ".cache", "npm") : join(tmpdir(), "codespaces-clients-cache", "npm");
}

async function loadNpm(spec: string, options: LoadOptions): Promise<LoadedSource> {
  const { name, version, file } = parseNpmSpec(spec);
  const cwd = options.cwd ?? process.cwd();
  // 1. An installed copy, when its version fits.
  try {
    const require = createRequire(join(cwd, "noop.js"));
    const pkgJsonPath = require.resolve(`${name}/package.json`);
    const pkg = JSON.parse(await readFile(pkgJsonPath, "utf8")) as { version: string };
    if (!version || version === pkg.version) {
      const data = await readFile(join(dirname(pkgJsonPath), file)).catch(() => undefined);
      if (data) return finish(data, `npm:${name}@${pkg.version}`, `npm:${name}@${pkg.version}#${file}`);
    }
  } catch {
    // not installed: fall through to the cache
  }
  // 2. The cache, for an exact version.
  const cacheDir = options.cacheDir ?? defaultCacheDir(cwd);
  if (version && /^\d+\.\d+\.\d+/.test(version)) {
    const cached = join(cacheDir, `${name}@${version}`, file);
    const data = await readFile(cached).catch(() => undefined);
    if (data) return finish(data, `npm:${name}@${version}`, `npm:${name}@${version}#${file}`);
  }
  if (options.offline || process.env.CODESPACES_SPEC_OFFLINE === "1") {
    throw new SpecError(spec, `is not installed and not in the cache ${cacheDir} (offline: npm pack not tried)`);
  }
  // 3. npm pack into a temp folder, take the one file out, then move it into the cache.
  return fetchFromNpm(spec, name, version ?? "latest", file, cacheDir);
}

async function fetchFromNpm(spec: string, name: string, version: string, file: string, cacheDir: string): Promise<LoadedSource> {
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, ".pack-"));
  try {
    let packed: { filename: string; version: string }[];
    try {
      const { stdout } = await execFileAsync("npm", ["pack", `${name}@${version}`, "--json", "--pack-destination", work], {
        cwd: work,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, npm_config_loglevel: "error" },
      });
      packed = JSON.parse(stdout) as { filename: string; version: string }[];
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
      const reason = stderr.split("\n").find((l) => /ERR!|E404|ETARGET|No matching/.test(l)) ?? stderr.split("\n")[0];
      throw new SpecError(spec, `is not installed and could not be fetched (npm pack: ${reason?.replace(/^npm (error|ERR!)\s*/, "").trim()})`);
    }
    const entry = packed[0];
    if (!entry) throw new SpecError(spec, "npm pack produced no tarball");
    const target = join(cacheDir, `${name}@${entry.version}`, file);
    const { extract: untar } = await import("tar"); // only when fetching from npm
    await untar({ file: join(work, entry.filename), cwd: work, filter: (p) => p === `package/${file}` });
    const extracted = join(work, "package", file);
    if (!existsSync(extracted)) throw new SpecError(spec, `package ${name}@${entry.version} has no file ${file}`);
    await mkdir(dirname(target), { recursive: true });
    await rename(extracted, target);
    const data = await readFile(target);
    return finish(data, `npm:${name}@${entry.version}`, `npm:${name}@${entry.version}#${file}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
