import { randomUUID } from "node:crypto";
import { type CallArguments, callArguments } from "../call-arguments.js";
import type { CaseSpec } from "../case-plan.js";
import type { FlaggedExample } from "../category.js";
import type { ClientModule, ResponseSchemas } from "../client-loader.js";
import type { KnownDefect } from "../known-defects.js";
import type { VersionMock } from "../mock-fleet.js";
import { CASE_HEADER, type ExchangeRecord, serverStandIn } from "../recording-proxy.js";
import type { OperationSpec, VersionSpec } from "../spec-catalog.js";
import type { Violation } from "../violations.js";
import type { CheckFailure, CheckId } from "./failure.js";

/** Everything the checks need about one API version; the mutation test swaps parts of it. */
export interface ContractTarget {
  spec: VersionSpec;
  mock: VersionMock;
  client: ClientModule;
  schemas: ResponseSchemas;
  defects: KnownDefect[];
  checkSchema: (schema: unknown, body: unknown) => Violation[];
  /** Wraps the `fetch` every client of the case uses (the mutation test drops a header here). */
  wrapFetch?: (fetch: Fetch) => Fetch;
  /** Dynamic samples per operation (default 50). */
  dynamicSamples?: number;
  /**
   * Examples the extraction reported as not matching their schema (the Codespaces-category target,
   * which has no curated `known-spec-defects.json` entries): a body that is such an example, verbatim,
   * is excused at the reported place, where the policy excuses known defects.
   */
  flaggedExamples?: FlaggedExample[];
}

/** Outcome of one case: failures fail it; known defects are reported, not failed. */
export interface CaseResult extends CaseSpec {
  failures: CheckFailure[];
  /** Ids of the known defects this case showed. */
  knownDefects: string[];
  /** {@link observationKey}s of the violations explained by known defects. */
  observations: string[];
  /** Facts worth printing (e.g. which enum values Prism generated). */
  notes: string[];
  /** Deprecation warnings the case's clients logged (checked by `checks/deprecation.ts`, not printed). */
  deprecationWarnings: string[];
}

/** What one client of a case received and logged, for the deprecation check. */
export interface ClientLog {
  /** Answers that reached it with a `Deprecation` or `Sunset` header. */
  deprecationHeaders: number;
  /** Its `warn` lines about a deprecated operation. */
  deprecationWarnings: string[];
}

/** A client's warning about a deprecated operation (`<operationId> is deprecated (Deprecation: …)…`). */
const DEPRECATION_LINE = / is deprecated\b/;

/** A `fetch` as the client calls it: a `Request`, or a URL and its init. */
export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * The method `name` of an operation table on `client`: `client.list`, or for a namespaced method (a
 * slice of several categories, `"pulls.get"` in the table) `client.pulls.get`; `undefined` if none.
 */
export function clientMethod(client: Record<string, unknown>, name: string): unknown {
  let node: unknown = client;
  for (const part of name.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/** One case in progress: the operation, the arguments it sends, and where its failures go. */
export class CaseContext {
  /** What the case sends and what must reach the mock (path, query, body). */
  readonly call: CallArguments;
  /** The operation method's `params`. */
  readonly args: Record<string, unknown>;
  constructor(
    readonly target: ContractTarget,
    readonly op: OperationSpec,
    readonly methodName: string,
    readonly result: CaseResult,
  ) {
    const entry = target.client.operations[methodName];
    // A pagination case starts at the first page: `page` is what the `Link` headers then set.
    this.call = callArguments(
      op,
      target.spec.document,
      entry?.body?.fields,
      result.kind === "pagination" ? ["page"] : [],
    );
    this.args = this.call.params;
  }

  /** Every client the case made, in order, with what it received and logged. */
  readonly clients: ClientLog[] = [];

  fail(check: CheckId, pointer: string, detail: string): void {
    this.result.failures.push({ check, pointer, detail });
  }

  newCaseId(): string {
    return `${this.target.spec.version}/${this.op.operationId}/${this.result.column}/${randomUUID()}`;
  }

  /** The client itself (for `paginate`), against `baseUrl`, as {@link makeClient} makes it. */
  makeFullClient(options: Record<string, unknown>, seen: (string | null)[] = [], baseUrl = this.target.mock.proxyUrl) {
    const log: ClientLog = { deprecationHeaders: 0, deprecationWarnings: [] };
    this.clients.push(log);
    const observe: Fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      seen.push(response.headers.get("sl-violations"));
      if (response.headers.has("deprecation") || response.headers.has("sunset")) log.deprecationHeaders++;
      return response;
    };
    const fetch = this.target.wrapFetch ? this.target.wrapFetch(observe) : observe;
    // Deprecation warnings are the check's to read (a deprecated operation's cases would otherwise print
    // one per client); every other line goes to the console as the default logger would write it.
    const logger = {
      debug: (line: string) => console.debug(line),
      info: (line: string) => console.info(line),
      warn: (line: string) => (DEPRECATION_LINE.test(line) ? log.deprecationWarnings.push(line) : console.warn(line)),
      error: (line: string) => console.error(line),
    };
    // Operations described on a server of their own (uploads) go to its stand-in under the proxy.
    const servers: Record<string, string> = {};
    for (const entry of Object.values(this.target.client.operations))
      if (entry.server) servers[entry.server] = serverStandIn(baseUrl, entry.server);
    return this.target.client.createClient({
      baseUrl,
      ...(Object.keys(servers).length ? { servers } : {}),
      token: "contract-test-token",
      fetch,
      logger,
      logLevel: "warn", // whatever CODESPACES_CLIENT_LOG_LEVEL says: the check needs the warnings
      ...options,
    });
  }

  /** The operation's method on a client against `baseUrl`, whose responses' `sl-violations` headers land in `seen`. */
  makeClient(options: Record<string, unknown>, seen: (string | null)[] = [], baseUrl = this.target.mock.proxyUrl) {
    const method = this.methodOf(this.makeFullClient(options, seen, baseUrl));
    if (typeof method !== "function") throw new Error(`client has no method ${this.methodName}`);
    return method;
  }

  /** The operation's method on `client` ({@link clientMethod}). */
  methodOf(client: Record<string, unknown>): unknown {
    return clientMethod(client, this.methodName);
  }

  /** Headers tagging a request with case `id` (and asking Prism for `prefer`). */
  headers(id: string, prefer?: string): Record<string, string> {
    return { [CASE_HEADER]: id, ...(prefer ? { Prefer: prefer } : {}) };
  }

  /** The response body of `record` as JSON (the raw text when it is not JSON; `undefined` when empty). */
  parse(record: ExchangeRecord | undefined): unknown {
    try {
      return record && record.response.body !== "" ? JSON.parse(record.response.body) : undefined;
    } catch {
      return record?.response.body;
    }
  }

  /** The documented response of `status`, if any. */
  response(status: string) {
    return this.op.responses.find((r) => r.status === status);
  }

  /** `#/paths/…/<method>/responses/<status>` in the description. */
  responsePointer(status: string): string {
    return `${this.op.pointer}/responses/${status}`;
  }
}
