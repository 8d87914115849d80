import { readFile } from "node:fs/promises";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * @actions/workflow-parser 0.3.x imports its schema as `import … from "../workflow-v1.0.min.json"`
 * without `with { type: "json" }`, which Node's own loader refuses, so vite loads the package
 * (`server.deps.inline`). Its source maps name TypeScript sources the package does not ship; this
 * plugin drops the map comments so vite does not warn once per file.
 */
const workflowParserWithoutSourceMaps: Plugin = {
  name: "workflow-parser-without-source-maps",
  enforce: "pre",
  async load(id) {
    const file = id.split("?")[0]!;
    if (!/[\\/]@actions[\\/]workflow-parser[\\/]dist[\\/].*\.js$/.test(file)) return null;
    const code = await readFile(file, "utf8");
    return { code: code.replace(/^\/\/# sourceMappingURL=.*$/gm, ""), map: null };
  },
};

export default defineConfig({
  plugins: [workflowParserWithoutSourceMaps],
  test: {
    include: ["test/**/*.test.ts"],
    // Upper bounds that only end a hung run (a git or node child that never exits); nothing here
    // judges speed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
