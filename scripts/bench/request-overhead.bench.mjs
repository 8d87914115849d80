#!/usr/bin/env node
// Request overhead: N sequential GETs to a loopback keep-alive server through our client
// (repoMachinesForAuthenticatedUser, cache off, default retry) vs bare fetch with the same
// headers vs @octokit/request. Interleaved rounds, every order of the contenders in turn, medians.
//
// Each contender runs in its own process, as it would in an app: its own heap, GC and JIT. This
// process only says whose turn it is and adds up the times each contender reports. With every
// contender in one process they shared undici's code (whose inline caches saw every caller's
// shapes) and each other's GC work (marking and sweeping left by one ran in the next one's turn):
// there our client measured 1.12-1.13x and an identical build 1.11x, while valgrind counts ~4.7 %
// more instructions per request for our client than for bare fetch, each run alone (2026-11-30).
// In their own processes: 1.01-1.06x and the identical build 0.99-1.06x.
// Within a round the contenders take turns of BENCH_BLOCK timed requests, and each round gives
// one paired ratio per contender (its time over bare fetch's in that round): a machine whose load
// drifts slows every contender of a round alike, so the median paired ratio moves far less than a
// ratio of medians taken minutes apart. Every request's cost counts (sums per round, not a median
// per turn).
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO, baseline, main, median, requireBuilt, verdicts } from "./lib.mjs";

const N = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BLOCK = Math.min(N, Number(process.env.BENCH_BLOCK ?? 100));
// Untimed calls at the start of each turn: a contender's process slept through the others' turns,
// and its first calls pay for cold caches.
const WARM = Number(process.env.BENCH_WARM ?? 5);
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

/**
 * A contender's process: checks one answer, then answers `{ warm, run }` with the wall and CPU µs
 * of `run` calls made after `warm` untimed ones.
 */
async function serve(kind, baseUrl) {
  const call = await contender(kind, baseUrl);
  const result = await call();
  if (result?.total_count !== 2) throw new Error(`${kind} returned ${JSON.stringify(result)}`);
  process.on("message", async ({ warm, run }) => {
    for (let i = 0; i < warm; i++) await call();
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    for (let i = 0; i < run; i++) await call();
    const wall = Number(process.hrtime.bigint() - start) / 1e3;
    const { user, system } = process.cpuUsage(startCpu);
    process.send({ wall, cpu: user + system });
  });
  process.send({ ready: true });
}

/** Forks this file as contender `kind`'s process, once it has made its first call. */
async function spawnContender(kind, baseUrl, env) {
  const child = fork(import.meta.filename, ["--contender", kind, baseUrl], {
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise((ok, fail) => {
    child.once("message", ok);
    child.once("exit", (code) => fail(new Error(`the ${kind} contender exited with ${code}`)));
  });
  child.removeAllListeners("exit");
  return {
    child,
    /** Runs n timed calls (after WARM untimed ones) in the contender's process: their wall and CPU time. */
    run: (n) =>
      new Promise((ok, fail) => {
        const onExit = (code) => fail(new Error(`the ${kind} contender exited with ${code}`));
        child.once("exit", onExit);
        child.once("message", (took) => {
          child.off("exit", onExit);
          ok(took);
        });
        child.send({ warm: WARM, run: n });
      }),
  };
}

/** Every ordering of `items` (n! of them; the contenders are at most four). */
function permutations(items) {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
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
  const processes = [];
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
    const contenders = {};
    for (const name of names) {
      contenders[name] = await spawnContender(kinds[name], baseUrl, env);
      processes.push(contenders[name].child);
    }
    const times = Object.fromEntries(names.map((n) => [n, []]));
    // CPU time of each contender's process per request (user + system): the client's own work,
    // which a busy machine inflates far less than wall time. The server runs in another process.
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    // Paired ratios per round: this contender's time / bare fetch's in the same round.
    const ratios = Object.fromEntries(names.map((n) => [n, []]));
    const cpuRatios = Object.fromEntries(names.map((n) => [n, []]));
    // Every order of the contenders in turn, so that each one runs first, last and right after
    // each other one equally often.
    const orders = permutations(names);
    let turn = 0;
    for (let round = -1; round < ROUNDS; round++) {
      const wall = Object.fromEntries(names.map((n) => [n, 0]));
      const used = Object.fromEntries(names.map((n) => [n, 0]));
      for (let block = 0; block < N / BLOCK; block++) {
        for (const name of orders[turn++ % orders.length]) {
          const took = await contenders[name].run(BLOCK);
          wall[name] += took.wall;
          used[name] += took.cpu;
        }
      }
      // round -1 warms up JIT and sockets
      if (round < 0) continue;
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
      `${N} sequential GETs per contender per round, taken in turns of ${BLOCK} timed requests after ${WARM} untimed ones (each turn in the next of every possible order), ${ROUNDS} rounds after one warm-up round; each contender in its own process, the loopback node:http keep-alive server in another; our client with \`cache: false\` and default retry; every contender parses the JSON body. "vs bare fetch" is the median over rounds of the paired ratio (the contender's time / bare fetch's in the same round), with its range; the target is on it, in wall time. CPU time (the contender's process, user + system) is shown beside it, as it moves less with the machine's load.`,
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
    for (const child of processes) child.kill();
    server.disconnect();
    server.kill();
  }
}

if (process.argv[2] === "--contender") await serve(process.argv[3], process.argv[4]);
else if (import.meta.url === pathToFileURL(process.argv[1]).href) await main("Request overhead", requestOverhead);
