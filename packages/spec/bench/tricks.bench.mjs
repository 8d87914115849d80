#!/usr/bin/env node
// Are the speed tricks of `spec extract` still needed for the ≤ 2× JSON.parse floor target? Copies dist/
// into variants with a trick switched off (the Latin-1 JSON decode, the precompiled OAS validators), runs
// them, ours and the floor interleaved (/usr/bin/time for CPU), and prints a Markdown table. A trick whose
// variant stays within the target on wall and CPU is no longer needed. Issue 11 measured the worker thread
// and the warm-ups this way and deleted them (RESULTS.md).
//
//   node bench/tricks.bench.mjs <description.json> [rounds=9]      (after `pnpm build`)
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..");
if (!process.argv[2]) throw new Error("usage: node bench/tricks.bench.mjs <description.json> [rounds]");
const [input, roundsArg = "9"] = process.argv.slice(2);
const rounds = Number(roundsArg);
const patch = (dir, file, from, to) => {
  const p = join(dir, file);
  const s = readFileSync(p, "utf8");
  if (!s.includes(from)) throw new Error(`${file}: ${from} not found`);
  writeFileSync(p, s.replace(from, to));
};
const tricks = {
  latin1: (d) => patch(d, "parse.js", "const fast = parseJsonBytesOrdered(bytes);", "const fast = undefined;"),
  precompiled: (d) => rmSync(join(d, "oas-schemas"), { recursive: true }),
};
const ONLY = process.env.VARIANTS?.split(",");
const allVariants = {
  all: [],
  "no-latin1": ["latin1"],
  "no-precompiled": ["precompiled"],
  none: ["latin1", "precompiled"],
};
const variants = Object.fromEntries(
  Object.entries(allVariants).filter(([n]) => n === "all" || !ONLY || ONLY.includes(n)),
);
const root = join(pkg, ".tmp", "trick-variants");
rmSync(root, { recursive: true, force: true });
const cmds = {};
for (const [name, off] of Object.entries(variants)) {
  const d = join(root, name, "dist");
  cpSync(join(pkg, "dist"), d, { recursive: true });
  cpSync(join(pkg, "package.json"), join(root, name, "package.json"));
  for (const t of off) tricks[t](d);
  cmds[name] = [join(d, "cli.js"), "extract", "--from", input, "--out"];
}
const out = mkdtempSync(join(tmpdir(), "tricks-"));
const floor = ["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(input)}, "utf8"))`];
const names = ["floor", ...Object.keys(variants)];
const samples = Object.fromEntries(names.map((n) => [n, { wall: [], cpu: [] }]));
const slices = {};
for (let r = -1; r < rounds; r++) {
  const order = names.map((_, i) => names[(i + Math.max(r, 0)) % names.length]);
  for (const n of order) {
    const file = join(out, `${n}.json`);
    const args = n === "floor" ? floor : [...cmds[n], file];
    const t0 = process.hrtime.bigint();
    const res = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", process.execPath, ...args], { encoding: "utf8" });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (res.status !== 0) throw new Error(`${n}: ${res.stderr}`);
    const [, , u, s] = res.stderr.trim().split("\n").pop().split(" ").map(Number);
    if (r >= 0) {
      samples[n].wall.push(wall);
      samples[n].cpu.push(u + s);
    }
    if (n !== "floor") slices[n] = readFileSync(file, "utf8");
  }
}
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const fw = med(samples.floor.wall),
  fc = med(samples.floor.cpu);
console.log(
  `| variant | median wall | median CPU | wall / floor | CPU / floor | median paired Δ wall vs all (same round) | slice = all's |`,
);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: | --- |`);
for (const n of names) {
  const w = med(samples[n].wall),
    c = med(samples[n].cpu);
  console.log(
    `| ${n} | ${w.toFixed(3)} s | ${c.toFixed(3)} s | ${(w / fw).toFixed(2)}× | ${(c / fc).toFixed(2)}× | ${n === "all" || n === "floor" ? "—" : `${(med(samples[n].wall.map((x, i) => x - samples.all.wall[i])) * 1000).toFixed(0)} ms`} | ${n === "floor" ? "—" : slices[n] === slices.all ? "yes" : "NO"} |`,
  );
}
rmSync(out, { recursive: true, force: true });
