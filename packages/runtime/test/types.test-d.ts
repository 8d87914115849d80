// Compile-only tests of the published surface: run by `vitest --typecheck` and `tsc --noEmit`.
import type {
  Middleware as FetchMiddleware,
  MiddlewareCallbackParams as FetchCallbackParams,
  MergedOptions as FetchMergedOptions,
} from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import type {
  CallOptions,
  GitHubApiError,
  GitHubClient,
  NotModified,
  RateLimitError,
  OperationObject,
  OperationParams,
  RateLimitInfo,
  WithResponse,
} from "../src/index.js";
import type { MergedOptions, Middleware, MiddlewareCallbackParams } from "../src/middleware.js";
import {
  codespaceMachinesForAuthenticatedUser,
  createClient,
  createClientFor,
  createPathClient,
  type MachinesClient,
  type components,
  type operations,
  type OperationTypes,
} from "./fixtures/client.js";

type Machine = components["schemas"]["codespace-machine"];
type MachinesBody = { total_count: number; machines: Machine[] };

const gh = createClient({ token: "t" });
const signal = new AbortController().signal;

describe("operation methods", () => {
  it("flatten path and query parameters into one object", () => {
    expectTypeOf<
      OperationParams<OperationObject<OperationTypes, (typeof operations)["repoMachinesForAuthenticatedUser"]>>
    >().toEqualTypeOf<{ owner: string; repo: string } & { location?: string; client_ip?: string; ref?: string }>();
    expectTypeOf<
      OperationParams<OperationObject<OperationTypes, (typeof operations)["codespaceMachinesForAuthenticatedUser"]>>
    >().toEqualTypeOf<{ codespace_name: string } & {}>();
  });

  it("resolve with the answer's text for a per-call Accept without json, with the JSON body for a JSON variant", () => {
    const p = { owner: "o", repo: "r" };
    expectTypeOf(
      gh.repoMachinesForAuthenticatedUser(p, { headers: { accept: "application/vnd.github.diff" } }),
    ).resolves.toEqualTypeOf<string>();
    expectTypeOf(
      gh.repoMachinesForAuthenticatedUser(p, { headers: { Accept: "application/vnd.github.patch" } }),
    ).resolves.toEqualTypeOf<string>();
    expectTypeOf(
      gh.repoMachinesForAuthenticatedUser(p, { headers: { accept: "application/vnd.github.full+json" } }),
    ).resolves.toEqualTypeOf<MachinesBody>();
    expectTypeOf(
      gh.repoMachinesForAuthenticatedUser(p, { headers: { "x-request-tag": "t" } }),
    ).resolves.toEqualTypeOf<MachinesBody>();
    const accept: string = "application/vnd.github.diff";
    expectTypeOf(gh.repoMachinesForAuthenticatedUser(p, { headers: { accept } })).resolves.toEqualTypeOf<
      MachinesBody | string | ArrayBuffer
    >();
    expectTypeOf(
      gh.repoMachinesForAuthenticatedUser(p, { headers: { accept: "application/octet-stream" } }),
    ).resolves.toEqualTypeOf<ArrayBuffer>();
    expectTypeOf(
      gh.repoMachinesForAuthenticatedUser(p, { headers: { accept: "application/vnd.github.raw" } }),
    ).resolves.toEqualTypeOf<string | ArrayBuffer>();
    expectTypeOf(
      gh.repoMachinesForAuthenticatedUser(p, {
        headers: { accept: "application/vnd.github.diff" },
        ifNoneMatch: '"e"',
      }),
    ).resolves.toEqualTypeOf<string | NotModified>();
  });

  it("resolve with the 200 JSON body", () => {
    expectTypeOf(gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r" })).resolves.toEqualTypeOf<MachinesBody>();
    expectTypeOf(
      gh.repoMachinesForAuthenticatedUser({
        owner: "o",
        repo: "r",
        location: "WestUs2",
        client_ip: "1.2.3.4",
        ref: "main",
      }),
    ).resolves.toEqualTypeOf<MachinesBody>();
    expectTypeOf(
      gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }),
    ).resolves.toEqualTypeOf<MachinesBody>();
  });

  it("add NotModified to the result only when ifNoneMatch is passed", () => {
    expectTypeOf(
      gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, { ifNoneMatch: '"e"' }),
    ).resolves.toEqualTypeOf<MachinesBody | NotModified>();
    const maybe: string | undefined = undefined as string | undefined;
    expectTypeOf(
      gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, { ifNoneMatch: maybe }),
    ).resolves.toEqualTypeOf<MachinesBody | NotModified>();
    expectTypeOf(
      gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, { ifNoneMatch: undefined, signal }),
    ).resolves.toEqualTypeOf<MachinesBody>();
  });

  it("NotModified narrows on notModified", async () => {
    const result = await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, { ifNoneMatch: '"e"' });
    if ("notModified" in result) expectTypeOf(result.etag).toEqualTypeOf<string>();
    else expectTypeOf(result.machines).toEqualTypeOf<Machine[]>();
  });

  it("reject wrong parameter names and types", () => {
    // @ts-expect-error -- owner and repo are required
    void gh.repoMachinesForAuthenticatedUser();
    // @ts-expect-error -- repo is required
    void gh.repoMachinesForAuthenticatedUser({ owner: "o" });
    // @ts-expect-error -- misspelled query parameter
    void gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r", locaton: "x" });
    // @ts-expect-error -- client_ip is a string
    void gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r", client_ip: 1234 });
    // @ts-expect-error -- owner is a string
    void gh.repoMachinesForAuthenticatedUser({ owner: 1, repo: "r" });
    // @ts-expect-error -- this operation has no owner
    void gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs", owner: "o" });
    // @ts-expect-error -- codespace_name, not codespaceName
    void gh.codespaceMachinesForAuthenticatedUser({ codespaceName: "cs" });
    // @ts-expect-error -- ifNoneMatch is a string
    void gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, { ifNoneMatch: 1 });
    // @ts-expect-error -- signal is an AbortSignal
    void gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, { signal: "stop" });
    // @ts-expect-error -- call options are not parameters
    void gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs", signal });
    // @ts-expect-error -- unknown call option
    void gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "cs" }, { timeout: 5 });
    // @ts-expect-error -- no such operation
    void gh.listCodespaces();
  });
});

describe("withResponse and call options", () => {
  it("withResponse() gives the data with its response metadata", async () => {
    const full = await gh.repoMachinesForAuthenticatedUser({ owner: "o", repo: "r" }, { timeoutMs: 5 }).withResponse();
    expectTypeOf(full).toEqualTypeOf<WithResponse<MachinesBody>>();
    expectTypeOf(full.status).toEqualTypeOf<number>();
    expectTypeOf(full.etag).toEqualTypeOf<string | undefined>();
    expectTypeOf(full.rateLimit).toEqualTypeOf<RateLimitInfo>();
  });

  it("one signature: parameters, then options", () => {
    type Method = typeof gh.codespaceMachinesForAuthenticatedUser;
    expectTypeOf<Parameters<Method>[1]>().toEqualTypeOf<CallOptions | undefined>();
  });
});

describe("the typed openapi-fetch client", () => {
  it("keeps openapi-fetch's GET with typed params and data", async () => {
    const { data, error } = await createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", {
      params: { path: { owner: "o", repo: "r" }, query: { ref: "main" } },
    });
    expectTypeOf(data).toEqualTypeOf<MachinesBody | undefined>();
    expectTypeOf(error).toEqualTypeOf<components["schemas"]["basic-error"] | undefined>();
    // @ts-expect-error -- unknown path
    void createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces", { params: { path: { owner: "o", repo: "r" } } });
    // @ts-expect-error -- repo missing from path params
    void createPathClient(gh).GET("/repos/{owner}/{repo}/codespaces/machines", { params: { path: { owner: "o" } } });
    expectTypeOf(createPathClient(gh).use).toBeFunction();
  });

  it("is made over a client of the package's API version, from createClient or createClientFor", () => {
    type Takes = Parameters<typeof createPathClient>[0];
    expectTypeOf<MachinesClient>().toExtend<Takes>();
    const lean = createClientFor({ codespaceMachinesForAuthenticatedUser }, { token: "t" });
    expectTypeOf(lean).toExtend<Takes>();
    expectTypeOf(createPathClient(lean).GET).toBeFunction();
    // A test double written to the client interface is a client of the package too.
    const double: MachinesClient = {
      repoMachinesForAuthenticatedUser: gh.repoMachinesForAuthenticatedUser,
      codespaceMachinesForAuthenticatedUser: gh.codespaceMachinesForAuthenticatedUser,
    };
    expectTypeOf(double).toExtend<Takes>();
    // The same operation types sent as another API version (the other machines package's client).
    type OtherVersion = GitHubClient<OperationTypes, typeof operations, "2022-11-28">;
    expectTypeOf<OtherVersion>().not.toExtend<Takes>();
    const other = createClient({ token: "t" }) as unknown as OtherVersion;
    // @ts-expect-error -- a client of another API version
    createPathClient(other);
    const notAClient = { GET: () => undefined };
    // @ts-expect-error -- not a client (no property in common with one)
    createPathClient(notAClient);
  });
});

describe("middleware types (written out, so that the main entry does not import openapi-fetch)", () => {
  it("are openapi-fetch's: its middleware fits useMiddleware, ours fits its use()", () => {
    expectTypeOf<FetchMiddleware>().toExtend<Middleware>();
    expectTypeOf<Middleware>().toExtend<FetchMiddleware>();
    expectTypeOf<MiddlewareCallbackParams>().toEqualTypeOf<FetchCallbackParams>();
    expectTypeOf<MergedOptions>().toEqualTypeOf<FetchMergedOptions>();
  });
});

describe("errors", () => {
  it("GitHubApiError exposes typed fields", () => {
    expectTypeOf<GitHubApiError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<GitHubApiError["requestId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<GitHubApiError["rateLimit"]["remaining"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<GitHubApiError["headers"]>().toEqualTypeOf<Headers>();
    expectTypeOf<RateLimitError["retryAt"]>().toEqualTypeOf<Date | undefined>();
  });
});
