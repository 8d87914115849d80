import type { TestProject } from "vitest/node";
import { startMockFleet, type VersionMock } from "../src/mock-fleet.js";
import { loadVersionSpecs } from "../src/spec-catalog.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** One mock per API version of spec/sources.json (or of CONTRACT_VERSIONS). */
    contractMocks: VersionMock[];
  }
}

/**
 * Starts one Prism mock (plus recording proxy and validating `prism proxy`) per API version, in
 * parallel, and stops them after the run. `CONTRACT_PID_FILE` receives the Prism pids (lifecycle test).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const specs = loadVersionSpecs();
  const fleet = await startMockFleet(
    specs.map((s) => ({ version: s.version, specPath: s.specPath })),
    { pidFile: process.env.CONTRACT_PID_FILE },
  );
  project.provide("contractMocks", fleet.mocks);
  return () => fleet.stop();
}
