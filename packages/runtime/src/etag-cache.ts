import { checkRange } from "./check-option.js";

/** A cached 200 answer: its `ETag` and parsed JSON body. */
export interface EtagCacheEntry {
  etag: string;
  data: unknown;
}

/**
 * Storage for conditional requests. Keys never contain the token (see {@link cacheKey}).
 * Implement it over Redis, IndexedDB, … to share cached answers; methods may be async.
 * @see https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
 */
export interface EtagCache {
  get(key: string): EtagCacheEntry | undefined | Promise<EtagCacheEntry | undefined>;
  set(key: string, entry: EtagCacheEntry): void | Promise<void>;
}

/**
 * In-memory cache that forgets the least recently used entry beyond `maxEntries`
 * (default 100). The default `cache` of every client.
 */
export function createMemoryEtagCache(maxEntries = 100): EtagCache {
  checkRange("maxEntries", maxEntries, 1);
  const map = new Map<string, EtagCacheEntry>();
  return {
    get(key) {
      const entry = map.get(key);
      if (entry) {
        // Re-insert so Map order is recency order.
        map.delete(key);
        map.set(key, entry);
      }
      return entry;
    },
    set(key, entry) {
      map.delete(key);
      map.set(key, entry);
      if (map.size > maxEntries) map.delete(map.keys().next().value as string);
    },
  };
}

/** FNV-1a (32-bit) over UTF-16 code units, from `seed`. */
const fnv1a = (text: string, seed: number): string => {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
};

/**
 * Non-reversible 64-bit fingerprint of a credential (two seeded FNV-1a runs), so that
 * answers cached for one token are never served to another while the token stays out
 * of every key.
 */
export const fingerprint = (secret: string): string => fnv1a(secret, 0x811c9dc5) + fnv1a(secret, 0x050c5d1f);

/** Cache key: method, full URL, API version, `Accept` and a fingerprint of `Authorization`. */
export const cacheKey = (method: string, url: string, headers: Record<string, string>): string =>
  [method, url, headers["x-github-api-version"], headers.accept, fingerprint(headers.authorization ?? "")].join(" ");
