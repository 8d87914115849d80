import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffDescriptions, specUpdateChangeset } from "@codespaces-clients/spec";
import { describe, expect, it } from "vitest";
import { bumpsBySubject, parseChangeset } from "../src/changesets.js";
import { consumerSource } from "../src/consumer-source.js";
import { loadReplayDefects, narrowDefects } from "../src/replay-repo.js";
import { bumpVersion, loadExpectedBumps, type Bump } from "../src/expected-bumps.js";

const here = fileURLToPath(new URL("..", import.meta.url));

/** A two-operation description: enough for every shape the consumer reads. */
function description(mutate: (doc: any) => void = () => {}): Record<string, unknown> {
  const doc: any = {
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/repos/{owner}/things": {
        get: {
          operationId: "things/list-things",
          parameters: [
            { $ref: "#/components/parameters/owner" },
            { name: "ref", in: "query", schema: { type: "string", example: "main" } },
            { name: "per_page", in: "query", schema: { type: "integer" } },
            { name: "state", in: "query", schema: { type: "string", enum: ["open", "closed"] } },
          ],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/list" } } },
            },
          },
        },
      },
      "/ping": { delete: { operationId: "things/ping", responses: { "204": { description: "gone" } } } },
    },
    components: {
      parameters: { owner: { name: "owner", in: "path", required: true, schema: { type: "string" } } },
      schemas: {
        list: {
          type: "object",
          required: ["total", "things"],
          properties: {
            total: { type: "integer" },
            things: { type: "array", items: { $ref: "#/components/schemas/thing" } },
          },
        },
        thing: {
          type: "object",
          required: ["id", "license"],
          properties: {
            id: { type: "integer" },
            "full-name": { type: "string" },
            status: { type: "string", enum: ["a", "b"], nullable: true },
            license: { type: "object", nullable: true, properties: { url: { type: "string" } } },
            parent: { $ref: "#/components/schemas/thing" },
            either: { oneOf: [{ type: "string" }, { type: "integer" }] },
          },
        },
      },
    },
  };
  mutate(doc);
  return doc;
}

describe("consumerSource: the code a consumer writes against one version", () => {
  const source = consumerSource(description(), {
    packageName: "@scope/client",
    methodNames: { "things/list-things": "listThings", "things/ping": "ping" },
  });

  it.each([
    ["imports the client by package name", 'import { createClient } from "@scope/client";'],
    [
      "passes every path and query parameter with a value of its type (enums: the first value)",
      'const r0 = await gh.listThings({ owner: "owner-sample", ref: "main", per_page: 1, state: "open" });',
    ],
    ["reads required properties as their type", "read<number>(r0.total);"],
    ["reads array items through [0]", "read<number>(r0.things[0].id);"],
    [
      "quotes names that are not identifiers; optional means | undefined",
      'read<string | undefined>(r0.things[0]["full-name"]);',
    ],
    ["reads an enum as its base type, nullable as | null", "read<string | null | undefined>(r0.things[0].status);"],
    ["reads through a nullable object with ?.", "read<string | undefined>(r0.things[0].license?.url);"],
    [
      "calls an operation without parameters with no argument, and reads nothing of a 204",
      "const r1 = await gh.ping();\n  void r1;",
    ],
  ])("%s", (_name, want) => {
    expect(source).toContain(want);
  });

  it("stops at a $ref cycle and does not read into oneOf", () => {
    expect(source).not.toContain("parent.parent");
    expect(source).not.toContain("either");
  });

  describe("a JSON request body", () => {
    const withBody = (body: unknown) =>
      description((doc) => {
        doc.paths["/repos/{owner}/things"].put = {
          operationId: "things/set-thing",
          parameters: [{ $ref: "#/components/parameters/owner" }],
          requestBody: body,
          responses: { "204": { description: "set" } },
        };
        doc.components.requestBodies = {
          thing: { content: { "application/json": { schema: { $ref: "#/components/schemas/thing-input" } } } },
        };
        doc.components.schemas["thing-input"] = {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string" },
            ids: { type: "array", items: { type: "integer" } },
            "dry-run": { type: "boolean" },
          },
        };
      });
    const methodNames = { "things/list-things": "listThings", "things/ping": "ping", "things/set-thing": "setThing" };

    it("spells out every body property next to the parameters, arrays with one element of the item type", () => {
      expect(
        consumerSource(withBody({ $ref: "#/components/requestBodies/thing" }), { packageName: "c", methodNames }),
      ).toContain(
        'const r1 = await gh.setThing({ owner: "owner-sample", name: "name-sample", ids: [1], "dry-run": true });',
      );
    });

    it("names the operation whose body it cannot spell out as properties", () => {
      const arrayBody = { content: { "application/json": { schema: { type: "array", items: { type: "string" } } } } };
      expect(() => consumerSource(withBody(arrayBody), { packageName: "c", methodNames })).toThrow(
        "things/set-thing: the consumer can only spell out a JSON request body that is an object with properties",
      );
    });

    it("refuses a body property named like a parameter", () => {
      const clash = {
        content: { "application/json": { schema: { type: "object", properties: { owner: { type: "string" } } } } },
      };
      expect(() => consumerSource(withBody(clash), { packageName: "c", methodNames })).toThrow(
        "things/set-thing: the body property owner has the name of a parameter",
      );
    });
  });

  it("names the operation the package has no method for", () => {
    expect(() => consumerSource(description(), { packageName: "@scope/client", methodNames: {} })).toThrow(
      "@scope/client has no method for things/list-things (GET /repos/{owner}/things)",
    );
  });
});

describe("parseChangeset reads what `pnpm spec update` writes", () => {
  const old = description();
  const next = description((doc) => {
    doc.info.version = "2";
    doc.paths["/repos/{owner}/things"].get.parameters.push({ name: "sort", in: "query", schema: { type: "string" } });
    doc.components.schemas.thing.properties.license.properties.url.nullable = true;
  });
  const text = specUpdateChangeset("@scope/client", "2022-11-28", "from `mirror`", diffDescriptions(old, next));
  const parsed = parseChangeset(text, "x.md");

  it("the package and its bump from the front matter", () => {
    expect(parsed.releases).toEqual({ "@scope/client": "major" });
  });

  it("the largest bump per operationId, and `document` for the info block", () => {
    expect(bumpsBySubject(parsed.details)).toEqual({ document: "patch", "things/list-things": "major" });
  });

  it("rejects a file without front matter, naming it", () => {
    expect(() => parseChangeset("no fences", ".changeset/x.md")).toThrow(".changeset/x.md: no front matter");
  });
});

describe("expected-bumps.json", () => {
  it("is well-formed: known selections, x.y.z pairs in order, one-line reasons, bump = largest change", () => {
    expect(loadExpectedBumps(join(here, "expected-bumps.json")).pairs.length).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["0.1.0", "patch", "0.1.1"],
    ["0.1.1", "minor", "0.2.0"],
    ["0.5.0", "major", "1.0.0"],
    ["1.2.3", "major", "2.0.0"],
  ] as const)("%s + %s = %s (changeset version)", (from, bump: Bump, want) => {
    expect(bumpVersion(from, bump)).toBe(want);
  });
});

describe("narrowDefects: the known defects a replay gate runs with", () => {
  const at = (version: string, operationId: string) => ({ version, operationId, status: "200" });
  const repository = [
    { id: "machines", appliesTo: [at("2022-11-28", "a/machines"), at("2026-03-10", "a/machines")] },
    { id: "gone", appliesTo: [at("2022-11-28", "a/not-selected")] },
  ];
  const replay = loadReplayDefects(join(here, "replay-spec-defects.json"));
  const selected = ["a/machines", ...replay.flatMap((d) => d.appliesTo.map((a) => a.operationId))];

  it("adds the replay's own defects, narrowed to the API version and the selected operations", () => {
    const narrowed = narrowDefects(repository, replay, "2022-11-28", selected);
    expect(narrowed.map((d) => d.id)).toEqual(["machines", ...replay.map((d) => d.id)]);
    expect(narrowed[0]!.appliesTo).toEqual([at("2022-11-28", "a/machines")]);
  });

  it("adds each id once: a file that already holds them (the copy commits it) is not grown", () => {
    const once = narrowDefects(repository, replay, "2022-11-28", selected);
    expect(narrowDefects(once, replay, "2022-11-28", selected)).toEqual(once);
  });

  it("drops what has no target left", () => {
    expect(narrowDefects(repository, replay, "2026-03-10", ["a/machines"]).map((d) => d.id)).toEqual(["machines"]);
  });
});
