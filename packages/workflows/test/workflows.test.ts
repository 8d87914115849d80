import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatFinding, validateWorkflows } from "../src/index.js";
import { repoRoot } from "./helpers.js";

const reports = await validateWorkflows(repoRoot);

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": unknown };
  jobs: Record<
    string,
    { permissions?: Record<string, string>; strategy?: { matrix: Record<string, unknown> }; steps: Step[] }
  >;
}

async function workflow(name: string): Promise<{ text: string; doc: Workflow; steps: Step[] }> {
  const text = await readFile(join(repoRoot, ".github", "workflows", name), "utf8");
  const doc = parse(text) as Workflow;
  return { text, doc, steps: Object.values(doc.jobs).flatMap((j) => j.steps) };
}

describe(".github/workflows", () => {
  it("holds ci.yml, spec-drift.yml and release.yml", () => {
    expect(reports.map((r) => r.file)).toEqual(
      expect.arrayContaining([
        ".github/workflows/ci.yml",
        ".github/workflows/spec-drift.yml",
        ".github/workflows/release.yml",
      ]),
    );
  });

  // GitHub's parser first (syntax, expressions, cron, needs), then the repository policy
  // (pinned actions, permissions, concurrency, timeouts, run steps that call existing scripts).
  it.each(reports.map((r) => [r.file, r] as const))(
    "%s: accepted by GitHub's workflow parser and the repository policy",
    (_, report) => {
      expect(report.findings.map(formatFinding)).toEqual([]);
    },
  );
});

describe("ci.yml", () => {
  it("runs the README's test command (.ci/run) on push and pull_request, on Node 20, 22 and 24", async () => {
    const { doc, steps } = await workflow("ci.yml");
    expect(Object.keys(doc.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    expect(doc.jobs.test!.strategy!.matrix.node).toEqual(["20", "22", "24"]);
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))!.with!["node-version"]).toBe(
      "${{ matrix.node }}",
    );
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(["bash .ci/run"]);
    const ciRun = await readFile(join(repoRoot, ".ci", "run"), "utf8");
    expect(ciRun).toMatch(/install --frozen-lockfile/);
    expect(ciRun).toMatch(/\$PNPM test\b/);
  });

  it("needs nothing beside the checkout and leaves CODESPACES_OFFLINE unset (GitHub reaches the registry)", async () => {
    const { text } = await workflow("ci.yml");
    const code = text.replace(/^\s*#.*$/gm, "");
    expect(code).not.toMatch(/CODESPACES_OFFLINE/);
    expect(code).not.toMatch(/\.\.\/shared|\bshared\//);
  });
});

describe("spec-drift.yml", () => {
  it("runs daily and on demand, one run at a time, never cancelled half-way", async () => {
    const { doc } = await workflow("spec-drift.yml");
    expect(Object.keys(doc.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(doc.concurrency).toEqual({ group: "${{ github.workflow }}", "cancel-in-progress": false });
  });

  it("wraps scripts/ci/spec-drift.mjs and opens the pull request from its outputs only when it found drift", async () => {
    const { steps } = await workflow("spec-drift.yml");
    const drift = steps.find((s) => s.run?.startsWith("node scripts/ci/spec-drift.mjs"))!;
    expect(drift.id).toBe("drift");
    expect(drift.env!.SPEC_DRIFT_REF).toBe("${{ inputs.ref || 'main' }}");
    const pr = steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))!;
    expect(pr.if).toContain("steps.drift.outputs.changed == 'true'");
    expect(pr.with).toMatchObject({
      "body-path": "${{ steps.drift.outputs.body-path }}",
      title: "${{ steps.drift.outputs.title }}",
      draft: "${{ steps.drift.outputs.tests == 'failed' }}",
    });
  });

  it("grants writes to the job only", async () => {
    const { doc } = await workflow("spec-drift.yml");
    expect(doc.permissions).toEqual({ contents: "read" });
    expect(doc.jobs.update!.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  });
});

describe("release.yml", () => {
  it("lets changesets/action run the root version and release scripts, publishing through configure-registry", async () => {
    const { steps } = await workflow("release.yml");
    const changesets = steps.find((s) => s.uses?.startsWith("changesets/action@"))!;
    expect(changesets.with!.version).toBe("npx --yes pnpm@10.34.9 run version");
    expect(changesets.with!.publish).toBe(
      "node scripts/release/configure-registry.mjs -- npx --yes pnpm@10.34.9 run release",
    );
  });

  it("takes the registry from the one repository variable and the token from secrets, never as NPM_TOKEN in the action's environment", async () => {
    const { steps } = await workflow("release.yml");
    const env = steps.find((s) => s.uses?.startsWith("changesets/action@"))!.env!;
    expect(env.NPM_REGISTRY_URL).toBe("${{ vars.NPM_REGISTRY_URL }}");
    expect(env.NODE_AUTH_TOKEN).toMatch(/^\$\{\{ secrets\.NPM_TOKEN \|\| /);
    // changesets/action v1 writes the value of $NPM_TOKEN into ~/.npmrc.
    expect(Object.keys(env)).not.toContain("NPM_TOKEN");
  });

  it("may mint an OIDC token for npm provenance and write releases, in the job only", async () => {
    const { doc } = await workflow("release.yml");
    expect(doc.permissions).toEqual({ contents: "read" });
    expect(doc.jobs.release!.permissions).toMatchObject({
      "id-token": "write",
      contents: "write",
      "pull-requests": "write",
    });
    expect(doc.concurrency!["cancel-in-progress"]).toBe(false);
  });
});
