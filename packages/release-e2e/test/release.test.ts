import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describeWithRegistry } from "@codespaces-clients/test-support";
import getPort from "get-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = resolve(here, "../..");
const rootPkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as {
  packageManager: string;
  scripts: Record<string, string>;
};
const PNPM = ["npx", "--yes", rootPkg.packageManager];
const CLIENT = "@codespaces-clients/machines-2026-03-10";

/** The root scripts the release flow needs; the clone runs these, and the real root must say the same. */
export const RELEASE_SCRIPTS = {
  changeset: "changeset",
  // The generator stamps each client's version into client.ts: regenerate after the bump.
  version: "changeset version && pnpm generate && pnpm install --lockfile-only",
  release: "turbo run build && changeset publish",
} as const;

/** The child processes' environment: no npm/pnpm settings inherited from a surrounding `pnpm test`. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(npm_|pnpm_|INIT_CWD|TURBO_HASH|TURBO_INVOCATION_DIR|VITEST)/i.test(k)) env[k] = v;
  }
  return {
    ...env,
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    NO_UPDATE_NOTIFIER: "1",
    npm_config_update_notifier: "false",
    ...extra,
  };
}

/** Runs a command; on failure the error carries its output (never the token: it is only in env). */
async function sh(cwd: string, command: readonly string[], env: Record<string, string>): Promise<string> {
  try {
    const { stdout, stderr } = await run(command[0]!, command.slice(1), { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`);
  }
}

/**
 * verdaccio, installed on demand with npm into `<repo>/.cache/verdaccio` from the committed
 * package.json + package-lock.json (reinstalled when the lock changes).
 */
async function ensureVerdaccio(): Promise<string> {
  const source = join(here, "verdaccio");
  const target = join(repoRoot, ".cache", "verdaccio");
  const lock = await readFile(join(source, "package-lock.json"));
  const stamp = createHash("sha256").update(lock).digest("hex");
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

/** Files of the working tree that git would consider (tracked + untracked, minus ignored). */
async function workingTreeFiles(): Promise<string[]> {
  const out = await sh(repoRoot, ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cleanEnv());
  return out.split("\0").filter((f) => f && existsSync(join(repoRoot, f)));
}

/**
 * Resolves once verdaccio says it listens (its `http address - <url>` line) and answers `url`;
 * rejects, with its log, when it exits first. No clock: a slow machine only makes this later, and
 * the hook's upper bound ends a verdaccio that hangs without a word.
 */
async function waitForVerdaccio(url: string, child: ChildProcess, log: () => string): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    const onData = () => {
      if (/http address - http/.test(log())) done(resolvePromise);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(() => reject(new Error(`verdaccio exited (${signal ?? code}) before listening:\n${log()}`)));
    const done = (then: () => void) => {
      child.stdout!.off("data", onData);
      child.stderr!.off("data", onData);
      child.off("exit", onExit);
      then();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
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

/** Every file under `dir` (not node_modules: installed packages, not written by this flow). */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules") out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

describe("root release scripts", () => {
  it.each(Object.entries(RELEASE_SCRIPTS))("package.json scripts.%s is %j", (name, command) => {
    expect(rootPkg.scripts[name]).toBe(command);
  });
});

// Needs the npm registry: verdaccio (npm ci), pnpm (npx) and the clients' dependencies (consumer install).
describeWithRegistry("release flow against a loopback npm registry", ["verdaccio", "pnpm", "openapi-fetch"], () => {
  let work: string;
  let registry: string;
  let token: string;
  let verdaccio: ChildProcess | undefined;
  let api: Server | undefined;
  let verdaccioLog = "";

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "release-e2e-"));
    const [bin, port] = await Promise.all([ensureVerdaccio(), getPort({ host: "127.0.0.1" })]);
    const storage = join(work, "registry");
    await mkdir(storage, { recursive: true });
    const config = [
      `storage: ${JSON.stringify(join(storage, "storage"))}`,
      "auth:",
      "  htpasswd:",
      `    file: ${JSON.stringify(join(storage, "htpasswd"))}`,
      "    max_users: 10",
      "uplinks: {}", // nothing is proxied: only what the test publishes exists here
      "packages:",
      "  '@codespaces-clients/*':",
      "    access: $all",
      "    publish: $authenticated",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      // warn: the level of the "http address" line that says it listens.
      "log: { type: stdout, format: pretty, level: warn }",
      "publish: { allow_offline: true }",
      "",
    ].join("\n");
    await writeFile(join(storage, "config.yaml"), config);
    registry = `http://127.0.0.1:${port}/`;
    verdaccio = spawn(
      process.execPath,
      [bin, "--config", join(storage, "config.yaml"), "--listen", `127.0.0.1:${port}`],
      { stdio: ["ignore", "pipe", "pipe"], env: cleanEnv() },
    );
    verdaccio.stdout!.on("data", (d: Buffer) => (verdaccioLog += d.toString()));
    verdaccio.stderr!.on("data", (d: Buffer) => (verdaccioLog += d.toString()));
    await waitForVerdaccio(`${registry}-/ping`, verdaccio, () => verdaccioLog);
    // What `npm adduser` does: create the user, receive a bearer token.
    const password = createHash("sha256").update(`${Date.now()}${Math.random()}`).digest("hex");
    const response = await fetch(`${registry}-/user/org.couchdb.user:e2e`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        _id: "org.couchdb.user:e2e",
        name: "e2e",
        password,
        type: "user",
        roles: [],
        date: new Date().toISOString(),
      }),
    });
    expect(response.status).toBe(201);
    token = ((await response.json()) as { token: string }).token;
    expect(token).toBeTruthy();
  });

  afterAll(async () => {
    verdaccio?.kill();
    api?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("versions, publishes every public package, and a fresh consumer installs and calls the client", async () => {
    // 1. A temp clone of the working tree, installed from the local store.
    const clone = join(work, "repo");
    for (const file of await workingTreeFiles()) {
      await mkdir(dirname(join(clone, file)), { recursive: true });
      await cp(join(repoRoot, file), join(clone, file));
    }
    // The private-registry path of .github/workflows/release.yml: the registry from NPM_REGISTRY_URL,
    // the token in NODE_AUTH_TOKEN only; scripts/release/configure-registry.mjs routes our scope there
    // for the publish command (npx, pnpm and dependencies keep the usual registry).
    const env = cleanEnv({ TURBO_CACHE_DIR: join(repoRoot, ".turbo", "cache") });
    const publishEnv = { ...env, NPM_REGISTRY_URL: registry, NODE_AUTH_TOKEN: token };
    const outputs: string[] = [];
    const git = (...args: string[]) =>
      sh(clone, ["git", "-c", "user.name=release-e2e", "-c", "user.email=release-e2e@localhost", ...args], env);
    const pkgFile = join(clone, "package.json");
    const pkg = JSON.parse(await readFile(pkgFile, "utf8")) as { scripts: Record<string, string> };
    Object.assign(pkg.scripts, RELEASE_SCRIPTS);
    await writeFile(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
    await git("init", "-q", "-b", "main");
    await git("add", "-A");
    await git("commit", "-q", "-m", "snapshot");
    outputs.push(await sh(clone, [...PNPM, "install", "--prefer-offline", "--frozen-lockfile"], env));

    // 2. `pnpm run version`: the pending changesets become versions and changelogs.
    outputs.push(await sh(clone, [...PNPM, "run", "version"], env));
    const versionOf = async (dir: string) =>
      (JSON.parse(await readFile(join(clone, "packages", dir, "package.json"), "utf8")) as { version: string }).version;
    expect(await versionOf("runtime")).toBe("0.1.0");
    expect(await versionOf("machines-2026-03-10")).toBe("0.1.0");
    expect(await readFile(join(clone, "packages/machines-2026-03-10/CHANGELOG.md"), "utf8")).toContain(
      "Initial release",
    );
    // The generator stamps the package version into the client: `version` must regenerate.
    expect(await readFile(join(clone, "packages/machines-2026-03-10/src/generated/client.ts"), "utf8")).toContain(
      'PACKAGE_VERSION = "0.1.0"',
    );
    expect((await readdir(join(clone, ".changeset"))).filter((f) => f.endsWith(".md") && f !== "README.md")).toEqual(
      [],
    );

    // 3. `pnpm run release` as release.yml runs it: build, then `changeset publish` to the registry
    //    configure-registry points at.
    const published = await sh(
      clone,
      ["node", "scripts/release/configure-registry.mjs", "--", ...PNPM, "run", "release"],
      publishEnv,
    );
    outputs.push(published);
    expect(published).toContain(
      `configure-registry: @codespaces-clients → ${registry} (auth from $NODE_AUTH_TOKEN); provenance off`,
    );
    expect(published).toMatch(/New tag:\s+@codespaces-clients\/runtime@0\.1\.0/);
    for (const name of ["@codespaces-clients/runtime", CLIENT, "@codespaces-clients/machines-2022-11-28"]) {
      const info = (await (await fetch(`${registry}${name.replace("/", "%2f")}`)).json()) as {
        "dist-tags": Record<string, string>;
        versions: Record<string, { dependencies?: Record<string, string> }>;
      };
      expect(info["dist-tags"].latest, name).toBe("0.1.0");
      if (name !== "@codespaces-clients/runtime")
        expect(info.versions["0.1.0"]!.dependencies).toEqual({ "@codespaces-clients/runtime": "^0.1.0" });
    }
    for (const name of [
      "@codespaces-clients/spec",
      "@codespaces-clients/generator",
      "@codespaces-clients/release-e2e",
    ]) {
      expect((await fetch(`${registry}${name.replace("/", "%2f")}`)).status, `${name} is private`).toBe(404);
    }

    // 4. A fresh consumer: our scope from the loopback registry, everything else from the usual one.
    const consumer = join(work, "consumer");
    await mkdir(consumer, { recursive: true });
    await writeFile(
      join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    await writeFile(join(consumer, ".npmrc"), `@codespaces-clients:registry=${registry}\n`);
    outputs.push(
      await sh(
        consumer,
        ["npm", "install", `${CLIENT}@0.1.0`, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
        cleanEnv(),
      ),
    );

    const seen: { url?: string; headers?: Record<string, unknown> } = {};
    api = createServer((req, res) => {
      seen.url = req.url;
      seen.headers = req.headers;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          total_count: 1,
          machines: [
            {
              name: "standardLinux",
              display_name: "4 cores",
              operating_system: "linux",
              storage_in_bytes: 1,
              memory_in_bytes: 1,
              cpus: 4,
              prebuild_availability: null,
            },
          ],
        }),
      );
    });
    await new Promise<void>((r) => api!.listen(0, "127.0.0.1", r));
    const { port } = api.address() as { port: number };
    await writeFile(
      join(consumer, "main.mjs"),
      `import { createClient, PACKAGE_VERSION } from ${JSON.stringify(CLIENT)};
const gh = createClient({ baseUrl: process.argv[2], token: "test-token" });
const data = await gh.repoMachinesForAuthenticatedUser({ owner: "octo", repo: "hello" });
console.log(JSON.stringify({ PACKAGE_VERSION, names: data.machines.map((m) => m.name) }));
`,
    );
    const out = await sh(consumer, [process.execPath, "main.mjs", `http://127.0.0.1:${port}`], cleanEnv());
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({ PACKAGE_VERSION: "0.1.0", names: ["standardLinux"] });
    expect(seen.url).toBe("/repos/octo/hello/codespaces/machines");
    expect(seen.headers?.["x-github-api-version"]).toBe("2026-03-10");
    expect(String(seen.headers?.["user-agent"])).toContain(`${CLIENT}/0.1.0`);

    // 5. The token was only ever in the environment: in no output, in no file of the temp workspace
    //    (the clone with its .npmrc files, dist/ and turbo logs, the registry's storage, the consumer).
    for (const output of outputs) expect(output).not.toContain(token);
    const files = await filesUnder(work);
    expect(files.length).toBeGreaterThan(100);
    const leaks: string[] = [];
    for (const file of files) {
      if ((await stat(file)).size > 64 * 1024 * 1024) continue;
      if ((await readFile(file)).includes(token)) leaks.push(file);
    }
    expect(leaks, "files that contain the registry token").toEqual([]);
  });
});
