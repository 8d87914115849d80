import { readFileSync } from "node:fs";

/** `@codespaces-clients/spec@<version>`, read from this package's package.json. */
export const TOOL = (() => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    name: string;
    version: string;
  };
  return `${pkg.name}@${pkg.version}`;
})();
