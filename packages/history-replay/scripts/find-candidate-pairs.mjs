#!/usr/bin/env node
// Finds candidate pairs for the history replay: consecutive published versions of @octokit/openapi
// whose slice of one x-github category/subcategory really changed (paths or components; the
// document `info`, which Octokit stamps with its own version on every release, is ignored here).
//
//   node scripts/find-candidate-pairs.mjs [--category codespaces] [--versions 19.0.0,19.1.0,…] [--show <from>..<to>:<sub>]
//   node scripts/find-candidate-pairs.mjs --operation-id <id> [--operation-id <id>]… [--show <from>..<to> [--full]]
//
// For every consecutive pair it prints each subcategory (or the one operationId selection) whose slice differs, with the size of the
// slice, the number of operations, the JSON pointers that changed (tool-independent: a plain
// structural diff) and, as a hint only, what `pnpm spec diff` classifies. `--show` prints the full
// structural diff of one pair, for reading. The bumps in test/expected-bumps.json are decided by
// reading these diffs, never copied from the classification column.
//
// Descriptions come from the spec package's `npm:` source: `.cache/npm/@octokit/openapi@<v>/`
// (git-ignored), fetched on demand with `npm pack` (~40 MB tarball, one 13 MB file kept).
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  diffDescriptions,
  extractSelection,
  formatSummary,
  loadSource,
  parseDescription,
  stringifyOrdered,
} from "@codespaces-clients/spec";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const { values } = parseArgs({
  options: {
    category: { type: "string", default: "codespaces" },
    versions: { type: "string" },
    show: { type: "string" },
    "operation-id": { type: "string", multiple: true },
    full: { type: "boolean" },
  },
});

/** Semver order of plain x.y.z versions. */
const bySemver = (a, b) => {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
};

const versions = values.versions
  ? values.versions.split(",")
  : JSON.parse(execFileSync("npm", ["view", "@octokit/openapi", "versions", "--json"], { encoding: "utf8" }))
      .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
      .sort(bySemver);

/** Every subcategory of `category`, with the slice of each, for one version. */
async function slicesOf(version) {
  const loaded = await loadSource(`npm:@octokit/openapi@${version}`, { cwd: repoRoot });
  const { document } = await parseDescription(loaded.data, loaded.label);
  const subs = new Set();
  for (const item of Object.values(document.paths ?? {})) {
    for (const op of Object.values(item ?? {})) {
      const xg = op?.["x-github"];
      if (xg?.category === values.category && xg.subcategory) subs.add(xg.subcategory);
    }
  }
  const out = new Map();
  const ids = values["operation-id"];
  if (ids?.length) {
    const slice = extractSelection(document, { operationIds: ids }, loaded.label);
    out.set("selection", { text: stringifyOrdered(slice.document), operations: slice.operations.length });
    return out;
  }
  for (const subcategory of [...subs].sort()) {
    const slice = extractSelection(document, { category: values.category, subcategory }, loaded.label);
    out.set(subcategory, { text: stringifyOrdered(slice.document), operations: slice.operations.length });
  }
  return out;
}

/** Pointers where two JSON values differ: `+` added, `-` removed, `~` changed (leaves only). */
function structuralDiff(a, b, ptr = "", out = []) {
  const isObj = (v) => typeof v === "object" && v !== null;
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const p = `${ptr}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (!(k in b)) out.push(`- ${p}  ${short(a[k])}`);
      else if (!(k in a)) out.push(`+ ${p}  ${short(b[k])}`);
      else structuralDiff(a[k], b[k], p, out);
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`~ ${ptr}  ${short(a)} → ${short(b)}`);
  }
  return out;
}
const short = (v) => {
  const s = JSON.stringify(v) ?? "undefined";
  return s.length > 160 && !values.full ? `${s.slice(0, 157)}…` : s;
};
const body = (text) => {
  const { info: _info, ...rest } = JSON.parse(text);
  return rest;
};

/** How a slice is named in the report: the subcategory, or the operationId selection. */
const label = (sub) =>
  values["operation-id"]?.length
    ? `selection of ${values["operation-id"].length} operationId(s)`
    : `${values.category}/${sub}`;

if (values.show) {
  const m = /^([\d.]+)\.\.([\d.]+)(?::(.+))?$/.exec(values.show);
  if (!m) throw new Error("--show takes <from>..<to>:<subcategory> (or <from>..<to> with --operation-id)");
  const [, from, to, sub = "selection"] = m;
  const [a, b] = [(await slicesOf(from)).get(sub), (await slicesOf(to)).get(sub)];
  if (!a || !b) throw new Error(`${label(sub)} is missing in ${a ? to : from}`);
  console.log(structuralDiff(body(a.text), body(b.text)).join("\n"));
  console.log(`\nspec diff (hint): ${formatSummary(diffDescriptions(JSON.parse(a.text), JSON.parse(b.text)))}`);
  process.exit(0);
}

let previous;
for (const version of versions) {
  let current;
  try {
    current = { version, slices: await slicesOf(version) };
  } catch (error) {
    console.log(`${version}: skipped (${error.message.split("\n")[0]})`);
    previous = undefined;
    continue;
  }
  if (previous) {
    const lines = [];
    let changed = 0;
    for (const [sub, b] of current.slices) {
      const a = previous.slices.get(sub);
      if (!a) {
        changed++;
        lines.push(`  ${label(sub)}: new (${b.operations} operations)`);
        continue;
      }
      const changes = structuralDiff(body(a.text), body(b.text));
      if (!changes.length) continue;
      changed++;
      const hint = formatSummary(diffDescriptions(JSON.parse(a.text), JSON.parse(b.text)));
      lines.push(
        `  ${label(sub)}: ${b.operations} operations, ${(b.text.length / 1024).toFixed(0)} KB, ${changes.length} changed pointer(s); spec diff says ${hint}`,
      );
      for (const c of changes.slice(0, 12)) lines.push(`      ${c}`);
      if (changes.length > 12)
        lines.push(
          `      … ${changes.length - 12} more (--show ${previous.version}..${version}${values["operation-id"]?.length ? "" : `:${sub}`})`,
        );
    }
    for (const sub of previous.slices.keys()) {
      if (current.slices.has(sub)) continue;
      changed++;
      lines.push(`  ${label(sub)}: gone`);
    }
    console.log(`${previous.version} → ${version}: ${changed ? `${changed} slice(s) changed` : "no change"}`);
    for (const l of lines) console.log(l);
  }
  previous = current;
}
