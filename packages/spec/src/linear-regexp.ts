import { createRequire } from "node:module";
import type { RE2JS } from "re2js";

/**
 * Schema `pattern`s run by a linear-time engine: RE2's algorithm (re2js, pure JavaScript: no native
 * build). JavaScript's own engine backtracks, so `^(a+)+$` against a 30-character example once ran for
 * more than a minute; RE2 answers in time linear in the input. RE2 has no lookaround and no
 * backreferences: a pattern that uses them cannot be checked, and `patternProblem` says why (the
 * example checks turn that into a warning naming the pattern's pointer, and treat the pattern as met).
 */

type Engine = typeof RE2JS;
let engine: Engine | undefined;
/** Loaded on first use: slices without patterns (GitHub's machines slice) never pay for it. */
const re2 = (): Engine => (engine ??= (createRequire(import.meta.url)("re2js") as { RE2JS: Engine }).RE2JS);

const compiled = new Map<string, RE2JS | string>();

/** The compiled pattern, or why RE2 cannot run it. */
function compile(pattern: string): RE2JS | string {
  let result = compiled.get(pattern);
  if (result === undefined) {
    try {
      result = re2().compile(toRe2Syntax(pattern));
    } catch (error) {
      result = (error as Error).message.replace(/^error parsing regexp: /, "");
    }
    compiled.set(pattern, result);
  }
  return result;
}

/** Why `pattern` cannot be checked in linear time, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  const result = compile(pattern);
  return typeof result === "string" ? result : undefined;
}

/**
 * `pattern` as a test run in linear time. A pattern RE2 cannot run matches everything, so it never fails
 * an example; `patternProblem` reports it.
 */
export function linearTest(pattern: string): (text: string) => boolean {
  const result = compile(pattern);
  return typeof result === "string" ? () => true : (text) => result.test(text);
}

/**
 * ECMAScript pattern syntax that RE2 spells differently: `\uXXXX` and `\u{X}` become `\x{X}`, and a
 * named group `(?<name>…)` becomes `(?P<name>…)`. Everything else is left as written, so a construct
 * RE2 lacks is an error (a warning) rather than a silent change of meaning.
 */
function toRe2Syntax(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const unicode = /^u\{([0-9a-fA-F]+)\}|^u([0-9a-fA-F]{4})/.exec(pattern.slice(i + 1, i + 12));
      if (unicode) {
        out += `\\x{${unicode[1] ?? unicode[2]}}`;
        i += unicode[0].length;
      } else {
        out += pattern.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") inClass = true;
    else if (c === "(" && /^\?<[A-Za-z_]/.test(pattern.slice(i + 1, i + 4))) {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}
