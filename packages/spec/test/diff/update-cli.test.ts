/**
 * `spec update` end to end through the CLI, in temp workspaces. Over 300 lines on purpose: the scenarios share
 * one workspace setup and read as one story (no change, minor, major, refused, written whole or not at all).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonOrdered, stringifyOrdered } from "../../src/index.js";
import {
  cli,
  descriptionPath,
  FIXTURE_VERSIONS as VERSIONS,
  fixtureMirrorCopy,
  fixtureSpecCopy,
  runCli,
  snapshotTree,
  tempDir,
} from "../helpers.js";

const execFileAsync = promisify(execFile);
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures poke at arbitrary OpenAPI nodes
const R = "/repos/{owner}/{repo}/codespaces/machines";

/** GitHub's CHANGELOG.md format (github/rest-api-description, descriptions/api.github.com/CHANGELOG.md). */
const changelog = (
  version: string,
  endpoints: readonly string[],
) => `# REST API Breaking Changes for GitHub Free, Pro & Team

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
 * A temp repository (`spec/` built from the tests' own fixture, `.changeset/` empty, no workspace, so
 * no generate/test) and a temp copy of the fixture mirror with each version's description passed
 * through `variant`.
 */
async function setup(variant: (version: string, doc: Doc) => void = () => undefined, extra: Record<string, Doc> = {}) {
  const dir = await tempDir("spec-update-");
  const repo = join(dir, "repo");
  await mkdir(join(repo, ".changeset"), { recursive: true });
  const specDir = await fixtureSpecCopy(repo);
  const mirrorDir = await fixtureMirrorCopy(dir);
  for (const version of VERSIONS) {
    // Key order is meaning to the extractor (GitHub lists "500" before "304"): keep it.
    const file = descriptionPath(mirrorDir, version);
    const doc = parseJsonOrdered(await readFile(file, "utf8")) as Doc;
    variant(version, doc);
    await writeFile(file, stringifyOrdered(doc));
  }
  for (const [version, doc] of Object.entries(extra))
    await writeFile(descriptionPath(mirrorDir, version), JSON.stringify(doc));
  const update = (...args: string[]) =>
    runCli(["update", "--mirror", mirrorDir, "--spec-dir", specDir, ...args], { cwd: dir });
  const changesets = async () =>
    Object.fromEntries(
      await Promise.all(
        (await readdir(join(repo, ".changeset")))
          .sort()
          .map(async (f) => [f, await readFile(join(repo, ".changeset", f), "utf8")] as const),
      ),
    );
  return { dir, repo, specDir, mirrorDir, update, changesets, tree: () => snapshotTree(repo) };
}

const machine = (doc: Doc) => doc.components.schemas["codespace-machine"];
const addOptionalQuery = (_v: string, doc: Doc) =>
  doc.paths[R].get.parameters.push({
    name: "sku",
    description: "Only machines of this SKU.",
    in: "query",
    schema: { type: "string" },
  });

const removeDisplayName = (doc: Doc) => {
  delete machine(doc).properties.display_name;
  machine(doc).required = machine(doc).required.filter((r: string) => r !== "display_name");
};

/** The kinds of upstream change the unattended loop meets, each ending in exit 0 with one changeset per changed client. */
const kinds: [string, { variant: (version: string, doc: Doc) => void; bumps: Record<string, string | undefined> }][] = [
  [
    "a description edit",
    {
      variant: (_v, doc) => (doc.paths[R].get.description = "Lists the machine types a codespace can use."),
      bumps: { "2022-11-28": "patch", "2026-03-10": "patch" },
    },
  ],
  [
    "a new optional query parameter and a new response property",
    {
      variant: (v, doc) => {
        addOptionalQuery(v, doc);
        machine(doc).properties.gpus = { type: "integer", description: "How many GPUs the machine has." };
      },
      bumps: { "2022-11-28": "minor", "2026-03-10": "minor" },
    },
  ],
  [
    "a removed response property",
    { variant: (_v, doc) => removeDisplayName(doc), bumps: { "2022-11-28": "major", "2026-03-10": "major" } },
  ],
  [
    "a removal in 2026-03-10 only",
    {
      variant: (v, doc) => v === "2026-03-10" && removeDisplayName(doc),
      bumps: { "2022-11-28": undefined, "2026-03-10": "major" },
    },
  ],
];

describe("pnpm spec update: classify, write spec/ and changesets", () => {
  it.each(kinds)(
    "%s → exit 0, the new slices written, a changeset per changed client with its bump",
    async (_name, c) => {
      const t = await setup(c.variant);
      const run = await t.update();
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const sets = await t.changesets();
      const bumps = Object.fromEntries(
        VERSIONS.map((v) => [
          v,
          /": (major|minor|patch)\n/.exec(
            Object.entries(sets).find(([name]) => name.startsWith(`machines-${v}-`))?.[1] ?? "",
          )?.[1],
        ]),
      );
      expect(bumps).toEqual(c.bumps);
      for (const v of VERSIONS) {
        const mirrored = await readFile(descriptionPath(t.mirrorDir, v), "utf8");
        expect(await readFile(join(t.specDir, "generated", v, "openapi.json"), "utf8")).toBe(mirrored); // the excerpt is its own slice
      }
    },
  );

  it("a new optional query parameter → a minor changeset per client package", async () => {
    const t = await setup(addOptionalQuery);
    const run = await t.update();
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2026-03-10  classified: minor (1 change: 0 major, 1 minor, 0 patch)");
    expect(run.stdout).toMatch(
      /minor {2}parameter-added-optional {2}codespaces\/repo-machines-for-authenticated-user \(GET \/repos\/\{owner\}\/\{repo\}\/codespaces\/machines\) {2}query parameter sku/,
    );
    expect(run.stdout).toContain("generate: skipped");
    const sets = await t.changesets();
    expect(Object.keys(sets)).toEqual(["machines-2022-11-28-spec-0000036.md", "machines-2026-03-10-spec-0114920.md"]);
    expect(sets["machines-2026-03-10-spec-0114920.md"]).toMatch(
      /^---\n"@codespaces-clients\/machines-2026-03-10": minor\n---\n/,
    );
    expect(sets["machines-2026-03-10-spec-0114920.md"]).toContain(
      "#/paths/~1repos~1{owner}~1{repo}~1codespaces~1machines/get/parameters/5",
    );
    const slice = JSON.parse(await readFile(join(t.specDir, "generated/2026-03-10/openapi.json"), "utf8")) as Doc;
    expect(slice.paths[R].get.parameters.at(-1).name).toBe("sku");
  });

  it("a response property removed in one version only → a major changeset for that package only", async () => {
    const t = await setup((version, doc) => version === "2026-03-10" && removeDisplayName(doc));
    const before = await readFile(join(t.specDir, "generated/2022-11-28/openapi.json"), "utf8");
    const run = await t.update();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2022-11-28  classified: unchanged");
    expect(run.stdout).toContain("2026-03-10  classified: major (2 changes: 2 major, 0 minor, 0 patch)");
    const sets = await t.changesets();
    expect(Object.keys(sets)).toEqual(["machines-2026-03-10-spec-0114920.md"]);
    expect(sets["machines-2026-03-10-spec-0114920.md"]).toContain('"@codespaces-clients/machines-2026-03-10": major');
    expect(sets["machines-2026-03-10-spec-0114920.md"]).toContain(
      "`#/components/schemas/codespace-machine/properties/display_name`",
    );
    expect(await readFile(join(t.specDir, "generated/2022-11-28/openapi.json"), "utf8")).toBe(before);
  });

  it("stops with exit 1, one line per compiler diagnostic, and writes nothing when a change the table calls minor breaks the old usage (a default removed from an optional response property)", async () => {
    const gpus = (doc: Doc, withDefault: boolean) =>
      (machine(doc).properties.gpus = {
        type: "integer",
        description: "How many GPUs.",
        ...(withDefault ? { default: 0 } : {}),
      });
    const t = await setup((_v, doc) => gpus(doc, false));
    // spec/ holds the slices with the default, as the repository had them before this upstream change.
    for (const v of VERSIONS) {
      const file = join(t.specDir, "generated", v, "openapi.json");
      const doc = parseJsonOrdered(await readFile(file, "utf8")) as Doc;
      gpus(doc, true);
      await writeFile(file, stringifyOrdered(doc));
    }
    const before = await t.tree();
    const run = await t.update();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("2026-03-10  classified: minor (2 changes: 0 major, 2 minor, 0 patch)");
    expect(run.stdout).toContain(
      "2026-03-10  compiler: DISAGREES — classified minor, but the old usage does not compile against the new types (2 diagnostic(s))",
    );
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "spec: error: repo/spec: 2022-11-28 is classified minor, 2026-03-10 is classified minor, but the old usage does not compile against the new types: a rule in packages/spec/src/diff/rules.ts misclassifies the change (nothing written)",
    );
    const operations = [
      "codespaces/repo-machines-for-authenticated-user (GET /repos/{owner}/{repo}/codespaces/machines)",
      "codespaces/codespace-machines-for-authenticated-user (GET /user/codespaces/{codespace_name}/machines)",
    ];
    expect(lines.slice(1)).toEqual(
      VERSIONS.flatMap((v) =>
        operations.map(
          (op) =>
            `${v}  ${op} #/components/schemas/codespace-machine/properties/gpus: TS2322 Type 'number | undefined' is not assignable to type 'number'. Type 'undefined' is not assignable to type 'number'.`,
        ),
      ),
    );
    expect(await t.tree()).toEqual(before);
  });

  it("says which rule overrode the compiler, and why, when a major change leaves the old usage compiling (a parameter made required)", async () => {
    const t = await setup(
      (v, doc) =>
        v === "2026-03-10" && (doc.paths[R].get.parameters.find((p: Doc) => p.name === "ref").required = true),
    );
    const run = await t.update();
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2026-03-10  classified: major (1 change: 1 major, 0 minor, 0 patch)");
    expect(run.stdout).toContain(
      "2026-03-10  compiler: major by rule parameter-made-required although the old usage compiles: the usage passes every parameter, so it compiles; a caller that omits this one no longer does",
    );
    expect(run.stdout).not.toContain("2022-11-28  compiler:"); // unchanged: nothing to check
    expect(Object.keys(await t.changesets())).toEqual(["machines-2026-03-10-spec-0114920.md"]);
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
    const file = descriptionPath(t.mirrorDir, "2026-03-10");
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
    expect(check.stderr).toMatch(
      /spec: error: .*differs from upstream for 2022-11-28 \(minor\), 2026-03-10 \(minor\): run `pnpm spec update/,
    );
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
    const provenance = JSON.parse(
      await readFile(join(t.specDir, "generated/2026-03-10/provenance.json"), "utf8"),
    ) as Doc;
    expect(provenance.source.commit).toBe(ref);
  });

  it("a new API version → an initial changeset, and the changelog cross-check", async () => {
    const next = "2027-01-01";
    const t = await setup();
    const doc = JSON.parse(await readFile(descriptionPath(t.mirrorDir, "2026-03-10"), "utf8")) as Doc;
    delete machine(doc).properties.display_name; // a breaking change GitHub's changelog lists too
    machine(doc).required = machine(doc).required.filter((r: string) => r !== "display_name");
    await writeFile(descriptionPath(t.mirrorDir, next), JSON.stringify(doc));
    await writeFile(
      join(t.mirrorDir, "descriptions", "api.github.com", "CHANGELOG.md"),
      changelog(next, [
        "GET /repos/{owner}/{repo}/codespaces/machines",
        "GET /user/codespaces/{codespace_name}/machines",
      ]),
    );
    const configFile = join(t.specDir, "sources.json");
    const config = JSON.parse(await readFile(configFile, "utf8")) as Doc;
    config.versions.push({ version: next, commit: "1111111111111111111111111111111111111111" });
    await writeFile(configFile, JSON.stringify(config, null, 2));
    const run = await t.update();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `${next}  classified: new API version → @codespaces-clients/machines-${next} (initial release, minor)`,
    );
    expect(run.stdout).toContain(
      `${next}  changelog ${next}: agrees — breaking changes in our operations from 2026-03-10: GET /repos/{owner}/{repo}/codespaces/machines, GET /user/codespaces/{codespace_name}/machines`,
    );
    const sets = await t.changesets();
    expect(sets[`machines-${next}-initial-release.md`]).toContain(`"@codespaces-clients/machines-${next}": minor`);
  });

  it("says so when our diff and GitHub's changelog disagree", async () => {
    const next = "2027-01-01";
    const t = await setup();
    const doc = JSON.parse(await readFile(descriptionPath(t.mirrorDir, "2026-03-10"), "utf8")) as Doc;
    await writeFile(descriptionPath(t.mirrorDir, next), JSON.stringify(doc));
    await writeFile(
      join(t.mirrorDir, "descriptions", "api.github.com", "CHANGELOG.md"),
      changelog(next, ["GET /user/codespaces/{codespace_name}/machines"]),
    );
    const configFile = join(t.specDir, "sources.json");
    const config = JSON.parse(await readFile(configFile, "utf8")) as Doc;
    config.versions.push({ version: next, commit: "1111111111111111111111111111111111111111" });
    await writeFile(configFile, JSON.stringify(config, null, 2));
    const run = await t.update("--dry-run");
    expect(run.stdout).toContain(
      `changelog ${next}: DISAGREES — GitHub lists GET /user/codespaces/{codespace_name}/machines among our operations; our diff from 2026-03-10 finds major changes in none`,
    );
  });
});

describe("pnpm spec diff", () => {
  it("prints the same classification for two descriptions, and JSON with --json", async () => {
    const t = await setup(
      (version, doc) => version === "2026-03-10" && machine(doc).properties.prebuild_availability.enum.push("failed"),
    );
    const [a, b] = VERSIONS.map((v) => descriptionPath(t.mirrorDir, v));
    const text = await runCli(["diff", a!, b!], { cwd: t.dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("classified: minor (2 changes: 0 major, 2 minor, 0 patch)");
    expect(text.stdout).toContain("response-enum-value-added");
    const json = await runCli(["diff", a!, b!, "--json", "--response-enum-addition", "major"], { cwd: t.dir });
    const parsed = JSON.parse(json.stdout) as Doc;
    expect(parsed.bump).toBe("major");
    expect(parsed.changes[0]).toMatchObject({
      rule: "response-enum-value-added",
      pointer: "#/components/schemas/codespace-machine/properties/prebuild_availability/enum",
    });
  });

  /** Two one-file descriptions: a machines operation and one of another category, each changed by `change`. */
  const twoCategories = async (dir: string, change: (doc: Doc) => void) => {
    const doc = (): Doc => ({
      openapi: "3.0.3",
      info: { title: "two categories", version: "1" },
      paths: {
        "/machines": {
          get: {
            operationId: "codespaces/list-machines",
            "x-github": { category: "codespaces", subcategory: "machines" },
            summary: "List machines",
            responses: { "204": { description: "ok" } },
          },
        },
        "/repos": {
          get: {
            operationId: "repos/list",
            "x-github": { category: "repos", subcategory: "repos" },
            responses: {
              "200": {
                description: "ok",
                content: {
                  "application/json": { schema: { type: "object", properties: { id: { type: "integer" } } } },
                },
              },
            },
          },
        },
      },
    });
    const after = doc();
    change(after);
    await writeFile(join(dir, "old.json"), JSON.stringify(doc()));
    await writeFile(join(dir, "new.json"), JSON.stringify(after));
    return [join(dir, "old.json"), join(dir, "new.json")] as const;
  };
  const breakBoth = (d: Doc) => {
    d.paths["/machines"].get.summary = "List machine types"; // patch, in codespaces/machines
    delete d.paths["/repos"].get.responses["200"].content["application/json"].schema.properties.id; // major, in repos
  };

  const selections: [string, { args: string[]; selection: string; bump: string; rules: string[] }][] = [
    [
      "without --select: every operation in the files",
      {
        args: [],
        selection: "all operations",
        bump: "major",
        rules: ["documentation-changed", "response-property-removed"],
      },
    ],
    [
      "with --select: only the selected operations",
      {
        args: ["--select", "codespaces/machines"],
        selection: "x-github codespaces/machines",
        bump: "patch",
        rules: ["documentation-changed"],
      },
    ],
  ];

  it.each(selections)("diffs %s, and names the selection on its first line and in --json", async (_name, c) => {
    const dir = await tempDir("spec-diff-");
    const [a, b] = await twoCategories(dir, breakBoth);
    const text = await runCli(["diff", a, b, ...c.args], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    const [first, second] = text.stdout.split("\n");
    expect(first).toBe(`${a} → ${b} (selection: ${c.selection})`);
    expect(second).toMatch(new RegExp(`^classified: ${c.bump} `));
    const json = await runCli(["diff", a, b, "--json", ...c.args], { cwd: dir });
    const parsed = JSON.parse(json.stdout) as Doc;
    expect(parsed).toMatchObject({ selection: c.selection, bump: c.bump });
    expect(parsed.changes.map((ch: Doc) => ch.rule)).toEqual(c.rules);
  });

  it("writes a report larger than a pipe's buffer completely into a pipe, and keeps the exit code", async () => {
    const dir = await tempDir("spec-diff-");
    // 3,000 operations that each gain an optional parameter: a JSON report of about 1 MB.
    const description = (withParameter: boolean) => ({
      openapi: "3.0.3",
      info: { title: "many operations", version: "1" },
      paths: Object.fromEntries(
        Array.from({ length: 3000 }, (_, i) => [
          `/things/${i}`,
          {
            get: {
              operationId: `things/get-${i}`,
              parameters: withParameter ? [{ name: "q", in: "query", schema: { type: "string" } }] : [],
              responses: { "204": { description: "ok" } },
            },
          },
        ]),
      ),
    });
    await writeFile(join(dir, "a.json"), JSON.stringify(description(false)));
    await writeFile(join(dir, "b.json"), JSON.stringify(description(true)));
    // Captured through a pipe by the test runner: complete, parseable JSON.
    const captured = await runCli(["diff", "a.json", "b.json", "--json"], { cwd: dir });
    expect(captured.code).toBe(0);
    expect(Buffer.byteLength(captured.stdout)).toBeGreaterThan(4 * 65_536);
    expect((JSON.parse(captured.stdout) as Doc).changes).toHaveLength(3000);
    // Through a shell pipe into another program, as in `pnpm spec diff --json | head -c … | wc -c`.
    const shell = await execFileAsync(
      "sh",
      ["-c", `"${process.execPath}" "${cli}" diff a.json b.json --json | head -c 4000000 | wc -c`],
      { cwd: dir, encoding: "utf8", env: { ...process.env, INIT_CWD: dir } },
    );
    expect(shell.stderr).toBe("");
    expect(Number(shell.stdout.trim())).toBe(Buffer.byteLength(captured.stdout));
    // The exit code survives the wait for the pipes to drain.
    const failing = await runCli(["diff", "a.json", "missing.json", "--json"], { cwd: dir });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe(`spec: error: ${join(dir, "missing.json")}: cannot be read (ENOENT)\n`);
  });
});
