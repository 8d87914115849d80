import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import getPort from "get-port";
import { cleanEnv, sh } from "./shell.js";

/** Upper bound for verdaccio to answer its ping after start: ends a hung start, judges no speed. */
const START_TIMEOUT_MS = 120_000;

/**
 * verdaccio as `packages/release-e2e` pins it (its committed `verdaccio/package.json` +
 * `package-lock.json`, read, not copied), installed with `npm ci` into `<repo>/.cache/history-replay/verdaccio`
 * on first use and again when that lock changes. A folder of its own, so that this suite and
 * release-e2e never install into the same folder at the same time under `turbo run test`.
 */
export async function ensureVerdaccio(repoRoot: string): Promise<string> {
  const source = join(repoRoot, "packages", "release-e2e", "verdaccio");
  const target = join(repoRoot, ".cache", "history-replay", "verdaccio");
  const lock = await readFile(join(source, "package-lock.json"));
  const stamp = createHash("sha256")
    .update(lock)
    .update(await readFile(join(source, "package.json")))
    .digest("hex");
  const bin = join(target, "node_modules", "verdaccio", "bin", "verdaccio");
  if (existsSync(bin) && (await readFile(join(target, ".stamp"), "utf8").catch(() => "")) === stamp) return bin;
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await cp(join(source, "package.json"), join(target, "package.json"));
  await cp(join(source, "package-lock.json"), join(target, "package-lock.json"));
  await sh(target, ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"], cleanEnv());
  await writeFile(join(target, ".stamp"), stamp);
  return bin;
}

/** A running loopback registry that holds only what the test publishes. */
export interface LoopbackRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Bearer token of a user created the way `npm adduser` does; only ever put in child env. */
  readonly token: string;
  /** The dist-tags and versions the registry has for a package (404 → undefined). */
  packument(
    name: string,
  ): Promise<{ "dist-tags": Record<string, string>; versions: Record<string, unknown> } | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts verdaccio on a free 127.0.0.1 port with storage under `dir`, no uplinks (nothing is
 * proxied), and a user with a token. `@codespaces-clients/*` is published here; everything else
 * comes from the usual registry through the `.npmrc` of the repository and the consumer.
 */
export async function startRegistry(bin: string, dir: string): Promise<LoopbackRegistry> {
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
    "logs: { type: stdout, format: pretty, level: warn }",
    "publish: { allow_offline: true }",
    "",
  ].join("\n");
  await writeFile(join(dir, "config.yaml"), config);
  const url = `http://127.0.0.1:${port}/`;
  let log = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, "--config", join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`],
    { stdio: ["ignore", "pipe", "pipe"], env: cleanEnv() },
  );
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  // An interrupted run must not leave verdaccio behind.
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
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}:\n${log}`);
      if (
        await fetch(`${url}-/ping`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline)
        throw new Error(`verdaccio did not answer ${url}-/ping within ${START_TIMEOUT_MS / 1000} s:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // What `npm adduser` does: create the user, receive a bearer token.
    const password = randomBytes(24).toString("hex");
    const response = await fetch(`${url}-/user/org.couchdb.user:replay`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        _id: "org.couchdb.user:replay",
        name: "replay",
        password,
        type: "user",
        roles: [],
        date: new Date().toISOString(),
      }),
    });
    if (response.status !== 201) throw new Error(`verdaccio refused the user: HTTP ${response.status}`);
    const { token } = (await response.json()) as { token?: string };
    if (!token) throw new Error("verdaccio answered without a token");
    return {
      url,
      token,
      async packument(name) {
        const r = await fetch(`${url}${name.replace("/", "%2f")}`);
        if (r.status === 404) return undefined;
        if (!r.ok) throw new Error(`registry ${url}: HTTP ${r.status} for ${name}`);
        return (await r.json()) as { "dist-tags": Record<string, string>; versions: Record<string, unknown> };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
