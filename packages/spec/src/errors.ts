/**
 * The one error type the spec package throws for bad input. Its message is a single line that names
 * the file or URL and, where it applies, the JSON pointer (RFC 6901) inside it.
 */
export class SpecError extends Error {
  override readonly name = "SpecError";

  constructor(
    /** The file, URL or npm source the problem is in. */
    readonly where: string,
    /** What is wrong, one line. */
    readonly detail: string,
    /** JSON pointer (`#/paths/...`) inside `where`, when the problem has a place. */
    readonly pointer?: string,
  ) {
    super(`${pointer ? `${where}${pointer}` : where}: ${detail}`.replace(/\s*\n\s*/g, " "));
  }
}

/**
 * The error a misclassification stops `spec update` with (exit 1, nothing written): one line, then
 * one line per compiler diagnostic, each naming the operation and JSON pointer.
 */
export class CompileCheckError extends SpecError {
  constructor(
    where: string,
    detail: string,
    /** One line per compiler diagnostic. */
    readonly details: readonly string[],
  ) {
    super(where, detail);
  }
}

/** Builds a `#/a/b` pointer from raw segments (the one encoder, in @codespaces-clients/openapi-model). */
export { pointerOf } from "@codespaces-clients/openapi-model";

/** A wrong command line: the CLI prints it with the usage text and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Runs a `parseArgs` call, turning its errors into usage errors (the CLI prints usage and exits 2). */
export function parseUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
