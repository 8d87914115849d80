/** The upstream commit each API version is pinned to: `--ref` resolved to a commit, a pin moved in sources.json. */
import type { SourcesConfig, VersionEntry } from "./config.js";
import { envTimeoutMs } from "./env.js";
import { SpecError, UsageError } from "./errors.js";

/**
 * Resolves `--ref` to a commit: a 40-hex commit as is; a branch or tag through GitHub's REST API
 * (`GET /repos/{owner}/{repo}/commits/{ref}`, media type `application/vnd.github.sha`), with
 * `GITHUB_TOKEN` when set (sent as a header, never printed).
 */
export async function resolveRef(
  config: SourcesConfig,
  ref: string,
  mirror: string | undefined,
  timeoutMs = envTimeoutMs(),
): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(ref)) return ref;
  if (mirror) throw new UsageError("--ref with --mirror must be a full 40-hex commit: a mirror folder has no branches");
  const url = `https://api.github.com/repos/${config.upstream.repository}/commits/${encodeURIComponent(ref)}`;
  const headers: Record<string, string> = {
    accept: "application/vnd.github.sha",
    "x-github-api-version": "2022-11-28",
    "user-agent": "codespaces-clients-spec",
  };
  if (process.env.GITHUB_TOKEN) headers.authorization = `Bearer ${process.env.GITHUB_TOKEN}`;
  const { httpGet } = await import("./http-get.js"); // on demand, as in source.ts
  let response: Awaited<ReturnType<typeof httpGet>>;
  try {
    // A commit sha is 40 bytes: anything much longer is not one.
    response = await httpGet(new URL(url), { headers, timeoutMs, maxBytes: 4096 });
  } catch (error) {
    throw new SpecError(url, `cannot resolve --ref ${ref} (${(error as Error).message})`);
  }
  const text = response.body?.toString("utf8").trim() ?? "";
  if (!response.body || !/^[0-9a-f]{40}$/.test(text))
    throw new SpecError(url, `cannot resolve --ref ${ref} (HTTP ${response.status})`);
  return text;
}

/** Moves one version's pin in the config text, keeping its formatting; the result must still say so. */
export function pinCommit(text: string, version: string, from: string, to: string, file: string): string {
  const at = new RegExp(`"version"\\s*:\\s*"${version}"`).exec(text);
  const index = at ? text.indexOf(from, at.index) : -1;
  if (!at || index < 0) throw new SpecError(file, `cannot find the pin ${from} of version ${version}`, "#/versions");
  const out = text.slice(0, index) + to + text.slice(index + from.length);
  const entry = (JSON.parse(out) as { versions: VersionEntry[] }).versions.find((v) => v.version === version);
  if (entry?.commit !== to) throw new SpecError(file, `moving the pin of ${version} to ${to} failed`, "#/versions");
  return out;
}
