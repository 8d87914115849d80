import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { Transform, Writable, type Duplex } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { LIMITS } from "./limits.js";

/** Why a download stopped; the caller words it for its source. */
export class DownloadError extends Error {
  override readonly name = "DownloadError";
  constructor(
    readonly kind: "timeout" | "too-large" | "inflates-too-much" | "network" | "encoding" | "redirect",
    message: string,
  ) {
    super(message);
  }
}

export interface GetOptions {
  readonly headers: Readonly<Record<string, string>>;
  /** The whole exchange — connection, redirects, body — ends after this many milliseconds. */
  readonly timeoutMs: number;
  /** Most bytes accepted, both as sent (compressed) and after `Content-Encoding` is undone. */
  readonly maxBytes: number;
}

export interface GetResult {
  readonly status: number;
  readonly statusText: string;
  /** The body, decoded; only for 2xx answers. */
  readonly body?: Buffer;
}

/**
 * An HTTP(S) GET with the bounds `fetch` lacks: the body is counted as it arrives — the bytes sent and,
 * for `gzip`/`deflate`/`br` bodies, the bytes they inflate to — and the download stops as soon as
 * either passes `maxBytes` (an endless body, or a small gzip body that inflates to gigabytes). Redirects
 * are followed like `fetch` does (at most 20; the `authorization` header is dropped when the origin
 * changes). Node's `http`/`https` are used rather than `fetch` because `fetch` decompresses out of sight.
 */
export async function httpGet(url: URL, options: GetOptions): Promise<GetResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br", ...options.headers };
  let target = url;
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await send(target, headers, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location) {
        response.resume();
        if (redirects >= LIMITS.maxRedirects)
          throw new DownloadError("redirect", `more than ${LIMITS.maxRedirects} redirects`);
        const next = new URL(location, target);
        if (next.protocol !== "http:" && next.protocol !== "https:")
          throw new DownloadError("redirect", `redirected to an unsupported scheme ${next.protocol}`);
        if (next.origin !== target.origin) delete headers.authorization;
        target = next;
        continue;
      }
      if (status < 200 || status > 299) {
        response.resume();
        return { status, statusText: response.statusMessage ?? "" };
      }
      return {
        status,
        statusText: response.statusMessage ?? "",
        body: await readBody(response, options.maxBytes, signal),
      };
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    if (signal.aborted) throw new DownloadError("timeout", `timed out after ${options.timeoutMs} ms`);
    const e = error as NodeJS.ErrnoException;
    // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR, …): the body is not what its Content-Encoding says.
    if (e.code?.startsWith("Z_")) throw new DownloadError("encoding", `body could not be decoded (${e.message})`);
    throw new DownloadError("network", e.message || e.code || String(error));
  }
}

function send(url: URL, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      { method: "GET", headers, signal },
      resolve,
    );
    request.once("error", reject);
    request.end();
  });
}

/** The body, with `Content-Encoding` undone, both sizes counted against `maxBytes` as the bytes arrive. */
async function readBody(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new DownloadError(
      "too-large",
      `is ${declared} bytes (Content-Length), more than the limit of ${maxBytes} bytes`,
    );
  }
  // `gzip, br` means gzip was applied first: undo them last to first.
  const codings = String(response.headers["content-encoding"] ?? "")
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "" && c !== "identity")
    .reverse();
  const decoders: Duplex[] = codings.map((coding) => {
    if (coding === "gzip" || coding === "x-gzip") return createGunzip();
    if (coding === "deflate") return createInflate();
    if (coding === "br") return createBrotliDecompress();
    response.destroy();
    throw new DownloadError("encoding", `has an unsupported Content-Encoding ${JSON.stringify(coding)}`);
  });
  let sent = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      if (sent > maxBytes) done(new DownloadError("too-large", `is more than the limit of ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(
          new DownloadError(
            "inflates-too-much",
            `inflates (${codings.join(", ")}) to more than the limit of ${maxBytes} bytes`,
          ),
        );
        return;
      }
      chunks.push(chunk);
      done();
    },
  });
  await pipeline([response, counted, ...decoders, sink], { signal });
  return Buffer.concat(chunks, size);
}
