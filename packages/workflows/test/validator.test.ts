import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { checkCommands, formatFinding, parseScript, readRepository, validateWorkflows } from "../src/index.js";
import { fixtures, repositoryWith, repoRoot } from "./helpers.js";

/** Each broken fixture differs from `good.yml` in one place, so it yields exactly one finding. */
const REJECTED: readonly (readonly [fixture: string, want: { rule: string; line: number; message: string }])[] = [
  ["unknown-key.yml", { rule: "syntax", line: 13, message: "Unexpected value 'stepz'" }],
  ["unknown-context.yml", { rule: "syntax", line: 16, message: "Unrecognized named-value: 'secretz'" }],
  [
    "invalid-yaml.yml",
    { rule: "syntax", line: 12, message: "Flow sequence in block collection must be sufficiently indented" },
  ],
  ["bad-permission-level.yml", { rule: "syntax", line: 14, message: "Unexpected value 'writ'" }],
  ["bad-cron.yml", { rule: "syntax", line: 6, message: "Invalid cron expression" }],
  [
    "unpinned-action.yml",
    { rule: "pinned-actions", line: 14, message: "`actions/checkout@v7` is not pinned to a full commit SHA" },
  ],
  [
    "pin-without-version.yml",
    { rule: "pinned-actions", line: 14, message: "needs the release it points to as a comment" },
  ],
  ["no-permissions.yml", { rule: "permissions", line: 3, message: "declare `permissions:` at the top" }],
  ["top-level-write.yml", { rule: "permissions", line: 8, message: "top-level `contents: write`" }],
  ["schedule-without-concurrency.yml", { rule: "concurrency", line: 3, message: "it runs on a schedule" }],
  [
    "write-cancel-in-progress.yml",
    { rule: "concurrency", line: 10, message: "needs `cancel-in-progress: false`: it may write" },
  ],
  ["no-timeout.yml", { rule: "timeout", line: 10, message: "job `test` has no `timeout-minutes`" }],
  [
    "missing-script-file.yml",
    { rule: "run-scripts", line: 14, message: "scripts/ci/missing.mjs does not exist in the repository" },
  ],
  [
    "missing-package-script.yml",
    { rule: "run-scripts", line: 14, message: 'package.json has no script "publish-everything"' },
  ],
  ["other-pnpm.yml", { rule: "run-scripts", line: 14, message: "the repository's pnpm is pnpm@10.34.9" }],
  ["expression-in-run.yml", { rule: "run-scripts", line: 14, message: "splices `${{ … }}` into the script" }],
  [
    "changesets-missing-publish-script.yml",
    {
      rule: "run-scripts",
      line: 17,
      message: "input `publish`: `node scripts/release/missing.mjs`: scripts/release/missing.mjs does not exist",
    },
  ],
];

describe("a workflow the checks must reject (fixture copied into a temp repository)", () => {
  it.each(REJECTED)("%s: %j", async (fixture, want) => {
    const [report] = await validateWorkflows(await repositoryWith(fixture));
    const file = `.github/workflows/${fixture}`;
    expect(report!.file).toBe(file);
    expect(report!.findings.map((f) => f.rule)).toEqual([want.rule]);
    const [finding] = report!.findings;
    expect(finding!.line).toBe(want.line);
    expect(finding!.message).toContain(want.message);
    // Named the way an editor or terminal links it: file:line:column: rule: message, on one line.
    expect(formatFinding(finding!)).toMatch(
      new RegExp(`^${file.replace(/\./g, "\\.")}:${want.line}:\\d+: ${want.rule}: [^\\n]+$`),
    );
  });

  it("logic written into a step is rejected for every program that is not a repository script", async () => {
    const [report] = await validateWorkflows(await repositoryWith("inline-logic.yml"));
    expect(report!.findings.map((f) => f.message)).toEqual([
      expect.stringContaining("calls `curl`, which is not a repository script"),
      expect.stringContaining("`sh`: sh must be given a repository script"),
    ]);
  });

  it("every fixture is covered by a case above", async () => {
    const names = (await readdir(fixtures)).filter((n) => n.endsWith(".yml")).sort();
    expect(names).toEqual([...REJECTED.map(([f]) => f), "good.yml", "inline-logic.yml"].sort());
  });
});

describe("the control fixture", () => {
  it("good.yml passes GitHub's parser and every policy", async () => {
    const [report] = await validateWorkflows(await repositoryWith("good.yml"));
    expect(report!.findings.map(formatFinding)).toEqual([]);
  });
});

describe("reading run: scripts", () => {
  const SCRIPTS: readonly (readonly [name: string, script: string, words: string[][]])[] = [
    ["one command", "bash .ci/run", [["bash", ".ci/run"]]],
    [
      "quotes and variables stay one word",
      `node scripts/ci/x.mjs --ref "$REF" --body '$RUNNER_TEMP/b.md'`,
      [["node", "scripts/ci/x.mjs", "--ref", "$REF", "--body", "$RUNNER_TEMP/b.md"]],
    ],
    [
      "line continuation",
      "npx --yes pnpm@10.34.9 \\\n  install --frozen-lockfile",
      [["npx", "--yes", "pnpm@10.34.9", "install", "--frozen-lockfile"]],
    ],
    ["separators and comments", "a && b || c; d | e # f && g\nh", [["a"], ["b"], ["c"], ["d"], ["e"], ["h"]]],
    ["assignments are not the program", "CI=true DEBUG=1 node x.mjs", [["node", "x.mjs"]]],
  ];
  it.each(SCRIPTS)("%s", (_, script, words) => {
    const parsed = parseScript(script);
    expect(parsed.unsupported).toEqual([]);
    expect(parsed.commands.map((c) => c.words)).toEqual(words);
  });

  it.each([
    ["a here-document", "cat <<EOF\nx\nEOF"],
    ["command substitution", 'node x.mjs "$(date)"'],
    ["shell control flow (if)", "if true; then node x.mjs; fi"],
  ])("%s is reported", (what, script) => {
    expect(parseScript(script).unsupported).toContain(what);
  });

  it("a wrapper's command after -- is checked as well", () => {
    const repo = readRepository(repoRoot);
    const ok = checkCommands("node scripts/release/configure-registry.mjs -- npx --yes pnpm@10.34.9 run release", repo);
    expect(ok).toEqual({
      entryPoints: ["node scripts/release/configure-registry.mjs", "pnpm run release"],
      problems: [],
    });
    const bad = checkCommands("node scripts/release/configure-registry.mjs -- npx --yes pnpm@10.34.9 run nope", repo);
    expect(bad.problems).toEqual(['`pnpm run nope`: package.json has no script "nope"']);
  });
});
