import { parentPort } from "node:worker_threads";
import type { NullableEnumMode } from "./json-schema.js";

/**
 * Validation off the main thread: the worker loads and compiles the OpenAPI schema validator and Ajv while the main thread reads and
 * parses the (13 MB) description, then validates the slice it is sent.
 */
const ready = import("./validate.js").then(async (m) => {
  await m.openApiValidator();
  m.prepareSchemaValidator();
  return m;
});

parentPort!.once("message", async ({ text, nullableEnum }: { text: string; nullableEnum?: NullableEnumMode }) => {
  try {
    const m = await ready;
    const errors = await m.validateStructure(JSON.parse(text) as Record<string, unknown>);
    const warnings = errors.length ? [] : m.validateExamples(JSON.parse(text) as Record<string, unknown>, nullableEnum);
    parentPort!.postMessage({ errors, warnings });
  } catch (error) {
    // One line: the main thread turns it into the run's error message.
    const e = error as Error;
    parentPort!.postMessage({ failure: e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]}` : String(error) });
  }
});
