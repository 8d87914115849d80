import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Header that tags every request of one contract case; records are looked up by it. */
export const CASE_HEADER = "x-contract-case";
/**
 * Header asking the proxy to answer by itself with a crafted `{ status, body }` (base64url JSON)
 * instead of forwarding: the upstream that `prism proxy` validates.
 */
export const SERVE_HEADER = "x-contract-serve";
/**
 * Header asking the proxy to paginate: with `N`, a 200 to a request for page `p` (its `page` query
 * parameter, default 1) gets GitHub's `Link` header with `rel="next"` (page p+1) while p < N, and
 * `rel="last"` (page N), pointing back at the proxy with the request's other query parameters.
 * With `loop`, every page's `rel="next"` is page 2: a client must stop at the repeated URL.
 */
export const PAGES_HEADER = "x-contract-pages";
/**
 * Header asking the proxy to give a redirect of the mock (a 3xx other than 304) the `Location` GitHub
 * would send: Prism's mock sends none, or the sample of a documented `Location` header (a URL on the
 * internet). With:
 * - `follow`: back at the proxy, {@link FOLLOW_PREFIX} + the request's path and query. The proxy
 *   forwards such a request to the mock without `Prefer`, so that the mock answers with the
 *   operation's own first answer, as GitHub answers at the new place.
 * - `download`: at the proxy's download host, another origin (another loopback port), which answers
 *   any request with {@link DOWNLOAD_BYTES}, as a file host (`codeload.github.com`) would.
 * - `none`: no `Location` at all.
 */
export const REDIRECT_HEADER = "x-contract-redirect";
/** Path prefix of a `follow` redirect's `Location` (see {@link REDIRECT_HEADER}). */
export const FOLLOW_PREFIX = "/__contract/follow";
/**
 * Path prefix standing in for the servers some operations are described on: a client made by the
 * harness sends an operation on `https://uploads.github.com` to `<proxy>/__contract/servers/uploads.github.com`
 * (its `servers` option), and the proxy forwards it to the mock without the prefix, recording the
 * server's host as {@link ExchangeRecord.via}.
 */
export const SERVERS_PREFIX = "/__contract/servers";
const STAND_IN = new RegExp(`^${SERVERS_PREFIX}/([^/]+)(?=/)`);
/** The URL under the proxy `proxyUrl` that stands for the described server `server` (see {@link SERVERS_PREFIX}). */
export const serverStandIn = (proxyUrl: string, server: string): string =>
  `${proxyUrl}${SERVERS_PREFIX}/${new URL(server).host}`;
/** What the download host answers (see {@link REDIRECT_HEADER}): the start of an empty zip archive, and a byte above 0x7f. */
export const DOWNLOAD_BYTES: Uint8Array = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, 0x00, 0xff]);
/** Control endpoint: `GET /__contract/records?case=<id>` → that case's {@link ExchangeRecord}s. */
export const RECORDS_PATH = "/__contract/records";

/** One request that reached the proxy and the answer it got (from Prism, or crafted). */
export interface ExchangeRecord {
  method: string;
  /** Raw path as sent, without the query. */
  path: string;
  /** Query entries in the order sent, decoded. */
  query: [string, string][];
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** The request body as text (`""` when there was none). */
  body: string;
  response: {
    status: number;
    headers: Record<string, string>;
    body: string;
    /** True when the proxy answered itself ({@link SERVE_HEADER}, or the download host). */
    crafted: boolean;
  };
  /** Which server it reached: the proxy in front of the mock, or the download host ({@link REDIRECT_HEADER}). */
  server: "mock" | "download";
  /** The host of the described server it was sent to, under {@link SERVERS_PREFIX}; absent for the API's. */
  via?: string;
}

/** GitHub's `Link` header for the page `url` asks for, out of `pages` (see {@link PAGES_HEADER}). */
function linkHeader(origin: string, url: URL, pages: string): string {
  const page = Number(url.searchParams.get("page") ?? 1);
  const to = (n: number) => {
    const next = new URL(url.pathname + url.search, origin);
    next.searchParams.set("page", String(n));
    return `<${next.href}>`;
  };
  if (pages === "loop") return `${to(2)}; rel="next"`;
  const last = Number(pages);
  return [...(page < last ? [`${to(page + 1)}; rel="next"`] : []), `${to(last)}; rel="last"`].join(", ");
}

/** A running {@link startRecordingProxy}. */
export interface RecordingProxy {
  url: string;
  /** The download host ({@link REDIRECT_HEADER}): `http://localhost:<port>`, another origin than {@link url}. */
  downloadUrl: string;
  close(): Promise<void>;
}

/** Encodes a crafted answer for {@link SERVE_HEADER}. */
export const craftedAnswer = (status: number, body: unknown): string =>
  Buffer.from(JSON.stringify({ status, body })).toString("base64url");

const flat = (headers: http.IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));

/** `application/vnd.github[.<param>]+json` → `application/json`; anything else unchanged. */
const forwardedAccept = (accept: string | undefined): string | undefined =>
  accept?.replace(/application\/vnd\.github(?:\.[\w-]+)?\+json/g, "application/json");

const readBody = (stream: http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });

/**
 * A loopback HTTP proxy in front of one Prism mock that records what reached the mock (method,
 * path, query, headers) and what Prism answered (status, `sl-violations`, body), per
 * {@link CASE_HEADER}. Prism ignores headers it does not know (`X-GitHub-Api-Version` among
 * them), so this record is how the suite sees that the client sent them.
 *
 * Two translations, both recorded as sent: GitHub's media type `Accept: application/vnd.github+json`
 * is forwarded as `application/json`, the only content type the description documents (Prism
 * does not treat `+json` as compatible and would answer 406/500); and a strong `ETag` is added to
 * 200 answers that lack one, as GitHub sends on every 200 (Prism's mock sends none, and the
 * client's ETag cache needs one to be exercised).
 */
export async function startRecordingProxy(upstream: string | Promise<string>): Promise<RecordingProxy> {
  const records = new Map<string, ExchangeRecord[]>();
  // The upstream may still be starting: requests wait for it (a failed start answers 502).
  const target = Promise.resolve(upstream).then((u) => new URL(u));
  target.catch(() => {});
  // A new connection per forwarded request: a kept-alive socket that Prism closes as idle just as
  // a request is sent on it ("socket hang up") is a race that gets likelier the slower the machine.
  const agent = new http.Agent({ keepAlive: false });

  /** The record of a request that reached `server`, kept under its {@link CASE_HEADER} (when it has one). */
  const recordOf = (req: http.IncomingMessage, url: URL, body: Buffer, server: ExchangeRecord["server"]) => {
    const record: ExchangeRecord = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: [...url.searchParams.entries()],
      headers: flat(req.headers),
      body: body.toString(),
      response: { status: 0, headers: {}, body: "", crafted: false },
      server,
    };
    const id = record.headers[CASE_HEADER];
    if (id) records.set(id, [...(records.get(id) ?? []), record]);
    return record;
  };

  // 1 MiB of headers, as Prism is started with: a crafted body travels in SERVE_HEADER.
  const server = http.createServer({ maxHeaderSize: 1 << 20 }, async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://proxy");
      if (url.pathname === RECORDS_PATH) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(records.get(url.searchParams.get("case") ?? "") ?? []));
        return;
      }
      const body = await readBody(req);
      // A described server's stand-in: the mock serves its operations, at the path without the prefix.
      const via = STAND_IN.exec(url.pathname);
      const rawUrl = via ? (req.url ?? "/").slice(via[0].length) : req.url;
      const record = recordOf(req, via ? new URL(rawUrl ?? "/", "http://proxy") : url, body, "mock");
      if (via) record.via = via[1];
      const { headers } = record;
      // At a `follow` redirect's place the mock answers as it does without `Prefer`: the operation's own answer.
      const followed = url.pathname.startsWith(`${FOLLOW_PREFIX}/`);
      const forwardedPath = followed ? (req.url ?? "/").slice(FOLLOW_PREFIX.length) : rawUrl;
      const forwardedHeaders: http.OutgoingHttpHeaders = {
        ...req.headers,
        accept: forwardedAccept(req.headers.accept),
      };
      if (followed) delete forwardedHeaders.prefer;

      if (headers[SERVE_HEADER]) {
        const { status, body: crafted } = JSON.parse(Buffer.from(headers[SERVE_HEADER], "base64url").toString()) as {
          status: number;
          body: unknown;
        };
        const text = JSON.stringify(crafted);
        record.response = { status, headers: { "content-type": "application/json" }, body: text, crafted: true };
        res.writeHead(status, { "content-type": "application/json" });
        res.end(text);
        return;
      }

      const to = await target;
      const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const forward = http.request(
          {
            agent,
            host: to.hostname,
            port: to.port,
            method: req.method,
            path: forwardedPath,
            headers: { ...forwardedHeaders, host: to.host },
          },
          resolve,
        );
        forward.on("error", reject);
        forward.end(body);
      });
      const answerBody = await readBody(answer);
      const answerHeaders = flat(answer.headers);
      if (answer.statusCode === 200 && !answerHeaders.etag) {
        answerHeaders.etag = `"${createHash("sha256").update(answerBody).digest("hex").slice(0, 32)}"`;
      }
      const pages = headers[PAGES_HEADER];
      if (answer.statusCode === 200 && pages) answerHeaders.link = linkHeader(`http://${req.headers.host}`, url, pages);
      const redirect = headers[REDIRECT_HEADER];
      const status = answer.statusCode ?? 0;
      if (redirect && status >= 300 && status < 400 && status !== 304) {
        delete answerHeaders.location;
        if (redirect === "follow") answerHeaders.location = `${FOLLOW_PREFIX}${req.url ?? "/"}`;
        else if (redirect === "download") answerHeaders.location = `${downloadUrl}/download${url.pathname}`;
      }
      record.response = {
        status: answer.statusCode ?? 0,
        headers: answerHeaders,
        body: answerBody.toString(),
        crafted: false,
      };
      res.writeHead(answer.statusCode ?? 502, answerHeaders);
      res.end(answerBody);
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`recording proxy: ${(error as Error).message}`);
    }
  });
  // No idle timeout on the clients' kept-alive connections, for the same reason (the clients
  // close them; `close()` ends the rest).
  server.keepAliveTimeout = 0;
  // The download host: records what reaches it (a redirect keeps the case header) and sends the bytes.
  const downloads = http.createServer(async (req, res) => {
    const body = await readBody(req).catch(() => Buffer.alloc(0));
    const record = recordOf(req, new URL(req.url ?? "/", "http://download"), body, "download");
    const answerHeaders = { "content-type": "application/octet-stream" };
    record.response = {
      status: 200,
      headers: answerHeaders,
      body: Buffer.from(DOWNLOAD_BYTES).toString("latin1"),
      crafted: true,
    };
    res.writeHead(200, answerHeaders);
    res.end(DOWNLOAD_BYTES);
  });
  downloads.keepAliveTimeout = 0;
  const listen = (s: http.Server, host: string) =>
    new Promise<number>((resolve) => s.listen(0, host, () => resolve((s.address() as AddressInfo).port)));
  // The download host is `localhost`, not 127.0.0.1: another origin, as codeload.github.com is to
  // api.github.com. It listens where `localhost` resolves first, which is where a client connects.
  const [port, downloadPort] = await Promise.all([listen(server, "127.0.0.1"), listen(downloads, "localhost")]);
  const downloadUrl = `http://localhost:${downloadPort}`;
  const closeServer = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    downloadUrl,
    close: async () => {
      agent.destroy();
      await Promise.all([closeServer(server), closeServer(downloads)]);
    },
  };
}

/** Fetches the records of case `id` from the proxy at `proxyUrl`. */
export async function fetchRecords(proxyUrl: string, id: string): Promise<ExchangeRecord[]> {
  const response = await fetch(`${proxyUrl}${RECORDS_PATH}?case=${encodeURIComponent(id)}`);
  if (!response.ok) throw new Error(`${proxyUrl}${RECORDS_PATH}: HTTP ${response.status}`);
  return (await response.json()) as ExchangeRecord[];
}
