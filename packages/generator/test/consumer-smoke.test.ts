import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describeWithRegistry } from "@codespaces-clients/test-support";
import { expect, it } from "vitest";
import { REPO_ROOT, listedVersions } from "./helpers.js";

// Packs the runtime and every client, installs them with npm into a project outside the
// workspace (openapi-fetch and typescript come from the npm registry), compiles and runs a strict
// consumer against a loopback server, then publint + attw.
describeWithRegistry("consumer smoke (npm install of the packed clients)", ["openapi-fetch"], () => {
  it("scripts/consumer-smoke.mjs: the packed clients install, compile strictly and talk to a loopback GitHub", async () => {
    const script = join(REPO_ROOT, "scripts", "consumer-smoke.mjs");
    const result = await promisify(execFile)(process.execPath, [script], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    }).catch((error: { code?: number; stdout?: string; stderr?: string }) => ({
      stdout: `${error.stdout ?? ""}${error.stderr ?? ""}`,
      stderr: "failed",
    }));
    expect(result.stderr, result.stdout).toBe("");
    expect(result.stdout).toContain(`ran: ${listedVersions().join(", ")} each sent its X-GitHub-Api-Version`);
    expect(result.stdout).toContain("consumer-smoke: ok");
  });
});
