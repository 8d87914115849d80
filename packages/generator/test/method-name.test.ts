import { describe, expect, it } from "vitest";
import { methodNameOf } from "../src/method-name.js";
import { operationsOf } from "../src/operations.js";

/** A slice whose operations (GETs without answers) have these operationIds. */
const documentOf = (...operationIds: string[]) => ({
  paths: Object.fromEntries(operationIds.map((operationId, i) => [`/${i}`, { get: { operationId, responses: {} } }])),
});

describe("methodNameOf", () => {
  it.each([
    { given: "codespaces/repo-machines-for-authenticated-user", want: "repoMachinesForAuthenticatedUser" },
    { given: "codespaces/codespace-machines-for-authenticated-user", want: "codespaceMachinesForAuthenticatedUser" },
    { given: "repos/get", want: "get" },
    { given: "no-category-here", want: "noCategoryHere" },
    { given: "apps/list-installations-for-authenticated-user", want: "listInstallationsForAuthenticatedUser" },
    { given: "actions/re-run-job-for-workflow-run", want: "reRunJobForWorkflowRun" },
    { given: "orgs/List_Members", want: "listMembers" },
    { given: "meta/2fa-status", want: "_2faStatus" },
    { given: "a/b/c-d", want: "bCD" },
  ])("turns $given into $want", ({ given, want }) => {
    expect(methodNameOf(given)).toBe(want);
  });

  it.each(["", "codespaces/", "codespaces/---"])("refuses %j: nothing to name the method after", (given) => {
    expect(() => methodNameOf(given)).toThrow(/has no usable name/);
  });

  it("two operationIds that become the same method name are an error naming both", () => {
    const document = documentOf("codespaces/list-machines", "codespaces/list_machines");
    expect(() => operationsOf(document, "spec/generated/x/openapi.json")).toThrow(
      "spec/generated/x/openapi.json: operationIds codespaces/list-machines and codespaces/list_machines both become method listMachines",
    );
  });

  it("a slice over several categories namespaces every method by its category, so the same action does not collide", () => {
    const document = documentOf("codespaces/get", "repos/get", "dependency-graph/diff-range");
    expect(operationsOf(document, "x.json").map((row) => row.name)).toEqual([
      "codespaces.get",
      "repos.get",
      "dependencyGraph.diffRange",
    ]);
  });

  it("a slice of one category keeps bare names (the machines packages' names)", () => {
    const document = documentOf("codespaces/get", "codespaces/list");
    expect(operationsOf(document, "x.json").map((row) => row.name)).toEqual(["get", "list"]);
  });

  it("two operations of one category that become the same name collide inside their namespace too", () => {
    const document = documentOf("codespaces/list-machines", "codespaces/list_machines", "repos/get");
    expect(() => operationsOf(document, "x.json")).toThrow(
      "x.json: operationIds codespaces/list-machines and codespaces/list_machines both become method codespaces.listMachines",
    );
  });

  it("a category whose namespace would shadow a client member is refused, naming the operation", () => {
    const document = documentOf("use/get", "repos/get");
    expect(() => operationsOf(document, "x.json")).toThrow(
      "x.json: operationId use/get becomes namespace use, which collides with the client's own use; rename the operationId",
    );
  });
});

describe("method names that collide with the client's own members", () => {
  it.each(["codespaces/constructor", "codespaces/use", "x/to-string", "codespaces/eject", "codespaces/paginate"])(
    "%s is refused, naming the operation",
    (operationId) => {
      const document = {
        paths: { "/x": { get: { operationId, responses: { 200: { description: "ok" } } } } },
      };
      expect(() => operationsOf(document, "spec/generated/x/openapi.json")).toThrow(
        new RegExp(
          `^.*operationId ${operationId.replace("/", "\\/")} becomes method \\w+, which collides with the client's own \\w+`,
        ),
      );
    },
  );
});
