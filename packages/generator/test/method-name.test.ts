import { describe, expect, it } from "vitest";
import { methodNameOf } from "../src/method-name.js";
import { operationsOf } from "../src/operations.js";

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
    const document = {
      paths: {
        "/a": { get: { operationId: "codespaces/list-machines", responses: {} } },
        "/b": { get: { operationId: "codespaces/list_machines", responses: {} } },
      },
    };
    expect(() => operationsOf(document, "spec/generated/x/openapi.json")).toThrow(
      "spec/generated/x/openapi.json: operationIds codespaces/list-machines and codespaces/list_machines both become method listMachines",
    );
  });

  it("the same action in two categories collides too (the category is dropped)", () => {
    const document = {
      paths: {
        "/a": { get: { operationId: "codespaces/get", responses: {} } },
        "/b": { get: { operationId: "repos/get", responses: {} } },
      },
    };
    expect(() => operationsOf(document, "x.json")).toThrow(/both become method get/);
  });
});

describe("method names that collide with the client's own members", () => {
  it.each(["codespaces/constructor", "codespaces/use", "x/to-string", "codespaces/eject"])(
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
