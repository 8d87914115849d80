#!/usr/bin/env node
/**
 * Points a release command at the npm registry the repository is configured for, without ever
 * writing the token down.
 *
 *   node scripts/release/configure-registry.mjs [options] -- <command> [args…]   run <command> with it
 *   node scripts/release/configure-registry.mjs [options] --print                 show what it would set
 *
 * The ONE place the registry comes from: `--registry` or `$NPM_REGISTRY_URL` (in GitHub Actions the
 * repository variable of that name), default https://registry.npmjs.org/. The token is read from
 * `$NODE_AUTH_TOKEN` (`--token-env` names another variable) by npm and pnpm themselves: the npmrc
 * this script writes says `//<host>/:_authToken=${NODE_AUTH_TOKEN}`, literally.
 *
 * Why a user-level npmrc in a temp folder (`NPM_CONFIG_USERCONFIG`), not the repository's .npmrc:
 * pnpm 10 ignores `${VAR}` credentials in a project .npmrc (a committed file could send them to
 * another host), and a file in the checkout would be committed by changesets/action's version PR.
 * Why `NODE_AUTH_TOKEN`, not `NPM_TOKEN`: changesets/action v1 appends the *value* of `$NPM_TOKEN`
 * to ~/.npmrc before it publishes. Only the publishable scope (`@codespaces-clients`, read from the
 * workspace's public packages) is routed to the registry, so npx, pnpm and every dependency keep
 * coming from the usual registry.
 *
 * The scope's registry lives in that npmrc and nowhere else: an environment variable such as
 * `npm_config_@scope:registry` does not survive `sh` or `pnpm run`. npm picks a scoped package's
 * registry from the scope's setting before any `--registry`, so `changeset publish`'s `npm info`
 * checks and `pnpm publish` (which runs `npm publish`) both reach the configured registry.
 *
 * The command also gets `NPM_CONFIG_PROVENANCE=true` where provenance exists: only the public npm
 * registry accepts it, and only from a CI job that may mint an OIDC token (`permissions: id-token:
 * write`). The temp folder is removed when the command ends.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const PUBLIC_NPM_REGISTRY = "https://registry.npmjs.org/";
const DEFAULT_TOKEN_ENV = "NODE_AUTH_TOKEN";
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

class UsageError extends Error {}

/**
 * The registry URL, checked and normalised (trailing slash). Refused, without echoing the value:
 * credentials in the URL, a query or fragment, and plain http to anything but loopback (a token
 * would cross the network in clear text).
 */
export function normaliseRegistry(raw) {
  const text = (raw ?? "").trim() || PUBLIC_NPM_REGISTRY;
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error("the registry URL (--registry / NPM_REGISTRY_URL) is not a URL");
  }
  if (url.username || url.password)
    throw new Error("the registry URL must not carry credentials: the token comes from the environment");
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`the registry URL must be https:// (got ${url.protocol})`);
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname))
    throw new Error(`the registry ${url.host} must be https://: plain http is only accepted on loopback`);
  if (url.search || url.hash) throw new Error("the registry URL must not have a query or fragment");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.toString();
}

/** npm's "nerf dart" of a registry, the key prefix of its credentials: `//host[:port]/path/`. */
export function authKeyOf(registry) {
  const url = new URL(registry);
  return `//${url.host}${url.pathname}`;
}

/** Provenance is a feature of the public npm registry, attested from a CI job with an OIDC token. */
export function provenanceOf(registry, env) {
  if (new URL(registry).host !== new URL(PUBLIC_NPM_REGISTRY).host)
    return { enabled: false, why: `${new URL(registry).host} does not accept npm provenance` };
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL)
    return { enabled: false, why: "no OIDC token here (GitHub Actions with permissions: id-token: write)" };
  return { enabled: true, why: "public npm registry, OIDC token available" };
}

/** The one npm scope of the workspace's publishable packages (`private` is not true). */
export function publishScopeOf(root) {
  const scopes = new Set();
  const dir = join(root, "packages");
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const file = join(dir, name, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    if (pkg.private === true || typeof pkg.name !== "string") continue;
    scopes.add(pkg.name.startsWith("@") ? pkg.name.split("/")[0] : "");
  }
  if (scopes.size !== 1 || scopes.has("")) {
    throw new Error(
      `cannot tell the scope to route: the public packages under ${dir} have ${scopes.size ? [...scopes].map((s) => s || "(unscoped)").join(", ") : "none"}; pass --scope @name`,
    );
  }
  return [...scopes][0];
}

/** The npmrc text: the scope's registry and an auth line that names the variable, never its value. */
export function npmrcText({ registry, scope, tokenEnv }) {
  return [
    "# written by scripts/release/configure-registry.mjs for one command; removed when it ends",
    `${scope}:registry=${registry}`,
    `${authKeyOf(registry)}:_authToken=\${${tokenEnv}}`,
    "",
  ].join("\n");
}

/** Everything the command's environment gains (no token: it is already in the environment). */
export function commandEnv({ npmrc, provenance }) {
  return { NPM_CONFIG_USERCONFIG: npmrc, NPM_CONFIG_PROVENANCE: String(provenance.enabled) };
}

/**
 * `base` with `extra` on top. npm reads `npm_config_*` case-insensitively, so another spelling of
 * the same key (`npm_config_userconfig`, set inside any `pnpm run`) is dropped, not left to compete.
 */
export function withEnv(base, extra) {
  const replaced = new Set(Object.keys(extra).map((k) => k.toLowerCase()));
  const env = Object.fromEntries(
    Object.entries(base).filter(([k, v]) => v !== undefined && !replaced.has(k.toLowerCase())),
  );
  return { ...env, ...extra };
}

function parse(argv) {
  const split = argv.indexOf("--");
  const own = split < 0 ? argv : argv.slice(0, split);
  const command = split < 0 ? [] : argv.slice(split + 1);
  let values;
  try {
    ({ values } = parseArgs({
      args: own,
      strict: true,
      options: {
        registry: { type: "string" },
        scope: { type: "string" },
        "token-env": { type: "string" },
        print: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  return { values, command };
}

const USAGE = `usage: node scripts/release/configure-registry.mjs [--registry <url>] [--scope <@scope>] [--token-env <NAME>] (--print | -- <command> [args…])
  registry: --registry, else $NPM_REGISTRY_URL, else ${PUBLIC_NPM_REGISTRY}
  token:    read by npm/pnpm from $${DEFAULT_TOKEN_ENV} (or --token-env); never written to a file`;

async function main(argv) {
  const { values, command } = parse(argv);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.print && !command.length) throw new UsageError("nothing to do: give --print or -- <command>");
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const registry = normaliseRegistry(values.registry ?? process.env.NPM_REGISTRY_URL);
  const scope = values.scope ?? publishScopeOf(root);
  if (!/^@[a-z0-9][a-z0-9._~-]*$/i.test(scope))
    throw new UsageError(`--scope must look like @name (got ${JSON.stringify(scope)})`);
  const tokenEnv = values["token-env"] ?? DEFAULT_TOKEN_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new UsageError("--token-env must name an environment variable");
  const provenance = provenanceOf(registry, process.env);
  const say = (line) => process.stderr.write(`configure-registry: ${line}\n`);

  if (values.print) {
    process.stdout.write(npmrcText({ registry, scope, tokenEnv }));
    for (const [k, v] of Object.entries(commandEnv({ npmrc: "<temp>/npmrc", provenance })))
      process.stdout.write(`# env ${k}=${v}\n`);
    return 0;
  }
  if (!process.env[tokenEnv]) {
    throw new Error(
      `$${tokenEnv} is empty: ${registry} needs a token to publish (in GitHub Actions: the NPM_TOKEN secret, or the workflow token for GitHub Packages)`,
    );
  }

  const dir = mkdtempSync(join(tmpdir(), "configure-registry-"));
  const npmrc = join(dir, "npmrc");
  writeFileSync(npmrc, npmrcText({ registry, scope, tokenEnv }), { mode: 0o600 });
  say(
    `${scope} → ${registry} (auth from $${tokenEnv}); provenance ${provenance.enabled ? "on" : "off"}: ${provenance.why}`,
  );
  try {
    return await new Promise((resolvePromise, reject) => {
      const child = spawn(command[0], command.slice(1), {
        stdio: "inherit",
        env: withEnv(process.env, commandEnv({ npmrc, provenance })),
      });
      const forward = (signal) => child.kill(signal);
      process.on("SIGINT", forward).on("SIGTERM", forward);
      child.on("error", (error) => reject(new Error(`cannot run ${command[0]}: ${error.message}`)));
      child.on("close", (code, signal) => {
        process.off("SIGINT", forward).off("SIGTERM", forward);
        if (code !== 0) say(`\`${command.join(" ")}\` ${signal ? `ended by ${signal}` : `exited with ${code}`}`);
        resolvePromise(code ?? 1);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`configure-registry: error: ${error.message}\n`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
