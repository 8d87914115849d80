/** One problem in one workflow file, at a 1-based line and column. */
export interface Finding {
  /** Path as shown to the reader (relative to the repository root). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** `syntax` for GitHub's parser, else the name of the repository policy that failed. */
  readonly rule: string;
  readonly message: string;
}

/** `.github/workflows/ci.yml:12:9: pinned-actions: …` — what an editor or terminal links to. */
export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.rule}: ${f.message}`;
}
