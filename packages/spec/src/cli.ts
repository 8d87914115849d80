#!/usr/bin/env node
import { parseArgs } from "node:util";
import { resolve, dirname, basename, extname, join } from "node:path";
import { CompileCheckError, parseUsage, SpecError, UsageError } from "./errors.js";
import { ALL_OPERATIONS, DEFAULT_SELECTION, parseSelectArgument, type Selection } from "./selection.js";
import { writeFilesAtomically } from "./atomic-write.js";
import { buildSlice, countComponents, provenanceOf } from "./pipeline.js";
import { stringifyOrdered } from "./json-order.js";
import { redactSecrets, sourceArgument } from "./source.js";
import { checkEnvironment } from "./env.js";
import { tuneHeapForExtraction } from "./heap-flags.js";
import type { NullableEnumMode } from "./json-schema.js";

/** Usage lines of `update` and `diff` (diff/commands.ts, loaded only for them). */
const DIFF_USAGE = `  pnpm spec update [--ref <commit|branch>] [--mirror <dir>] [--from <path|url|npm:pkg>] [--version <YYYY-MM-DD>]...
                   [--check] [--dry-run] [--no-test] [--spec-dir <dir>] [--changeset-dir <dir>]
  pnpm spec diff <old> <new> [--json] [--select <category>/<subcategory>] [--response-enum-addition minor|major]
                   (every operation in the two files unless --select is given)`;

const USAGE = `usage:
  pnpm spec extract --from <path|url|npm:pkg[@version]> [--select <category>[/<subcategory>] | --operation-id <id>... | --all-operations] --out <file.json> [--offline] [--nullable-enum allow-null|strict]
${DIFF_USAGE}

  --mirror defaults to $CODESPACES_SPEC_MIRROR; a folder laid out like github/rest-api-description.`;

/** Relative paths are taken from where the user ran `pnpm spec`, not from the workspace root. */
const userCwd = process.env.INIT_CWD ?? process.cwd();

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  // Every CODESPACES_SPEC_* setting is checked before any work: a bad one is one line naming it.
  if (command === "extract" || command === "update" || command === "diff") checkEnvironment();
  if (command === "extract") {
    tuneHeapForExtraction();
  }
  if (command === "extract") return extractCommand(rest);
  // `update` and `diff` (and the compiler, the diff rules, the config reader behind them) load only when
  // asked for: `extract` does not pay for their imports.
  if (command === "update") return (await import("./diff/commands.js")).updateCommand(rest, userCwd);
  if (command === "diff") return (await import("./diff/commands.js")).diffCommand(rest, userCwd);
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return;
  }
  throw new UsageError(`unknown command "${command}"`);
}

async function extractCommand(args: string[]): Promise<void> {
  const { values } = parseUsage(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        from: { type: "string" },
        select: { type: "string" },
        "operation-id": { type: "string", multiple: true },
        "all-operations": { type: "boolean" },
        out: { type: "string" },
        offline: { type: "boolean" },
        "nullable-enum": { type: "string" },
      },
    }),
  );
  if (!values.from) throw new UsageError("--from is required");
  if (!values.out) throw new UsageError("--out is required");
  const selection = selectionOf(values.select, values["operation-id"], values["all-operations"]);
  const nullableEnum = values["nullable-enum"];
  if (nullableEnum !== undefined && nullableEnum !== "allow-null" && nullableEnum !== "strict") {
    throw new UsageError("--nullable-enum takes allow-null or strict");
  }
  const source = sourceArgument(values.from, userCwd);
  const slice = await buildSlice(source, {
    selection,
    cwd: userCwd,
    ...(values.offline ? { offline: true } : {}),
    ...(nullableEnum ? { nullableEnum: nullableEnum as NullableEnumMode } : {}),
  });
  for (const w of slice.warnings) console.error(redactSecrets(`warning: ${slice.label}${w.pointer}: ${w.message}`));
  const out = resolve(userCwd, values.out);
  const provenancePath = join(dirname(out), `${basename(out, extname(out))}.provenance.json`);
  await writeFilesAtomically([
    { path: out, content: slice.text },
    { path: provenancePath, content: stringifyOrdered(provenanceOf(slice, selection)) },
  ]);
  console.log(
    redactSecrets(
      `extracted ${slice.operations.length} operations, ${countComponents(slice.components)} components from ${slice.label} ` +
        `(${slice.source.bytes} bytes, sha256 ${slice.source.sha256}) -> ${values.out}; ${slice.warnings.length} warning(s)`,
    ),
  );
}

function selectionOf(
  select: string | undefined,
  operationIds: string[] | undefined,
  allOperations: boolean | undefined,
): Selection {
  if (allOperations) {
    if (select || operationIds?.length)
      throw new UsageError("--all-operations selects every operation: use it without --select and --operation-id");
    return ALL_OPERATIONS;
  }
  if (operationIds?.length) {
    if (select) throw new UsageError("use either --select or --operation-id, not both");
    return { operationIds };
  }
  return select ? parseSelectArgument(select) : DEFAULT_SELECTION;
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => {
    if (stream.destroyed || !stream.writable) return done();
    stream.write("", () => done());
  });
}

/**
 * Ends the process with `code` once stdout and stderr are flushed. A pipe is asynchronous in Node: a
 * plain `process.exit` right after a large `console.log` drops all but the first 64 KiB (`spec diff
 * --json | head -c 200000` got exactly 65,536 bytes). `exitCode` is set first, so the code is right even if
 * the process ends on its own before the flush answers.
 */
async function exit(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

// A reader that stops early (`spec diff --json | head -c 100`) closes the pipe: end quietly, as other CLIs do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  });
}

/**
 * A failure no check foresaw, as one line: its message and the frame it came from (enough for a bug
 * report), never a stack trace on the user's screen.
 */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const frame = error.stack
    ?.split("\n")
    .find((l) => /^\s+at /.test(l))
    ?.trim();
  return `${error.name}: ${error.message.split("\n")[0]}${frame ? ` (${frame})` : ""}`;
}

main(process.argv.slice(2)).then(
  () => exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`spec: ${redactSecrets(error.message)}\n${USAGE}`);
      return exit(2);
    }
    const message = error instanceof SpecError ? error.message : `unexpected failure: ${oneLine(error)}`;
    console.error(`spec: error: ${redactSecrets(message)}`);
    // The compiler's findings behind a stopped update: one line per diagnostic.
    if (error instanceof CompileCheckError) for (const line of error.details) console.error(redactSecrets(line));
    return exit(1);
  },
);
