// Compile-only tests of the operation-shape types: run by `vitest --typecheck` and `tsc --noEmit`.
// The operation types below are written as openapi-typescript 7 writes them.
import { describe, expectTypeOf, it } from "vitest";
import type { BinaryData, GitHubClient, OperationData, OperationParams, PageItem } from "../src/index.js";

type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };
type Empty = { headers: { [name: string]: unknown }; content?: never };

interface CreateOp {
  parameters: {
    query?: { dry_run?: boolean };
    header?: { "x-request-tag"?: string };
    path: { owner: string };
    cookie?: never;
  };
  requestBody: { content: { "application/json": { name: string; tags?: string[] } } };
  responses: { 201: Json<{ id: number }>; 422: Json<{ message: string }> };
}
interface UpdateOp {
  parameters: { query?: never; header?: never; path: { id: number }; cookie?: never };
  requestBody?: { content: { "application/json": { name?: string; machine?: string } } };
  responses: { 200: Json<{ id: number }>; 202: Json<{ queued: boolean }>; 404: Json<{ message: string }> };
}
interface DeleteOp {
  parameters: { query?: never; header?: never; path: { id: number }; cookie?: never };
  requestBody?: never;
  responses: { 204: Empty; 404: Json<{ message: string }> };
}
interface LabelsOp {
  parameters: { query?: never; header?: never; path: { id: number }; cookie?: never };
  requestBody: { content: { "application/json": string[] } };
  responses: { 200: Json<string[]> };
}
interface ReadmeOp {
  parameters: { query?: never; header?: never; path: { id: number }; cookie?: never };
  requestBody?: never;
  responses: { 200: { headers: { [name: string]: unknown }; content: { "text/html": string } } };
}

describe("OperationParams", () => {
  it("puts path, query and header parameters and a JSON object body's fields in one object", () => {
    const all: OperationParams<CreateOp> = { owner: "o", dry_run: true, "x-request-tag": "t", name: "n", tags: ["a"] };
    expectTypeOf(all).toMatchTypeOf<{ owner: string; name: string }>();
    // @ts-expect-error a required body field is missing
    const missing: OperationParams<CreateOp> = { owner: "o" };
    // @ts-expect-error a header parameter is a string
    const header: OperationParams<CreateOp> = { owner: "o", name: "n", "x-request-tag": 1 };
    void [missing, header];
  });

  it("makes every field of an optional body optional", () => {
    const none: OperationParams<UpdateOp> = { id: 1 };
    const some: OperationParams<UpdateOp> = { id: 1, machine: "large" };
    void [none, some];
  });

  it("puts a non-object body under data, required as the body is", () => {
    const labels: OperationParams<LabelsOp> = { id: 1, data: ["bug"] };
    // @ts-expect-error the body is required
    const missing: OperationParams<LabelsOp> = { id: 1 };
    void [labels, missing];
  });

  it('puts an object body under data when the generator says "data" (a field named like a parameter)', () => {
    const clash: OperationParams<CreateOp, "data"> = { owner: "o", data: { name: "n" } };
    // @ts-expect-error the fields are not at the top level then
    const flat: OperationParams<CreateOp, "data"> = { owner: "o", name: "n" };
    void [clash, flat];
  });
});

describe("OperationData", () => {
  it("is the body of every documented 2xx answer, undefined without content, a string for text", () => {
    expectTypeOf<OperationData<CreateOp>>().toEqualTypeOf<{ id: number }>();
    expectTypeOf<OperationData<UpdateOp>>().toEqualTypeOf<{ id: number } | { queued: boolean }>();
    expectTypeOf<OperationData<DeleteOp>>().toEqualTypeOf<undefined>();
    expectTypeOf<OperationData<ReadmeOp>>().toEqualTypeOf<string>();
  });
});

describe("BinaryData", () => {
  it("is an ArrayBuffer for a download documented only as a redirect, and beside the other answers otherwise", () => {
    expectTypeOf<BinaryData<undefined>>().toEqualTypeOf<ArrayBuffer>();
    expectTypeOf<BinaryData<string>>().toEqualTypeOf<ArrayBuffer>();
    expectTypeOf<BinaryData<string | undefined>>().toEqualTypeOf<ArrayBuffer | undefined>();
    expectTypeOf<BinaryData<string | { id: number }>>().toEqualTypeOf<ArrayBuffer | { id: number }>();
  });
});

describe("PageItem", () => {
  it("is the item of an array answer or of the array in { total_count, <items> }", () => {
    expectTypeOf<PageItem<{ id: number }[]>>().toEqualTypeOf<{ id: number }>();
    expectTypeOf<PageItem<{ total_count: number; machines: { name: string }[] }>>().toEqualTypeOf<{ name: string }>();
    expectTypeOf<
      PageItem<{ total_count: number; incomplete_results: boolean; items: { id: number }[] }>
    >().toEqualTypeOf<{ id: number }>();
    // Without total_count, and an optional array (copilot/list-copilot-seats).
    expectTypeOf<PageItem<{ total_seats?: number; seats?: { id: number }[] }>>().toEqualTypeOf<{ id: number }>();
    expectTypeOf<PageItem<({ a: 1 } | { b: 2 })[]>>().toEqualTypeOf<{ a: 1 } | { b: 2 }>();
  });
});

describe("GitHubClient", () => {
  // Paths as openapi-typescript writes them, for the operations above.
  interface Paths {
    "/repos/{owner}/things": { post: CreateOp };
    "/things/{id}": { patch: UpdateOp; delete: DeleteOp };
    "/things/{id}/labels": { put: LabelsOp };
    "/things/{id}/readme": { get: ReadmeOp };
  }
  const create = {
    operationId: "things/create",
    method: "post",
    path: "/repos/{owner}/things",
    pathParams: ["owner"],
    queryParams: ["dry_run"],
    headerParams: ["x-request-tag"],
    body: { mediaType: "application/json", required: true, fields: ["name", "tags"] },
  } as const;
  // An object body the generator put under `data` (a field named like a parameter).
  const update = {
    operationId: "things/update",
    method: "patch",
    path: "/things/{id}",
    pathParams: ["id"],
    queryParams: [],
    body: { mediaType: "application/json" },
  } as const;
  const readme = {
    operationId: "things/readme",
    method: "get",
    path: "/things/{id}/readme",
    pathParams: ["id"],
    queryParams: [],
    responses: { 200: "binary" },
  } as const;
  type Client = GitHubClient<Paths, { create: typeof create; "things.update": typeof update; readme: typeof readme }>;

  it("types a key `category.method` as client.category.method, and no flat key for it", () => {
    expectTypeOf<Client["things"]["update"]>()
      .parameter(0)
      .toEqualTypeOf<{ id: number } & { data?: { name?: string; machine?: string } }>();
    expectTypeOf<Client>().not.toHaveProperty("things.update");
    expectTypeOf<Client>().toHaveProperty("create");
  });

  it("places the body as the descriptor says, and types a binary answer as ArrayBuffer", () => {
    expectTypeOf<Client["create"]>().parameter(0).toHaveProperty("name").toEqualTypeOf<string>();
    const client = {} as Client;
    expectTypeOf(client.readme({ id: 1 })).resolves.toEqualTypeOf<ArrayBuffer>();
  });
});
