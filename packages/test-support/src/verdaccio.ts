/**
 * A loopback npm registry (verdaccio) for the tests that publish: release-e2e and history-replay.
 * verdaccio is pinned once, by `packages/release-e2e/verdaccio/package.json` + `package-lock.json`,
 * and installed with `npm ci` into a cache folder the caller names (each suite its own, so that two
 * suites under `turbo run test` never install into the same folder at the same time).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import getPort from "get-port";
import { cleanEnv, sh } from "./shell.js";

/** The committed pin of verdaccio (not a workspace package: installed with npm at test time). */
const pinDir = (repoRoot: string) => join(repoRoot, "packages", "release-e2e", "verdaccio");

/**
 * verdaccio's bin, installed with `npm ci` into `cacheDir` on first use and again when the pin
 * (`package.json` or `package-lock.json`) changes.
 */
export async function ensureVerdaccio(repoRoot: string, cacheDir: string): Promise<string> {
  const source = pinDir(repoRoot);
  const manifest = await readFile(join(source, "package.json"));
  const lock = await readFile(join(source, "package-lock.json"));
  const stamp = createHash("sha256").update(lock).update(manifest).digest("hex");
  const bin = join(cacheDir, "node_modules", "verdaccio", "bin", "verdaccio");
  if (existsSync(bin) && (await readFile(join(cacheDir, ".stamp"), "utf8").catch(() => "")) === stamp) return bin;
  await rm(cacheDir, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  await cp(join(source, "package.json"), join(cacheDir, "package.json"));
  await cp(join(source, "package-lock.json"), join(cacheDir, "package-lock.json"));
  await sh(cacheDir, ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"], cleanEnv());
  await writeFile(join(cacheDir, ".stamp"), stamp);
  return bin;
}

/** A running loopback registry that holds only what the test publishes. */
export interface LoopbackRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Bearer token of a user created the way `npm adduser` does; only ever put in child env. */
  readonly token: string;
  /** The dist-tags and versions the registry has for a package (404 → undefined). */
  packument(name: string): Promise<Packument | undefined>;
  stop(): Promise<void>;
}

export interface Packument {
  "dist-tags": Record<string, string>;
  versions: Record<string, { dependencies?: Record<string, string> }>;
}

/**
 * Starts verdaccio (`bin`, from {@link ensureVerdaccio}) on a free 127.0.0.1 port with storage
 * under `dir`, no uplinks (nothing is proxied: only what the test publishes exists there), and the
 * user `user` with a token. Everything else comes from the usual registry through the `.npmrc` of
 * whoever installs. An interrupted run does not leave it behind (SIGKILL on exit).
 */
export async function startVerdaccio(bin: string, dir: string, user: string): Promise<LoopbackRegistry> {
  const port = await getPort({ host: "127.0.0.1" });
  await mkdir(dir, { recursive: true });
  const config = [
    `storage: ${JSON.stringify(join(dir, "storage"))}`,
    "auth:",
    "  htpasswd:",
    `    file: ${JSON.stringify(join(dir, "htpasswd"))}`,
    "    max_users: 10",
    "uplinks: {}",
    "packages:",
    "  '**':",
    "    access: $all",
    "    publish: $authenticated",
    // warn: the level of the "http address" line that says it listens.
    "log: { type: stdout, format: pretty, level: warn }",
    "publish: { allow_offline: true }",
    "",
  ].join("\n");
  await writeFile(join(dir, "config.yaml"), config);
  const url = `http://127.0.0.1:${port}/`;
  let log = "";
  const child = spawn(process.execPath, [bin, "--config", join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
    env: cleanEnv(),
  });
  // Without colour codes: with FORCE_COLOR set (cleanEnv sets it to 0) verdaccio colours its log.
  const append = (d: Buffer) => {
    log += stripVTControlCharacters(d.toString());
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  const stop = async () => {
    process.removeListener("exit", onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(timer);
  };
  try {
    await waitForVerdaccio(`${url}-/ping`, child, () => log);
    const token = await addUser(url, user);
    return {
      url,
      token,
      async packument(name) {
        const r = await fetch(`${url}${name.replace("/", "%2f")}`);
        if (r.status === 404) return undefined;
        if (!r.ok) throw new Error(`registry ${url}: HTTP ${r.status} for ${name}`);
        return (await r.json()) as Packument;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What `npm adduser` does: create the user, receive a bearer token. */
async function addUser(url: string, name: string): Promise<string> {
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      _id: `org.couchdb.user:${name}`,
      name,
      password: randomBytes(24).toString("hex"),
      type: "user",
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  if (response.status !== 201) throw new Error(`verdaccio ${url} refused the user ${name}: HTTP ${response.status}`);
  const { token } = (await response.json()) as { token?: string };
  if (!token) throw new Error(`verdaccio ${url} answered without a token`);
  return token;
}

/**
 * Resolves once verdaccio says it listens (its `http address - <url>` line) and answers `url`;
 * rejects, with its log, when it exits first. No clock: a slow machine only makes this later, and
 * the caller's hook bound ends a verdaccio that hangs without a word.
 */
async function waitForVerdaccio(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const out = child.stdout;
  const err = child.stderr;
  if (!out || !err) throw new Error("verdaccio was started without piped output");
  await new Promise<void>((resolvePromise, reject) => {
    const onData = () => {
      if (/http address - http/.test(log())) done(resolvePromise);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(() => reject(new Error(`verdaccio exited (${signal ?? code}) before listening:\n${log()}`)));
    const done = (then: () => void) => {
      out.off("data", onData);
      err.off("data", onData);
      child.off("exit", onExit);
      then();
    };
    out.on("data", onData);
    err.on("data", onData);
    child.on("exit", onExit);
    if (child.exitCode !== null) onExit(child.exitCode, null);
    else onData();
  });
  // Listening: the first ping answers. A few attempts only absorb a socket still settling.
  let last = "";
  for (let attempt = 1; attempt <= 5; attempt++) {
    const response = await fetch(url).catch((error: Error) => error);
    if (response instanceof Response && response.ok) return;
    last = response instanceof Response ? `HTTP ${response.status}` : response.message;
    await new Promise((r) => setTimeout(r, 50 * attempt));
  }
  throw new Error(`verdaccio said it listens but ${url} answers ${last}:\n${log()}`);
}
