import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { text } from "node:stream/consumers";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/cli-args.js";
import { SpecError } from "@codespaces-clients/spec";
import { generateSlice } from "../src/generate.js";
import { REPO_ROOT, captureLog, tempDir } from "./helpers.js";

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const FIXTURE = join(import.meta.dirname, "fixtures", "shapes", "openapi.json");
const run = promisify(execFile);

async function tsc(args: string[], cwd: string) {
  try {
    await run(process.execPath, [TSC, ...args, "--pretty", "false"], { cwd });
    return "";
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ""}${e.stderr ?? ""}`;
  }
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A loopback GitHub for the fixture's operations; records every request with its body. */
async function fakeGitHub() {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    void text(req).then((body) => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(request);
      const url = new URL(request.url, "http://x");
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        res.end(JSON.stringify(body));
      };
      const route = `${request.method} ${url.pathname}`;
      if (route === "POST /orgs/octo/things") return json(201, { id: 1, name: JSON.parse(request.body).name });
      if (route === "PATCH /things/1") return json(202, { id: 1, name: "n1" });
      if (route === "DELETE /things/1" || route === "PATCH /variables/OLD") return res.writeHead(204).end();
      if (route === "GET /things/1/readme")
        return res.writeHead(200, { "content-type": "text/html" }).end("<h1>hi</h1>");
      if (route === "GET /things/1/archive")
        return res.writeHead(200, { "content-type": "application/zip" }).end(Buffer.from([0x50, 0x4b, 0xff, 0x00]));
      if (route === "PUT /things/1/labels") return json(200, JSON.parse(request.body));
      if (route === "POST /things/1/assets") return json(201, { id: 9, name: url.searchParams.get("name") });
      if (route === "GET /legacy/things") return json(200, []);
      if (route === "GET /widgets") return json(200, [{ id: 7 }]);
      if (route === "GET /orgs/octo/things") {
        const page = Number(url.searchParams.get("page") ?? 1);
        const next = `<http://${req.headers.host}/organizations/1/things?per_page=2&page=${page + 1}>; rel="next"`;
        return json(
          200,
          {
            total_count: 3,
            things:
              page === 1
                ? [
                    { id: 1, name: "a" },
                    { id: 2, name: "b" },
                  ]
                : [{ id: 3, name: "c" }],
          },
          page === 1 ? { link: next } : {},
        );
      }
      json(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { seen, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("generate --slice", () => {
  it("writes a complete package from a multi-shape slice; it builds with tsc, types every shape, and calls them", async () => {
    const dir = tempDir("slice-");
    const out = join(dir, "node_modules", "@acme", "things-client");
    const { lines, log } = captureLog();
    await generateSlice({
      root: REPO_ROOT,
      slice: FIXTURE,
      apiVersion: "2026-03-10",
      name: "@acme/things-client",
      out,
      log,
    });
    expect(lines.at(-1)).toBe("generate: @acme/things-client (11 operation(s)), 12 file(s) written, 0 unchanged");
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
    expect(pkg).toMatchObject({ name: "@acme/things-client", githubApiVersion: "2026-03-10" });
    // Namespaced (two categories): the `/operations` subpath, its module re-exported by the client module.
    expect(pkg.exports["./operations"]).toEqual({ types: "./dist/operations.d.ts", default: "./dist/operations.js" });
    expect(readFileSync(join(out, "README.md"), "utf8")).toContain('from "@acme/things-client/operations"');
    expect(pkg.dependencies["@codespaces-clients/runtime"]).toMatch(/^\^\d/);
    const client = readFileSync(join(out, "src", "generated", "client.ts"), "utf8");
    expect(client).toContain("@deprecated GitHub marks this operation deprecated");
    expect(client).toContain('import { withPagination } from "@codespaces-clients/runtime/paginate";');
    // Bodies, header parameters and non-JSON answers: the runtime's `shapes`, passed in the definition.
    expect(client).toContain('import { shapes } from "@codespaces-clients/runtime/shapes";');
    expect(client).toContain("operations, shapes },");

    // The runtime as a consumer installs it: its build, with its own dependencies.
    const runtime = join(dir, "node_modules", "@codespaces-clients", "runtime");
    mkdirSync(runtime, { recursive: true });
    cpSync(join(REPO_ROOT, "packages", "runtime", "package.json"), join(runtime, "package.json"));
    symlinkSync(join(REPO_ROOT, "packages", "runtime", "node_modules"), join(runtime, "node_modules"), "dir");
    const runtimeConfig = join(REPO_ROOT, "packages", "runtime", "tsconfig.build.json");
    expect(await tsc(["-p", runtimeConfig, "--outDir", join(runtime, "dist"), "--declarationMap", "false"], dir)).toBe(
      "",
    );
    expect(await tsc(["-p", join(out, "tsconfig.json")], dir)).toBe("");

    // A strict consumer: correct calls compile, every @ts-expect-error line is an error.
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    cpSync(join(import.meta.dirname, "slice", "consumer.ts.tmpl"), join(dir, "consumer.ts"));
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        target: "ES2022",
        lib: ["ES2023", "DOM", "DOM.Iterable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: [],
        skipLibCheck: false,
      },
      files: ["consumer.ts"],
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    expect(await tsc(["-p", dir], dir)).toBe("");

    const github = await fakeGitHub();
    const { stdout } = await run(process.execPath, [join(dir, "consumer.js"), github.baseUrl], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({
      created: { id: 1, name: "n1" },
      updated: { id: 1, name: "n1" },
      gone: true,
      renamed: true,
      html: "<h1>hi</h1>",
      zip: [0x50, 0x4b, 0xff, 0x00],
      labels: ["bug", "p1"],
      assets: [
        { id: 9, name: "a.zip" },
        { id: 9, name: "b.txt" },
      ],
      legacy: [],
      things: [
        { id: 1, name: "a" },
        { id: 2, name: "b" },
        { id: 3, name: "c" },
      ],
      widgets: [{ id: 7 }],
      pages: [200, 2, 200, 1],
      lean: ["<h1>hi</h1>", { id: 1, name: "n1" }, "<h1>hi</h1>"],
      sameDescriptor: true,
    });

    // What the subpath is for: tsc reads only what `/operations` imports, and not the client module's
    // declarations (the interface of every method: most of client.d.ts on the whole API).
    writeFileSync(
      join(dir, "lean-only.ts"),
      'import { createClientFor, thingsGetReadme } from "@acme/things-client/operations";\nexport const gh = createClientFor({ thingsGetReadme });\n',
    );
    writeFileSync(join(dir, "tsconfig.lean.json"), JSON.stringify({ ...tsconfig, files: ["lean-only.ts"] }));
    const { stdout: listed } = await run(process.execPath, [TSC, "-p", "tsconfig.lean.json", "--listFilesOnly"], {
      cwd: dir,
    });
    const read = listed.split("\n").filter((file) => file.includes("things-client/"));
    expect(read.map((file) => file.slice(file.indexOf("things-client/")))).toEqual([
      "things-client/dist/generated/types.d.ts",
      "things-client/dist/generated/operations.d.ts",
      "things-client/dist/operations.d.ts",
    ]);
    // With the typed path client over it: `/paths` adds the paths' declarations, still not the client module's.
    writeFileSync(
      join(dir, "lean-paths.ts"),
      'import { createClientFor, thingsGetReadme } from "@acme/things-client/operations";\nimport { createPathClient } from "@acme/things-client/paths";\nexport const api = createPathClient(createClientFor({ thingsGetReadme }));\n',
    );
    writeFileSync(join(dir, "tsconfig.lean-paths.json"), JSON.stringify({ ...tsconfig, files: ["lean-paths.ts"] }));
    const { stdout: listedWithPaths } = await run(
      process.execPath,
      [TSC, "-p", "tsconfig.lean-paths.json", "--listFilesOnly"],
      { cwd: dir },
    );
    const readWithPaths = listedWithPaths.split("\n").filter((file) => file.includes("things-client/"));
    expect(readWithPaths.map((file) => file.slice(file.indexOf("things-client/"))).sort()).toEqual([
      "things-client/dist/generated/operations.d.ts",
      "things-client/dist/generated/paths.d.ts",
      "things-client/dist/generated/types.d.ts",
      "things-client/dist/operations.d.ts",
      "things-client/dist/paths.d.ts",
    ]);

    // Tree-shaking at any API size: an app of one operation bundles that operation only.
    const entry = join(dir, "one-operation.mjs");
    writeFileSync(
      entry,
      'import { createClientFor, thingsGetReadme } from "@acme/things-client";\nawait createClientFor({ thingsGetReadme }).thingsGetReadme({ thing_id: 1 });\n',
    );
    const bundled = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      write: false,
      platform: "browser",
      metafile: true,
      logLevel: "silent",
    });
    const code = bundled.outputFiles[0]?.text ?? "";
    expect(code).toContain('"things/get-readme"');
    for (const other of ["things/create", "things/update", "things/delete", "things/list", "widgets/list"])
      expect(code, other).not.toContain(`"${other}"`);
    // Modules with code in the output (one imported but tree-shaken away is listed with 0 bytes).
    const shipped = Object.values(bundled.metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) => (bytesInOutput ? [input] : [])),
    );
    expect(shipped.some((input) => input.endsWith("runtime/dist/shapes.js"))).toBe(true); // its text answer
    expect(shipped.filter((input) => /openapi-fetch|paginate/.test(input))).toEqual([]);
    // An operation without JSON answers asks for what it documents, after GitHub's JSON media type.
    expect(github.seen.find((r) => r.url === "/things/1/readme")?.headers.accept).toBe(
      "application/vnd.github+json, text/html",
    );
    expect(github.seen.find((r) => r.url === "/things/1")?.headers.accept).toBe("application/vnd.github+json");
    const create = github.seen.find((r) => r.method === "POST");
    expect(create?.headers["content-type"]).toBe("application/json");
    expect(create?.headers["x-request-tag"]).toBe("t1");
    expect(JSON.parse(create?.body ?? "")).toEqual({ name: "n1", tags: ["a"] });
    expect(JSON.parse(github.seen.find((r) => r.url === "/things/1" && r.method === "PATCH")?.body ?? "")).toEqual({
      machine: "large",
    });
    // The bytes as given, with the call's content-type, or the described one; and the token, at this server.
    const uploads = github.seen.filter((r) => r.url.startsWith("/things/1/assets?"));
    expect(uploads.map((r) => [r.url, r.headers["content-type"], r.headers["content-length"], r.body])).toEqual([
      ["/things/1/assets?name=a.zip", "application/zip", "4", "PK\x03\x04"],
      ["/things/1/assets?name=b.txt", "application/octet-stream", "5", "hello"],
    ]);
    expect(uploads.every((r) => r.headers.authorization === "Bearer ghp_slice")).toBe(true);
    expect(JSON.parse(github.seen.find((r) => r.url === "/variables/OLD")?.body ?? "")).toEqual({
      name: "NEW",
      value: "v",
    });
    expect(github.seen.filter((r) => r.url.startsWith("/orgs/octo/things?")).map((r) => r.url)).toEqual([
      "/orgs/octo/things?per_page=2",
      "/orgs/octo/things?per_page=2&page=2",
      "/orgs/octo/things?per_page=2",
      "/orgs/octo/things?per_page=2&page=2",
    ]);
  });
});

describe("generate --slice: names", () => {
  it("declares a descriptor whose method name is a reserved word (a single-category `gists/delete`) as `_delete`", async () => {
    // One category: the fixture without `widgets/list`, so `things/delete` is the method `delete`, not `things.delete`.
    const dir = tempDir("slice-names-");
    const fixture = JSON.parse(readFileSync(FIXTURE, "utf8"));
    delete fixture.paths["/widgets"];
    const slice = join(dir, "openapi.json");
    writeFileSync(slice, JSON.stringify(fixture));
    const out = join(dir, "things-client");
    const { log } = captureLog();
    await generateSlice({ root: REPO_ROOT, slice, apiVersion: "2026-03-10", name: "@acme/things-client", out, log });
    const client = readFileSync(join(out, "src", "generated", "client.ts"), "utf8");
    expect(client).toContain('export const _delete: DescriptorOf<"things/delete">');
    expect(client).toContain("  delete: _delete,");
    expect(client).toContain("  readonly delete: typeof _delete;");
    // Every generated module parses (`export const delete` did not: TS1389).
    const ts = (await import("typescript")).default;
    const generated = join(out, "src", "generated");
    for (const file of ["client.ts", "paths.ts", "schemas.ts", "types.ts"]) {
      const source = readFileSync(join(generated, file), "utf8");
      const { diagnostics = [] } = ts.transpileModule(source, { reportDiagnostics: true, fileName: file });
      expect(
        diagnostics.map((d) => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
        file,
      ).toEqual([]);
    }
  });
});

describe("generate command line", () => {
  it.each([
    { argv: [], want: { kind: "all" } },
    {
      argv: ["--slice", "s.json", "--api-version", "2026-03-10", "--name", "@a/b", "--out", "/tmp/x"],
      want: { kind: "slice", slice: "/work/s.json", apiVersion: "2026-03-10", name: "@a/b", out: "/tmp/x" },
    },
    {
      argv: ["--slice", "s.json", "--api-version", "2026-03-10", "--name", "@a/b", "--out", "x", "--skip-unsupported"],
      want: {
        kind: "slice",
        slice: "/work/s.json",
        apiVersion: "2026-03-10",
        name: "@a/b",
        out: "/work/x",
        skipUnsupported: true,
      },
    },
  ])("$argv", ({ argv, want }) => {
    expect(parseCliArgs(argv, "/work")).toEqual(want);
  });

  it.each([
    { argv: ["--slice", "s.json"], want: /^missing --api-version, --name, --out; usage: pnpm generate \[--slice/ },
    { argv: ["--bogus"], want: /^Unknown option '--bogus'; usage: / },
    { argv: ["--skip-unsupported"], want: /^--skip-unsupported goes with --slice; usage: / },
    { argv: ["--out"], want: /^Option '--out <value>' argument missing; usage: / },
  ])("$argv is one line naming the problem", ({ argv, want }) => {
    expect(() => parseCliArgs(argv, "/work")).toThrow(want);
  });

  it.each([
    {
      options: { slice: join(REPO_ROOT, "nope.json") },
      want: `${join(REPO_ROOT, "nope.json")}: cannot be read (ENOENT)`,
    },
    {
      options: { slice: join(REPO_ROOT, "package.json") },
      want: `${join(REPO_ROOT, "package.json")}: is not an OpenAPI 3 document with paths`,
    },
    { options: { apiVersion: "26" }, want: '--api-version: "26" is not a GitHub API version (YYYY-MM-DD)' },
    { options: { name: "Bad Name" }, want: '--name: "Bad Name" is not an npm package name' },
  ])("bad input: $want", async ({ options, want }) => {
    const out = tempDir("slice-bad-");
    await expect(
      generateSlice({
        root: REPO_ROOT,
        slice: FIXTURE,
        apiVersion: "2026-03-10",
        name: "@a/b",
        out,
        log: () => {},
        ...options,
      }),
    ).rejects.toThrow(want);
  });

  /** The fixture with `change` applied, written to a temp file. */
  const variant = (change: (doc: Record<string, any>) => void) => {
    const doc = JSON.parse(readFileSync(FIXTURE, "utf8"));
    change(doc);
    const file = join(tempDir("slice-variant-"), "openapi.json");
    writeFileSync(file, JSON.stringify(doc));
    return file;
  };
  const list = (doc: Record<string, any>) =>
    doc.paths["/orgs/{org}/things"].get.responses["200"].content["application/json"];

  it("a slice whose example data holds a $ref without its target (GitHub has 25) still gets its types", async () => {
    // As in GitHub's description: a media-type example whose value names another example, and a
    // schema `example` that is a $ref. The extractor keeps both as data, without their targets.
    const slice = variant((doc) => {
      list(doc).examples = {
        default: { value: { $ref: "#/components/examples/things-list" } },
        plain: { value: { total_count: 0, things: [] } },
      };
      list(doc).schema.example = { $ref: "#/components/examples/things-list-schema" };
    });
    const out = tempDir("slice-data-ref-");
    await generateSlice({ root: REPO_ROOT, slice, apiVersion: "2026-03-10", name: "@a/b", out, log: () => {} });
    const types = readFileSync(join(out, "src", "generated", "types.ts"), "utf8");
    expect(types).toContain("total_count: number;");
    expect(types).not.toContain("things-list");
  });

  it("an openapi-typescript failure is one line naming the slice, not a stack trace", async () => {
    const slice = variant((doc) => {
      list(doc).schema.properties.things.items = { $ref: "#/components/schemas/missing" };
    });
    const out = tempDir("slice-bad-ref-");
    const failure = generateSlice({
      root: REPO_ROOT,
      slice,
      apiVersion: "2026-03-10",
      name: "@a/b",
      out,
      log: () => {},
    });
    await expect(failure).rejects.toBeInstanceOf(SpecError);
    // One line, with the pointer of the $ref Redocly could not resolve.
    await expect(failure).rejects.toThrow(
      `${relative(REPO_ROOT, slice)}: openapi-typescript cannot make its types: Can't resolve $ref at ` +
        "#/paths/~1orgs~1{org}~1things/get/responses/200/content/application~1json/schema/properties/things/items",
    );
    await expect(failure).rejects.not.toThrow(/\n/);
  });
});
