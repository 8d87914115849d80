import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readSourcesConfig } from "../config.js";
import { parseUsage, UsageError } from "../errors.js";
import { extractSelection } from "../extract.js";
import { assertDepth } from "../kept-copy.js";
import { describeSelection, parseSelectArgument, type Selection } from "../selection.js";
import { stringifyOrdered } from "../json-order.js";
import { parseDescription } from "../parse.js";
import { ENV, envPath } from "../env.js";
import { findWorkspaceRoot, loadSource, redactSecrets, sourceArgument } from "../source.js";
import { diffDescriptions } from "./compare.js";
import { diffToJson, formatDiff } from "./report.js";
import { DEFAULT_SEMVER, type SemverSettings } from "./rules.js";
import { runSpecUpdate } from "../update.js";

/** `pnpm spec update …` (see `runSpecUpdate`). */
export async function updateCommand(args: string[], userCwd: string): Promise<void> {
  const { values } = parseUsage(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        mirror: { type: "string" },
        ref: { type: "string" },
        from: { type: "string" },
        version: { type: "string", multiple: true },
        "spec-dir": { type: "string" },
        "changeset-dir": { type: "string" },
        check: { type: "boolean" },
        "dry-run": { type: "boolean" },
        "no-test": { type: "boolean" },
      },
    }),
  );
  if (values.check && values["dry-run"]) throw new UsageError("use either --check or --dry-run, not both");
  const root = findWorkspaceRoot(userCwd) ?? userCwd;
  const mirror = values.mirror ?? envPath(ENV.mirror);
  const from = values.from;
  await runSpecUpdate({
    specDir: values["spec-dir"] ? resolve(userCwd, values["spec-dir"]) : join(root, "spec"),
    ...(mirror ? { mirror: resolve(userCwd, mirror) } : {}),
    ...(values.ref ? { ref: values.ref } : {}),
    ...(from ? { from: sourceArgument(from, userCwd) } : {}),
    ...(values["changeset-dir"] ? { changesetDir: resolve(userCwd, values["changeset-dir"]) } : {}),
    versions: values.version ?? [],
    check: values.check ?? false,
    dryRun: values["dry-run"] ?? false,
    test: !values["no-test"],
    cwd: userCwd,
  });
}

/** `pnpm spec diff <old> <new>`: the update report for any two descriptions or slices. */
export async function diffCommand(args: string[], userCwd: string): Promise<void> {
  const { values, positionals } = parseUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        select: { type: "string" },
        "response-enum-addition": { type: "string" },
      },
    }),
  );
  if (positionals.length !== 2) throw new UsageError("diff takes two sources: <old> <new>");
  const enumAddition = values["response-enum-addition"];
  if (enumAddition !== undefined && enumAddition !== "minor" && enumAddition !== "major")
    throw new UsageError("--response-enum-addition takes minor or major");
  const settings = await settingsOf(userCwd, enumAddition);
  // What is in the files, unless asked: two slices of other operations must not be filtered to nothing.
  const selection = values.select === undefined ? undefined : parseSelectArgument(values.select);
  const selected = selection ? describeSelection(selection) : "all operations";
  const [oldDoc, newDoc] = await Promise.all(positionals.map((p) => readOperations(p, userCwd, selection)));
  const result = diffDescriptions(oldDoc!, newDoc!, settings, { old: positionals[0]!, new: positionals[1]! });
  if (values.json) console.log(redactSecrets(JSON.stringify({ selection: selected, ...diffToJson(result) }, null, 2)));
  else
    console.log(redactSecrets(`${positionals[0]} → ${positionals[1]} (selection: ${selected})\n${formatDiff(result)}`));
}

/** The project's `semver` settings when run inside the workspace, with a command-line override. */
async function settingsOf(cwd: string, enumAddition: string | undefined): Promise<SemverSettings> {
  const root = findWorkspaceRoot(cwd);
  const config = root ? await readSourcesConfig(join(root, "spec")).catch(() => undefined) : undefined;
  return {
    ...DEFAULT_SEMVER,
    ...config?.semver,
    ...(enumAddition ? { responseEnumAddition: enumAddition as "minor" | "major" } : {}),
  };
}

/** Loads a description or slice and keeps the selected operations (all without a selection), as plain JSON. */
async function readOperations(
  spec: string,
  cwd: string,
  selection: Selection | undefined,
): Promise<Record<string, unknown>> {
  const loaded = await loadSource(sourceArgument(spec, cwd), { cwd });
  const { document } = await parseDescription(loaded.data, loaded.label);
  // The extraction checks the nesting of what it keeps; a whole document is checked here, before
  // anything recursive (stringify, the comparison) walks all of it.
  if (!selection) assertDepth(document, loaded.label);
  const kept = selection ? extractSelection(document, selection, loaded.label).document : document;
  return JSON.parse(stringifyOrdered(kept)) as Record<string, unknown>;
}
