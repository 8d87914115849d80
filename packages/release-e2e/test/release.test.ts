import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describeWithRegistry } from "@codespaces-clients/test-support";
import { cleanEnv, sh } from "@codespaces-clients/test-support/shell";
import { ensureVerdaccio, type LoopbackRegistry, startVerdaccio } from "@codespaces-clients/test-support/verdaccio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = fileURLToPath(new URL("..", import.meta.url));
/**
 * The version `changeset version` must give the public packages from the committed changesets: each is at
 * 0.0.0 with an initial-release changeset (minor) and the client API v2 changeset (major), so 1.0.0.
 * A new pending changeset that changes this must change it here too: this pins the release, on purpose.
 */
const RELEASE = "1.0.0";
const repoRoot = resolve(here, "../..");
const rootPkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as {
  packageManager: string;
  scripts: Record<string, string>;
};
const PNPM = ["npx", "--yes", rootPkg.packageManager];
const CLIENT = "@codespaces-clients/machines-2026-03-10";

/** The root scripts the release flow needs; the clone runs these, and the real root must say the same. */
const RELEASE_SCRIPTS = {
  changeset: "changeset",
  // The generator stamps each client's version into client.ts: regenerate after the bump.
  version: "changeset version && pnpm generate && pnpm install --lockfile-only",
  release: "turbo run build && changeset publish",
} as const;

/** Files of the working tree that git would consider (tracked + untracked, minus ignored). */
async function workingTreeFiles(): Promise<string[]> {
  const out = await sh(repoRoot, ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cleanEnv());
  return out.split("\0").filter((f) => f && existsSync(join(repoRoot, f)));
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
  let verdaccio: LoopbackRegistry | undefined;
  let api: Server | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "release-e2e-"));
    // Its own verdaccio folder: history-replay installs into .cache/history-replay/verdaccio, maybe at the same time.
    const bin = await ensureVerdaccio(repoRoot, join(repoRoot, ".cache", "verdaccio"));
    verdaccio = await startVerdaccio(bin, join(work, "registry"), "e2e");
    registry = verdaccio.url;
    token = verdaccio.token;
  });

  afterAll(async () => {
    await verdaccio?.stop();
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
    expect(await versionOf("runtime")).toBe(RELEASE);
    expect(await versionOf("machines-2026-03-10")).toBe(RELEASE);
    expect(await readFile(join(clone, "packages/machines-2026-03-10/CHANGELOG.md"), "utf8")).toContain(
      "Initial release",
    );
    // The generator stamps the package version into the client: `version` must regenerate.
    expect(await readFile(join(clone, "packages/machines-2026-03-10/src/generated/client.ts"), "utf8")).toContain(
      `PACKAGE_VERSION = "${RELEASE}"`,
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
    expect(published).toMatch(new RegExp(`New tag:\\s+@codespaces-clients/runtime@${RELEASE.replaceAll(".", "\\.")}`));
    for (const name of ["@codespaces-clients/runtime", CLIENT, "@codespaces-clients/machines-2022-11-28"]) {
      const info = await verdaccio!.packument(name);
      expect(info?.["dist-tags"].latest, name).toBe(RELEASE);
      if (name !== "@codespaces-clients/runtime")
        expect(info?.versions[RELEASE]?.dependencies).toEqual({ "@codespaces-clients/runtime": `^${RELEASE}` });
    }
    for (const name of [
      "@codespaces-clients/spec",
      "@codespaces-clients/generator",
      "@codespaces-clients/release-e2e",
    ]) {
      expect(await verdaccio!.packument(name), `${name} is private`).toBeUndefined();
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
        ["npm", "install", `${CLIENT}@${RELEASE}`, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
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
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({ PACKAGE_VERSION: RELEASE, names: ["standardLinux"] });
    expect(seen.url).toBe("/repos/octo/hello/codespaces/machines");
    expect(seen.headers?.["x-github-api-version"]).toBe("2026-03-10");
    expect(String(seen.headers?.["user-agent"])).toContain(`${CLIENT}/${RELEASE}`);

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
