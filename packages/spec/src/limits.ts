import { constants as bufferConstants } from "node:buffer";

/**
 * The limits that keep hostile input from exhausting the machine, as plain data. Each one ends the work
 * with one line naming the file or URL, the JSON pointer where there is one, and the limit
 * (packages/spec/README.md, "Limits").
 */
export const LIMITS = {
  /**
   * Deepest nesting of objects and arrays, in JSON pointer segments from the document root. GitHub's
   * description nests 21 levels. Checked wherever a document is walked or copied (the YAML conversion,
   * the extraction, `spec diff`), so no recursion can run out of stack.
   */
  maxDepth: 256,
  /** Nodes that expanding YAML aliases may add to a document, in total (a "billion laughs" ends here). */
  maxYamlAliasNodes: 100_000,
  /** Bytes of a source (downloaded, as sent and as inflated; a file; a file taken from an npm tarball). */
  defaultMaxBytes: 256 * 1024 * 1024,
  /** The most `CODESPACES_SPEC_MAX_BYTES` may ask for: a source must fit in one string to be parsed. */
  maxMaxBytes: bufferConstants.MAX_STRING_LENGTH,
  /** Per-request timeout of URL sources (the whole download, body included). */
  defaultTimeoutMs: 30_000,
  /** The most `CODESPACES_SPEC_TIMEOUT_MS` may ask for: the largest delay a Node timer takes. */
  maxTimeoutMs: 2_147_483_647,
  /** HTTP redirects followed per URL source (fetch's own default). */
  maxRedirects: 20,
} as const;
