/**
 * Validates `baseUrl` (default `https://api.github.com`) and drops trailing slashes. A path
 * prefix is kept, for GitHub Enterprise Server's `https://HOST/api/v3`; GHE.com data residency
 * hosts (`https://api.SUBDOMAIN.ghe.com`) need nothing special.
 * @see https://docs.github.com/en/enterprise-cloud@latest/admin/data-residency/network-details-for-ghecom
 */
export function normalizeBaseUrl(baseUrl = "https://api.github.com"): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`baseUrl must use http: or https:, got ${JSON.stringify(url.protocol)}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new TypeError("baseUrl must not contain credentials, a query or a fragment");
  }
  return url.href.replace(/\/+$/, "");
}
