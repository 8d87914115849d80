import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { operationsOf } from "../src/operations.js";
import { REPO_ROOT, listedVersions } from "./helpers.js";

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "operations.json"), "utf8")) as Record<
  string,
  unknown
>;
const clone = <T>(value: T): T => structuredClone(value);

describe("operationsOf (fixture slice)", () => {
  const rows = operationsOf(fixture, "fixtures/operations.json");
  const byName = Object.fromEntries(rows.map((row) => [row.name, row]));

  it("finds every operation of every path, in source order", () => {
    expect(rows.map((r) => `${r.method} ${r.path} ${r.name}`)).toEqual([
      "get /orgs/{org}/things/{thing_id} getForOrg",
      "delete /orgs/{org}/things/{thing_id} deleteForOrg",
      "get /user/things listForAuthenticatedUser",
    ]);
  });

  it.each([
    {
      description: "path-level parameters ($ref'd and inline) join the operation's own, once each",
      name: "getForOrg",
      want: { pathParams: ["org", "thing_id"], queryParams: ["per_page"] },
    },
    {
      description: "an operation without parameters of its own takes the path-level ones",
      name: "deleteForOrg",
      want: { pathParams: ["org", "thing_id"], queryParams: [] },
    },
    {
      description: "a $ref to a $ref is followed to the parameter",
      name: "listForAuthenticatedUser",
      want: { pathParams: [], queryParams: ["page", "q"] },
    },
  ])("$description", ({ name, want }) => {
    expect(byName[name]).toMatchObject(want);
  });

  it("header parameters go into headerParams, not the path or query lists", () => {
    const all = rows.flatMap((r) => [...r.pathParams, ...r.queryParams]);
    expect(all).not.toContain("X-Trace");
    expect(byName.getForOrg?.headerParams).toEqual(["X-Trace"]);
    expect(byName.listForAuthenticatedUser).not.toHaveProperty("headerParams");
  });

  it("keeps operationId, summary (operationId when missing), docs URL and statuses in source order", () => {
    expect(byName.getForOrg).toEqual({
      name: "getForOrg",
      operationId: "things/get-for-org",
      method: "get",
      path: "/orgs/{org}/things/{thing_id}",
      pathParams: ["org", "thing_id"],
      queryParams: ["per_page"],
      headerParams: ["X-Trace"],
      responses: { 200: "none" },
      summary: "Get a thing",
      docsUrl: "https://docs.example.com/things#get",
      statuses: ["200", "404"],
    });
    expect(byName.deleteForOrg?.summary).toBe("things/delete-for-org");
    expect(byName.deleteForOrg).not.toHaveProperty("docsUrl");
  });

  it("an operation without operationId is an error with its JSON pointer", () => {
    const document = clone(fixture) as { paths: Record<string, Record<string, { operationId?: string }>> };
    delete document.paths["/user/things"]!.get!.operationId;
    expect(() => operationsOf(document, "fixtures/operations.json")).toThrow(
      "fixtures/operations.json#/paths/~1user~1things/get: operation has no operationId",
    );
  });

  it("a $ref that points nowhere is an error naming the $ref", () => {
    const document = clone(fixture) as { components: { parameters: Record<string, unknown> } };
    delete document.components.parameters.page;
    expect(() => operationsOf(document, "fixtures/operations.json")).toThrow(
      'fixtures/operations.json: $ref "#/components/parameters/page" points nowhere',
    );
  });
});

describe.each(listedVersions())("operationsOf (committed slice %s)", (version) => {
  const document = JSON.parse(
    readFileSync(join(REPO_ROOT, "spec", "generated", version, "openapi.json"), "utf8"),
  ) as Record<string, unknown>;

  it("has both machines operations with their path and query parameters", () => {
    const rows = operationsOf(document, version);
    expect(
      rows.map(({ name, method, path, pathParams, queryParams }) => ({ name, method, path, pathParams, queryParams })),
    ).toEqual([
      {
        name: "repoMachinesForAuthenticatedUser",
        method: "get",
        path: "/repos/{owner}/{repo}/codespaces/machines",
        pathParams: ["owner", "repo"],
        queryParams: ["location", "client_ip", "ref"],
      },
      {
        name: "codespaceMachinesForAuthenticatedUser",
        method: "get",
        path: "/user/codespaces/{codespace_name}/machines",
        pathParams: ["codespace_name"],
        queryParams: [],
      },
    ]);
  });
});

describe("operationsOf: every shape (fixtures/shapes/openapi.json)", () => {
  const shapes = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "shapes", "openapi.json"), "utf8")) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  const rows = operationsOf(shapes, "shapes.json");
  const table = rows.map(({ summary: _s, description: _d, statuses: _t, deprecatedParams: _p, ...row }) => row);

  it("names deprecated parameters and body fields", () => {
    expect(rows.filter((row) => row.deprecatedParams).map((row) => [row.operationId, row.deprecatedParams])).toEqual([
      ["things/create", ["color"]],
    ]);
  });

  /** The body fields of `things/create` with its body schema replaced by `schema`. */
  const fieldsWith = (schema: unknown) => {
    const doc = clone(shapes);
    const post = doc.paths["/orgs/{org}/things"]!.post as { requestBody: { content: Record<string, unknown> } };
    post.requestBody.content["application/json"] = { schema };
    return operationsOf(doc, "shapes.json").find((row) => row.operationId === "things/create")!.body?.fields;
  };

  it.each([
    {
      // GitHub's checks/update: every field in `properties`, and an `anyOf` over `status`.
      shape: "properties beside anyOf alternatives that name some of them",
      schema: {
        type: "object",
        properties: { name: { type: "string" }, status: { type: "string" }, output: { type: "object" } },
        anyOf: [
          { properties: { status: { enum: ["completed"] } }, required: ["status", "conclusion"] },
          { properties: { status: { enum: ["queued"] } } },
        ],
      },
      want: ["name", "status", "output"],
    },
    {
      // GitHub's projects/add-item-for-org: alternatives that only say which fields are required.
      shape: "properties beside oneOf alternatives with `required` only",
      schema: {
        type: "object",
        properties: { type: { type: "string" }, id: { type: "integer" }, owner: { type: "string" } },
        oneOf: [{ required: ["type", "id"] }, { required: ["type", "owner"] }],
      },
      want: ["type", "id", "owner"],
    },
    {
      shape: "alternatives that each name their own fields, and an allOf part",
      schema: {
        allOf: [{ properties: { a: { type: "string" } } }],
        oneOf: [{ type: "object", properties: { b: {} } }, { properties: { c: {} } }],
      },
      want: ["a", "b", "c"],
    },
    {
      shape: "an alternative that is not an object (the body is `data`)",
      schema: { oneOf: [{ type: "string" }, { type: "object", properties: { a: {} } }] },
      want: undefined,
    },
    {
      shape: "a free-form object (the body is `data`)",
      schema: { type: "object", additionalProperties: true },
      want: undefined,
    },
    { shape: "an array (the body is `data`)", schema: { type: "array", items: { type: "string" } }, want: undefined },
  ])("body fields of $shape", ({ schema, want }) => {
    expect(fieldsWith(schema)).toEqual(want);
  });

  it("marks paginated only a list (per_page and page on one commit's files is not paginate's)", () => {
    const doc = clone(shapes);
    const paged = (operationId: string, schema: unknown) => ({
      get: {
        operationId,
        parameters: ["per_page", "page"].map((name) => ({ name, in: "query", schema: { type: "integer" } })),
        responses: { "200": { description: "ok", content: { "application/json": { schema } } } },
      },
    });
    const array = { type: "array", items: { type: "object" } };
    doc.paths["/seats"] = paged("things/list-seats", {
      type: "object",
      properties: { total_seats: { type: "integer" }, seats: array },
    });
    doc.paths["/commit"] = paged("things/get-commit", { type: "object", properties: { parents: array, files: array } });
    doc.paths["/stargazers"] = paged("things/list-stargazers", { anyOf: [array, array] });
    doc.paths["/one"] = paged("things/get-one", { type: "object", properties: { id: { type: "integer" } } });
    const byId = Object.fromEntries(operationsOf(doc, "shapes.json").map((row) => [row.operationId, row.paginated]));
    expect(byId).toMatchObject({
      "things/list-seats": true,
      "things/get-commit": undefined,
      "things/list-stargazers": true,
      "things/get-one": undefined,
      "things/list": true,
    });
  });

  it("reads the answer of an operation documented only with a redirect (a download) as bytes, and of one with a 2xx as that says", () => {
    const doc = clone(shapes);
    const redirect = { description: "Found", headers: { Location: { schema: { type: "string" } } } };
    doc.paths["/things/{thing_id}/zipball"] = {
      get: { operationId: "things/download-zipball", responses: { "302": redirect, "404": { description: "gone" } } },
    };
    doc.paths["/things/{thing_id}/moved"] = {
      get: {
        operationId: "things/get-moved",
        responses: {
          "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } },
          "301": redirect,
        },
      },
    };
    const byId = Object.fromEntries(operationsOf(doc, "shapes.json").map((row) => [row.operationId, row]));
    expect(byId["things/download-zipball"]?.responses).toEqual({ 200: "binary" });
    expect(byId["things/get-moved"]?.responses).toBeUndefined();
  });

  it("describes header parameters, bodies, non-JSON and bodiless answers, pagination and deprecation, and namespaces two categories", () => {
    expect(table).toEqual([
      {
        name: "things.list",
        operationId: "things/list",
        method: "get",
        path: "/orgs/{org}/things",
        pathParams: ["org"],
        queryParams: ["per_page", "page"],
        paginated: true,
      },
      {
        name: "things.create",
        operationId: "things/create",
        method: "post",
        path: "/orgs/{org}/things",
        pathParams: ["org"],
        queryParams: [],
        headerParams: ["x-request-tag"],
        body: { mediaType: "application/json", required: true, fields: ["name", "tags", "color"] },
      },
      {
        name: "things.delete",
        operationId: "things/delete",
        method: "delete",
        path: "/things/{thing_id}",
        pathParams: ["thing_id"],
        queryParams: [],
        responses: { 204: "none" },
      },
      {
        name: "things.update",
        operationId: "things/update",
        method: "patch",
        path: "/things/{thing_id}",
        pathParams: ["thing_id"],
        queryParams: [],
        body: { mediaType: "application/json", fields: ["name", "machine"] },
      },
      {
        name: "things.getReadme",
        operationId: "things/get-readme",
        method: "get",
        path: "/things/{thing_id}/readme",
        pathParams: ["thing_id"],
        queryParams: [],
        responses: { 200: "text" },
        accept: "application/vnd.github+json, text/html",
      },
      {
        name: "things.downloadArchive",
        operationId: "things/download-archive",
        method: "get",
        path: "/things/{thing_id}/archive",
        pathParams: ["thing_id"],
        queryParams: [],
        responses: { 200: "binary" },
        accept: "application/vnd.github+json, application/zip",
      },
      {
        // Its own server (`servers`), and bytes as its body: `data`, sent as given.
        name: "things.uploadAsset",
        operationId: "things/upload-asset",
        method: "post",
        path: "/things/{thing_id}/assets",
        pathParams: ["thing_id"],
        queryParams: ["name"],
        body: { mediaType: "application/octet-stream", required: true },
        server: "https://uploads.github.com",
      },
      {
        name: "things.setLabels",
        operationId: "things/set-labels",
        method: "put",
        path: "/things/{thing_id}/labels",
        pathParams: ["thing_id"],
        queryParams: [],
        body: { mediaType: "application/json", required: true },
      },
      {
        // The body's `name` is also the path parameter's: the body goes under `data`.
        name: "things.renameVariable",
        operationId: "things/rename-variable",
        method: "patch",
        path: "/variables/{name}",
        pathParams: ["name"],
        queryParams: [],
        body: { mediaType: "application/json", required: true },
        responses: { 204: "none" },
      },
      {
        name: "things.listLegacy",
        operationId: "things/list-legacy",
        method: "get",
        path: "/legacy/things",
        pathParams: [],
        queryParams: [],
        deprecated: true,
      },
      {
        name: "widgets.list",
        operationId: "widgets/list",
        method: "get",
        path: "/widgets",
        pathParams: [],
        queryParams: ["per_page", "page"],
        paginated: true,
      },
    ]);
  });

  const refused = (edit: (doc: typeof shapes) => void) => {
    const doc = clone(shapes);
    edit(doc);
    return () => operationsOf(doc, "shapes.json");
  };

  it.each([
    {
      reason: "a cookie parameter",
      edit: (doc: typeof shapes) => {
        (doc.paths["/widgets"]!.get!.parameters as unknown[]).push({
          name: "session",
          in: "cookie",
          schema: { type: "string" },
        });
      },
      want: "shapes.json#/paths/~1widgets/get: operation widgets/list cannot be generated: cookie parameter session (the client sends no cookies)",
    },
    {
      reason: "a multipart request body",
      edit: (doc: typeof shapes) => {
        doc.paths["/things/{thing_id}/labels"]!.put!.requestBody = {
          content: { "multipart/form-data": { schema: { type: "object" } } },
        };
      },
      want: "shapes.json#/paths/~1things~1{thing_id}~1labels/put: operation things/set-labels cannot be generated: request body multipart/form-data is not supported (JSON, text or bytes only)",
    },
    {
      reason: "a form-encoded request body, even of a binary-looking schema",
      edit: (doc: typeof shapes) => {
        doc.paths["/things/{thing_id}/labels"]!.put!.requestBody = {
          content: { "application/x-www-form-urlencoded": { schema: { type: "string", format: "binary" } } },
        };
      },
      want: "operation things/set-labels cannot be generated: request body application/x-www-form-urlencoded is not supported (JSON, text or bytes only)",
    },
    {
      reason: "two servers of its own",
      edit: (doc: typeof shapes) => {
        doc.paths["/widgets"]!.get!.servers = [{ url: "https://uploads.github.com" }, { url: "https://example.com" }];
      },
      want: "operation widgets/list cannot be generated: its own servers (https://uploads.github.com, https://example.com) are not one absolute http(s) URL without variables",
    },
    {
      reason: "a server with variables (GitHub Enterprise Server's description)",
      edit: (doc: typeof shapes) => {
        doc.paths["/widgets"]!.get!.servers = [{ url: "{protocol}://{hostname}/api/uploads" }];
      },
      want: "operation widgets/list cannot be generated: its own servers ({protocol}://{hostname}/api/uploads) are not one absolute http(s) URL without variables",
    },
    {
      reason: "a path item's relative server",
      edit: (doc: typeof shapes) => {
        (doc.paths["/widgets"] as Record<string, unknown>).servers = [{ url: "/uploads" }];
      },
      want: "operation widgets/list cannot be generated: its own servers (/uploads) are not one absolute http(s) URL without variables",
    },
    {
      reason: "a parameter named data beside a body under data",
      edit: (doc: typeof shapes) => {
        (doc.paths["/things/{thing_id}/labels"]!.put!.parameters as unknown[]).push({
          name: "data",
          in: "query",
          schema: { type: "string" },
        });
      },
      want: 'operation things/set-labels cannot be generated: a parameter is named "data", the name of its body',
    },
  ])("refuses an operation with $reason, naming it: never a method that drops input", ({ edit, want }) => {
    expect(refused(edit)).toThrow(want);
  });
});

describe("operationsOf: skipUnsupported", () => {
  it("leaves out a refused operation with its one line, and keeps the rest", () => {
    const shapes = JSON.parse(
      readFileSync(join(import.meta.dirname, "fixtures", "shapes", "openapi.json"), "utf8"),
    ) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    shapes.paths["/widgets"]!.get!.servers = [{ url: "{protocol}://{hostname}/api/v3" }];
    const lines: string[] = [];
    const rows = operationsOf(shapes, "shapes.json", { skipUnsupported: (line) => lines.push(line) });
    expect(lines).toEqual([
      "shapes.json#/paths/~1widgets/get: operation widgets/list cannot be generated: its own servers ({protocol}://{hostname}/api/v3) are not one absolute http(s) URL without variables",
    ]);
    // One category is left: bare names again.
    expect(rows.map((row) => row.name)).toContain("list");
    expect(rows).toHaveLength(10);
  });
});
