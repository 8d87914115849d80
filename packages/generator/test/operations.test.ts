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
