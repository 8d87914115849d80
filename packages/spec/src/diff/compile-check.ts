import type * as TS from "typescript";
import { typesOf } from "../types-of.js";
import type { DiffResult } from "./compare.js";
import { RULES, type RuleId, type SemverSettings } from "./rules.js";
import { NEW_TYPES, OLD_TYPES, usageOf } from "./usage.js";

type JsonObject = Record<string, unknown>;

/** What the compiler says about a classified diff. */
export interface CompileVerdict {
  /** `agrees`, `misclassified` (not major, yet the old usage breaks), `overridden` (major by rule, yet it compiles), `inconclusive`. */
  readonly outcome: "agrees" | "misclassified" | "overridden" | "inconclusive";
  /** Compiler diagnostics of the old usage against the new types, one line each: operation, pointer, code, message. */
  readonly diagnostics: readonly string[];
  /** Lines for the update report. */
  readonly report: readonly string[];
}

/** Where the in-memory files live; never on disk. */
const ROOT = "/semver-check";
const USAGE_FILE = `${ROOT}/usage.ts`;

/**
 * Checks a classification with the TypeScript compiler: the usage of `oldDoc` (`usage.ts`: every
 * operation called with every parameter, every response property read, every enum member matched)
 * is compiled, in process and on in-memory files (`strict`, `noEmit`), against the types the
 * generator makes for `newDoc` (`typesOf`, openapi-typescript). A usage that no longer compiles
 * while the bump is not major means a rule misclassified the change; a usage that compiles while
 * the bump is major is reported with the rule that decided it and why (`RULES[rule].beyondTypes`).
 * If the usage does not even compile against the old types, the check says so and decides nothing.
 */
export async function checkWithCompiler(
  oldDoc: JsonObject,
  newDoc: JsonObject,
  diff: DiffResult,
  settings: SemverSettings,
): Promise<CompileVerdict> {
  const usage = usageOf(oldDoc, settings);
  let oldTypes: string;
  let newTypes: string;
  try {
    [oldTypes, newTypes] = await Promise.all([cachedTypesOf(oldDoc), cachedTypesOf(newDoc)]);
  } catch (error) {
    // A slice openapi-typescript cannot read (say, a hand-broken committed one) has no types to compile against.
    const reason = `openapi-typescript cannot read a slice: ${(error as Error).message.split("\n")[0]}`;
    return { outcome: "inconclusive", diagnostics: [], report: [`compiler: inconclusive — ${reason}`] };
  }
  const baseline = await compile(usage.text, oldTypes, oldTypes, usage.about);
  if (baseline.length) {
    return {
      outcome: "inconclusive",
      diagnostics: baseline,
      report: [`compiler: inconclusive — the usage does not compile against the old types itself (${baseline[0]})`],
    };
  }
  const diagnostics = await compile(usage.text, oldTypes, newTypes, usage.about);
  const bump = diff.bump ?? "none";
  if (diagnostics.length && diff.bump !== "major") {
    return {
      outcome: "misclassified",
      diagnostics,
      report: [
        `compiler: DISAGREES — classified ${bump}, but the old usage does not compile against the new types (${diagnostics.length} diagnostic(s))`,
      ],
    };
  }
  if (diagnostics.length) {
    return {
      outcome: "agrees",
      diagnostics,
      report: [
        `compiler: agrees — major, and the old usage does not compile against the new types (${diagnostics.length} diagnostic(s))`,
      ],
    };
  }
  if (diff.bump !== "major") {
    return {
      outcome: "agrees",
      diagnostics,
      report: [`compiler: agrees — ${bump}, and the old usage compiles against the new types`],
    };
  }
  const rules = [...new Set(diff.changes.filter((c) => c.bump === "major").map((c) => c.rule))];
  return {
    outcome: "overridden",
    diagnostics,
    report: rules.map((rule) => `compiler: major by rule ${rule} although the old usage compiles: ${whyMajor(rule)}`),
  };
}

/** Why a rule is major beyond what the types show. */
function whyMajor(rule: RuleId): string {
  const row = RULES[rule] as { readonly means: string; readonly beyondTypes?: string };
  return row.beyondTypes ?? row.means;
}

const typesCache = new Map<string, Promise<string>>();

/** `typesOf`, once per distinct document in this process (GitHub's versions often share a slice). */
function cachedTypesOf(document: JsonObject): Promise<string> {
  const key = JSON.stringify(document);
  let types = typesCache.get(key);
  if (!types) {
    types = typesOf(document);
    typesCache.set(key, types);
  }
  return types;
}

let tsReady: Promise<typeof TS> | undefined;
/** Parsed lib files, shared by every compilation in this process. */
const libFiles = new Map<string, TS.SourceFile | undefined>();

/** Compiles the usage against two type modules; returns its diagnostics, one line each. */
async function compile(
  usage: string,
  oldTypes: string,
  newTypes: string,
  about: readonly (string | undefined)[],
): Promise<string[]> {
  // Imported on demand: the compiler is ~9 MB of JavaScript that only this check needs.
  tsReady ??= import("typescript").then((m) => (m as unknown as { default: typeof TS }).default ?? m);
  const ts = await tsReady;
  const files = new Map([
    [USAGE_FILE, usage],
    [`${ROOT}/${OLD_TYPES.slice(2)}.ts`, oldTypes],
    [`${ROOT}/${NEW_TYPES.slice(2)}.ts`, newTypes],
  ]);
  const options: TS.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // The usage needs only the basic utility types (NonNullable, Extract, Exclude).
    lib: ["lib.es5.d.ts"],
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  host.getSourceFile = (name, language, onError) => {
    const text = files.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, language, true);
    if (!libFiles.has(name)) libFiles.set(name, getSourceFile.call(host, name, language, onError));
    return libFiles.get(name);
  };
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.directoryExists = (name) => name === ROOT || (directoryExists?.call(host, name) ?? true);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.writeFile = () => undefined;
  const program = ts.createProgram([USAGE_FILE], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/\s+/g, " ");
    if (!d.file || d.start === undefined) return `TS${d.code} ${message}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const where =
      d.file.fileName === USAGE_FILE
        ? (about[line] ?? `usage.ts:${line + 1}`)
        : `${d.file.fileName.slice(ROOT.length + 1)}:${line + 1}`;
    return `${where}: TS${d.code} ${message}`;
  });
}
