#!/usr/bin/env node
// Request overhead: N sequential GETs to a loopback keep-alive server through our client
// (repoMachinesForAuthenticatedUser, cache off, default retry) vs bare fetch with the same
// headers vs @octokit/request. Rounds, each in the next of a balanced set of orders, medians.
//
// Each contender runs in its own process, as it would in an app: its own heap, GC and JIT; this
// process only starts them in turn and collects the times they report. With every contender in
// one process they shared undici's code (whose inline caches saw every caller's shapes) and each
// other's GC work: there our client measured 1.12-1.13x and an identical build 1.11x, while
// valgrind counts ~4.7 % more instructions per request for our client than for bare fetch, each
// run alone. Contenders that took turns in live processes side by side slowed each other too
// (an idle one's GC and JIT threads ran beside the active one on 2 cores). So each run is a new
// process, alone, gone before the next starts.
// Each round gives one paired ratio per contender (its time over bare fetch's in that round): a
// machine whose load drifts slows every contender of a round alike, so the median paired ratio
// moves far less than a ratio of medians taken minutes apart.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO, baseline, main, median, requireBuilt, verdicts } from "./lib.mjs";

const N = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
// Untimed calls of each contender process before its timed ones: undici's fetch reaches its
// steady speed only after several thousand calls (a new process here: 749, 234, then 194 µs per
// request over three runs of 3000), and a run timed before that measures the JIT, not the client.
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 8000);
const TARGET = 1.1;
const owner = "octo-org";
const repo = "hello-world";

/** One contender's call, set up in its own process: `kind` is bare | ours | octokit | before. */
async function contender(kind, baseUrl) {
  const client = requireBuilt();
  const apiVersion = process.env.BENCH_API_VERSION;
  if (kind === "octokit") {
    const { request } = await import("@octokit/request");
    const octo = request.defaults({
      baseUrl,
      headers: { authorization: "bearer bench-token", "x-github-api-version": apiVersion },
    });
    return async () => (await octo("GET /repos/{owner}/{repo}/codespaces/machines", { owner, repo })).data;
  }
  if (kind === "bare") {
    const headers = {
      accept: "application/vnd.github+json",
      "x-github-api-version": apiVersion,
      "user-agent": `${client.name}/0.0.0`,
      authorization: "Bearer bench-token",
    };
    return async () => {
      const res = await fetch(
        `${baseUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/codespaces/machines`,
        { headers },
      );
      if (!res.ok) throw new Error(`bare fetch: ${res.status}`);
      return res.json();
    };
  }
  const file = kind === "before" ? baseline().file : join(client.dir, "dist", "index.js");
  const gh = (await import(pathToFileURL(file).href)).createClient({ token: "bench-token", baseUrl, cache: false });
  return () => gh.repoMachinesForAuthenticatedUser({ owner, repo });
}

/** A contender's process: checks one answer, makes `warm` untimed calls, then reports the wall and CPU µs of `n` calls. */
async function serve(kind, baseUrl, warm, n) {
  const call = await contender(kind, baseUrl);
  const result = await call();
  if (result?.total_count !== 2) throw new Error(`${kind} returned ${JSON.stringify(result)}`);
  for (let i = 0; i < warm; i++) await call();
  const start = process.hrtime.bigint();
  const startCpu = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const wall = Number(process.hrtime.bigint() - start) / 1e3;
  const { user, system } = process.cpuUsage(startCpu);
  process.send({ wall, cpu: user + system });
  process.disconnect();
}

/** Runs contender `kind` in a new process of its own, until it has exited: the wall and CPU µs of its timed calls. */
async function runContender(kind, baseUrl, env) {
  const child = fork(import.meta.filename, ["--contender", kind, baseUrl, String(WARM_UP), String(N)], {
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let took;
  child.once("message", (message) => (took = message));
  const code = await new Promise((ok) => child.once("exit", ok));
  if (code !== 0 || !took) throw new Error(`the ${kind} contender exited with ${code}`);
  return took;
}

/**
 * Orders of `items` that balance position and neighbours (a Williams design): over n orders
 * (2n for an odd n) each item runs first, last and right after each other item equally often,
 * so the rounds of a short run are as balanced as a long one's.
 */
function balancedOrders(items) {
  const n = items.length;
  const first = [0];
  for (let k = 1; first.length < n; k++) {
    first.push(k);
    if (first.length < n) first.push(n - k);
  }
  const rows = items.map((_, r) => first.map((j) => items[(j + r) % n]));
  return n % 2 ? [...rows, ...rows.map((row) => [...row].reverse())] : rows;
}

export async function requestOverhead() {
  const client = requireBuilt();
  const { API_VERSION } = await import(pathToFileURL(join(client.dir, "dist", "index.js")).href);
  const octokitVersion = JSON.parse(
    readFileSync(join(REPO, "node_modules", "@octokit", "request", "package.json"), "utf8"),
  ).version;

  const server = fork(join(import.meta.dirname, "loopback-server.mjs"), {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const port = await new Promise((ok, fail) => {
    server.stdout.once("data", (chunk) => ok(Number(String(chunk).trim())));
    server.once("exit", (code) => fail(new Error(`loopback server exited with ${code}`)));
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const before = baseline();
    const kinds = {
      "bare fetch": "bare",
      [`${client.name} repoMachinesForAuthenticatedUser`]: "ours",
      [`@octokit/request ${octokitVersion}`]: "octokit",
      ...(before ? { [`${before.label} repoMachinesForAuthenticatedUser`]: "before" } : {}),
    };
    const names = Object.keys(kinds);
    const env = { ...process.env, BENCH_API_VERSION: API_VERSION };
    const times = Object.fromEntries(names.map((n) => [n, []]));
    // CPU time of each contender's process per request (user + system): the client's own work,
    // which a busy machine inflates far less than wall time. The server runs in another process.
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    // Paired ratios per round: this contender's time / bare fetch's in the same round.
    const ratios = Object.fromEntries(names.map((n) => [n, []]));
    const cpuRatios = Object.fromEntries(names.map((n) => [n, []]));
    // One order per round, in turn from a balanced set.
    const orders = balancedOrders(names);
    for (let round = 0; round < ROUNDS; round++) {
      const wall = {};
      const used = {};
      for (const name of orders[round % orders.length]) {
        // A new process for every run: a process's JIT and memory layout make it a few percent
        // faster or slower for its whole life (two processes of one build measured 7 % apart in
        // CPU), so each round draws its own and the median over rounds evens that out. One at a
        // time, and gone before the next starts: no other client's GC or JIT threads beside it.
        const took = await runContender(kinds[name], baseUrl, env);
        wall[name] = took.wall;
        used[name] = took.cpu;
      }
      for (const name of names) {
        times[name].push(wall[name] / N);
        cpu[name].push(used[name] / N);
        ratios[name].push(wall[name] / wall["bare fetch"]);
        cpuRatios[name].push(used[name] / used["bare fetch"]);
      }
    }
    const ours = median(times[names[1]]);
    const rows = names.map((name) => {
      const m = median(times[name]);
      const c = median(cpu[name]);
      const r = ratios[name];
      return `| ${name} | ${m.toFixed(1)} µs | ${Math.min(...times[name]).toFixed(1)} – ${Math.max(...times[name]).toFixed(1)} µs | ${median(r).toFixed(2)}× | ${Math.min(...r).toFixed(2)} – ${Math.max(...r).toFixed(2)}× | ${(ours / m).toFixed(2)}× | ${c.toFixed(1)} µs | ${median(cpuRatios[name]).toFixed(2)}× |`;
    });
    return [
      `${N} sequential GETs per contender per round, after ${WARM_UP} untimed ones, ${ROUNDS} rounds, each round in the next of a set of orders balanced for position and neighbour (a Williams design); every run in a new process of its own, one at a time, the loopback node:http keep-alive server in another; our client with \`cache: false\` and default retry; every contender parses the JSON body. "vs bare fetch" is the median over rounds of the paired ratio (the contender's time / bare fetch's in the same round), with its range; the target is on it, in wall time. CPU time (the contender's process, user + system) is shown beside it, as it moves less with the machine's load.`,
      "",
      "| contender | median per request | min – max (per-round means) | vs bare fetch (paired) | paired min – max | ours / this | median CPU per request | CPU vs bare fetch (paired) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows,
      "",
      verdicts([
        {
          name: "our client / bare fetch (per request, paired)",
          value: median(ratios[names[1]]).toFixed(2),
          limit: TARGET,
          unit: "×",
        },
        ...(before
          ? [
              {
                name: "before / bare fetch (per request, paired)",
                value: median(ratios[names[3]]).toFixed(2),
                limit: TARGET,
                unit: "×",
              },
            ]
          : []),
      ]),
    ].join("\n");
  } finally {
    server.disconnect();
    server.kill();
  }
}

if (process.argv[2] === "--contender") {
  const [kind, baseUrl, warm, n] = process.argv.slice(3);
  await serve(kind, baseUrl, Number(warm), Number(n));
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) await main("Request overhead", requestOverhead);
