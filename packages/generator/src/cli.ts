#!/usr/bin/env node
import { SpecError, findWorkspaceRoot } from "@codespaces-clients/spec";
import { generateAll } from "./generate.js";

const root = findWorkspaceRoot(process.env.INIT_CWD ?? process.cwd());
if (!root) {
  console.error("generate: error: no pnpm-workspace.yaml above the current folder");
  process.exit(1);
}
generateAll({ root }).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      `generate: error: ${error instanceof SpecError ? error.message : ((error as Error)?.stack ?? String(error))}`,
    );
    process.exit(1);
  },
);
