import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";

/** What the command line asks for: every configured package, or one package from a slice. */
export type CliCommand =
  | { readonly kind: "all" }
  | {
      readonly kind: "slice";
      readonly slice: string;
      readonly apiVersion: string;
      readonly name: string;
      readonly out: string;
      readonly skipUnsupported?: true;
    };

export const USAGE =
  "usage: pnpm generate [--slice <openapi.json> --api-version <YYYY-MM-DD> --name <package name> --out <dir> [--skip-unsupported]]";

const SLICE_FLAGS = ["slice", "api-version", "name", "out"] as const;

/**
 * Parses the generator's arguments; paths are resolved from `cwd` (the caller's folder). A wrong
 * command line is an `Error` whose message is one line ending with the usage.
 */
export function parseCliArgs(argv: readonly string[], cwd: string): CliCommand {
  let values: Partial<Record<(typeof SLICE_FLAGS)[number], string>> & { "skip-unsupported"?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(SLICE_FLAGS.map((flag) => [flag, { type: "string" as const }])),
        "skip-unsupported": { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message.split("\n")[0]}; ${USAGE}`);
  }
  const given = SLICE_FLAGS.filter((flag) => values[flag] !== undefined);
  if (!given.length) {
    if (values["skip-unsupported"]) throw new Error(`--skip-unsupported goes with --slice; ${USAGE}`);
    return { kind: "all" };
  }
  const missing = SLICE_FLAGS.filter((flag) => !values[flag]);
  if (missing.length) throw new Error(`missing ${missing.map((flag) => `--${flag}`).join(", ")}; ${USAGE}`);
  const path = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    kind: "slice",
    slice: path(values.slice as string),
    apiVersion: values["api-version"] as string,
    name: values.name as string,
    out: path(values.out as string),
    ...(values["skip-unsupported"] ? { skipUnsupported: true as const } : {}),
  };
}
