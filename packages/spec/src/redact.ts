/** What may be printed or written of a URL: no userinfo, no secret-looking query values. */

/** Query parameter names that carry secrets: `token`, `access_token`, `sig`, `X-Amz-Signature`, `api_key`, `password`… */
const SECRET_PARAMETER = /token|key|secret|sig|password|passwd|auth|credential/i;

/**
 * Removes userinfo (RFC 3986 §3.2.1, `user:password@`) and secret-looking query parameters (values
 * replaced by `REDACTED`) so a URL can be printed or written. A URL with neither is returned as given.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/[^@/\s]*@/, "//");
  }
  let changed = false;
  if (u.username || u.password) {
    u.username = "";
    u.password = "";
    changed = true;
  }
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMETER.test(key)) {
      u.searchParams.set(key, "REDACTED");
      changed = true;
    }
  }
  return changed ? u.toString() : url;
}

/**
 * `redactUrl` applied to every URL inside a line of text or a file we write (messages, changesets,
 * reports, provenance): what `spec update`, `spec diff` and `extract` print or write goes through it.
 */
export function redactSecrets(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]+/gi, (url) => redactUrl(url));
}
