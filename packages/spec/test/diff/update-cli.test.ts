import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonOrdered, stringifyOrdered } from "../../src/index.js";
import { committedSpec, hasMirror, mirror, runCli, snapshotTree, tempDir } from "../helpers.js";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures poke at arbitrary OpenAPI nodes
const VERSIONS = ["2022-11-28", "2026-03-10"] as const;
const DESCRIPTIONS = "descriptions/api.github.com";
const R = "/repos/{owner}/{repo}/codespaces/machines";

/** GitHub's CHANGELOG.md format (github/rest-api-description, descriptions/api.github.com/CHANGELOG.md). */
const changelog = (version: string, endpoints: readonly string[]) => `# REST API Breaking Changes for GitHub Free, Pro & Team

For more information about GitHub REST API versioning, see "[API Versions](https://docs.github.com/rest/overview/api-versions)".

## Version ${version}

- **Remove deprecated \`rate\` property from rate limit endpoint**
  The \`rate\` property has been deprecated since 2021.

  <details>
  <summary><strong>Affected endpoints</strong></summary>

${["GET /rate_limit", ...endpoints].map((e) => `  - \`${e}\``).join("\n")}

  </details>

- **Change Content-Type of SARIF response**
  No endpoint list for this one.
`;

/**
 * A temp repository (`spec/` copied from the committed one, `.changeset/` empty, no workspace, so
 * no generate/test) and a temp mirror named like the shared one, with each version's description
 * passed through `variant`.
 */
async function setup(variant: (version: string, doc: Doc) => void = () => undefined, extra: Record<string, Doc> = {}) {
  const dir = await tempDir("spec-update-");
  const repo = join(dir, "repo");
  const specDir = join(repo, "spec");
  await cp(committedSpec, specDir, { recursive: true });
  await mkdir(join(repo, ".changeset"), { recursive: true });
  const mirrorDir = join(dir, "github-descriptions"); // same folder name: identical provenance
  await mkdir(join(mirrorDir, DESCRIPTIONS), { recursive: true });
  for (const version of VERSIONS) {
    // Key order is meaning to the extractor (GitHub lists "500" before "304"): keep it.
    const doc = parseJsonOrdered(await readFile(join(mirror, DESCRIPTIONS, `api.github.com.${version}.json`), "utf8")) as Doc;
    variant(version, doc);
    await writeFile(join(mirrorDir, DESCRIPTIONS, `api.github.com.${version}.json`), stringifyOrdered(doc));
  }
  for (const [version, doc] of Object.entries(extra)) await writeFile(join(mirrorDir, DESCRIPTIONS, `api.github.com.${version}.json`), JSON.stringify(doc));
  const update = (...args: string[]) => runCli(["update", "--mirror", mirrorDir, "--spec-dir", specDir, ...args], { cwd: dir });
  const changesets = async () => Object.fromEntries(await Promise.all((await readdir(join(repo, ".changeset"))).sort().map(async (f) => [f, await readFile(join(repo, ".changeset", f), "utf8")] as const)));
  return { dir, repo, specDir, mirrorDir, update, changesets, tree: () => snapshotTree(repo) };
}

const machine = (doc: Doc) => doc.components.schemas["codespace-machine"];
const addOptionalQuery = (_v: string, doc: Doc) => doc.paths[R].get.parameters.push({ name: "sku", description: "Only machines of this SKU.", in: "query", schema: { type: "string" } });

describe.skipIf(!hasMirror)("pnpm spec update: classify, write spec/ and changesets", () => {
  it("a new optional query parameter → a minor changeset per client package", async () => {
    const t = await setup(addOptionalQuery);
    const run = await t.update();
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2026-03-10  classified: minor (1 change: 0 major, 1 minor, 0 patch)");
    expect(run.stdout).toMatch(/minor  parameter-added-optional  codespaces\/repo-machines-for-authenticated-user \(GET \/repos\/\{owner\}\/\{repo\}\/codespaces\/machines\)  query parameter sku/);
    expect(run.stdout).toContain("generate: skipped");
    const sets = await t.changesets();
    expect(Object.keys(sets)).toEqual(["machines-2022-11-28-spec-0000036.md", "machines-2026-03-10-spec-0114920.md"]);
    expect(sets["machines-2026-03-10-spec-0114920.md"]).toMatch(/^---\n"@codespaces-clients\/machines-2026-03-10": minor\n---\n/);
    expect(sets["machines-2026-03-10-spec-0114920.md"]).toContain("#/paths/~1repos~1{owner}~1{repo}~1codespaces~1machines/get/parameters/5");
    const slice = JSON.parse(await readFile(join(t.specDir, "generated/2026-03-10/openapi.json"), "utf8")) as Doc;
    expect(slice.paths[R].get.parameters.at(-1).name).toBe("sku");
  });

  it("a response property removed in one version only → a major changeset for that package only", async () => {
    const t = await setup((version, doc) => {
      if (version !== "2026-03-10") return;
      delete machine(doc).properties.display_name;
      machine(doc).required = machine(doc).required.filter((r: string) => r !== "display_name");
    });
    const before = await readFile(join(t.specDir, "generated/2022-11-28/openapi.json"), "utf8");
    const run = await t.update();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2022-11-28  classified: unchanged");
    expect(run.stdout).toContain("2026-03-10  classified: major (2 changes: 2 major, 0 minor, 0 patch)");
    const sets = await t.changesets();
    expect(Object.keys(sets)).toEqual(["machines-2026-03-10-spec-0114920.md"]);
    expect(sets["machines-2026-03-10-spec-0114920.md"]).toContain('"@codespaces-clients/machines-2026-03-10": major');
    expect(sets["machines-2026-03-10-spec-0114920.md"]).toContain("`#/components/schemas/codespace-machine/properties/display_name`");
    expect(await readFile(join(t.specDir, "generated/2022-11-28/openapi.json"), "utf8")).toBe(before);
  });

  it("a description changed → patch", async () => {
    const t = await setup((_v, doc) => (doc.paths[R].get.summary = "List machine types for a repository"));
    const run = await t.update();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("classified: patch (1 change: 0 major, 0 minor, 1 patch)");
    const sets = await t.changesets();
    expect(sets["machines-2022-11-28-spec-0000036.md"]).toContain('"@codespaces-clients/machines-2022-11-28": patch');
  });

  it("identical descriptions → no changeset, nothing written, exit 0", async () => {
    const t = await setup();
    const before = await t.tree();
    const run = await t.update();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2022-11-28  classified: unchanged");
    expect(run.stdout).toContain("spec/ is up to date: nothing written");
    expect(await t.tree()).toEqual(before);
  });

  it("a malformed description → one clear error, nothing written", async () => {
    const t = await setup();
    const file = join(t.mirrorDir, DESCRIPTIONS, "api.github.com.2026-03-10.json");
    await writeFile(file, (await readFile(file, "utf8")).slice(0, 5000));
    const before = await t.tree();
    const run = await t.update();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^spec: error: .*api\.github\.com\.2026-03-10\.json.*JSON/m);
    expect(await t.tree()).toEqual(before);
  });

  it("--check exits 1 on drift and writes nothing; --dry-run prints the report and writes nothing", async () => {
    const t = await setup(addOptionalQuery);
    const before = await t.tree();
    const check = await t.update("--check");
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/spec: error: .*differs from upstream for 2022-11-28 \(minor\), 2026-03-10 \(minor\): run `pnpm spec update/);
    const dry = await t.update("--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("parameter-added-optional");
    expect(dry.stdout).toContain("dry run: nothing written (2 version(s) would change)");
    expect(await t.tree()).toEqual(before);
    const clean = await (await setup()).update("--check");
    expect(clean.code).toBe(0);
  });

  it("--ref moves the pin in sources.json and names the changeset after the commit", async () => {
    const t = await setup(addOptionalQuery);
    const ref = "abcdef0123456789abcdef0123456789abcdef01";
    const run = await t.update("--ref", ref, "--version", "2026-03-10");
    expect(run.code).toBe(0);
    const config = JSON.parse(await readFile(join(t.specDir, "sources.json"), "utf8")) as Doc;
    expect(config.versions).toEqual([
      { version: "2022-11-28", commit: "0000036e42b5e7121c2b1ac244cb7bba1d2f3914" },
      { version: "2026-03-10", commit: ref },
    ]);
    expect(Object.keys(await t.changesets())).toEqual(["machines-2026-03-10-spec-abcdef0.md"]);
    const provenance = JSON.parse(await readFile(join(t.specDir, "generated/2026-03-10/provenance.json"), "utf8")) as Doc;
    expect(provenance.source.commit).toBe(ref);
  });

  it("a new API version → an initial changeset, and the changelog cross-check", async () => {
    const next = "2027-01-01";
    const t = await setup();
    const doc = JSON.parse(await readFile(join(t.mirrorDir, DESCRIPTIONS, "api.github.com.2026-03-10.json"), "utf8")) as Doc;
    delete machine(doc).properties.display_name; // a breaking change GitHub's changelog lists too
    machine(doc).required = machine(doc).required.filter((r: string) => r !== "display_name");
    await writeFile(join(t.mirrorDir, DESCRIPTIONS, `api.github.com.${next}.json`), JSON.stringify(doc));
    await writeFile(join(t.mirrorDir, DESCRIPTIONS, "CHANGELOG.md"), changelog(next, ["GET /repos/{owner}/{repo}/codespaces/machines", "GET /user/codespaces/{codespace_name}/machines"]));
    const configFile = join(t.specDir, "sources.json");
    const config = JSON.parse(await readFile(configFile, "utf8")) as Doc;
    config.versions.push({ version: next, commit: "1111111111111111111111111111111111111111" });
    await writeFile(configFile, JSON.stringify(config, null, 2));
    const run = await t.update();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${next}  classified: new API version → @codespaces-clients/machines-${next} (initial release, minor)`);
    expect(run.stdout).toContain(`${next}  changelog ${next}: agrees — breaking changes in our operations from 2026-03-10: GET /repos/{owner}/{repo}/codespaces/machines, GET /user/codespaces/{codespace_name}/machines`);
    const sets = await t.changesets();
    expect(sets[`machines-${next}-initial-release.md`]).toContain(`"@codespaces-clients/machines-${next}": minor`);
  });

  it("says so when our diff and GitHub's changelog disagree", async () => {
    const next = "2027-01-01";
    const t = await setup();
    const doc = JSON.parse(await readFile(join(t.mirrorDir, DESCRIPTIONS, "api.github.com.2026-03-10.json"), "utf8")) as Doc;
    await writeFile(join(t.mirrorDir, DESCRIPTIONS, `api.github.com.${next}.json`), JSON.stringify(doc));
    await writeFile(join(t.mirrorDir, DESCRIPTIONS, "CHANGELOG.md"), changelog(next, ["GET /user/codespaces/{codespace_name}/machines"]));
    const configFile = join(t.specDir, "sources.json");
    const config = JSON.parse(await readFile(configFile, "utf8")) as Doc;
    config.versions.push({ version: next, commit: "1111111111111111111111111111111111111111" });
    await writeFile(configFile, JSON.stringify(config, null, 2));
    const run = await t.update("--dry-run");
    expect(run.stdout).toContain(`changelog ${next}: DISAGREES — GitHub lists GET /user/codespaces/{codespace_name}/machines among our operations; our diff from 2026-03-10 finds major changes in none`);
  });
});

describe.skipIf(!hasMirror)("pnpm spec diff", () => {
  it("prints the same classification for two descriptions, and JSON with --json", async () => {
    const t = await setup((version, doc) => version === "2026-03-10" && machine(doc).properties.prebuild_availability.enum.push("failed"));
    const [a, b] = VERSIONS.map((v) => join(t.mirrorDir, DESCRIPTIONS, `api.github.com.${v}.json`));
    const text = await runCli(["diff", a!, b!], { cwd: t.dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("classified: minor (2 changes: 0 major, 2 minor, 0 patch)");
    expect(text.stdout).toContain("response-enum-value-added");
    const json = await runCli(["diff", a!, b!, "--json", "--response-enum-addition", "major"], { cwd: t.dir });
    const parsed = JSON.parse(json.stdout) as Doc;
    expect(parsed.bump).toBe("major");
    expect(parsed.changes[0]).toMatchObject({ rule: "response-enum-value-added", pointer: "#/components/schemas/codespace-machine/properties/prebuild_availability/enum" });
  });
});
