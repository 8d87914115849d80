import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkWithCompiler } from "../../src/diff/compile-check.js";
import { usageOf } from "../../src/diff/usage.js";
import { DEFAULT_SEMVER, diffDescriptions, type DiffResult, type SemverSettings } from "../../src/index.js";
import { fixtureSlice } from "../helpers.js";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures poke at arbitrary OpenAPI nodes

/** The tests' 2026-03-10 slice (built from the fixture). */
const base = JSON.parse(readFileSync(fixtureSlice("2026-03-10"), "utf8")) as Doc;
const R = "/repos/{owner}/{repo}/codespaces/machines";
const REPO_OP = "codespaces/repo-machines-for-authenticated-user (GET /repos/{owner}/{repo}/codespaces/machines)";
const USER_OP = "codespaces/codespace-machines-for-authenticated-user (GET /user/codespaces/{codespace_name}/machines)";
const machine = (d: Doc) => d.components.schemas["codespace-machine"];
const param = (d: Doc, name: string) => d.paths[R].get.parameters.find((p: Doc) => p.name === name);
/** A POST with a request body whose `size` is an enum and `ids` items a union. */
const withBody = (d: Doc, size: string[], items: Doc) => {
  d.paths[R].post = {
    operationId: "codespaces/create-machine",
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: {
            type: "object",
            required: ["name"],
            properties: {
              name: { type: "string" },
              size: { type: "string", enum: size },
              ids: { type: "array", items },
            },
          },
        },
      },
    },
    responses: {
      "201": {
        description: "Created",
        content: { "application/json": { schema: { $ref: "#/components/schemas/codespace-machine" } } },
      },
    },
  };
};
const STRING = { type: "string" };
const INTEGER_OR_STRING = { anyOf: [{ type: "integer" }, { type: "string" }] };

interface Case {
  readonly before?: (d: Doc) => void;
  readonly after: (d: Doc) => void;
  readonly settings?: SemverSettings;
  /** Stands in for a rule configured wrongly: the diff's bump is replaced before the check. */
  readonly classifiedAs?: "minor";
  readonly want: "agrees" | "misclassified" | "overridden" | "inconclusive";
  /** Every diagnostic or report line must match one of these, and each of these some line. */
  readonly lines: readonly RegExp[];
}

/* prettier-ignore */
const cases: [string, Case][] = [
  [
    "a description edit (patch): the old usage compiles",
    {
      after: (d) => (machine(d).properties.cpus.description = "Cores."),
      want: "agrees",
      lines: [/^compiler: agrees — patch, and the old usage compiles against the new types$/],
    },
  ],
  [
    "a new optional query parameter (minor): the old usage compiles",
    {
      after: (d) => d.paths[R].get.parameters.push({ name: "sku", in: "query", schema: STRING }),
      want: "agrees",
      lines: [/^compiler: agrees — minor/],
    },
  ],
  [
    "a new response enum value (minor by default): the switch over the old members compiles",
    {
      after: (d) => machine(d).properties.prebuild_availability.enum.push("failed"),
      want: "agrees",
      lines: [/^compiler: agrees — minor/],
    },
  ],
  [
    "a new response enum value with semver.responseEnumAddition major: the exhaustive switch breaks, and major agrees",
    {
      after: (d) => machine(d).properties.prebuild_availability.enum.push("failed"),
      settings: { responseEnumAddition: "major" },
      want: "agrees",
      lines: [
        /^compiler: agrees — major, and the old usage does not compile against the new types \(2 diagnostic\(s\)\)$/,
      ],
    },
  ],
  [
    "a removed response property (major): the reads break, and major agrees",
    {
      after: (d) => {
        delete machine(d).properties.display_name;
        machine(d).required = machine(d).required.filter((r: string) => r !== "display_name");
      },
      want: "agrees",
      lines: [/^compiler: agrees — major/],
    },
  ],
  [
    "request items string → anyOf [integer, string] (minor): the old usage compiles",
    {
      before: (d) => withBody(d, ["small"], STRING),
      after: (d) => withBody(d, ["small"], INTEGER_OR_STRING),
      want: "agrees",
      lines: [/^compiler: agrees — minor/],
    },
  ],
  [
    "request items anyOf [integer, string] → string (major): sending an integer breaks",
    {
      before: (d) => withBody(d, ["small"], INTEGER_OR_STRING),
      after: (d) => withBody(d, ["small"], STRING),
      want: "agrees",
      lines: [/^compiler: agrees — major/],
    },
  ],
  [
    "a request enum value removed (major): sending it breaks",
    {
      before: (d) => withBody(d, ["small", "large"], STRING),
      after: (d) => withBody(d, ["small"], STRING),
      want: "agrees",
      lines: [/^compiler: agrees — major/],
    },
  ],
  [
    "a removed response property classified minor by a wrongly configured rule: caught, each diagnostic naming operation and pointer",
    {
      after: (d) => {
        delete machine(d).properties.display_name;
        machine(d).required = machine(d).required.filter((r: string) => r !== "display_name");
      },
      classifiedAs: "minor",
      want: "misclassified",
      lines: [
        /^compiler: DISAGREES — classified minor, but the old usage does not compile against the new types \(2 diagnostic\(s\)\)$/,
        ...[REPO_OP, USER_OP].map(
          (op) =>
            new RegExp(
              `^${escapeRegExp(op)} #/components/schemas/codespace-machine/properties/display_name: TS2339 Property 'display_name' does not exist on type`,
            ),
        ),
      ],
    },
  ],
  [
    "a default removed from an optional response property (the table says minor): caught, the property became optional in the types",
    {
      before: (d) => (machine(d).properties.gpus = { type: "integer", default: 0 }),
      after: (d) => (machine(d).properties.gpus = { type: "integer" }),
      want: "misclassified",
      lines: [
        /^compiler: DISAGREES — classified minor/,
        ...[REPO_OP, USER_OP].map(
          (op) =>
            new RegExp(
              `^${escapeRegExp(op)} #/components/schemas/codespace-machine/properties/gpus: TS2322 Type 'number \\| undefined' is not assignable to type 'number'`,
            ),
        ),
      ],
    },
  ],
  [
    "a parameter made required (major): the old usage passes it and compiles, so the report names the rule and why",
    {
      after: (d) => (param(d, "ref").required = true),
      want: "overridden",
      lines: [
        /^compiler: major by rule parameter-made-required although the old usage compiles: the usage passes every parameter, so it compiles; a caller that omits this one no longer does$/,
      ],
    },
  ],
  [
    "an old slice openapi-typescript cannot read (hand-broken): inconclusive, nothing decided",
    {
      before: (d) => delete d.openapi,
      after: () => undefined,
      want: "inconclusive",
      lines: [/^compiler: inconclusive — openapi-typescript cannot read a slice: /],
    },
  ],
  [
    "an old description our usage cannot express: inconclusive, nothing decided",
    {
      before: (d) => d.paths[R].get.parameters.push({ name: "x", in: "querystring", schema: STRING }),
      after: (d) => d.paths[R].get.parameters.push({ name: "x", in: "querystring", schema: STRING }),
      want: "inconclusive",
      lines: [
        /^compiler: inconclusive — the usage does not compile against the old types itself \(.*TS2353/,
        /TS2353 Object literal may only specify known properties, and '"querystring"' does not exist/,
      ],
    },
  ],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the compiler checks the classified bump (src/diff/compile-check.ts)", () => {
  it.each(cases)("%s", async (_name, c) => {
    const before = structuredClone(base);
    c.before?.(before);
    const after = structuredClone(base);
    c.after(after);
    const settings = c.settings ?? DEFAULT_SEMVER;
    const diff = diffDescriptions(before, after, settings);
    const classified: DiffResult = c.classifiedAs
      ? { ...diff, bump: c.classifiedAs, changes: diff.changes.map((ch) => ({ ...ch, bump: c.classifiedAs! })) }
      : diff;
    const verdict = await checkWithCompiler(before, after, classified, settings);
    expect(verdict.outcome).toBe(c.want);
    const lines = [...verdict.report, ...verdict.diagnostics];
    for (const want of c.lines) expect(lines, String(want)).toContainEqual(expect.stringMatching(want));
    if (c.want === "misclassified")
      expect(verdict.diagnostics.every((d) => d.startsWith(`${REPO_OP} #/`) || d.startsWith(`${USER_OP} #/`))).toBe(
        true,
      );
  });
});

describe("the usage file (src/diff/usage.ts)", () => {
  const usage = usageOf(base, DEFAULT_SEMVER);

  const present: [string, RegExp][] = [
    [
      "calls each operation with every parameter",
      /"query": \{\n {6}"location": "x",\n {6}"client_ip": "x",\n {6}"ref": "x",\n {4}\},/,
    ],
    [
      "reads every response property against its old type",
      /const read\d+: NonNullable<NonNullable<NonNullable<Old\d+>\["machines"\]>\[number\]>\["display_name"\] = value<NonNullable<NonNullable<NonNullable<New\d+>\["machines"\]>\[number\]>\["display_name"\]>\(\);/,
    ],
    [
      "matches every enum member in a switch",
      /switch \(v\d+\) \{\n {4}case "none":\n {4}case "ready":\n {4}case "in_progress":\n {4}case null:\n {6}break;\n {2}\}/,
    ],
  ];
  it.each(present)("%s", (_name, want) => expect(usage.text).toMatch(want));

  it("is exhaustive over response enums only when semver.responseEnumAddition is major", () => {
    expect(usage.text).not.toContain("const unhandled: never");
    expect(usageOf(base, { responseEnumAddition: "major" }).text).toContain("const unhandled: never");
  });

  it("says for every line of an operation which operation and pointer it is about", () => {
    const lines = usage.text.split("\n");
    const display = lines.findIndex((l) => l.includes(`["display_name"] = value`));
    expect(usage.about[display]).toBe(`${REPO_OP} #/components/schemas/codespace-machine/properties/display_name`);
    const location = lines.findIndex((l) => l.includes(`"location": "x"`));
    expect(usage.about[location]).toBe(
      `${REPO_OP} #/paths/~1repos~1{owner}~1{repo}~1codespaces~1machines/get/parameters/2`,
    );
  });
});
