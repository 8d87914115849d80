/**
 * Where a description comes from: a file, an https URL or an npm package (`npm:<name>@<version>#<file>`),
 * read within the documented limits. About 300 lines: the three kinds share the one bounded read path;
 * npm spec parsing is in npm-spec.ts and redaction in redact.ts.
 */
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { createReadStream, existsSync, type Stats } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { ENV, envFlag, envMaxBytes, envTimeoutMs } from "./env.js";
import { SpecError } from "./errors.js";
import type { DownloadError, GetResult } from "./http-get.js";
import { redactSecrets, redactUrl } from "./redact.js";

export { redactSecrets, redactUrl } from "./redact.js";
export { defaultCacheDir, findWorkspaceRoot, parseNpmSpec } from "./npm-spec.js";
import { defaultCacheDir, parseNpmSpec } from "./npm-spec.js";

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
  /** Most bytes a source may have (a download: as sent and as inflated). Default 256 MiB, or `CODESPACES_SPEC_MAX_BYTES`. */
  readonly maxBytes?: number;
  /** Never run `npm pack`: an npm source must already be installed or cached. */
  readonly offline?: boolean;
  /** Folder that caches files taken from npm tarballs. Default `<workspace>/.cache/npm`. */
  readonly cacheDir?: string;
  /** Working directory for relative paths and `node_modules` lookups. */
  readonly cwd?: string;
}

const GITHUB_RAW_COMMIT = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/([0-9a-f]{40})\//;

/**
 * Loads a description from a local path, an `http(s)://` URL, or `npm:<name>[@<version>][#<file>]`
 * (default file `generated/api.github.com.json`, the layout of `@octokit/openapi`).
 */
export async function loadSource(spec: string, options: LoadOptions = {}): Promise<LoadedSource> {
  const kind = sourceKind(spec);
  if (kind === "url") return loadUrl(spec, options);
  if (kind === "npm") return loadNpm(spec, options);
  const path = resolve(options.cwd ?? process.cwd(), spec);
  return finish(await readLocalFile(path, spec, options.maxBytes ?? envMaxBytes()), spec, spec);
}

/**
 * What a source argument names: an `http(s)://` URL, an `npm:` package, or a path. Any other
 * `scheme://` (`ftp://`, `file://`, …) and a malformed `http:` are refused by name, without the
 * credentials they may carry: read as a path, `ftp://user:pw@host/x` once gave an error that repeated
 * the password.
 */
export function sourceKind(spec: string): "url" | "npm" | "path" {
  if (/^https?:\/\//i.test(spec)) return "url";
  if (spec.startsWith("npm:")) return "npm";
  if (/^https?:/i.test(spec))
    throw new SpecError(redactUrl(spec), "is not a valid URL (an http(s) source starts with http:// or https://)");
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec)?.[1];
  if (scheme) {
    throw new SpecError(
      redactUrl(spec),
      `unsupported source scheme ${JSON.stringify(`${scheme.toLowerCase()}:`)} (use a path, http(s):// or npm:)`,
    );
  }
  return "path";
}

/** A source argument as `loadSource` takes it: URLs and npm specs as given, paths resolved from `cwd`. */
export function sourceArgument(spec: string, cwd: string): string {
  return sourceKind(spec) === "path" ? resolve(cwd, spec) : spec;
}

/** `root` joined with `relativePath` when the result stays inside `root`, else undefined. */
export function pathInside(root: string, relativePath: string): string | undefined {
  const base = resolve(root);
  const full = resolve(base, relativePath);
  const rel = relative(base, full);
  return rel === "" || rel === ".." || rel.startsWith("../") || rel.startsWith("..\\") || isAbsolute(rel)
    ? undefined
    : full;
}

/**
 * Reads a file of at most `maxBytes` (`CODESPACES_SPEC_MAX_BYTES`). A regular file larger than that is
 * refused before it is read; anything else that can be read (a FIFO, `/dev/stdin`, a device) is read
 * until the limit, so an endless one ends too.
 */
async function readLocalFile(path: string, label: string, maxBytes: number): Promise<Uint8Array> {
  const unreadable = (error: unknown) =>
    new SpecError(label, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    throw unreadable(error);
  }
  if (info.isFile() && info.size > maxBytes) throw tooLarge(label, info.size, maxBytes);
  if (info.isFile() || info.isDirectory()) {
    let data: Uint8Array;
    try {
      data = await readFile(path); // a directory: EISDIR, as the message should say
    } catch (error) {
      throw unreadable(error);
    }
    if (data.length > maxBytes) throw tooLarge(label, data.length, maxBytes); // grew since stat
    return data;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge(label, undefined, maxBytes);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof SpecError) throw error;
    throw unreadable(error);
  }
  return Buffer.concat(chunks, size);
}

/** `is 300 bytes, more than the limit of 100 bytes (CODESPACES_SPEC_MAX_BYTES)`; without a size: read until the limit. */
function tooLarge(label: string, size: number | undefined, maxBytes: number): SpecError {
  const what = size === undefined ? "is more than the limit" : `is ${size} bytes, more than the limit`;
  return new SpecError(
    label,
    `${what} of ${maxBytes} bytes (${ENV.maxBytes})${size === undefined ? "; reading stopped there" : ""}`,
  );
}

function finish(data: Uint8Array, from: string, label: string, commit?: string): LoadedSource {
  const sha256 = createHash("sha256").update(data).digest("hex");
  return { data, label, from, sha256, bytes: data.length, ...(commit ? { commit } : {}) };
}

async function loadUrl(url: string, options: LoadOptions): Promise<LoadedSource> {
  const label = redactUrl(url);
  const timeoutMs = options.timeoutMs ?? envTimeoutMs();
  const maxBytes = options.maxBytes ?? envMaxBytes();
  // Userinfo is sent as Basic auth (RFC 9110 §11.2), never inside the request line, and never printed.
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new SpecError(label, "is not a valid URL");
  }
  const headers: Record<string, string> = {
    accept: "application/json, application/yaml;q=0.9, */*;q=0.1",
    "user-agent": "codespaces-clients-spec",
  };
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
  // Loaded on demand: node:http and node:https cost ~15 ms to import, which file sources never need.
  const { httpGet } = await import("./http-get.js");
  let response: GetResult;
  try {
    response = await httpGet(target, { headers, timeoutMs, maxBytes });
  } catch (error) {
    const e = error as DownloadError;
    const detail = e.message.replaceAll(url, label).replaceAll(target.href, label);
    if (e.kind === "timeout" || e.kind === "encoding") throw new SpecError(label, detail);
    if (e.kind === "too-large" || e.kind === "inflates-too-much")
      throw new SpecError(label, `body ${detail} (${ENV.maxBytes})`);
    throw new SpecError(label, `request failed (${redactSecrets(detail)})`);
  }
  if (!response.body)
    throw new SpecError(label, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  return finish(
    new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.byteLength),
    label,
    label,
    GITHUB_RAW_COMMIT.exec(url)?.[1],
  );
}

async function loadNpm(spec: string, options: LoadOptions): Promise<LoadedSource> {
  const { name, version, file } = parseNpmSpec(spec);
  const cwd = options.cwd ?? process.cwd();
  const maxBytes = options.maxBytes ?? envMaxBytes();
  /** A file inside `root`, or undefined when `file` would lead out of it. */
  const inside = (root: string) => pathInside(root, file);
  const readIfThere = async (path: string | undefined, label: string) => {
    if (path === undefined || !existsSync(path)) return undefined;
    return readLocalFile(path, label, maxBytes);
  };
  // 1. An installed copy, when its version fits.
  let installed: { dir: string; version: string } | undefined;
  try {
    const require = createRequire(join(cwd, "noop.js"));
    const pkgJsonPath = require.resolve(`${name}/package.json`);
    const pkg = JSON.parse(await readFile(pkgJsonPath, "utf8")) as { version: string };
    installed = { dir: dirname(pkgJsonPath), version: pkg.version };
  } catch {
    // not installed: fall through to the cache
  }
  if (installed && (!version || version === installed.version)) {
    const label = `npm:${name}@${installed.version}#${file}`;
    const data = await readIfThere(inside(installed.dir), label);
    if (data) return finish(data, `npm:${name}@${installed.version}`, label);
  }
  // 2. The cache, for an exact version.
  const cacheDir = options.cacheDir ?? defaultCacheDir(cwd);
  if (version && /^\d+\.\d+\.\d+/.test(version)) {
    const label = `npm:${name}@${version}#${file}`;
    const packageDir = pathInside(cacheDir, `${name}@${version}`);
    const data = await readIfThere(packageDir && pathInside(packageDir, file), label);
    if (data) return finish(data, `npm:${name}@${version}`, label);
  }
  if (options.offline || envFlag(ENV.offline)) {
    throw new SpecError(spec, `is not installed and not in the cache ${cacheDir} (offline: npm pack not tried)`);
  }
  // 3. npm pack into a temp folder, take the one file out, then move it into the cache.
  return fetchFromNpm(spec, name, version ?? "latest", file, cacheDir, maxBytes);
}

async function fetchFromNpm(
  spec: string,
  name: string,
  version: string,
  file: string,
  cacheDir: string,
  maxBytes: number,
): Promise<LoadedSource> {
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, ".pack-"));
  try {
    let packed: { filename: string; version: string }[];
    try {
      const { stdout } = await execFileAsync(
        "npm",
        ["pack", `${name}@${version}`, "--json", "--pack-destination", work],
        {
          cwd: work,
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, npm_config_loglevel: "error" },
        },
      );
      packed = JSON.parse(stdout) as { filename: string; version: string }[];
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
      const reason = stderr.split("\n").find((l) => /ERR!|E404|ETARGET|No matching/.test(l)) ?? stderr.split("\n")[0];
      throw new SpecError(
        spec,
        `is not installed and could not be fetched (npm pack: ${reason?.replace(/^npm (error|ERR!)\s*/, "").trim()})`,
      );
    }
    const entry = packed[0];
    if (!entry) throw new SpecError(spec, "npm pack produced no tarball");
    const label = `npm:${name}@${entry.version}#${file}`;
    const packageDir = pathInside(cacheDir, `${name}@${entry.version}`);
    const target = packageDir && pathInside(packageDir, file);
    const tarball = pathInside(work, entry.filename);
    if (!target || !tarball)
      throw new SpecError(
        spec,
        `npm pack answered a name that leads outside ${cacheDir} (${entry.filename}, version ${entry.version})`,
      );
    const { extract: untar } = await import("tar"); // only when fetching from npm
    let oversized: number | undefined;
    await untar({
      file: tarball,
      cwd: work,
      // The one file, and only if its header says it fits (a tarball can hold a file that inflates without end).
      filter: (p, e) => {
        if (p !== `package/${file}`) return false;
        if ("size" in e && typeof e.size === "number" && e.size > maxBytes) oversized = e.size;
        return oversized === undefined;
      },
    });
    if (oversized !== undefined) throw tooLarge(label, oversized, maxBytes);
    const extracted = join(work, "package", file);
    if (!existsSync(extracted)) throw new SpecError(spec, `package ${name}@${entry.version} has no file ${file}`);
    await mkdir(dirname(target), { recursive: true });
    await rename(extracted, target);
    const data = await readLocalFile(target, label, maxBytes);
    return finish(data, `npm:${name}@${entry.version}`, label);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
