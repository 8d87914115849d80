import { normalizeBaseUrl } from "./base-url.js";
import type { OperationDescriptor, ResponseBodyKind } from "./operation-types.js";
import { noParameter } from "./parameters.js";

/** What {@link RequestShapes.split} makes of the parameters that are not path or query ones. */
export interface RequestExtras {
  /** Header parameters, and `content-type` when there is a body. */
  header: Record<string, unknown>;
  /** The encoded body: JSON text, or a non-JSON body as given (a string, `Blob`, `ArrayBuffer`, …). */
  body?: BodyInit;
  /** For an operation described on a server of its own: that server's URL for this client. */
  origin?: string;
}

/**
 * Header parameters, request bodies and non-JSON answers (`@codespaces-clients/runtime/shapes`).
 * A generated package passes it in its client definition when one of its operations has any of
 * them; a package of bodiless JSON operations leaves it out, and so ships none of this code.
 */
export interface RequestShapes {
  /**
   * Takes the parameters of one call that are not path or query ones. Body fields sit at the top
   * level when the descriptor lists them (`body.fields`); any other body (an array, a string,
   * binary, or an object with a field named like a parameter) is `data`. A name the operation does
   * not take is a `TypeError`. For an operation on a server of its own (`op.server`), `origin` is
   * where the client of `baseUrl` and `servers` (its options) sends it: see
   * `GitHubClientOptions.servers`; a URL `servers` gives is checked like `baseUrl`.
   */
  split(
    op: OperationDescriptor,
    rest: Record<string, unknown>,
    baseUrl?: string,
    servers?: Readonly<Record<string, string>>,
  ): RequestExtras;
  /**
   * Reads a successful answer the way its operation's description says: `text` as a string,
   * `binary` as an `ArrayBuffer`, `none` (204, or a documented answer without content) as
   * `undefined`, its body discarded. JSON (the default) is read by the pipeline's parser. Without a
   * kind (a non-JSON answer to a call with an `Accept` of its own), as the answer says: text for
   * `text/…` or a charset, else an `ArrayBuffer`.
   */
  readBody(response: Response, kind: ResponseBodyKind | undefined): Promise<unknown>;
}

const GITHUB = "https://api.github.com";

/**
 * The URL of the server `server` (`https://uploads.github.com`, as the generator wrote it) for a
 * client whose API root is `baseUrl`, when the client's `servers` option does not say: the server
 * itself for GitHub's API; for a server `https://NAME.github.com`, its counterpart on GitHub
 * Enterprise Server (`https://HOST/api/v3` → `https://HOST/api/NAME`) and on GHE.com
 * (`https://api.SUBDOMAIN.ghe.com` → `https://NAME.SUBDOMAIN.ghe.com`); else `baseUrl` itself (a
 * mock, a proxy: where the client was pointed). Three anchored regexes without nested quantifiers: linear.
 */
function serverUrlOf(server: string, baseUrl: string): string {
  if (baseUrl === GITHUB) return server;
  const name = /^https:\/\/([\w-]+)\.github\.com$/.exec(server)?.[1];
  return name
    ? baseUrl.replace(/\/api\/v3$/, `/api/${name}`).replace(/^(https?:\/\/)api(\.[\w-]+\.ghe\.com)$/, `$1${name}$2`)
    : baseUrl;
}

export const shapes: RequestShapes = {
  split(op, rest, baseUrl = GITHUB, servers = {}) {
    const { body: spec, headerParams = [], server } = op;
    const fields = spec?.fields;
    const header: Record<string, unknown> = {};
    const values: Record<string, unknown> = {};
    let data: unknown;
    let hasFields = false;
    for (const name in rest) {
      const value = rest[name];
      if (headerParams.includes(name)) header[name] = value;
      else if (fields?.includes(name)) {
        values[name] = value;
        hasFields = true;
      } else if (spec && !fields && name === "data") data = value;
      else throw noParameter(op, name, [...headerParams, ...(spec ? (fields ?? ["data"]) : [])]);
    }
    if (hasFields || (fields && spec.required)) data = values;
    const extras: RequestExtras = { header };
    if (server) {
      // Own entries only: an inherited one (a polluted prototype) must not move the token elsewhere.
      const given = Object.hasOwn(servers, server) ? servers[server] : undefined;
      extras.origin =
        given === undefined
          ? serverUrlOf(server, baseUrl)
          : normalizeBaseUrl(given, `servers[${JSON.stringify(server)}]`);
    }
    if (!spec || data === undefined) return extras;
    const json = /json/i.test(spec.mediaType);
    header["content-type"] = json ? "application/json" : spec.mediaType;
    extras.body = json ? JSON.stringify(data) : (data as BodyInit);
    return extras;
  },
  async readBody(response, kind) {
    // No kind: a representation the caller asked for (`Accept`), text when it says so (`text/…`, a
    // charset: GitHub's `application/vnd.github.diff; charset=utf-8`), else bytes (an asset's
    // `application/octet-stream`).
    kind ??= /^text\/|charset=/i.test(response.headers.get("content-type") ?? "") ? "text" : "binary";
    if (kind === "text") return response.text();
    if (kind === "binary") return response.arrayBuffer();
    await response.body?.cancel();
    return undefined;
  },
};
