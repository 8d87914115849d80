import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { startPrism, type PrismProcess } from "./prism-process.js";
import { startRecordingProxy, type RecordingProxy } from "./recording-proxy.js";
import { prismCompatible } from "./schema-walk.js";

/** Where one API version's mock can be reached (handed to the tests with vitest's `provide`). */
export interface VersionMock {
  version: string;
  specPath: string;
  /**
   * What the version's Prism processes load: `specPath`, or where Prism 5.14 could not compile some
   * schema of it, a copy it can ({@link prismCompatible}), with the pointers changed.
   */
  prism?: { specPath: string; changed: string[] };
  /** Prism mock, direct (negative controls). */
  prismUrl: string;
  /** Recording proxy in front of the Prism mock: what the clients talk to. */
  proxyUrl: string;
  /**
   * `prism proxy` whose upstream is the recording proxy: sends crafted bodies through Prism's
   * response validation (`sl-violations`).
   */
  validatingUrl: string;
}

/** A started set of mocks, one per version. */
export interface MockFleet {
  mocks: VersionMock[];
  /** Process ids (= group ids) of every Prism process of the fleet. */
  pids: number[];
  stop(): Promise<void>;
}

const running = new Set<PrismProcess>();
let handlersInstalled = false;

/** SIGKILLs every Prism group this process started; safe to call from any handler. */
export function killAllPrism(): void {
  for (const prism of running) prism.kill();
  running.clear();
}

/**
 * Makes sure no Prism survives this process: on `exit`, and on SIGINT/SIGTERM/SIGHUP (after
 * which the signal is re-raised with its default action when no one else handles it).
 */
function installCleanupHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", killAllPrism);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      killAllPrism();
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

async function track(start: Promise<PrismProcess>): Promise<PrismProcess> {
  const prism = await start;
  running.add(prism);
  return prism;
}

/**
 * Starts, for every `{ version, specPath }` and all in parallel: a Prism mock of the slice, a
 * recording proxy in front of it, and a validating `prism proxy` in front of the recording proxy.
 * Every listener gets its port from the kernel at bind time (no "free port" guessed in advance
 * that another process could take meanwhile). On any failure everything already started is
 * stopped again. With `pidFile`, writes the Prism pids there as JSON once all listen, atomically
 * (written aside, then renamed): a reader that sees the file sees all of it (the lifecycle test
 * waits for it to appear).
 */
export async function startMockFleet(
  versions: { version: string; specPath: string }[],
  options: { validating?: boolean; pidFile?: string } = {},
): Promise<MockFleet> {
  installCleanupHandlers();
  const prisms: PrismProcess[] = [];
  const proxies: RecordingProxy[] = [];
  let copies: string | undefined;
  /**
   * The file Prism loads for `specPath`: the slice, or a copy of it that Prism can compile
   * everywhere (written aside and renamed, in a directory removed with the fleet). Without it,
   * Prism validates nothing of a response whose schema it cannot compile, without a word.
   */
  const prismSpecOf = (version: string, specPath: string) => {
    const { document, changed } = prismCompatible(JSON.parse(readFileSync(specPath, "utf8")) as unknown);
    if (changed.length === 0) return { specPath, changed };
    copies ??= mkdtempSync(join(tmpdir(), "contract-prism-"));
    const copy = join(copies, `${version}-${basename(specPath)}`);
    writeFileSync(`${copy}.tmp`, JSON.stringify(document));
    renameSync(`${copy}.tmp`, copy);
    return { specPath: copy, changed };
  };
  const stop = async () => {
    await Promise.all([
      ...prisms.map(async (p) => {
        await p.stop();
        running.delete(p);
      }),
      ...proxies.map((p) => p.close()),
    ]);
    if (copies) rmSync(copies, { recursive: true, force: true });
  };
  const started = await Promise.allSettled(
    versions.map(async ({ version, specPath }): Promise<VersionMock> => {
      const prism = prismSpecOf(version, specPath);
      const mock = track(startPrism({ mode: "mock", specPath: prism.specPath }));
      // The recording proxy listens at once; it forwards to the mock once the mock listens.
      const proxy = await startRecordingProxy(mock.then((m) => m.url));
      proxies.push(proxy);
      const validating =
        options.validating === false
          ? undefined
          : track(startPrism({ mode: "proxy", specPath: prism.specPath, upstream: proxy.url }));
      const [m, v] = await Promise.allSettled([mock, validating]);
      for (const r of [m, v]) if (r.status === "fulfilled" && r.value) prisms.push(r.value);
      if (m.status === "rejected") throw m.reason;
      if (v.status === "rejected") throw v.reason;
      return {
        version,
        specPath,
        ...(prism.changed.length ? { prism } : {}),
        prismUrl: m.value.url,
        proxyUrl: proxy.url,
        validatingUrl: v.value?.url ?? "",
      };
    }),
  );
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const pids = prisms.map((p) => p.pid);
  if (options.pidFile) {
    const aside = `${options.pidFile}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify(pids));
    renameSync(aside, options.pidFile);
  }
  return { mocks: started.map((r) => (r as PromiseFulfilledResult<VersionMock>).value), pids, stop };
}
