import { fileURLToPath } from "node:url";
import { loadClientPackage, packageDir } from "./client-loader.js";
import type { ContractTarget } from "./checks/context.js";
import { loadKnownDefects } from "./known-defects.js";
import type { VersionMock } from "./mock-fleet.js";
import { loadVersionSpecs } from "./spec-catalog.js";
import { createSchemaChecker } from "./violations.js";

/** `packages/contract-tests/known-spec-defects.json`. */
export const KNOWN_DEFECTS_FILE = fileURLToPath(new URL("../known-spec-defects.json", import.meta.url));

/** One {@link ContractTarget} per started mock: its slice, its built client package, the known defects. */
export async function loadTargets(mocks: VersionMock[]): Promise<ContractTarget[]> {
  const specs = loadVersionSpecs(
    undefined,
    mocks.map((m) => m.version),
  );
  const defects = loadKnownDefects(KNOWN_DEFECTS_FILE);
  const checkSchema = createSchemaChecker();
  return Promise.all(
    mocks.map(async (mock, i) => {
      const { client, schemas } = await loadClientPackage(packageDir(mock.version));
      return { spec: specs[i]!, mock, client, schemas, defects, checkSchema };
    }),
  );
}
