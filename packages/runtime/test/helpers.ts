import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A `fetch` that records every `Request` it is given and answers with real `Response`s. */
export function recordingFetch(answer: (request: Request, index: number) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return answer(request, requests.length - 1);
  };
  return { fetch, requests };
}

/** JSON `Response` with GitHub's content type. */
export const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { "content-type": "application/json; charset=utf-8", ...(init.headers as Record<string, string>) },
  });

export interface SeenRequest {
  method: string;
  /** The raw request-target the server received, e.g. `/repos/a/b/codespaces/machines?ref=main`. */
  url: string;
  headers: IncomingMessage["headers"];
}

/** A real HTTP server on 127.0.0.1, port 0, that records what it receives. */
export async function startServer(handle: (req: IncomingMessage, res: ServerResponse, index: number) => void) {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    handle(req, res, seen.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Sends a JSON answer from a node:http handler. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}
