import { rmSync } from "node:fs";
import { offline, probeRegistry } from "@codespaces-clients/test-support";
import type { TestProject } from "vitest/node";
import { CATEGORY, type PreparedCategory, prepareCategory } from "../src/category.js";
import { startMockFleet, type VersionMock } from "../src/mock-fleet.js";

/** What `test/category.test.ts` gets: the prepared client and its mock, or why there is none. */
export type CategorySetup = ({ mock: VersionMock } & PreparedCategory) | { skipped: string } | { error: string };

declare module "vitest" {
  export interface ProvidedContext {
    contractCategory: CategorySetup;
  }
}

/**
 * Extracts, generates and builds the Codespaces-category client (src/category.ts) and starts its
 * Prism mock, while test/global-setup.ts starts the machines mocks. Needs the npm registry (the
 * full description is `@octokit/openapi`): `CODESPACES_OFFLINE=1` skips it; a failure is handed to
 * the test file as one line, which fails its first test. `CONTRACT_CATEGORY=off` skips it.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (offline) {
    project.provide("contractCategory", {
      skipped: `needs the npm registry for ${CATEGORY.registryPackage} (CODESPACES_OFFLINE=1)`,
    });
    return undefined;
  }
  // Global setups run whatever test files are selected: a run that does not want the category (the
  // history replay's contract gate, which runs test/contract.test.ts on each replayed slice) says so.
  if (process.env.CONTRACT_CATEGORY === "off") {
    project.provide("contractCategory", { skipped: "not prepared (CONTRACT_CATEGORY=off)" });
    return undefined;
  }
  let prepared: PreparedCategory;
  try {
    // One line naming the package, within npm's fetch timeout, rather than a hang when offline.
    await probeRegistry(CATEGORY.registryPackage);
    prepared = await prepareCategory();
  } catch (error) {
    project.provide("contractCategory", { error: (error as Error).message.split("\n")[0]! });
    return undefined;
  }
  try {
    const fleet = await startMockFleet([{ version: CATEGORY.label, specPath: prepared.specPath }]);
    project.provide("contractCategory", { mock: fleet.mocks[0]!, ...prepared });
    return async () => {
      await fleet.stop();
      rmSync(prepared.workDir, { recursive: true, force: true });
    };
  } catch (error) {
    rmSync(prepared.workDir, { recursive: true, force: true });
    throw error;
  }
}
