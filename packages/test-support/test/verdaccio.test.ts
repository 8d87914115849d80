import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithRegistry } from "../src/index.js";
import { cleanEnv, run, sh } from "../src/shell.js";
import { ensureVerdaccio, type LoopbackRegistry, startVerdaccio } from "../src/verdaccio.js";

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
// A folder of its own, like release-e2e's and history-replay's: suites never install into one folder at once.
const cacheDir = join(repoRoot, ".cache", "test-support", "verdaccio");

describeWithRegistry("loopback verdaccio", ["verdaccio"], () => {
  let work = "";
  let bin = "";
  let registry: LoopbackRegistry | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "test-support-verdaccio-"));
    bin = await ensureVerdaccio(repoRoot, cacheDir);
    registry = await startVerdaccio(bin, join(work, "registry"), "probe");
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("is installed once: a second ensureVerdaccio with the same pin reuses the folder", async () => {
    const stamp = await stat(join(cacheDir, ".stamp"));
    expect(await ensureVerdaccio(repoRoot, cacheDir)).toBe(bin);
    expect((await stat(join(cacheDir, ".stamp"))).mtimeMs).toBe(stamp.mtimeMs);
  });

  it("holds nothing but what is published to it, with the token it handed out", async () => {
    const r = registry!;
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // No uplinks: a package of the public registry is not proxied.
    expect(await r.packument("verdaccio")).toBeUndefined();
    const pkg = join(work, "pkg");
    await mkdir(pkg);
    await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "@codespaces-clients/probe", version: "1.2.3" }));
    const host = r.url.replace(/^http:/, "");
    await writeFile(join(pkg, ".npmrc"), `registry=${r.url}\n${host}:_authToken=\${PROBE_TOKEN}\n`);
    // Without the token the registry refuses the publish; with it (env only) it accepts.
    const anonymous = await run(pkg, ["npm", "publish", "--loglevel=error"], cleanEnv({ PROBE_TOKEN: "wrong" }));
    expect(anonymous.code).not.toBe(0);
    const output = await sh(pkg, ["npm", "publish", "--loglevel=error"], cleanEnv({ PROBE_TOKEN: r.token }));
    expect(output).not.toContain(r.token);
    expect(await readFile(join(pkg, ".npmrc"), "utf8")).not.toContain(r.token);
    const info = await r.packument("@codespaces-clients/probe");
    expect(info?.["dist-tags"].latest).toBe("1.2.3");
  });

  it("is gone after stop()", async () => {
    const r = registry!;
    await r.stop();
    await expect(fetch(`${r.url}-/ping`)).rejects.toThrow();
  });
});
