import { describe, expect, it } from "vitest";
import { changesetFileName } from "../../src/diff/changeset.js";

describe("changesetFileName", () => {
  it.each([
    [["spec", "0114920"], "machines-2026-03-10-spec-0114920.md"],
    [["spec", "@octokit/openapi@23.0.2"], "machines-2026-03-10-spec-octokit-openapi-23-0-2.md"],
    [["initial-release"], "machines-2026-03-10-initial-release.md"],
    [["spec", "x".repeat(60)], `machines-2026-03-10-spec-${"x".repeat(40)}.md`],
  ])("%j → %s", (words, want) => {
    expect(changesetFileName("@codespaces-clients/machines-2026-03-10", ...words)).toBe(want);
  });
});
