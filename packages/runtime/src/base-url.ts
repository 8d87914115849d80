import { must } from "./check-option.js";

/**
 * Validates `baseUrl` (default `https://api.github.com`) and drops trailing slashes. A path
 * prefix is kept, for GitHub Enterprise Server's `https://HOST/api/v3`; GHE.com data residency
 * hosts (`https://api.SUBDOMAIN.ghe.com`) need nothing special. The value is not echoed: it may
 * hold credentials. `name` is the option it is given as (`servers["https://uploads.github.com"]`).
 * @see https://docs.github.com/en/enterprise-cloud@latest/admin/data-residency/network-details-for-ghecom
 */
export function normalizeBaseUrl(baseUrl = "https://api.github.com", name = "baseUrl"): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {}
  // href, not search/hash: a bare "?" or "#" leaves those empty but stays in href.
  must(
    url && /^https?:$/.test(url.protocol) && !url.username && !url.password && !/[?#]/.test(url.href),
    name,
    "an absolute http(s) URL (http: or https:) without credentials, a query or a fragment",
  );
  return url!.href.replace(/\/+$/, "");
}
