#!/usr/bin/env node
// Consumer smoke test: the client packages as npm users get them.
//
//   node scripts/consumer-smoke.mjs [--keep]
//
// 1. builds @codespaces-clients/runtime and every client package listed in spec/sources.json into
//    a throwaway copy of their package folders (the repository is only read, so this is safe
//    beside a running `pnpm build`, and needs no earlier build);
// 2. `pnpm pack`s each (which turns `workspace:^` into a real range) and `npm install`s the
//    tarballs into a fresh project outside the workspace;
// 3. compiles a strict TypeScript consumer of every client (`tsc --strict --module nodenext`) and
//    runs it with node against a loopback server that checks X-GitHub-Api-Version;
// 4. runs `publint --strict` and `attw --profile esm-only` on each client's packed tarball (what
//    `attw --pack <dir>` would pack, but with pnpm's workspace: rewriting applied).
// Exits 1 with one line naming the step and package on the first failure.
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(REPO, "node_modules", ".bin");
const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");
const TYPESCRIPT = "typescript@5.9.3";
const TOKEN = "smoke-token";

const { values } = parseArgs({ options: { keep: { type: "boolean" } } });
const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), "consumer-smoke-"));
const log = (line) => console.log(`consumer-smoke: ${line}`);

class StepError extends Error {}
/** Runs a command; on failure throws one line naming the step plus the command's output. */
async function sh(step, file, args, options = {}) {
  try {
    return (await run(file, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options })).stdout;
  } catch (error) {
    throw new StepError(
      `${step} failed: ${[file, ...args].join(" ")}\n${error.stdout ?? ""}${error.stderr ?? ""}`.trim(),
    );
  }
}

const versions = JSON.parse(readFileSync(join(REPO, "spec", "sources.json"), "utf8")).versions.map((v) => v.version);
const clients = versions.map((version) => ({
  version,
  dir: `machines-${version}`,
  name: `@codespaces-clients/machines-${version}`,
}));

/** Copies a package folder's manifest and docs into the staging workspace. */
function stage(dir) {
  const to = join(tmp, "ws", "packages", dir);
  mkdirSync(to, { recursive: true });
  for (const file of ["package.json", "README.md", "LICENSE"])
    if (existsSync(join(REPO, "packages", dir, file))) cpSync(join(REPO, "packages", dir, file), join(to, file));
  return to;
}
function link(from, name, target) {
  const at = join(from, "node_modules", ...name.split("/"));
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, "dir");
}

async function buildAndPack() {
  mkdirSync(join(tmp, "ws"), { recursive: true });
  writeFileSync(join(tmp, "ws", "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  const runtime = stage("runtime");
  await sh("build @codespaces-clients/runtime", process.execPath, [
    TSC,
    "-p",
    join(REPO, "packages", "runtime", "tsconfig.build.json"),
    "--outDir",
    join(runtime, "dist"),
  ]);
  for (const client of clients) {
    const to = stage(client.dir);
    const src = join(REPO, "packages", client.dir);
    // The package's own tsconfig, with the runtime's types taken from the staged build.
    const tsconfig = join(tmp, `tsconfig.${client.dir}.json`);
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(src, "tsconfig.json"),
        compilerOptions: {
          rootDir: join(src, "src"),
          outDir: join(to, "dist"),
          paths: {
            "@codespaces-clients/runtime": [join(runtime, "dist", "index.d.ts")],
            "@codespaces-clients/runtime/paths": [join(runtime, "dist", "paths.d.ts")],
          },
        },
        include: [join(src, "src")],
      }),
    );
    await sh(`build ${client.name}`, process.execPath, [TSC, "-p", tsconfig]);
    // pnpm pack reads the versions behind `workspace:` ranges from the installed dependencies.
    link(to, "@codespaces-clients/runtime", runtime);
    link(to, "@codespaces-clients/generator", join(REPO, "packages", "generator"));
  }
  const tarballs = {};
  for (const dir of ["runtime", ...clients.map((c) => c.dir)]) {
    const out = join(tmp, "tarballs", dir);
    mkdirSync(out, { recursive: true });
    await sh(`pnpm pack ${dir}`, "npx", ["--yes", "pnpm@10.34.9", "pack", "--pack-destination", out], {
      cwd: join(tmp, "ws", "packages", dir),
    });
    const [file, ...more] = readdirSync(out);
    if (!file || more.length)
      throw new StepError(`pnpm pack ${dir}: expected one tarball in ${out}, found ${[file, ...more].join(", ")}`);
    tarballs[dir] = join(out, file);
  }
  for (const tarball of Object.values(tarballs)) {
    const manifest = await sh(`read ${tarball}`, "tar", ["-xzOf", tarball, "package/package.json"]);
    if (manifest.includes("workspace:"))
      throw new StepError(`${tarball}: package.json still has a workspace: range after pnpm pack`);
  }
  log(`packed ${Object.keys(tarballs).join(", ")} with pnpm pack`);
  return tarballs;
}

function consumerSource(port) {
  const imports = clients
    .map(
      (c, i) =>
        `import { API_VERSION as v${i}, createClient as c${i}, GitHubApiError as E${i} } from "${c.name}";\nimport { createPathClient as p${i} } from "${c.name}/paths";\nimport { responseSchemas as s${i} } from "${c.name}/schemas";`,
    )
    .join("\n");
  const calls = clients
    .map(
      (_c, i) => `  {
    const gh = c${i}({ token: "${TOKEN}", baseUrl: "http://127.0.0.1:${port}", userAgent: "smoke/1.0" });
    const repo = await gh.repoMachinesForAuthenticatedUser({ owner: "octo-org", repo: "hello-world", ref: "main" });
    const codespace = await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "monalisa" });
    const typed = await p${i}(gh).GET("/user/codespaces/{codespace_name}/machines", { params: { path: { codespace_name: "monalisa" } } });
    if (typed.data?.total_count !== 1) throw new Error("createPathClient: " + JSON.stringify(typed.error));
    const first = repo.machines[0];
    let notFound = 0;
    try {
      await gh.codespaceMachinesForAuthenticatedUser({ codespace_name: "missing" });
    } catch (error) {
      if (error instanceof E${i}) notFound = error.status;
    }
    lines.push(JSON.stringify({ version: v${i}, total: repo.total_count, machine: first ? first.display_name : null, codespace: codespace.machines.length, notFound, schemas: Object.keys(s${i}).length }));
  }`,
    )
    .join("\n");
  return `${imports}\n\nconst lines: string[] = [];\n${calls}\nconsole.log(lines.join("\\n"));\n`;
}

/** A loopback GitHub: answers the two machines endpoints, only with a known API version header. */
async function startServer() {
  const seen = [];
  const server = createServer((req, res) => {
    const version = req.headers["x-github-api-version"];
    seen.push({ url: req.url, version, auth: req.headers.authorization, ua: req.headers["user-agent"] });
    const json = (status, body) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (typeof version !== "string" || !versions.includes(version))
      return json(400, { message: `bad X-GitHub-Api-Version: ${version}` });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { message: "Requires authentication" });
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/user/codespaces/missing/machines")
      return json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    if (
      url.pathname === "/repos/octo-org/hello-world/codespaces/machines" ||
      url.pathname === "/user/codespaces/monalisa/machines"
    ) {
      const machine = {
        name: "standardLinux",
        display_name: `4 cores (${version})`,
        operating_system: "linux",
        storage_in_bytes: 1,
        memory_in_bytes: 2,
        cpus: 4,
        prebuild_availability: null,
      };
      return json(200, { total_count: 1, machines: [machine] });
    }
    return json(404, { message: `no route ${url.pathname}` });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, port: server.address().port, seen };
}

async function consumer(tarballs) {
  const project = join(tmp, "consumer");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "smoke-consumer", private: true, type: "module" }, null, 2),
  );
  await sh(
    "npm install",
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      ...Object.values(tarballs),
      TYPESCRIPT,
    ],
    { cwd: project },
  );
  const { server, port, seen } = await startServer();
  try {
    writeFileSync(join(project, "index.ts"), consumerSource(port));
    // The consumer's own TypeScript, strict, resolving the packages as Node does.
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    const flags = [
      "--strict",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--lib",
      "es2023,dom",
      "--skipLibCheck",
      "false",
    ];
    await sh("tsc --noEmit (consumer)", process.execPath, [tsc, "--noEmit", ...flags, "index.ts"], { cwd: project });
    await sh(
      "tsc (consumer emit)",
      process.execPath,
      [tsc, ...flags, "--noEmitOnError", "--outDir", "out", "index.ts"],
      { cwd: project },
    );
    const stdout = await sh("node out/index.js", process.execPath, [join(project, "out", "index.js")], {
      cwd: project,
    });
    const got = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const want = versions.map((version) => ({
      version,
      total: 1,
      machine: `4 cores (${version})`,
      codespace: 1,
      notFound: 404,
      schemas: 2,
    }));
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new StepError(`consumer output differs:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
    const wrong = seen.filter(
      (r, i) =>
        r.version !== versions[Math.floor(i / 4)] ||
        !r.ua?.startsWith(`smoke/1.0 @codespaces-clients/machines-${r.version}/`),
    );
    if (seen.length !== versions.length * 4 || wrong.length)
      throw new StepError(`loopback server saw unexpected requests: ${JSON.stringify(wrong.length ? wrong : seen)}`);
    log(
      `consumer compiled (strict, nodenext) and ran: ${got.map((g) => g.version).join(", ")} each sent its X-GitHub-Api-Version`,
    );
  } finally {
    server.close();
  }
}

/** publint and attw on the tarballs pnpm packed: exactly the files npm users get. */
async function lint(tarballs) {
  for (const client of clients) {
    const tarball = tarballs[client.dir];
    await sh(`publint --strict ${client.name}`, join(BIN, "publint"), ["--strict", tarball], { cwd: tmp });
    await sh(
      `attw --profile esm-only ${client.name}`,
      join(BIN, "attw"),
      [tarball, "--profile", "esm-only", "--format", "table-flipped", "--no-color"],
      { cwd: tmp },
    );
  }
  log(`publint --strict and attw --profile esm-only pass for ${clients.map((c) => c.name).join(", ")}`);
}

try {
  const tarballs = await buildAndPack();
  await consumer(tarballs);
  await lint(tarballs);
  log("ok");
} catch (error) {
  console.error(`consumer-smoke: error: ${error instanceof StepError ? error.message : (error?.stack ?? error)}`);
  process.exitCode = 1;
} finally {
  if (values.keep) log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
