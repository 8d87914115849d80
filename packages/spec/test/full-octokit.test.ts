import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describeWithRegistry } from "@codespaces-clients/test-support";
import { expect, test } from "vitest";
import { descriptionPath, errorLines, fixtureMirror, pointersOfKey, repoRoot, runCli, tempDir } from "./helpers.js";

/**
 * The realistic input: the full 13 MB description from @octokit/openapi (800+ paths, x-octokit on
 * every operation). A clean clone has no cache, so this goes through the CLI's own npm path (node_modules,
 * then <workspace>/.cache/npm, then one `npm pack` into that git-ignored cache).
 */
const SOURCE = "npm:@octokit/openapi@23.0.2";

describeWithRegistry(`extract from the full ${SOURCE}`, ["@octokit/openapi"], () => {
  test("keeps exactly the 2 machines operations and their 11 components, equal to the fixture's excerpt of GitHub's 2022-11-28 description", async () => {
    const dir = await tempDir();
    const out = join(dir, "machines.json");
    const result = await runCli(["extract", "--from", SOURCE, "--select", "codespaces/machines", "--out", out], {
      cwd: repoRoot,
    });
    expect(result.code, result.stderr).toBe(0);

    const text = await readFile(out, "utf8");
    const slice = JSON.parse(text) as {
      paths: Record<string, Record<string, { operationId: string }>>;
      components: Record<string, object>;
    };
    const operations = Object.values(slice.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(operations).toEqual([
      "codespaces/repo-machines-for-authenticated-user",
      "codespaces/codespace-machines-for-authenticated-user",
    ]);
    const components = Object.fromEntries(
      Object.entries(slice.components).map(([section, names]) => [section, Object.keys(names)]),
    );
    expect(components).toEqual({
      schemas: ["basic-error", "codespace-machine"],
      examples: ["codespace-machines-list"],
      parameters: ["owner", "repo", "codespace-name"],
      responses: ["not_found", "not_modified", "requires_authentication", "forbidden", "internal_error"],
    });
    expect(pointersOfKey(slice, "x-octokit")).toEqual([]);
    expect(pointersOfKey(slice, "x-github")).toHaveLength(2); // one per operation, kept

    // Octokit's package is GitHub's description plus x-octokit: without it, the same operations and
    // components as the excerpt of GitHub's own file (a fixture pinned to a commit, never spec/).
    const excerpt = JSON.parse(await readFile(descriptionPath(fixtureMirror, "2022-11-28"), "utf8")) as typeof slice;
    expect(slice.paths).toEqual(excerpt.paths);
    expect(slice.components).toEqual(excerpt.components);

    const provenance = JSON.parse(await readFile(join(dir, "machines.provenance.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(provenance).toMatchObject({
      source: {
        from: SOURCE,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
        bytes: expect.any(Number) as number,
      },
      selection: "x-github codespaces/machines",
      operations,
      components,
    });
    expect((provenance.source as { bytes: number }).bytes).toBeGreaterThan(10_000_000);

    // GitHub's example omits a required property: a warning that points into the example, not an error.
    const warnings = errorLines(result.stderr);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((l) => l.startsWith("warning: "))).toBe(true);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /#\/components\/examples\/codespace-machines-list\/value\/machines\/0: .*required property "prebuild_availability"/,
      ),
    );
  }, 120_000);
});
