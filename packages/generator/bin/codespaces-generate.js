#!/usr/bin/env node
// Committed entry point, so that `pnpm install` can link the bin before the first build;
// the CLI itself is dist/cli.js (built by `pnpm build`).
import "../dist/cli.js";
