import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { successResponse, type CaseSpec } from "./case-plan.js";
import type { ClientModule, ResponseSchemas } from "./client-loader.js";
import { explain, observationKey, type DefectTarget, type KnownDefect } from "./known-defects.js";
import type { VersionMock } from "./mock-fleet.js";
import { CASE_HEADER, SERVE_HEADER, craftedAnswer, fetchRecords, type ExchangeRecord } from "./recording-proxy.js";
import type { OperationSpec, VersionSpec } from "./spec-catalog.js";
import { enumSites, setAll, valuesAt } from "./schema-sites.js";
import { parseSlViolations, type Violation } from "./violations.js";

export { enumSites, setAll, valuesAt, type EnumSite } from "./schema-sites.js";

/** Everything the checks need about one API version; the mutation test swaps parts of it. */
export interface ContractTarget {
  spec: VersionSpec;
  mock: VersionMock;
  client: ClientModule;
  schemas: ResponseSchemas;
  defects: KnownDefect[];
  checkSchema: (schema: unknown, body: unknown) => Violation[];
  /** Wraps the `fetch` every client of the case uses (the mutation test drops a header here). */
  wrapFetch?: (fetch: (request: Request) => Promise<Response>) => (request: Request) => Promise<Response>;
  /** Dynamic samples per operation (default 50). */
  dynamicSamples?: number;
}

/** Outcome of one case: failures fail it; known defects are reported, not failed. */
export interface CaseResult extends CaseSpec {
  failures: string[];
  /** Ids of the known defects this case showed. */
  knownDefects: string[];
  /** {@link observationKey}s of the violations explained by known defects. */
  observations: string[];
  /** Facts worth printing (e.g. which enum values Prism generated). */
  notes: string[];
}

/** `pass`, `known defect` or `fail`, as the coverage matrix shows a case. */
export const outcomeOf = (r: CaseResult): "pass" | "known defect" | "fail" =>
  r.failures.length > 0 ? "fail" : r.knownDefects.length > 0 ? "known defect" : "pass";

type Fetch = (request: Request) => Promise<Response>;
type Args = Record<string, string>;

/** Values the suite passes for an operation's parameters: every path and query parameter, from its `example` if any. */
export function sampleArguments(op: OperationSpec): Args {
  const args: Args = {};
  for (const p of op.parameters) {
    if (p.in !== "path" && p.in !== "query") continue;
    const example = p.schema.example;
    args[p.name] = typeof example === "string" ? example : `${p.name.replace(/_/g, "-")}-sample`;
  }
  return args;
}

const errorText = (error: unknown) =>
  error instanceof Error
    ? `${error.name}${"status" in error ? ` ${String(error.status)}` : ""}: ${error.message}`
    : String(error);

/** Runs one case; never throws for a contract failure, it reports it in `failures`. */
export async function runCase(target: ContractTarget, spec: CaseSpec): Promise<CaseResult> {
  const result: CaseResult = { ...spec, failures: [], knownDefects: [], observations: [], notes: [] };
  const op = target.spec.operations.find((o) => o.operationId === spec.operationId);
  const entry = Object.entries(target.client.operations).find(([, e]) => e.operationId === spec.operationId);
  if (!op) {
    result.failures.push(`${spec.operationId} is not in ${target.spec.specPath}`);
    return result;
  }
  if (!entry) {
    result.failures.push(`the client package of ${target.spec.version} has no method for ${spec.operationId}`);
    return result;
  }
  const ctx = new CaseContext(target, op, entry[0], result);
  try {
    switch (spec.kind) {
      case "example":
        await ctx.checkExample(spec.column);
        break;
      case "not-modified":
        await ctx.checkNotModified();
        await ctx.checkCachedNotModified();
        break;
      case "error":
        await ctx.checkError(Number(spec.column), 1);
        break;
      case "retried-error":
        await ctx.checkError(Number(spec.column), RETRY.retries + 1);
        break;
      case "dynamic":
        await ctx.checkDynamic();
        break;
      case "nullable-enum":
        await ctx.checkNullableEnums();
        break;
      case "unsupported":
        result.failures.push(`status ${spec.column} is documented but the suite defines no behaviour for it`);
    }
  } catch (error) {
    result.failures.push(`case crashed: ${errorText(error)}`);
  }
  result.knownDefects = [...new Set(result.knownDefects)].sort();
  result.observations = [...new Set(result.observations)].sort();
  return result;
}

/** Retry policy of the error cases: 2 retries, 1 ms backoff base. */
export const RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } as const;

class CaseContext {
  readonly args: Args;
  constructor(
    readonly target: ContractTarget,
    readonly op: OperationSpec,
    readonly methodName: string,
    readonly result: CaseResult,
  ) {
    this.args = sampleArguments(op);
  }

  fail(message: string) {
    this.result.failures.push(message);
  }

  newCaseId(): string {
    return `${this.target.spec.version}/${this.op.operationId}/${this.result.column}/${randomUUID()}`;
  }

  /** A client against `baseUrl` whose responses' `sl-violations` headers land in `seen`. */
  makeClient(options: Record<string, unknown>, seen: (string | null)[] = [], baseUrl = this.target.mock.proxyUrl) {
    const observe: Fetch = async (request) => {
      const response = await globalThis.fetch(request);
      seen.push(response.headers.get("sl-violations"));
      return response;
    };
    const fetch = this.target.wrapFetch ? this.target.wrapFetch(observe) : observe;
    const client = this.target.client.createClient({ baseUrl, token: "contract-test-token", fetch, ...options });
    const method = client[this.methodName];
    if (typeof method !== "function") throw new Error(`client has no method ${this.methodName}`);
    return method;
  }

  headers(id: string, prefer?: string): Record<string, string> {
    return { [CASE_HEADER]: id, ...(prefer ? { Prefer: prefer } : {}) };
  }

  /** The request that reached the mock carried the pinned version and exactly the caller's parameters. */
  checkRequests(records: ExchangeRecord[], label: string, expectedCount?: number) {
    if (records.length === 0) return this.fail(`${label}: no request reached the mock`);
    if (expectedCount !== undefined && records.length !== expectedCount) {
      this.fail(`${label}: ${records.length} request(s) reached the mock, expected ${expectedCount}`);
    }
    const version = this.target.spec.version;
    const wantPath = this.op.path.replace(/\{([^{}]+)\}/g, (_m, name: string) => this.args[name] ?? `{${name}}`);
    const wantQuery = this.op.parameters
      .filter((p) => p.in === "query")
      .map((p): [string, string] => [p.name, this.args[p.name] ?? ""])
      .sort();
    for (const [i, r] of records.entries()) {
      const at = `${label}: request ${i + 1}`;
      const sent = r.headers["x-github-api-version"];
      if (sent !== version)
        this.fail(`${at} reached the mock with X-GitHub-Api-Version: ${sent ?? "(missing)"}, expected ${version}`);
      if (r.headers.accept !== "application/vnd.github+json")
        this.fail(
          `${at} had Accept: ${r.headers.accept ?? "(missing)"}, expected GitHub's application/vnd.github+json`,
        );
      if (r.method !== this.op.method.toUpperCase())
        this.fail(`${at} used ${r.method}, expected ${this.op.method.toUpperCase()}`);
      let gotPath: string;
      try {
        gotPath = r.path.split("/").map(decodeURIComponent).join("/");
      } catch {
        gotPath = r.path;
      }
      if (gotPath !== wantPath) this.fail(`${at} went to ${r.path}, expected ${wantPath}`);
      const gotQuery = [...r.query].sort();
      if (!isDeepStrictEqual(gotQuery, wantQuery))
        this.fail(`${at} had query ${JSON.stringify(gotQuery)}, expected ${JSON.stringify(wantQuery)}`);
      for (const v of parseSlViolations(r.response.headers["sl-violations"]).request)
        this.fail(`${at}: Prism reported a request violation: ${v}`);
    }
  }

  /** Prism's `sl-violations` plus ajv on `body`, each either explained by a known defect or a failure. */
  checkConformance(label: string, status: string, slViolations: string | null | undefined, body: unknown) {
    const prism = parseSlViolations(slViolations);
    for (const v of prism.request) this.fail(`${label}: Prism reported a request violation: ${v}`);
    const schema = this.target.schemas[this.op.operationId]?.[status];
    const documented = this.op.responses.find((r) => r.status === status)?.hasJsonBody === true;
    // Without a schema ajv would check nothing and report nothing: that is not a pass.
    if (schema === undefined && documented)
      this.fail(
        `${label}: the package's ./schemas has no schema for ${this.op.operationId} ${status}, so ajv checked nothing`,
      );
    const ajv = schema === undefined ? [] : this.target.checkSchema(schema, body);
    const where: DefectTarget = { version: this.target.spec.version, operationId: this.op.operationId, status };
    for (const v of [...prism.response, ...ajv]) {
      const defect = explain(this.target.defects, where, v);
      if (defect && this.result.kind !== "dynamic" && this.result.kind !== "nullable-enum") {
        this.result.knownDefects.push(defect.id);
        this.result.observations.push(observationKey(where, v.source, v.pointer));
      } else {
        this.fail(`${label}: ${v.source} reports ${v.code} at ${v.pointer || "/"}: ${v.message}`);
      }
    }
  }

  parse(record: ExchangeRecord | undefined): unknown {
    try {
      return record && record.response.body !== "" ? JSON.parse(record.response.body) : undefined;
    } catch {
      return record?.response.body;
    }
  }

  /** 2xx: with each named example (`Prefer: example=<name>`), the client resolves with exactly it. */
  async checkExample(status: string) {
    const response = this.op.responses.find((r) => r.status === status)!;
    const names = Object.keys(response.examples);
    for (const name of names.length > 0 ? names : [undefined]) {
      const id = this.newCaseId();
      const label = name ? `example "${name}"` : "Prism's static response";
      const call = this.makeClient({ retry: false, cache: false });
      let data: unknown;
      let resolved = false;
      try {
        data = await call(this.args, {
          headers: this.headers(id, `code=${status}${name ? `, example=${name}` : ""}`),
        });
        resolved = true;
      } catch (error) {
        this.fail(`${label}: client rejected: ${errorText(error)}`);
      }
      const records = await fetchRecords(this.target.mock.proxyUrl, id);
      this.checkRequests(records, label, 1);
      const last = records.at(-1);
      if (last && String(last.response.status) !== status)
        this.fail(`${label}: the mock answered ${last.response.status}, expected ${status}`);
      if (!resolved) continue;
      // `undefined === undefined` must not pass: a documented body has to arrive as data.
      if (response.hasJsonBody && data === undefined) {
        this.fail(`${label}: the client resolved with no data`);
        continue;
      }
      if (last && !isDeepStrictEqual(data, this.parse(last)))
        this.fail(`${label}: the client resolved with data that differs from the body the mock sent`);
      if (name && !isDeepStrictEqual(data, response.examples[name])) {
        this.fail(`${label}: the client resolved with data that differs from the spec's example`);
      }
      if (response.hasJsonBody) this.checkConformance(label, status, last?.response.headers["sl-violations"], data);
    }
  }

  /** 304 with `ifNoneMatch` and no cache: the typed NotModified result. */
  async checkNotModified() {
    const id = this.newCaseId();
    const etag = `"contract-${id.slice(-12)}"`;
    const call = this.makeClient({ retry: false, cache: false });
    let got: unknown;
    let resolved = false;
    try {
      got = await call(this.args, { ifNoneMatch: etag, headers: this.headers(id, "code=304") });
      resolved = true;
    } catch (error) {
      this.fail(`304 without cache: client rejected: ${errorText(error)}`);
    }
    if (resolved && !isDeepStrictEqual(got, { notModified: true, etag, status: 304 })) {
      this.fail(
        `304 without cache: resolved with ${JSON.stringify(got)}, expected { notModified: true, etag: ${etag}, status: 304 }`,
      );
    }
    const records = await fetchRecords(this.target.mock.proxyUrl, id);
    this.checkRequests(records, "304 without cache", 1);
    if (records[0] && records[0].headers["if-none-match"] !== etag)
      this.fail(
        `304 without cache: If-None-Match ${records[0].headers["if-none-match"]} reached the mock, expected ${etag}`,
      );
    if (records[0] && records[0].response.status !== 304)
      this.fail(`304 without cache: the mock answered ${records[0].response.status}`);
  }

  /** 304 with the default ETag cache: first a 200, then the 304 resolves with the cached data. */
  async checkCachedNotModified() {
    const first = this.newCaseId();
    const second = this.newCaseId();
    const call = this.makeClient({ retry: false });
    let fresh: unknown;
    let cached: unknown;
    try {
      fresh = await call(this.args, { headers: this.headers(first, "code=200") });
      cached = await call(this.args, { headers: this.headers(second, "code=304") });
    } catch (error) {
      return this.fail(`304 with cache: client rejected: ${errorText(error)}`);
    }
    const firstRecords = await fetchRecords(this.target.mock.proxyUrl, first);
    this.checkRequests(firstRecords, "304 with cache: the 200", 1);
    const records = await fetchRecords(this.target.mock.proxyUrl, second);
    this.checkRequests(records, "304 with cache", 1);
    const [a] = firstRecords;
    if (a && a.response.status !== 200)
      this.fail(`304 with cache: the first request was answered ${a.response.status}, expected 200`);
    // Each comparison below would pass on two `undefined`s: require the values first.
    const etag = a?.response.headers.etag;
    if (!etag)
      this.fail(
        "304 with cache: the 200 reached the client without an ETag, so the cache had nothing to revalidate with",
      );
    else if (records[0] && records[0].headers["if-none-match"] !== etag)
      this.fail(
        `304 with cache: the revalidation sent If-None-Match ${records[0].headers["if-none-match"] ?? "(none)"}, expected the 200's ETag ${etag}`,
      );
    if (records[0] && records[0].response.status !== 304)
      this.fail(`304 with cache: the mock answered ${records[0].response.status}`);
    const sent = this.parse(a);
    if (fresh === undefined || sent === undefined || !isDeepStrictEqual(fresh, sent)) {
      this.fail(
        `304 with cache: the 200 resolved with ${JSON.stringify(fresh)?.slice(0, 200)}, not with the body the mock sent`,
      );
    } else if (!isDeepStrictEqual(cached, fresh)) {
      this.fail(`304 with cache: resolved with ${JSON.stringify(cached)?.slice(0, 200)}, not with the cached 200 data`);
    }
  }

  /** 4xx/5xx: GitHubApiError with the status and the body's message, after `attempts` requests. */
  async checkError(status: number, attempts: number) {
    const id = this.newCaseId();
    const call = this.makeClient({ retry: RETRY, cache: false });
    let error: unknown;
    let rejected = false;
    try {
      const data = await call(this.args, { headers: this.headers(id, `code=${status}`) });
      this.fail(`${status}: resolved with ${JSON.stringify(data)?.slice(0, 200)} instead of rejecting`);
    } catch (e) {
      error = e;
      rejected = true;
    }
    const records = await fetchRecords(this.target.mock.proxyUrl, id);
    this.checkRequests(records, `${status}`, attempts);
    const last = records.at(-1);
    const body = this.parse(last);
    if (last && last.response.status !== status) this.fail(`${status}: the mock answered ${last.response.status}`);
    const documented = this.op.responses.find((r) => r.status === String(status))?.hasJsonBody === true;
    const message = (body as { message?: unknown } | undefined)?.message;
    // Without a message in the body, "carries the body's message" would compare nothing.
    if (last && documented && typeof message !== "string")
      this.fail(
        `${status}: the mock's body has no string "message" to compare GitHubApiError.message with: ${last.response.body.slice(0, 200)}`,
      );
    if (rejected) {
      if (!(error instanceof this.target.client.GitHubApiError))
        this.fail(`${status}: rejected with ${errorText(error)}, expected GitHubApiError`);
      else {
        if (error.status !== status) this.fail(`${status}: GitHubApiError.status is ${error.status}`);
        if (typeof message === "string" && error.message !== message)
          this.fail(
            `${status}: GitHubApiError.message is ${JSON.stringify(error.message)}, the body's message is ${JSON.stringify(message)}`,
          );
      }
    }
    if (last && documented)
      this.checkConformance(`${status} body`, String(status), last.response.headers["sl-violations"], body);
  }

  /** `Prefer: dynamic=true`: every generated body parses through the client and matches the schema. */
  async checkDynamic() {
    const samples = this.target.dynamicSamples ?? 50;
    const success = successResponse(this.op);
    if (!success) return this.fail("no documented 2xx with a JSON body to sample");
    const status = success.status;
    const schema = this.target.schemas[this.op.operationId]?.[status];
    const id = this.newCaseId();
    const call = this.makeClient({ retry: false, cache: false });
    // One slot per sample (a rejected sample stays empty), so that sample i is compared with request i.
    const datas: { data: unknown }[] = [];
    for (let i = 0; i < samples; i++) {
      try {
        datas[i] = { data: await call(this.args, { headers: this.headers(id, `code=${status}, dynamic=true`) }) };
      } catch (error) {
        this.fail(`dynamic sample ${i + 1}: client rejected: ${errorText(error)}`);
      }
    }
    const records = await fetchRecords(this.target.mock.proxyUrl, id);
    this.checkRequests(records, "dynamic", samples);
    for (const [i, r] of records.entries()) {
      if (this.result.failures.length > 20) break;
      const got = datas[i];
      if (!got) continue;
      if (String(r.response.status) !== status)
        this.fail(`dynamic sample ${i + 1}: the mock answered ${r.response.status}, expected ${status}`);
      if (got.data === undefined) this.fail(`dynamic sample ${i + 1}: the client resolved with no data`);
      else if (!isDeepStrictEqual(got.data, this.parse(r)))
        this.fail(`dynamic sample ${i + 1}: the client's data differs from the body Prism sent`);
      this.checkConformance(`dynamic sample ${i + 1}`, status, r.response.headers["sl-violations"], got.data);
    }
    const counts = new Map<string, number>();
    for (const site of enumSites(schema)) {
      for (const { data } of datas.filter(Boolean))
        for (const value of valuesAt(data, site.path))
          counts.set(
            `${site.pointer}=${JSON.stringify(value)}`,
            (counts.get(`${site.pointer}=${JSON.stringify(value)}`) ?? 0) + 1,
          );
    }
    this.result.notes.push(
      `${samples} dynamic samples; enum values generated: ${[...counts].map(([k, n]) => `${k} ×${n}`).join(", ") || "none"}`,
    );
  }

  /**
   * Every value of every nullable enum of the success response as the description writes it
   * (`nullable: true` beside an `enum`) — `null` included — and one value outside the enum,
   * served as crafted bodies through `prism proxy` (Prism's response validation): client, ajv
   * (on the package's converted schema) and Prism must accept each listed value and flag the outsider.
   */
  async checkNullableEnums() {
    const response = successResponse(this.op);
    if (!response) return this.fail("no documented 2xx with a JSON body");
    const sites = response.nullableEnums;
    // The plan only makes this case when there is something to check; an empty list here would pass vacuously.
    if (sites.length === 0)
      return this.fail("the success schema has no nullable enum, so this case would check nothing");
    const schema = this.target.schemas[this.op.operationId]?.[response.status];
    if (schema === undefined)
      return this.fail(`the package's ./schemas has no schema for ${this.op.operationId} ${response.status}`);
    const converted = new Set(enumSites(schema).map((s) => s.pointer));
    const base = Object.values(response.examples)[0];
    if (base === undefined) return this.fail("no example to craft bodies from");
    for (const site of sites) {
      if (!converted.has(site.pointer))
        this.fail(`${site.pointer}: the package's schema has no enum there (the description has one)`);
      if (valuesAt(base, site.path.slice(0, -1)).length === 0) {
        this.fail(`${site.pointer}: the example has no object there to set the value in`);
        continue;
      }
      const documented = [null, ...site.values.filter((v) => v !== null)];
      for (const value of [...documented, "contract-not-in-enum"]) {
        const listed = documented.includes(value);
        const body = setAll(structuredClone(base), site.path, value);
        const id = this.newCaseId();
        const label = `${site.pointer} = ${JSON.stringify(value)}`;
        const seen: (string | null)[] = [];
        const call = this.makeClient({ retry: false, cache: false }, seen, this.target.mock.validatingUrl);
        let data: unknown;
        try {
          data = await call(this.args, {
            headers: { ...this.headers(id), [SERVE_HEADER]: craftedAnswer(Number(response.status), body) },
          });
        } catch (error) {
          this.fail(`${label}: client rejected: ${errorText(error)}`);
          continue;
        }
        const records = await fetchRecords(this.target.mock.proxyUrl, id);
        if (records.length !== 1 || !records[0]!.response.crafted)
          this.fail(
            `${label}: ${records.length} request(s) reached the recording proxy with the crafted body, expected 1 (did prism proxy forward ${SERVE_HEADER}?)`,
          );
        if (seen.length !== 1)
          this.fail(`${label}: ${seen.length} response(s) came back through prism proxy, expected 1`);
        if (!isDeepStrictEqual(data, body)) this.fail(`${label}: the client's data differs from the crafted body`);
        const prism = parseSlViolations(seen.at(-1)).response.filter((v) => v.pointer.startsWith(site.pointerPrefix));
        const ajv = this.target.checkSchema(schema, data).filter((v) => v.pointer.startsWith(site.pointerPrefix));
        if (listed) {
          for (const v of [...prism, ...ajv])
            this.fail(`${label}: ${v.source} rejects a documented value: ${v.message}`);
        } else {
          if (prism.length === 0) this.fail(`${label}: Prism accepted a value outside the enum (is it validating?)`);
          if (ajv.length === 0) this.fail(`${label}: ajv accepted a value outside the enum`);
        }
      }
      this.result.notes.push(
        `${site.pointer}: ${documented.map((v) => JSON.stringify(v)).join(", ")} accepted by client, ajv and Prism; outsider flagged`,
      );
    }
  }
}

/** Bare requests that violate the spec: Prism must reject each (proof that validation is on). */
export async function runNegativeControls(
  spec: VersionSpec,
  prismUrl: string,
): Promise<{ failures: string[]; checked: string[] }> {
  const failures: string[] = [];
  const checked: string[] = [];
  const expect = async (label: string, path: string, method: string, status: number, mention?: string) => {
    checked.push(label);
    const response = await fetch(`${prismUrl}${path}`, { method });
    const text = await response.text();
    if (response.status !== status)
      failures.push(`${label}: Prism answered ${response.status}, expected ${status}: ${text.slice(0, 200)}`);
    else if (mention && !text.includes(mention))
      failures.push(`${label}: Prism's ${status} does not name ${mention}: ${text.slice(0, 200)}`);
  };
  await expect("unknown path → 404", "/contract/unknown/path", "GET", 404, "NO_PATH_MATCHED");
  for (const op of spec.operations) {
    const args = sampleArguments(op);
    const fill = (skip?: string) =>
      op.path.replace(/\{([^{}]+)\}/g, (_m, n: string) => (n === skip ? "" : encodeURIComponent(args[n]!)));
    for (const p of op.parameters.filter((q) => q.in === "path")) {
      await expect(
        `${op.operationId}: empty path segment {${p.name}} → 422`,
        fill(p.name),
        op.method.toUpperCase(),
        422,
        p.name,
      );
    }
    for (const p of op.parameters.filter(
      (q) =>
        q.in !== "header" &&
        q.in !== "cookie" &&
        (q.schema.type === "integer" ||
          q.schema.type === "number" ||
          q.schema.type === "boolean" ||
          Array.isArray(q.schema.enum)),
    )) {
      const path =
        p.in === "path"
          ? fill().replace(encodeURIComponent(args[p.name]!), "not-valid-value")
          : `${fill()}?${p.name}=not-valid-value`;
      await expect(`${op.operationId}: ${p.name} of the wrong type → 422`, path, op.method.toUpperCase(), 422, p.name);
    }
    // A repeated query parameter arrives as an array: the wrong type for a `type: string` one.
    for (const p of op.parameters.filter((q) => q.in === "query" && q.schema.type === "string")) {
      await expect(
        `${op.operationId}: ${p.name} given twice (array, not string) → 422`,
        `${fill()}?${p.name}=a&${p.name}=b`,
        op.method.toUpperCase(),
        422,
        p.name,
      );
    }
    const undocumented = ["delete", "put", "post", "patch", "get"].find((m) => !spec.document.paths[op.path]?.[m]);
    if (undocumented)
      await expect(
        `${op.operationId}: undocumented ${undocumented.toUpperCase()} → 405`,
        fill(),
        undocumented.toUpperCase(),
        405,
        "NO_METHOD_MATCHED",
      );
  }
  return { failures, checked };
}
