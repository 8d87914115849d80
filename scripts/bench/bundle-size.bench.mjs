#!/usr/bin/env node
// Bundle size: min+gz of everything a consumer ships to call both machines operations — our
// client vs @octokit/rest vs @octokit/core + @octokit/plugin-rest-endpoint-methods, each bundled
// the same way (esbuild, ESM, minified, platform browser, gzip level 9).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { pathToFileURL } from "node:url";
import { baseline, main, versionOf, requireBuilt, scratch, verdicts } from "./lib.mjs";

const TARGET_KB = 6;
/** The package an esbuild input belongs to (the last node_modules segment, else the workspace folder). */
const packageOf = (input) =>
  [...input.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].at(-1)?.[1] ??
  (input.includes("packages/") ? input.split("packages/")[1].split("/")[0] : "entry");

/** The budget's entry: create a client of the machines package at `specifier` and call both operations. */
export const machinesEntry = (specifier) => `import { createClient } from ${JSON.stringify(specifier)};
const gh = createClient({ token: "t" });
export const run = () => Promise.all([gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r" }), gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "c" })]);`;

/**
 * Bundles `source`, written to `entry`, as a browser app ships it (esbuild: bundle, minify, format esm,
 * platform browser; gzip level 9). Returns the minified and gzipped sizes in bytes and the packages
 * with code in the output (a module imported but tree-shaken away adds nothing).
 */
export async function bundleOf(entry, source) {
  writeFileSync(entry, `${source}\n`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  const [output] = Object.values(result.metafile.outputs);
  const packages = new Set(
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([p]) => packageOf(p)),
  );
  return {
    min: code.length,
    gz: gzipSync(code, { level: 9 }).length,
    packages: [...packages].filter((p) => p !== "entry").sort(),
  };
}

export async function bundleSize() {
  const client = requireBuilt();
  const dir = scratch("bundle-size", client);
  const entries = {
    [`${client.name} (with all it imports)`]: machinesEntry(client.name),
    [`@octokit/rest ${versionOf("@octokit/rest")}`]: `import { Octokit } from "@octokit/rest";
const octokit = new Octokit({ auth: "t" });
export const run = () => Promise.all([octokit.rest.codespaces.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r" }), octokit.rest.codespaces.codespaceMachinesForAuthenticatedUser({ codespace_name: "c" })]);`,
    [`@octokit/core ${versionOf("@octokit/core")} + plugin-rest-endpoint-methods ${versionOf("@octokit/plugin-rest-endpoint-methods")}`]: `import { Octokit } from "@octokit/core";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
const octokit = new (Octokit.plugin(restEndpointMethods))({ auth: "t" });
export const run = () => Promise.all([octokit.rest.codespaces.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r" }), octokit.rest.codespaces.codespaceMachinesForAuthenticatedUser({ codespace_name: "c" })]);`,
    [`@octokit/request ${versionOf("@octokit/request")} (no typed methods; reference)`]: `import { request } from "@octokit/request";
const r = request.defaults({ headers: { authorization: "token t" } });
export const run = () => Promise.all([r("GET /repos/{owner}/{repo}/codespaces/machines", { owner: "o", repo: "r" }), r("GET /user/codespaces/{codespace_name}/machines", { codespace_name: "c" })]);`,
  };
  // Reference, not a target: the same app that also uses the typed path client (openapi-fetch).
  entries[`${client.name} + createPathClient (reference)`] = `import { createClient } from "${client.name}";
import { createPathClient } from "${client.name}/paths";
const gh = createClient({ token: "t" });
const api = createPathClient(gh);
export const run = () => Promise.all([gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r" }), api.GET("/user/codespaces/{codespace_name}/machines", { params: { path: { codespace_name: "c" } } })]);`;
  const before = baseline();
  if (before) {
    entries[`${before.label} (with all it imports)`] = machinesEntry(before.file);
  }
  const rows = [];
  const sizes = {};
  let i = 0;
  for (const [name, source] of Object.entries(entries)) {
    const { min, gz, packages } = await bundleOf(join(dir, `entry-${i++}.mjs`), source);
    sizes[name] = gz;
    rows.push(`| ${name} | ${(min / 1024).toFixed(1)} KB | ${(gz / 1024).toFixed(2)} KB | ${packages.join(", ")} |`);
  }
  const ours = Object.values(sizes)[0];
  return [
    "Entry: create a client and call both machines operations. esbuild `bundle, minify, format esm, platform browser`; gzip level 9; KB = 1024 bytes.",
    "",
    "| contender | min | min+gz | packages in the bundle |",
    "| --- | ---: | ---: | --- |",
    ...rows,
    "",
    verdicts([
      { name: `${client.name} min+gz`, value: (ours / 1024).toFixed(2), limit: TARGET_KB, unit: " KB" },
      ...(before
        ? [
            {
              name: `${before.label} min+gz`,
              value: (sizes[`${before.label} (with all it imports)`] / 1024).toFixed(2),
              limit: TARGET_KB,
              unit: " KB",
            },
          ]
        : []),
    ]),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main("Bundle size", bundleSize);
