/**
 * One case per row of the rules table (src/diff/rules.ts), each mutating a copy of a real slice. Over 300 lines
 * on purpose: the cases are the table's specification, and splitting them would hide a missing row.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffDescriptions, RULES, type RuleId } from "../../src/index.js";
import { fixtureSlice } from "../helpers.js";

/** The tests' 2026-03-10 slice (built from the fixture): every case mutates a copy of a real description. */
const base = JSON.parse(readFileSync(fixtureSlice("2026-03-10"), "utf8")) as Doc;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures poke at arbitrary OpenAPI nodes
const R = "/repos/{owner}/{repo}/codespaces/machines";
const U = "/user/codespaces/{codespace_name}/machines";
const repoOp = (d: Doc) => d.paths[R].get;
const userOp = (d: Doc) => d.paths[U].get;
const machine = (d: Doc) => d.components.schemas["codespace-machine"];
const param = (d: Doc, name: string) => repoOp(d).parameters.find((p: Doc) => p.name === name);
/** A POST with a request body on the repository path, so request-side rules have something to bite. */
const withBody = (d: Doc, required = false) => {
  d.paths[R].post = {
    operationId: "codespaces/create-machine",
    requestBody: {
      required,
      content: {
        "application/json": {
          schema: {
            type: "object",
            required: ["name"],
            properties: { name: { type: "string", maxLength: 40 }, size: { type: "string", enum: ["small", "large"] } },
          },
        },
      },
    },
    responses: { "201": { description: "Created" } },
  };
  return d;
};
const body = (d: Doc) => d.paths[R].post.requestBody.content["application/json"].schema;
/**
 * GitHub's `PUT /user/codespaces/secrets/{secret_name}` (codespaces/create-or-update-secret-for-authenticated-user),
 * whose `selected_repository_ids` items went from `string` to `anyOf [integer, string]` in GitHub's history.
 */
const S = "/user/codespaces/secrets/{secret_name}";
const withSecret = (d: Doc, items: Doc) => {
  d.paths[S] = {
    put: {
      operationId: "codespaces/create-or-update-secret-for-authenticated-user",
      parameters: [{ name: "secret_name", in: "path", required: true, schema: { type: "string" } }],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["key_id"],
              properties: {
                encrypted_value: { type: "string" },
                key_id: { type: "string" },
                selected_repository_ids: { type: "array", items },
              },
            },
          },
        },
      },
      responses: { "204": { description: "Response after successfully updating a secret" } },
    },
  };
  return d;
};
/** Makes a schema a union, keeping its documentation (so only the union change shows). */
const toUnion = (schema: Doc, union: Doc) => {
  delete schema.type;
  Object.assign(schema, union);
};
const STRING = { type: "string" };
const INTEGER_OR_STRING = { anyOf: [{ type: "integer" }, { type: "string" }] };
const twice = (rule: RuleId): RuleId[] => [rule, rule]; // a shared component: once per operation using it

interface Case {
  readonly given: string;
  readonly before?: (d: Doc) => void;
  readonly after: (d: Doc) => void;
  readonly want: readonly RuleId[];
}

/* prettier-ignore */
const cases: readonly Case[] = [
  { given: "an operation removed", after: (d) => delete d.paths[U], want: ["operation-removed"] },
  {
    given: "a new operation",
    after: (d) => (d.paths["/new"] = { post: { operationId: "x/new", responses: { "204": { description: "ok" } } } }),
    want: ["operation-added"],
  },
  {
    given: "a new operationId",
    after: (d) => (repoOp(d).operationId = "codespaces/renamed"),
    want: ["operation-id-changed"],
  },
  { given: "an operation deprecated", after: (d) => (repoOp(d).deprecated = true), want: ["operation-deprecated"] },
  {
    given: "a response status removed",
    after: (d) => delete repoOp(d).responses["500"],
    want: ["response-status-removed"],
  },
  {
    given: "a new response status",
    after: (d) => (repoOp(d).responses["429"] = { description: "Too many requests" }),
    want: ["response-status-added"],
  },
  {
    given: "a response media type removed",
    after: (d) => delete userOp(d).responses["200"].content["application/json"],
    want: ["media-type-removed"],
  },
  {
    given: "a new response media type",
    after: (d) => (repoOp(d).responses["200"].content["application/vnd.github+json"] = { schema: { type: "object" } }),
    want: ["media-type-added"],
  },
  {
    given: "a response header removed",
    before: (d) => (repoOp(d).responses["200"].headers = { Link: { schema: { type: "string" } } }),
    after: () => undefined,
    want: ["response-header-removed"],
  },
  {
    given: "a new response header",
    after: (d) => (repoOp(d).responses["200"].headers = { Link: { schema: { type: "string" } } }),
    want: ["response-header-added"],
  },
  {
    given: "a response property removed (shared component)",
    after: (d) => {
      delete machine(d).properties.display_name;
      machine(d).required = machine(d).required.filter((r: string) => r !== "display_name");
    },
    want: twice("response-property-removed"),
  },
  {
    given: "a response property renamed",
    after: (d) => {
      const m = machine(d);
      m.properties = Object.fromEntries(
        Object.entries(m.properties).map(([k, v]) => [k === "display_name" ? "label" : k, v]),
      );
      m.required = m.required.map((r: string) => (r === "display_name" ? "label" : r));
    },
    want: twice("response-property-renamed"),
  },
  {
    given: "a response property no longer required",
    after: (d) => (machine(d).required = machine(d).required.filter((r: string) => r !== "cpus")),
    want: twice("response-property-no-longer-required"),
  },
  {
    given: "a response property made required",
    before: (d) => (machine(d).required = machine(d).required.filter((r: string) => r !== "cpus")),
    after: () => undefined,
    want: twice("response-property-made-required"),
  },
  {
    given: "a new response property",
    after: (d) => (machine(d).properties.gpus = { type: "integer" }),
    want: twice("response-property-added"),
  },
  {
    given: "a response value made nullable",
    after: (d) => (machine(d).properties.cpus.nullable = true),
    want: twice("response-nullable-added"),
  },
  {
    given: "a response value no longer nullable",
    after: (d) => delete machine(d).properties.prebuild_availability.nullable,
    want: twice("response-nullable-removed"),
  },
  {
    given: "a new response enum value",
    after: (d) => machine(d).properties.prebuild_availability.enum.push("failed"),
    want: twice("response-enum-value-added"),
  },
  {
    given: "a response enum value removed",
    after: (d) => (machine(d).properties.prebuild_availability.enum = ["none", "ready"]),
    want: twice("response-enum-value-removed"),
  },
  {
    given: "a response constraint added",
    after: (d) => (machine(d).properties.name.maxLength = 64),
    want: twice("response-constraint-changed"),
  },
  {
    given: "a parameter removed",
    after: (d) => (repoOp(d).parameters = repoOp(d).parameters.filter((p: Doc) => p.name !== "client_ip")),
    want: ["parameter-removed"],
  },
  {
    given: "a parameter renamed",
    after: (d) => (param(d, "client_ip").name = "client_address"),
    want: ["parameter-renamed"],
  },
  {
    given: "a new required parameter",
    after: (d) => repoOp(d).parameters.push({ name: "sku", in: "query", required: true, schema: { type: "string" } }),
    want: ["parameter-added-required"],
  },
  {
    given: "a new optional query parameter",
    after: (d) => repoOp(d).parameters.push({ name: "sku", in: "query", schema: { type: "string" } }),
    want: ["parameter-added-optional"],
  },
  {
    given: "a parameter made required",
    after: (d) => (param(d, "location").required = true),
    want: ["parameter-made-required"],
  },
  {
    given: "a parameter made optional",
    before: (d) => (param(d, "location").required = true),
    after: () => undefined,
    want: ["parameter-made-optional"],
  },
  {
    given: "the request body removed",
    before: (d) => withBody(d),
    after: (d) => delete withBody(d).paths[R].post.requestBody,
    want: ["request-body-removed"],
  },
  {
    given: "a new required request body",
    before: (d) => delete withBody(d).paths[R].post.requestBody,
    after: (d) => withBody(d, true),
    want: ["request-body-added-required"],
  },
  {
    given: "a new optional request body",
    before: (d) => delete withBody(d).paths[R].post.requestBody,
    after: (d) => withBody(d),
    want: ["request-body-added-optional"],
  },
  {
    given: "the request body made required",
    before: (d) => withBody(d),
    after: (d) => withBody(d, true),
    want: ["request-body-made-required"],
  },
  {
    given: "the request body made optional",
    before: (d) => withBody(d, true),
    after: (d) => withBody(d),
    want: ["request-body-made-optional"],
  },
  {
    given: "a request property removed",
    before: (d) => withBody(d),
    after: (d) => delete body(withBody(d)).properties.size,
    want: ["request-property-removed"],
  },
  {
    given: "a request property renamed",
    before: (d) => withBody(d),
    after: (d) => {
      const s = body(withBody(d));
      s.properties = { title: s.properties.name, size: s.properties.size };
      s.required = ["title"];
    },
    want: ["request-property-renamed"],
  },
  {
    given: "a new required request property",
    before: (d) => withBody(d),
    after: (d) => {
      const s = body(withBody(d));
      s.properties.tag = { type: "string" };
      s.required.push("tag");
    },
    want: ["request-property-added-required"],
  },
  {
    given: "a new optional request property",
    before: (d) => withBody(d),
    after: (d) => (body(withBody(d)).properties.tag = { type: "string" }),
    want: ["request-property-added-optional"],
  },
  {
    given: "a request property made required",
    before: (d) => withBody(d),
    after: (d) => body(withBody(d)).required.push("size"),
    want: ["request-property-made-required"],
  },
  {
    given: "a request property made optional",
    before: (d) => withBody(d),
    after: (d) => (body(withBody(d)).required = []),
    want: ["request-property-made-optional"],
  },
  {
    given: "a request enum value removed",
    before: (d) => withBody(d),
    after: (d) => (body(withBody(d)).properties.size.enum = ["small"]),
    want: ["request-enum-value-removed"],
  },
  {
    given: "a new request enum value",
    before: (d) => withBody(d),
    after: (d) => body(withBody(d)).properties.size.enum.push("medium"),
    want: ["request-enum-value-added"],
  },
  {
    given: "a request constraint tightened",
    before: (d) => withBody(d),
    after: (d) => (body(withBody(d)).properties.name.maxLength = 20),
    want: ["request-constraint-tightened"],
  },
  {
    given: "a request constraint loosened",
    before: (d) => withBody(d),
    after: (d) => (body(withBody(d)).properties.name.maxLength = 80),
    want: ["request-constraint-loosened"],
  },
  // Unions, request side: accepting more is additive, accepting less breaks callers.
  {
    given:
      "request body items string → anyOf [integer, string] (PUT /user/codespaces/secrets/{secret_name} selected_repository_ids)",
    before: (d) => withSecret(d, STRING),
    after: (d) => withSecret(d, INTEGER_OR_STRING),
    want: ["request-union-widened"],
  },
  {
    given: "request body items anyOf [integer, string] → string",
    before: (d) => withSecret(d, INTEGER_OR_STRING),
    after: (d) => withSecret(d, STRING),
    want: ["request-union-narrowed"],
  },
  {
    given: "a request anyOf gains an alternative",
    before: (d) => withSecret(d, INTEGER_OR_STRING),
    after: (d) => withSecret(d, { anyOf: [{ type: "integer" }, { type: "string" }, { type: "boolean" }] }),
    want: ["request-union-widened"],
  },
  {
    given: "a request query parameter string → oneOf [string, integer]",
    after: (d) => toUnion(param(d, "ref").schema, { oneOf: [{ type: "string" }, { type: "integer" }] }),
    want: ["request-union-widened"],
  },
  // Unions, response side: a new alternative breaks readers' handling, fewer alternatives still fit the old type.
  {
    given: "a response property string → anyOf [integer, string]",
    after: (d) => toUnion(machine(d).properties.name, INTEGER_OR_STRING),
    want: twice("response-union-widened"),
  },
  {
    given: "a response property anyOf [integer, string] → string",
    before: (d) => (machine(d).properties.name = { ...INTEGER_OR_STRING }),
    after: (d) => (machine(d).properties.name = { ...STRING }),
    want: twice("response-union-narrowed"),
  },
  {
    given: "a response oneOf loses an alternative",
    before: (d) => (machine(d).properties.cpus = { oneOf: [{ type: "integer" }, { type: "string" }] }),
    after: (d) => (machine(d).properties.cpus = { oneOf: [{ type: "integer" }] }),
    want: twice("response-union-narrowed"),
  },
  { given: "a type changed", after: (d) => (machine(d).properties.cpus.type = "number"), want: twice("type-changed") },
  {
    given: "a default changed",
    after: (d) => (param(d, "location").schema.default = "WestUs2"),
    want: ["default-changed"],
  },
  { given: "security requirements changed", after: (d) => (repoOp(d).security = [{}]), want: ["other-changed"] },
  {
    given: "a named example's value changed (#/components/examples/codespace-machines-list)",
    after: (d) => (d.components.examples["codespace-machines-list"].value.total_count = 3),
    want: twice("documentation-changed"),
  },
  {
    given: "a description changed",
    after: (d) => (machine(d).properties.name.description = "The machine's name."),
    want: twice("documentation-changed"),
  },
];

const run = (c: Pick<Case, "before" | "after">, settings?: Parameters<typeof diffDescriptions>[2]) => {
  const before = structuredClone(base);
  c.before?.(before);
  const after = structuredClone(base);
  c.after(after);
  return diffDescriptions(before, after, settings);
};

describe("classification rules (src/diff/rules.ts)", () => {
  it.each(cases)("$given → $want.0", (c) => {
    const result = run(c);
    expect(result.changes.map((ch) => ch.rule)).toEqual(c.want);
    expect(result.bump).toBe(result.changes[0]!.bump);
  });

  it("has a case for every rule in the table", () => {
    expect(new Set(cases.flatMap((c) => c.want))).toEqual(new Set(Object.keys(RULES)));
  });

  it("finds nothing in identical descriptions", () => {
    expect(run({ after: () => undefined })).toEqual({
      changes: [],
      bump: undefined,
      counts: { major: 0, minor: 0, patch: 0 },
    });
  });

  it("attributes a change in a shared component to every operation using it, with the component's pointer", () => {
    const { changes } = run({ after: (d) => delete machine(d).properties.display_name });
    expect(changes.map((c) => [c.operation?.operationId, c.pointer, c.at])).toEqual([
      [
        "codespaces/repo-machines-for-authenticated-user",
        "#/components/schemas/codespace-machine/properties/display_name",
        "response 200 application/json: machines[].display_name",
      ],
      [
        "codespaces/codespace-machines-for-authenticated-user",
        "#/components/schemas/codespace-machine/properties/display_name",
        "response 200 application/json: machines[].display_name",
      ],
    ]);
  });

  it("reports a named example's change with the example's pointer, for every operation showing it", () => {
    const { changes, bump } = run({
      after: (d) => d.components.examples["codespace-machines-list"].value.machines.pop(),
    });
    expect(bump).toBe("patch");
    expect(changes.map((c) => [c.operation?.operationId, c.at, c.pointer, c.detail])).toEqual(
      ["codespaces/repo-machines-for-authenticated-user", "codespaces/codespace-machines-for-authenticated-user"].map(
        (id) => [
          id,
          "response 200 application/json example default",
          "#/components/examples/codespace-machines-list/value",
          "example default value changed",
        ],
      ),
    );
  });

  it("reports an inline change with its pointer inside the operation", () => {
    const { changes } = run({
      after: (d) => repoOp(d).parameters.push({ name: "sku", in: "query", schema: { type: "string" } }),
    });
    expect(changes[0]).toMatchObject({
      rule: "parameter-added-optional",
      bump: "minor",
      at: "query parameter sku",
      pointer: "#/paths/~1repos~1{owner}~1{repo}~1codespaces~1machines/get/parameters/5",
    });
  });

  it("reports a union change with what was added or removed and the union's pointer", () => {
    const { changes } = run({ before: (d) => withSecret(d, STRING), after: (d) => withSecret(d, INTEGER_OR_STRING) });
    expect(changes).toEqual([
      expect.objectContaining({
        rule: "request-union-widened",
        bump: "minor",
        at: "request body application/json: selected_repository_ids[]",
        pointer:
          "#/paths/~1user~1codespaces~1secrets~1{secret_name}/put/requestBody/content/application~1json/schema/properties/selected_repository_ids/items/anyOf",
        detail: 'accepts integer too ("string" → anyOf[2])',
      }),
    ]);
  });

  it("still reports a documentation change inside an alternative kept across a union change", () => {
    const items = (description: string, extra: Doc[] = []) => ({
      anyOf: [{ type: "integer", description }, { type: "string" }, ...extra],
    });
    const result = run({
      before: (d) => withSecret(d, items("a")),
      after: (d) => withSecret(d, items("b", [{ type: "boolean" }])),
    });
    expect(result.changes.map((c) => c.rule).sort()).toEqual(["documentation-changed", "request-union-widened"]);
  });

  it("makes a new response enum value major when semver.responseEnumAddition says so", () => {
    const result = run(
      { after: (d) => machine(d).properties.prebuild_availability.enum.push("failed") },
      { responseEnumAddition: "major" },
    );
    expect(result.bump).toBe("major");
  });

  it("terminates on recursive schemas", () => {
    const tree = (d: Doc, description: string) => {
      d.components.schemas.node = {
        type: "object",
        description,
        properties: { children: { type: "array", items: { $ref: "#/components/schemas/node" } } },
      };
      machine(d).properties.tree = { $ref: "#/components/schemas/node" };
    };
    const result = run({ before: (d) => tree(d, "a"), after: (d) => tree(d, "b") });
    expect(result.changes.map((c) => c.rule)).toEqual(twice("documentation-changed"));
  });

  it("takes the largest bump of all changes", () => {
    const result = run({
      after: (d) => {
        machine(d).properties.gpus = { type: "integer" };
        delete repoOp(d).responses["500"];
        machine(d).description = "x";
      },
    });
    expect(result.counts).toEqual({ major: 1, minor: 2, patch: 2 });
    expect(result.bump).toBe("major");
  });
});
