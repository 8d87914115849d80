import http from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import { createGitHubClient, GitHubApiError, type OperationMap } from "@codespaces-clients/runtime";
import { toJsonSchema } from "@codespaces-clients/spec";
import { shapes } from "@codespaces-clients/runtime/shapes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaseKind, planOperation } from "../src/case-plan.js";
import type { ContractTarget, Fetch } from "../src/checks/context.js";
import type { ClientModule } from "../src/client-loader.js";
import { CONTROL_BODY, OUTSIDER } from "../src/checks/nullable-enum.js";
import { runCase } from "../src/contract-checks.js";
import { checkResponseValidation, type NegativeOutcome } from "../src/negative-controls.js";
import { type RecordingProxy, startRecordingProxy } from "../src/recording-proxy.js";
import { listOperations, type OpenApiDocument } from "../src/spec-catalog.js";
import { createSchemaChecker } from "../src/violations.js";

// Case kinds whose checks other categories than `codespaces` need, through the real recording proxy
// and a real client of the runtime: the redirect case (src/checks/redirect.ts) on GitHub's four kinds
// of redirect, and the controls for a Prism that validates nothing of a response (the nullable-enum
// case's, and the negative control). Behind the proxy is a loopback stand-in for Prism's mock: it
// answers `Prefer: code=<status>` with the documented body of that status, and otherwise with the
// operation's first documented status, as Prism does. No documented redirect has a `Location` here, as
// in Prism's mock of GitHub's description. In front of the proxy, a stand-in for `prism proxy` reports
// violations as `prismMode` says.
const VERSION = "2026-03-10";
const basicError = {
  type: "object",
  properties: { message: { type: "string" }, documentation_url: { type: "string" }, url: { type: "string" } },
};
const json = (schema: unknown, example: unknown) => ({ content: { "application/json": { schema, example } } });
const moved = {
  message: "Moved Permanently",
  url: "https://api.github.com/things/1",
  documentation_url: "https://docs.github.com",
};
const thing = { type: "object", required: ["name"], properties: { name: { type: "string" } } };
const nameParam = { name: "name", in: "path", required: true, schema: { type: "string" } };
/**
 * GitHub's `issue` in small: a nullable enum (`state_reason`), and an `anyOf` marked `nullable`
 * without a `type` (`issue-field-value.value`), which Ajv, and so Prism, cannot compile.
 */
const stateSchema = {
  type: "object",
  required: ["state_reason"],
  properties: {
    state_reason: { type: "string", nullable: true, enum: ["completed", "not_planned"] },
    value: { nullable: true, anyOf: [{ type: "string" }, { type: "number" }] },
  },
};

/**
 * GitHub's four redirects, one operation each (`repos/get`, `repos/update`,
 * `repos/download-zipball-archive`, `repos/create-deployment-branch-policy`), and `issues/get` in small.
 */
const document = {
  openapi: "3.0.3",
  info: { title: "case kinds", version: "1" },
  paths: {
    "/things/{name}": {
      get: {
        operationId: "things/get",
        parameters: [nameParam],
        responses: { "200": json(thing, { name: "n1" }), "301": json(basicError, moved) },
      },
      patch: {
        operationId: "things/update",
        parameters: [nameParam],
        requestBody: json({ type: "object", properties: { description: { type: "string" } } }, { description: "d" }),
        responses: {
          "200": json(thing, { name: "n1" }),
          "307": json(basicError, { ...moved, message: "Temporary Redirect" }),
        },
      },
    },
    "/things/{name}/zipball": {
      get: {
        operationId: "things/download-zipball",
        parameters: [nameParam],
        responses: { "302": { description: "Found" } },
      },
    },
    "/things/{name}/state": {
      get: {
        operationId: "things/get-state",
        parameters: [nameParam],
        responses: {
          "200": {
            content: {
              "application/json": {
                schema: stateSchema,
                examples: { default: { value: { state_reason: "completed", value: "x" } } },
              },
            },
          },
        },
      },
    },
    "/things/{name}/assets": {
      post: {
        operationId: "things/upload-asset",
        servers: [{ url: "https://uploads.github.com" }],
        parameters: [nameParam],
        requestBody: { content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
        responses: { "201": json(thing, { name: "asset" }) },
      },
    },
    "/things": {
      get: {
        operationId: "things/list",
        responses: { "200": json({ type: "array", items: thing }, [{ name: "n1" }]) },
      },
      post: {
        operationId: "things/create",
        requestBody: json(thing, { name: "n2" }),
        responses: { "201": json(thing, { name: "n2" }), "303": { description: "See Other" } },
      },
    },
  },
} as const;

const operations = {
  get: { operationId: "things/get", method: "get", path: "/things/{name}", pathParams: ["name"], queryParams: [] },
  update: {
    operationId: "things/update",
    method: "patch",
    path: "/things/{name}",
    pathParams: ["name"],
    queryParams: [],
    body: { mediaType: "application/json", fields: ["description"] },
  },
  downloadZipball: {
    operationId: "things/download-zipball",
    method: "get",
    path: "/things/{name}/zipball",
    pathParams: ["name"],
    queryParams: [],
    responses: { 200: "binary" },
  },
  getState: {
    operationId: "things/get-state",
    method: "get",
    path: "/things/{name}/state",
    pathParams: ["name"],
    queryParams: [],
  },
  create: {
    operationId: "things/create",
    method: "post",
    path: "/things",
    pathParams: [],
    queryParams: [],
    body: { mediaType: "application/json", required: true, fields: ["name"] },
  },
  uploadAsset: {
    operationId: "things/upload-asset",
    method: "post",
    path: "/things/{name}/assets",
    pathParams: ["name"],
    queryParams: [],
    body: { mediaType: "application/octet-stream" },
    server: "https://uploads.github.com",
  },
} as const satisfies OperationMap;

const client: ClientModule = {
  API_VERSION: VERSION,
  operations,
  createClient: (options) =>
    createGitHubClient(
      {
        apiVersion: VERSION,
        packageName: "@codespaces-clients/redirects",
        packageVersion: "0.0.0",
        operations,
        shapes,
      },
      options,
    ) as never,
  GitHubApiError,
};

/** The Prism stand-in: `Prefer: code=<status>` → that documented status; else the first documented one. */
function upstreamAnswer(method: string, pathname: string, prefer: string | undefined) {
  const template = Object.keys(document.paths)
    .sort((a, b) => b.length - a.length)
    .find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(pathname));
  const op =
    template &&
    (document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[template]?.[
      method.toLowerCase()
    ];
  if (!op) return { status: 404, body: { message: "Not Found" } };
  const status = /code=(\d+)/.exec(prefer ?? "")?.[1] ?? Object.keys(op.responses)[0]!;
  const response = op.responses[status] as { content?: { "application/json": { example: unknown } } } | undefined;
  return { status: Number(status), body: response?.content?.["application/json"].example };
}

/**
 * What the stand-in for `prism proxy` (the validating URL, in front of the recording proxy) reports
 * in `sl-violations`: Prism validating the response (`validates`: the control body and the outsider
 * flagged), Prism validating nothing of it (`blind`, as for a schema its Ajv cannot compile), or a
 * Prism that validates but misses the outsider (`misses-outsider`).
 */
let prismMode: "validates" | "blind" | "misses-outsider" = "validates";
let validating: http.Server;
let validatingUrl = "";

let upstream: http.Server;
let proxy: RecordingProxy;
beforeAll(async () => {
  upstream = http.createServer(async (req, res) => {
    await text(req);
    const { status, body } = upstreamAnswer(
      req.method ?? "GET",
      new URL(req.url ?? "/", "http://x").pathname,
      req.headers.prefer as string | undefined,
    );
    if (body === undefined) {
      res.writeHead(status);
      return res.end();
    }
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  proxy = await startRecordingProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  validating = http.createServer(async (req, res) => {
    await text(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name)),
    ) as Record<string, string>;
    const answer = await fetch(`${proxy.url}${req.url}`, { method: req.method ?? "GET", headers });
    const body = await answer.text();
    const violations = [];
    if (prismMode !== "blind" && body === JSON.stringify(CONTROL_BODY))
      violations.push({ location: ["response", "body"], severity: "Error", code: "type", message: "must be object" });
    if (prismMode === "validates" && body.includes(OUTSIDER))
      violations.push({
        location: ["response", "body", "state_reason"],
        severity: "Error",
        code: "enum",
        message: "must be equal to one of the allowed values",
      });
    res.writeHead(answer.status, {
      "content-type": answer.headers.get("content-type") ?? "application/json",
      ...(violations.length ? { "sl-violations": JSON.stringify(violations) } : {}),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => validating.listen(0, "127.0.0.1", resolve));
  validatingUrl = `http://127.0.0.1:${(validating.address() as AddressInfo).port}`;
});
afterAll(async () => {
  validating.closeAllConnections();
  await new Promise((resolve) => validating.close(resolve));
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const schemas = {
  "things/get": { "200": thing, "301": basicError },
  "things/update": { "200": thing, "307": basicError },
  "things/create": { "201": thing },
  "things/get-state": { "200": toJsonSchema(stateSchema) },
  "things/upload-asset": { "201": thing },
};

function target(wrapFetch?: (fetch: Fetch) => Fetch): ContractTarget {
  return {
    spec: {
      version: VERSION,
      specPath: "(in memory)",
      document: document as unknown as OpenApiDocument,
      operations: listOperations(document as unknown as OpenApiDocument),
    },
    mock: {
      version: VERSION,
      specPath: "(in memory)",
      prismUrl: proxy.url,
      proxyUrl: proxy.url,
      validatingUrl,
    },
    client,
    schemas,
    defects: [],
    checkSchema: createSchemaChecker(),
    ...(wrapFetch ? { wrapFetch } : {}),
  };
}

/** The case of `operationId`'s column `column`, of kind `kind`. */
const caseOf = (operationId: string, column: string, kind: CaseKind) => ({
  version: VERSION,
  operationId,
  column,
  kind,
});
const redirectCase = (operationId: string, column: string) => caseOf(operationId, column, "redirect");
const failedChecks = async (t: ContractTarget, operationId: string, column: string) =>
  (await runCase(t, redirectCase(operationId, column))).failures.map((f) => `${f.check} ${f.pointer}`);

/** A `fetch` that does not follow redirects (`redirect: "manual"`), as a caller's own fetch might. */
const noFollow =
  (fetch: Fetch): Fetch =>
  (input, init) =>
    fetch(new Request(new Request(input, init), { redirect: "manual" }));

/** A `fetch` that follows one redirect naively: a bodiless GET with every header, `Authorization` included, wherever it points. */
const naiveFollow =
  (fetch: Fetch): Fetch =>
  async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(new Request(request, { redirect: "manual" }));
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || !location) return response;
    return fetch(new URL(location, request.url), { headers: request.headers });
  };

describe("the redirect case", () => {
  it("is planned for every documented 301, 302, 303, 307 and 308, and for nothing else", () => {
    const kinds = listOperations(document as unknown as OpenApiDocument).flatMap((op) =>
      planOperation(VERSION, op).map((c) => `${c.operationId} ${c.column} ${c.kind}`),
    );
    expect(kinds.filter((k) => k.endsWith(" redirect"))).toEqual([
      "things/get 301 redirect",
      "things/update 307 redirect",
      "things/download-zipball 302 redirect",
      "things/create 303 redirect",
    ]);
    expect(kinds.filter((k) => k.endsWith(" unsupported"))).toEqual([]);
  });

  it.each([
    ["things/get", "301"],
    ["things/update", "307"],
    ["things/download-zipball", "302"],
    ["things/create", "303"],
  ])("passes for %s %s with a client that follows as fetch does", async (operationId, column) => {
    const result = await runCase(target(), redirectCase(operationId, column));
    expect(result.failures).toEqual([]);
  });

  it("fails a client that does not follow: it rejects, and one request arrives instead of two", async () => {
    expect(await failedChecks(target(noFollow), "things/get", "301")).toEqual([
      "client-resolves /result",
      "request-count /requests",
    ]);
  });

  it("fails a client that takes the token to another origin, or drops a 307's method and body", async () => {
    expect(await failedChecks(target(naiveFollow), "things/download-zipball", "302")).toEqual([
      "redirect-token /request/headers/authorization",
    ]);
    expect(await failedChecks(target(naiveFollow), "things/update", "307")).toEqual([
      "method /request/method",
      "request-body /request/body",
    ]);
    // At the API's origin, a GET: nothing to tell apart.
    expect(await failedChecks(target(naiveFollow), "things/get", "301")).toEqual([]);
  });
});

describe("an operation on a server of its own, with a body of bytes (repos/upload-release-asset)", () => {
  const uploadCase = caseOf("things/upload-asset", "201", "example");
  const failed = async (t: ContractTarget) =>
    (await runCase(t, uploadCase)).failures.map((f) => `${f.check} ${f.pointer}`);

  it("passes: the bytes reach the mock, as the described media type, through the stand-in of the operation's server", async () => {
    expect(
      planOperation(VERSION, target().spec.operations.find((o) => o.operationId === "things/upload-asset")!),
    ).toContainEqual(uploadCase);
    expect((await runCase(target(), uploadCase)).failures).toEqual([]);
  });

  it("fails a client that sends the upload to its baseUrl (it ignores `servers`)", async () => {
    const t = target();
    const ignoresServers: ClientModule = {
      ...client,
      createClient: ({ servers: _servers, ...options } = {}) => client.createClient(options),
    };
    expect(await failed({ ...t, client: ignoresServers })).toEqual(["server /request/server"]);
  });

  it("fails a client that JSON-encodes the bytes", async () => {
    const jsonEncodes =
      (fetch: Fetch): Fetch =>
      async (input, init) => {
        const request = new Request(input, init);
        if (request.method !== "POST") return fetch(request);
        const bytes = new Uint8Array(await request.arrayBuffer());
        const headers = new Headers(request.headers);
        headers.set("content-type", "application/json");
        return fetch(request.url, { method: "POST", headers, body: JSON.stringify([...bytes]) });
      };
    expect(await failed(target(jsonEncodes))).toEqual([
      "request-body /request/headers/content-type",
      "request-body /request/body",
    ]);
  });
});

describe("the nullable-enum case's control", () => {
  const nullableEnumCase = caseOf("things/get-state", "nullable enum", "nullable-enum");
  const failuresWith = async (mode: typeof prismMode) => {
    prismMode = mode;
    try {
      return (await runCase(target(), nullableEnumCase)).failures;
    } finally {
      prismMode = "validates";
    }
  };

  it("passes when Prism accepts every listed value and flags the outsider", async () => {
    expect(await failuresWith("validates")).toEqual([]);
  });

  it("says that Prism validates nothing of the response, naming the nullable without a type, when a body of the wrong type passes too", async () => {
    const failures = await failuresWith("blind");
    expect(failures.map((f) => `${f.check} ${f.pointer}`)).toEqual(["prism-validates /response/body/state_reason"]);
    expect(failures[0]?.detail).toContain(
      "it cannot compile the schema, which has `nullable: true` without `type` at #/paths/~1things~1{name}~1state/get/responses/200/content/application~1json/schema/properties/value",
    );
  });

  it("fails a Prism that validates the response but lets the outsider through", async () => {
    const failures = await failuresWith("misses-outsider");
    expect(failures.map((f) => `${f.check} ${f.pointer}`)).toEqual([
      "prism-flags-outsider /response/body/state_reason",
    ]);
  });
});

describe("the negative control of Prism's response validation", () => {
  const control = async (mode: typeof prismMode) => {
    prismMode = mode;
    try {
      const t = target();
      const op = t.spec.operations.find((o) => o.operationId === "things/get-state")!;
      const outcome: NegativeOutcome = { checked: [], failures: [] };
      await checkResponseValidation(t.spec, op, validatingUrl, outcome);
      return outcome;
    } finally {
      prismMode = "validates";
    }
  };

  it("passes when Prism flags a body of the wrong type", async () => {
    const outcome = await control("validates");
    expect(outcome.checked).toEqual([
      "things/get-state: a 200 body of the wrong type → Prism's response validation flags it",
    ]);
    expect(outcome.failures).toEqual([]);
  });

  it("fails when Prism reports nothing, naming what it cannot compile", async () => {
    const { failures } = await control("blind");
    expect(failures.map((f) => `${f.check} ${f.pointer}`)).toEqual(["prism-validates /response/headers/sl-violations"]);
    expect(failures[0]?.detail).toMatch(
      /which has `nullable: true` without `type` at #\/paths\/~1things~1\{name\}~1state\//,
    );
  });
});
