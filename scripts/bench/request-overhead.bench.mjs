#!/usr/bin/env node
// Request overhead: N sequential GETs to a loopback keep-alive server through our client
// (repoMachinesForAuthenticatedUser, cache off, default retry) vs bare fetch with the same
// headers vs @octokit/request. Interleaved rounds, order rotated, medians.
// Within a round the contenders take turns in blocks of BENCH_BLOCK requests, and each round
// gives one paired ratio per contender (its time over bare fetch's in that round): a machine
// whose load drifts slows every contender of a round alike, so the median paired ratio moves
// far less than a ratio of medians taken minutes apart. The turns are short (25 requests, a few
// ms) because this machine's speed drifts within a round: with turns of 250 the paired ratio of
// one build ranged 0.70–1.43× over 11 rounds under load and 1.02–1.26× quiet; with turns of 25,
// 1.01–1.22× and 0.97–1.17×. Every request's cost still counts (sums per round, not a median per
// turn), and a scavenge lands in the turn whose allocation filled the young generation, so each
// contender pays GC in proportion to what it allocates, whatever the turn length.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO, baseline, main, median, requireBuilt, verdicts } from "./lib.mjs";

const N = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BLOCK = Math.min(N, Number(process.env.BENCH_BLOCK ?? 25));
const TARGET = 1.1;

export async function requestOverhead() {
  const client = requireBuilt();
  const { createClient, API_VERSION } = await import(pathToFileURL(join(client.dir, "dist", "index.js")).href);
  const { request } = await import("@octokit/request");
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
  const owner = "octo-org";
  const repo = "hello-world";
  try {
    const gh = createClient({ token: "bench-token", baseUrl, cache: false });
    const headers = {
      accept: "application/vnd.github+json",
      "x-github-api-version": API_VERSION,
      "user-agent": `${client.name}/0.0.0`,
      authorization: "Bearer bench-token",
    };
    const octo = request.defaults({
      baseUrl,
      headers: { authorization: "bearer bench-token", "x-github-api-version": API_VERSION },
    });
    const contenders = {
      "bare fetch": async () => {
        const res = await fetch(
          `${baseUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/codespaces/machines`,
          { headers },
        );
        if (!res.ok) throw new Error(`bare fetch: ${res.status}`);
        return res.json();
      },
      [`${client.name} repoMachinesForAuthenticatedUser`]: () => gh.repoMachinesForAuthenticatedUser({ owner, repo }),
      [`@octokit/request ${octokitVersion}`]: async () =>
        (await octo("GET /repos/{owner}/{repo}/codespaces/machines", { owner, repo })).data,
    };
    const before = baseline();
    if (before) {
      const old = (await import(pathToFileURL(before.file).href)).createClient({
        token: "bench-token",
        baseUrl,
        cache: false,
      });
      contenders[`${before.label} repoMachinesForAuthenticatedUser`] = () =>
        old.repoMachinesForAuthenticatedUser({ owner, repo });
    }
    const names = Object.keys(contenders);
    const times = Object.fromEntries(names.map((n) => [n, []]));
    // CPU time of this process per request (user + system): the client's own work, which a busy
    // machine inflates far less than wall time. The server runs in another process.
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    for (const name of names) {
      const result = await contenders[name]();
      if (result?.total_count !== 2) throw new Error(`${name} returned ${JSON.stringify(result)}`);
    }
    // Paired ratios per round: this contender's time / bare fetch's in the same round.
    const ratios = Object.fromEntries(names.map((n) => [n, []]));
    const cpuRatios = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = -1; round < ROUNDS; round++) {
      const wall = Object.fromEntries(names.map((n) => [n, 0]));
      const used = Object.fromEntries(names.map((n) => [n, 0]));
      for (let block = 0; block < N / BLOCK; block++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(k + block + Math.max(round, 0)) % names.length];
          const call = contenders[name];
          const start = process.hrtime.bigint();
          const startCpu = process.cpuUsage();
          for (let i = 0; i < BLOCK; i++) await call();
          wall[name] += Number(process.hrtime.bigint() - start) / 1e3;
          const { user, system } = process.cpuUsage(startCpu);
          used[name] += user + system;
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
      `${N} sequential GETs per contender per round, taken in turns of ${BLOCK} (order rotated each turn), ${ROUNDS} rounds after one warm-up round; loopback node:http keep-alive server in a child process; our client with \`cache: false\` and default retry; every contender parses the JSON body. "vs bare fetch" is the median over rounds of the paired ratio (the contender's time / bare fetch's in the same round), with its range; the target is on it, in wall time. CPU time (this process, user + system) is shown beside it, as it moves less with the machine's load.`,
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

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main("Request overhead", requestOverhead);
