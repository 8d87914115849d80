/**
 * Property-based tests (fast-check) of extraction and diff on generated documents with hostile keys, deep refs
 * and cycles. Over 300 lines on purpose: the arbitraries and the properties they feed belong together.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  diffDescriptions,
  extractSelection,
  parseDescription,
  parseJsonOrdered,
  resolveLocalRef,
  stringifyOrdered,
} from "../src/index.js";

/**
 * Property-based tests of the extraction on generated documents with hostile keys (`__proto__`,
 * `constructor`, `toString`, `~`, `/`, `%`, integer-like keys out of order, unicode), `$ref`s between
 * components (cycles and chains come for free), `$ref`-looking data in examples (kept as data; a
 * component it names is kept too), and `x-octokit` keys.
 *
 * A document is generated as a tree of entries (so its key order is exactly what was generated), written
 * out as JSON text by the test itself, and also as YAML (flow style, JSON-compatible, on a line after a
 * comment). The test works out the expected slice independently: the components reachable from the
 * selected operations, in source order, everything else verbatim. Then for every document:
 *
 * - the slice is exactly the expected text (verbatim copy, key order included; nothing unreferenced);
 * - every `$ref` in the slice resolves inside the slice (closure), checked on the output alone;
 * - the same input gives the same bytes, and the YAML spelling gives the JSON spelling's bytes;
 * - no prototype changes, and `diff` of the slice with itself finds nothing.
 */

type Node =
  | { readonly t: "obj"; readonly entries: readonly (readonly [string, Node])[] }
  | { readonly t: "arr"; readonly items: readonly Node[] }
  | { readonly t: "val"; readonly v: string | number | boolean | null }
  /** A `$ref` in a schema position: followed by the extractor. */
  | { readonly t: "ref"; readonly name: string };

const obj = (...entries: (readonly [string, Node])[]): Node => ({ t: "obj", entries });
const val = (v: string | number | boolean | null): Node => ({ t: "val", v });

/** JSON pointer escaping (RFC 6901), then `%` for the URI fragment (the extractor decodes it). */
const refOf = (name: string) =>
  `#/components/schemas/${name.replace(/~/g, "~0").replace(/\//g, "~1").replace(/%/g, "%25")}`;

const HOSTILE = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "~",
  "/",
  "%",
  "~1",
  "a/b~c",
  "%41",
  "é",
  "😀",
  "200",
  "404",
  "0",
  "x-y",
  " ",
];
/** Keys: hostile ones, and short arbitrary strings without the extractor's private marker or lone surrogates. */
const keyArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 4, unit: "grapheme" }).filter((s) => !s.includes("\uE000") && s !== "x-octokit"),
  },
);

/** Data (examples): hostile keys, `$ref`-looking objects that must not be followed, `x-octokit` to drop. */
const dataArb = (names: readonly string[]): fc.Arbitrary<Node> =>
  fc.letrec<{ data: Node }>((tie) => ({
    data: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc
        .oneof(
          fc.string({ maxLength: 5 }).filter((s) => !s.includes("\uE000")),
          fc.integer({ min: -1000, max: 1000 }),
          fc.boolean(),
          fc.constant(null),
        )
        .map(val),
      fc.constantFrom(...names).map((n) => obj(["$ref", val(refOf(`not-followed-${n}`))])),
      // Data naming a component (GitHub's `"value": { "$ref": "#/components/examples/issue" }`): its
      // target is kept, because Prism resolves every `$ref` of a document; the data stays as it is.
      fc.constantFrom(...names).map((n) => obj(["$ref", val(refOf(n))])),
      fc
        .uniqueArray(fc.tuple(fc.oneof(keyArb, fc.constant("x-octokit")), tie("data")), {
          maxLength: 4,
          selector: ([k]) => k,
        })
        .map((entries) => ({ t: "obj", entries }) as Node),
      fc.array(tie("data"), { maxLength: 3 }).map((items) => ({ t: "arr", items }) as Node),
    ),
  })).data;

/** Schemas: `$ref`s to any component (cycles included), objects with hostile property names, arrays. */
const schemaArb = (names: readonly string[]): fc.Arbitrary<Node> =>
  fc.letrec<{ schema: Node }>((tie) => ({
    schema: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...names).map((name) => ({ t: "ref", name }) as Node),
      fc
        .tuple(fc.boolean(), fc.option(dataArb(names), { nil: undefined }))
        .map(([octokit, example]) =>
          obj(
            ["type", val("string")],
            ...(octokit ? [["x-octokit", obj(["ref", { t: "ref", name: names[0]! } as Node])] as const] : []),
            ...(example ? [["example", example] as const] : []),
          ),
        ),
      fc
        .uniqueArray(fc.tuple(keyArb, tie("schema")), { maxLength: 4, selector: ([k]) => k })
        .map((properties) => obj(["type", val("object")], ["properties", { t: "obj", entries: properties }])),
      tie("schema").map((items) => obj(["type", val("array")], ["items", items])),
    ),
  })).schema;

interface Generated {
  readonly names: readonly string[];
  readonly document: Node;
  /** Schema roots of the selected operations, and of the operation that is not selected. */
  readonly selected: readonly Node[];
}

const documentArb: fc.Arbitrary<Generated> = fc
  .uniqueArray(keyArb, { minLength: 1, maxLength: 6 })
  .chain((names) =>
    fc.record({
      names: fc.constant(names),
      schemas: fc.tuple(...names.map(() => schemaArb(names))),
      selected: fc.array(schemaArb(names), { minLength: 1, maxLength: 3 }),
      unselected: schemaArb(names),
      infoOctokit: fc.boolean(),
    }),
  )
  .map(({ names, schemas, selected, unselected, infoOctokit }) => {
    const operation = (id: string, category: string, schema: Node) =>
      obj([
        "get",
        obj(
          ["operationId", val(id)],
          ["x-github", obj(["category", val(category)])],
          ["x-octokit", obj(["changes", { t: "arr", items: [] }])],
          [
            "responses",
            obj([
              "200",
              obj(["description", val("ok")], ["content", obj(["application/json", obj(["schema", schema])])]),
            ]),
          ],
        ),
      ]);
    const paths: (readonly [string, Node])[] = selected.map(
      (schema, i) => [`/p${i}`, operation(`p${i}/get`, "kept", schema)] as const,
    );
    paths.splice(1, 0, ["/skipped", operation("skipped/get", "other", unselected)]);
    const document = obj(
      ["openapi", val("3.0.3")],
      [
        "info",
        obj(["title", val("t")], ...(infoOctokit ? [["x-octokit", val(1)] as const] : []), ["version", val("1")]),
      ],
      ["paths", { t: "obj", entries: paths }],
      ["components", obj(["schemas", { t: "obj", entries: names.map((n, i) => [n, schemas[i]!] as const) }])],
    );
    return { names, document, selected };
  });

/** The node as JSON text, formatted like `stringifyOrdered` (2 spaces); `x-octokit` keys dropped when asked. */
function render(node: Node, indent: number, dropOctokit: boolean): string {
  const pad = " ".repeat(indent + 2);
  switch (node.t) {
    case "val":
      return JSON.stringify(node.v);
    case "ref":
      return render(obj(["$ref", val(refOf(node.name))]), indent, dropOctokit);
    case "arr":
      return node.items.length
        ? `[\n${node.items.map((i) => pad + render(i, indent + 2, dropOctokit)).join(",\n")}\n${" ".repeat(indent)}]`
        : "[]";
    case "obj": {
      const entries = node.entries.filter(([k]) => !(dropOctokit && k === "x-octokit"));
      return entries.length
        ? `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${render(v, indent + 2, dropOctokit)}`).join(",\n")}\n${" ".repeat(indent)}}`
        : "{}";
    }
  }
}

/** Compact JSON text, also valid YAML flow style. */
const compact = (node: Node): string =>
  node.t === "val"
    ? JSON.stringify(node.v)
    : node.t === "ref"
      ? compact(obj(["$ref", val(refOf(node.name))]))
      : node.t === "arr"
        ? `[${node.items.map(compact).join(", ")}]`
        : `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`).join(", ")}}`;

/**
 * Components reachable from the selected operations, worked out on the generated tree: `$ref`s in schema
 * positions, while every name of a `properties` map is a schema; inside `example` or `x-…` keys (data,
 * `x-octokit` dropped), only an object whose `$ref` names an existing component, at any depth.
 */
function reachable(g: Generated): Set<string> {
  const byName = new Map(componentsOf(g));
  const byRef = new Map(componentsOf(g).map(([name]) => [refOf(name), name]));
  const seen = new Set<string>();
  const stack = [...g.selected];
  const data: Node[] = [];
  const scanData = (root: Node) => {
    data.push(root);
    for (let node = data.pop(); node; node = data.pop()) {
      if (node.t === "arr") data.push(...node.items);
      if (node.t !== "obj") continue;
      for (const [k, v] of node.entries) {
        const named = k === "$ref" && v.t === "val" && typeof v.v === "string" ? byRef.get(v.v) : undefined;
        if (named !== undefined) stack.push({ t: "ref", name: named });
        if (k !== "x-octokit") data.push(v);
      }
    }
  };
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.t === "ref") {
      if (!seen.has(node.name)) {
        seen.add(node.name);
        stack.push(byName.get(node.name)!);
      }
    } else if (node.t === "obj") {
      for (const [k, v] of node.entries) {
        if (k === "properties" && v.t === "obj") stack.push(...v.entries.map(([, schema]) => schema));
        else if (k === "example" || k.startsWith("x-")) {
          if (k !== "x-octokit") scanData(v);
        } else stack.push(v);
      }
    } else if (node.t === "arr") stack.push(...node.items);
  }
  return seen;
}

function componentsOf(g: Generated): [string, Node][] {
  const components = (g.document as Extract<Node, { t: "obj" }>).entries.find(
    ([k]) => k === "components",
  )![1] as Extract<Node, { t: "obj" }>;
  const schemas = components.entries[0]![1] as Extract<Node, { t: "obj" }>;
  return schemas.entries.map(([k, v]) => [k, v]);
}

/** The slice the extractor must write: selected paths, then the reachable components in source order. */
function expectedSlice(g: Generated): string {
  const top = (g.document as Extract<Node, { t: "obj" }>).entries;
  const keep = reachable(g);
  const entries = top.flatMap(([key, node]): (readonly [string, Node])[] => {
    if (key === "paths")
      return [
        [key, { t: "obj", entries: (node as Extract<Node, { t: "obj" }>).entries.filter(([p]) => p !== "/skipped") }],
      ];
    if (key === "components") {
      const kept = componentsOf(g).filter(([name]) => keep.has(name));
      return kept.length ? [[key, obj(["schemas", { t: "obj", entries: kept }])]] : [];
    }
    return [[key, node]];
  });
  return `${render({ t: "obj", entries }, 0, true)}\n`;
}

async function slice(text: string) {
  const { document } = await parseDescription(Buffer.from(text, "utf8"), "generated");
  return stringifyOrdered(extractSelection(document, { category: "kept" }, "generated").document);
}

/** Every `$ref` in schema positions of a serialised slice (examples and extensions are data). */
function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refsOf(n, out);
  else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else if (k !== "example" && !k.startsWith("x-")) refsOf(v, out);
    }
  }
  return out;
}

const RUNS = { numRuns: 150 };

describe("extraction of generated documents with hostile keys (fast-check)", () => {
  test("the slice is exactly the expected one: the reachable components in source order, every kept node verbatim, x-octokit dropped", async () => {
    await fc.assert(
      fc.asyncProperty(documentArb, async (g) => {
        expect(await slice(render(g.document, 0, false))).toBe(expectedSlice(g));
      }),
      RUNS,
    );
  });

  test("closure: every $ref in the slice resolves inside the slice", async () => {
    await fc.assert(
      fc.asyncProperty(documentArb, async (g) => {
        const out = await slice(render(g.document, 0, false));
        const parsed = parseJsonOrdered(out);
        for (const ref of refsOf(JSON.parse(out))) {
          expect(() => resolveLocalRef(parsed, ref), ref).not.toThrow();
        }
      }),
      RUNS,
    );
  });

  test("determinism: the same bytes twice, and the YAML spelling gives the JSON spelling's bytes", async () => {
    await fc.assert(
      fc.asyncProperty(documentArb, async (g) => {
        const json = render(g.document, 0, false);
        const first = await slice(json);
        expect(await slice(json)).toBe(first);
        expect(await slice(`# the same document, as YAML flow style\n${compact(g.document)}\n`)).toBe(first);
      }),
      RUNS,
    );
  });

  test("nothing pollutes a prototype, and diff of a slice with itself finds nothing", async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    await fc.assert(
      fc.asyncProperty(documentArb, async (g) => {
        const out = JSON.parse(await slice(`# yaml\n${compact(g.document)}\n`)) as Record<string, unknown>;
        expect(diffDescriptions(out, JSON.parse(JSON.stringify(out)) as Record<string, unknown>).changes).toEqual([]);
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      RUNS,
    );
  });
});
