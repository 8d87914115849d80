/**
 * Just enough of POSIX shell to see which programs a `run:` step starts: words (quotes, escapes,
 * line continuations, comments) and the separators `;`, `&&`, `||`, `|`, `&` and newline. What a
 * thin wrapper has no business doing — here-documents, command substitution, functions, control
 * flow — is reported, so that logic moves into a repository script where it can be tested.
 */

/** One simple command: leading `NAME=value` assignments, then the words. */
export interface SimpleCommand {
  readonly assignments: readonly string[];
  readonly words: readonly string[];
}

export interface ParsedScript {
  readonly commands: readonly SimpleCommand[];
  /** Constructs a wrapper should not contain; empty when the script is plain commands. */
  readonly unsupported: readonly string[];
}

const CONTROL_WORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "for",
  "while",
  "until",
  "do",
  "done",
  "case",
  "esac",
  "function",
  "{",
  "}",
  "(",
  ")",
]);

/** Splits a `run:` script into simple commands (words are unquoted; `$VAR` stays literal). */
export function parseScript(script: string): ParsedScript {
  const commands: SimpleCommand[] = [];
  const unsupported = new Set<string>();
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length) {
      let i = 0;
      while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
      if (CONTROL_WORDS.has(words[i] ?? "")) unsupported.add(`shell control flow (${words[i]})`);
      commands.push({ assignments: words.slice(0, i), words: words.slice(i) });
    }
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    const next = script[i + 1];
    if (c === "\\" && next === "\n") {
      i++;
      continue;
    }
    if (c === "\\" && next !== undefined) {
      word += next;
      inWord = true;
      i++;
      continue;
    }
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) {
        unsupported.add("an unterminated ' quote");
        break;
      }
      word += script.slice(i + 1, end);
      inWord = true;
      i = end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === "\\" && j + 1 < script.length) {
          word += script[++j];
          continue;
        }
        if (script[j] === "`" || (script[j] === "$" && script[j + 1] === "(")) unsupported.add("command substitution");
        word += script[j];
      }
      if (j >= script.length) {
        unsupported.add('an unterminated " quote');
        break;
      }
      inWord = true;
      i = j;
      continue;
    }
    if (c === "#" && !inWord) {
      const end = script.indexOf("\n", i);
      i = end < 0 ? script.length : end - 1;
      continue;
    }
    if (c === "`" || (c === "$" && next === "(")) unsupported.add("command substitution");
    if (c === "<" && next === "<") unsupported.add("a here-document");
    if (c === "(" || c === ")") {
      if (!inWord) unsupported.add("a subshell");
    }
    if (c === "\n" || c === ";" || c === "|" || c === "&") {
      endCommand();
      if ((c === "|" || c === "&") && next === c) i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      endWord();
      continue;
    }
    word += c;
    inWord = true;
  }
  endCommand();
  return { commands, unsupported: [...unsupported] };
}
