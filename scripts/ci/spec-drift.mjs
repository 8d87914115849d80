#!/usr/bin/env node
/**
 * The scheduled "has GitHub's REST API description moved?" job, runnable anywhere:
 *
 *   node scripts/ci/spec-drift.mjs [--ref <branch|tag|commit>] [--body <file>] [--no-test]
 *
 * 1. `pnpm spec update --ref <ref> --no-test` (default ref: $SPEC_DRIFT_REF or `main` of
 *    github/rest-api-description): writes spec/, one changeset per affected client, regenerates.
 * 2. Drift is a changed or new slice (`spec/generated/<v>/openapi.json`) or a new changeset. A pin
 *    that moved while the selected operations stayed byte-identical is not drift: GitHub commits to
 *    that repository most days, and a pull request per commit would be noise.
 * 3. On drift: `pnpm test`, then the pull-request body (`--body`, default
 *    `.cache/spec-drift/pull-request.md`): the changesets, the update report, the test result.
 *
 * Without drift nothing is written besides what `spec update` wrote and the exit code is 0. In
 * GitHub Actions the step outputs (`$GITHUB_OUTPUT`) are `changed`, `title`, `body-path` and
 * `tests` (passed | failed | skipped); the workflow opens the pull request from them. Exit 1 when
 * `spec update` fails (one line) or when the tests fail — after the body and outputs are written,
 * so the workflow can still open the pull request (as a draft) and fail visibly.
 */
import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** GitHub refuses pull-request bodies over 65,536 characters. */
const MAX_BODY = 60_000;
const say = (line) => process.stderr.write(`spec-drift: ${line}\n`);

class UsageError extends Error {}

function options(argv) {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        ref: { type: "string" },
        body: { type: "string" },
        "no-test": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    return values;
  } catch (error) {
    throw new UsageError(error.message);
  }
}

/** The repository's pnpm, as the README runs it: `npx --yes pnpm@<packageManager version>`. */
function pnpm() {
  const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  if (!/^pnpm@\d/.test(packageManager ?? ""))
    throw new Error(`${join(root, "package.json")}: packageManager must name pnpm@<version>`);
  return ["npx", "--yes", packageManager];
}

/** Runs a command in the repository, streaming its output to stderr and keeping it. */
function run(command) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, INIT_CWD: root },
    });
    let output = "";
    const keep = (chunk) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error) => reject(new Error(`cannot run ${command[0]}: ${error.message}`)));
    child.on("close", (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** Paths (relative to the root) that git sees as changed or new. */
function changedPaths() {
  const fields = execFileSync("git", ["status", "--porcelain=v1", "-z", "--untracked-files=all"], {
    cwd: root,
    encoding: "utf8",
  }).split("\0");
  const paths = [];
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (!entry) continue;
    paths.push(entry.slice(3));
    if (/^[RC]/.test(entry)) i++; // a rename or copy is followed by its original path
  }
  return paths;
}

const isSlice = (p) => /^spec\/generated\/[^/]+\/openapi\.json$/.test(p);
const isChangeset = (p) => /^\.changeset\/[^/]+\.md$/.test(p) && p !== ".changeset/README.md";

/** `"@scope/name": minor` lines of a changeset's front matter. */
export function changesetReleases(text) {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
  return [...front.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)].map((m) => ({
    name: m[1],
    bump: m[2],
  }));
}

/** What `spec update` said about the versions, without the output of the generate step it ran. */
export function reportOf(output) {
  const clean = output.replace(/\x1b\[[0-9;]*m/g, "");
  const cut = clean.search(/^generate: /m);
  return (cut < 0 ? clean : clean.slice(0, cut)).trim();
}

/** The pinned upstream commits after the update (one per version; usually one commit for all). */
function pinnedCommits() {
  const config = JSON.parse(readFileSync(join(root, "spec", "sources.json"), "utf8"));
  return [...new Set((config.versions ?? []).map((v) => v.commit))];
}

/** The pull-request body: what moved, the changesets, the report, the tests. */
export function pullRequestBody({ ref, commits, changesets, report, tests }) {
  const fence = (text) => `\`\`\`text\n${text.replace(/```/g, "ʼʼʼ")}\n\`\`\``;
  const lines = [
    `\`pnpm spec update --ref ${ref}\` found changes in the operations this repository takes from GitHub's REST API description (\`github/rest-api-description\` at ${commits.map((c) => `\`${c.slice(0, 7)}\``).join(", ")}).`,
    "",
    "### Changesets",
    "",
  ];
  if (!changesets.length) lines.push("None (the slices changed without a classified change).", "");
  for (const c of changesets) {
    lines.push(
      `#### \`${c.path}\` — ${c.releases.map((r) => `\`${r.name}\` ${r.bump}`).join(", ") || "no release"}`,
      "",
      c.text.replace(/^---[\s\S]*?---\s*/, "").trim(),
      "",
    );
  }
  lines.push("### Tests", "");
  if (tests.status === "skipped") lines.push("Not run (`--no-test`).");
  else if (tests.status === "passed") lines.push("`pnpm test` passed on the updated tree.");
  else
    lines.push(
      `\`pnpm test\` **failed** (exit ${tests.code}) on the updated tree; the last lines:`,
      "",
      fence(tests.tail),
    );
  lines.push(
    "",
    "<details><summary>Update report</summary>",
    "",
    fence(report),
    "",
    "</details>",
    "",
    "Opened by `.github/workflows/spec-drift.yml`; the same run locally: `node scripts/ci/spec-drift.mjs`.",
  );
  let body = lines.join("\n");
  if (body.length > MAX_BODY)
    body = `${body.slice(0, MAX_BODY)}\n\n… (cut at ${MAX_BODY} characters; the full report is in the workflow log)\n`;
  return `${body}\n`;
}

/** `name=value` lines for `$GITHUB_OUTPUT` (values are single-line here). */
function setOutputs(values) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  appendFileSync(
    file,
    Object.entries(values)
      .map(([k, v]) => `${k}=${String(v).replace(/[\r\n]+/g, " ")}\n`)
      .join(""),
  );
}

async function main(argv) {
  const values = options(argv);
  if (values.help) {
    console.log("usage: node scripts/ci/spec-drift.mjs [--ref <branch|tag|commit>] [--body <file>] [--no-test]");
    return 0;
  }
  const ref = values.ref ?? (process.env.SPEC_DRIFT_REF || "main");
  if (!/^[\w./-]+$/.test(ref)) throw new UsageError(`--ref ${JSON.stringify(ref)} is not a branch, tag or commit name`);
  const bodyPath = resolve(values.body ?? join(root, ".cache", "spec-drift", "pull-request.md"));
  const dirty = changedPaths().filter((p) => p.startsWith("spec/") || p.startsWith(".changeset/"));
  if (dirty.length)
    throw new Error(
      `spec/ and .changeset/ must be committed first, to tell the update's changes from yours: ${dirty.join(", ")}`,
    );
  rmSync(bodyPath, { force: true });
  const pn = pnpm();

  say(`pnpm spec update --ref ${ref} --no-test`);
  const update = await run([...pn, "spec", "update", "--ref", ref, "--no-test"]);
  if (update.code !== 0) {
    const last = update.output
      .replace(/\x1b\[[0-9;]*m/g, "")
      .trim()
      .split("\n")
      .filter((l) => /error/i.test(l))
      .at(-1);
    throw new Error(`\`pnpm spec update --ref ${ref}\` exited with ${update.code}${last ? `: ${last.trim()}` : ""}`);
  }

  const changed = changedPaths();
  const changesetPaths = changed.filter(isChangeset);
  const commits = pinnedCommits();
  if (!changed.some(isSlice) && !changesetPaths.length) {
    const moved = changed.filter((p) => p.startsWith("spec/"));
    say(
      moved.length
        ? `upstream ${ref} moved (${moved.join(", ")}) but the selected operations are byte-identical: no pull request`
        : `spec/ matches upstream ${ref}: no pull request`,
    );
    setOutputs({ changed: false, tests: "skipped" });
    return 0;
  }

  let tests = { status: "skipped", code: 0, tail: "" };
  if (!values["no-test"]) {
    say("pnpm test");
    const result = await run([...pn, "test"]);
    const tail = result.output
      .replace(/\x1b\[[0-9;]*m/g, "")
      .trimEnd()
      .split("\n")
      .slice(-60)
      .join("\n");
    tests = { status: result.code === 0 ? "passed" : "failed", code: result.code, tail };
  }
  const changesets = changesetPaths.map((p) => {
    const text = readFileSync(join(root, p), "utf8");
    return { path: p, text, releases: changesetReleases(text) };
  });
  const title = `Spec: GitHub's REST API description at ${commits.map((c) => c.slice(0, 7)).join(", ")}`;
  mkdirSync(dirname(bodyPath), { recursive: true });
  writeFileSync(bodyPath, pullRequestBody({ ref, commits, changesets, report: reportOf(update.output), tests }));
  setOutputs({ changed: true, title, "body-path": bodyPath, tests: tests.status });
  say(
    `${changesets.length} changeset(s), tests ${tests.status}; pull-request body: ${existsSync(bodyPath) ? relative(process.cwd(), bodyPath) || bodyPath : bodyPath}`,
  );
  if (tests.status === "failed") {
    say(`error: \`pnpm test\` exited with ${tests.code} on the updated tree (the pull request says so)`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      say(`error: ${error.message}`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
