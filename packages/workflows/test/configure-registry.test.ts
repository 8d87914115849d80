import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "./helpers.js";

const execFileAsync = promisify(execFile);
const SCRIPT = join(repoRoot, "scripts", "release", "configure-registry.mjs");
const TOKEN = "npm_Zx9SECRETTOKENVALUEdoNotLeak0000";

/** The environment without anything that would change the script's answers. */
function env(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !/^(NPM_REGISTRY_URL|NODE_AUTH_TOKEN|ACTIONS_ID_TOKEN_REQUEST_URL|ACTIONS_ID_TOKEN_REQUEST_TOKEN)$/.test(k) &&
      !/^npm_config_/i.test(k)
    )
      base[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) base[k] = v;
  return base;
}

async function configure(
  args: string[],
  extra: Record<string, string | undefined> = {},
  script = SCRIPT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [script, ...args], { env: env(extra) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A command for `--`: prints what it was given (never the token itself) as JSON. */
const REPORT = [
  process.execPath,
  "-e",
  `const fs = require("node:fs");
const file = process.env.NPM_CONFIG_USERCONFIG;
console.log(JSON.stringify({
  userconfig: file,
  npmrc: fs.readFileSync(file, "utf8"),
  mode: (fs.statSync(file).mode & 0o777).toString(8),
  provenance: process.env.NPM_CONFIG_PROVENANCE,
  otherUserconfig: Object.keys(process.env).filter((k) => k.toLowerCase() === "npm_config_userconfig" && k !== "NPM_CONFIG_USERCONFIG"),
  tokenArrived: process.env.NODE_AUTH_TOKEN === ${JSON.stringify(TOKEN)},
}));
process.exit(Number(process.env.EXIT_WITH ?? 0));`,
];

describe("configure-registry --print: the npmrc for the registry the repository is configured for", () => {
  const CASES: readonly (readonly [name: string, registry: string | undefined, want: string[]])[] = [
    [
      "public npm registry by default",
      undefined,
      [
        "@codespaces-clients:registry=https://registry.npmjs.org/",
        "//registry.npmjs.org/:_authToken=${NODE_AUTH_TOKEN}",
      ],
    ],
    [
      "GitHub Packages",
      "https://npm.pkg.github.com",
      [
        "@codespaces-clients:registry=https://npm.pkg.github.com/",
        "//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}",
      ],
    ],
    [
      "a private registry under a path",
      "https://npm.example.test/api/npm/releases",
      [
        "@codespaces-clients:registry=https://npm.example.test/api/npm/releases/",
        "//npm.example.test/api/npm/releases/:_authToken=${NODE_AUTH_TOKEN}",
      ],
    ],
    [
      "a loopback registry over http",
      "http://127.0.0.1:4873/",
      ["@codespaces-clients:registry=http://127.0.0.1:4873/", "//127.0.0.1:4873/:_authToken=${NODE_AUTH_TOKEN}"],
    ],
  ];
  it.each(CASES)("%s", async (_, registry, want) => {
    const { code, stdout } = await configure(["--print"], { NPM_REGISTRY_URL: registry, NODE_AUTH_TOKEN: TOKEN });
    expect(code).toBe(0);
    const settings = stdout.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(settings).toEqual(want);
    expect(stdout).not.toContain(TOKEN);
  });

  it("--registry wins over NPM_REGISTRY_URL, --token-env names the variable", async () => {
    const { stdout } = await configure(
      ["--print", "--registry", "https://npm.pkg.github.com", "--token-env", "GH_PACKAGES_TOKEN"],
      { NPM_REGISTRY_URL: "https://registry.npmjs.org" },
    );
    expect(stdout).toContain("//npm.pkg.github.com/:_authToken=${GH_PACKAGES_TOKEN}");
  });

  it.each([
    ["the public npm registry in a job that may mint an OIDC token", undefined, "https://oidc.example.test", "true"],
    ["the public npm registry without an OIDC token", undefined, undefined, "false"],
    ["GitHub Packages, even with an OIDC token", "https://npm.pkg.github.com", "https://oidc.example.test", "false"],
  ])("provenance for %s", async (_, registry, oidc, want) => {
    const { stdout } = await configure(["--print"], { NPM_REGISTRY_URL: registry, ACTIONS_ID_TOKEN_REQUEST_URL: oidc });
    expect(stdout).toContain(`# env NPM_CONFIG_PROVENANCE=${want}`);
  });
});

describe("configure-registry -- <command>: the publish command runs with the registry, the token stays in the environment", () => {
  it("gives the command a private npmrc that names the token variable, and removes it afterwards", async () => {
    const tmp = await tempDir("configure-registry-tmp");
    const { code, stdout, stderr } = await configure(["--", ...REPORT], {
      NPM_REGISTRY_URL: "https://npm.pkg.github.com",
      NODE_AUTH_TOKEN: TOKEN,
      TMPDIR: tmp,
      npm_config_userconfig: "/elsewhere/.npmrc",
    });
    expect(code).toBe(0);
    const seen = JSON.parse(stdout) as {
      userconfig: string;
      npmrc: string;
      mode: string;
      provenance: string;
      otherUserconfig: string[];
      tokenArrived: boolean;
    };
    expect(seen.npmrc).toContain(
      "@codespaces-clients:registry=https://npm.pkg.github.com/\n//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}\n",
    );
    expect(seen.npmrc).not.toContain(TOKEN);
    expect(seen.mode).toBe("600");
    expect(seen.tokenArrived).toBe(true);
    expect(seen.provenance).toBe("false");
    expect(seen.otherUserconfig).toEqual([]); // no second spelling left to compete
    expect(seen.userconfig.startsWith(tmp)).toBe(true);
    expect(await readdir(tmp)).toEqual([]); // removed when the command ended
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
    expect(stderr).toBe(
      "configure-registry: @codespaces-clients → https://npm.pkg.github.com/ (auth from $NODE_AUTH_TOKEN); provenance off: npm.pkg.github.com does not accept npm provenance\n",
    );
  });

  it("ends with the command's exit code, and still removes the npmrc", async () => {
    const tmp = await tempDir("configure-registry-tmp");
    const { code, stderr } = await configure(["--", ...REPORT], {
      NODE_AUTH_TOKEN: TOKEN,
      TMPDIR: tmp,
      EXIT_WITH: "7",
    });
    expect(code).toBe(7);
    expect(stderr).toContain("exited with 7");
    expect(await readdir(tmp)).toEqual([]);
  });
});

describe("configure-registry refuses, with one line and without echoing secrets", () => {
  it.each([
    [
      "no token",
      { NPM_REGISTRY_URL: "https://npm.pkg.github.com" },
      "$NODE_AUTH_TOKEN is empty: https://npm.pkg.github.com/ needs a token to publish",
    ],
    [
      "credentials in the URL",
      { NPM_REGISTRY_URL: "https://bot:hunter2@npm.example.test/", NODE_AUTH_TOKEN: TOKEN },
      "the registry URL must not carry credentials",
    ],
    [
      "plain http to another host",
      { NPM_REGISTRY_URL: "http://npm.example.test/", NODE_AUTH_TOKEN: TOKEN },
      "the registry npm.example.test must be https://: plain http is only accepted on loopback",
    ],
    ["not a URL", { NPM_REGISTRY_URL: "npm.example.test", NODE_AUTH_TOKEN: TOKEN }, "is not a URL"],
  ])("%s", async (_, extra, message) => {
    const { code, stdout, stderr } = await configure(["--", process.execPath, "-e", "console.log('ran')"], extra);
    expect(code).toBe(1);
    expect(stdout).toBe(""); // the command never ran
    expect(stderr.trim().split("\n")).toEqual([expect.stringContaining(message)]);
    expect(stderr).not.toContain("hunter2");
    expect(stderr).not.toContain(TOKEN);
  });

  it("without --print or a command it is a usage error (exit 2)", async () => {
    const { code, stderr } = await configure([]);
    expect(code).toBe(2);
    expect(stderr).toContain("nothing to do");
  });

  it("a workspace whose public packages have two scopes needs --scope", async () => {
    const root = await tempDir("configure-registry-repo");
    await mkdir(join(root, "scripts", "release"), { recursive: true });
    await cp(SCRIPT, join(root, "scripts", "release", "configure-registry.mjs"));
    for (const [dir, name] of [
      ["a", "@one/a"],
      ["b", "@two/b"],
      ["c", "@three/private"],
    ] as const) {
      await mkdir(join(root, "packages", dir), { recursive: true });
      await writeFile(join(root, "packages", dir, "package.json"), JSON.stringify({ name, private: dir === "c" }));
    }
    const copy = join(root, "scripts", "release", "configure-registry.mjs");
    const refused = await configure(["--print"], {}, copy);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the public packages under");
    expect(refused.stderr).toContain("@one, @two; pass --scope @name");
    const chosen = await configure(["--print", "--scope", "@two"], {}, copy);
    expect(chosen.stdout).toContain("@two:registry=https://registry.npmjs.org/");
    expect(await readFile(copy, "utf8")).toContain("configure-registry"); // the copy, not the repository's, ran
  });
});
