#!/usr/bin/env node
import { SpecError, findWorkspaceRoot } from "@codespaces-clients/spec";
import { parseCliArgs } from "./cli-args.js";
import { generateAll, generateSlice } from "./generate.js";

const cwd = process.env.INIT_CWD ?? process.cwd();
const root = findWorkspaceRoot(cwd);
if (!root) {
  console.error("generate: error: no pnpm-workspace.yaml above the current folder");
  process.exit(1);
}
const fail = (error: unknown) => {
  console.error(
    `generate: error: ${error instanceof SpecError ? error.message : ((error as Error)?.stack ?? String(error))}`,
  );
  process.exit(1);
};
let command: ReturnType<typeof parseCliArgs>;
try {
  command = parseCliArgs(process.argv.slice(2), cwd);
} catch (error) {
  console.error(`generate: error: ${(error as Error).message}`);
  process.exit(1);
}
(command.kind === "all" ? generateAll({ root }) : generateSlice({ root, ...command })).then(
  () => process.exit(0),
  fail,
);
