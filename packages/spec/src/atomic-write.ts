import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import {
  constants,
  copyFile,
  link,
  lstat,
  mkdir,
  readFile,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { SpecError } from "./errors.js";

/** What an output path names when it is written: the file renamed over, and how. */
interface Target {
  /** The path as given (messages name it). */
  readonly path: string;
  /** Where the bytes go: the path itself, or the regular file a symlink names. */
  readonly file: string;
  readonly content: string;
  /** Permission bits of the file replaced, kept by the new one. */
  readonly mode: number | undefined;
  temp?: string;
  backup?: string;
  renamed?: boolean;
}

/**
 * Writes a set of files (a slice and its provenance; `spec update`'s slices, provenance, pins and
 * changesets) so that the set appears whole or not at all:
 *
 * 1. every target is checked first: it must be absent, a regular file, or a symlink to a regular file
 *    (then the file it names is replaced and the link kept). Anything else — a folder, a FIFO, a
 *    device such as `/dev/null`, a socket, a dangling symlink — is refused with one line, because a
 *    rename would silently replace it;
 * 2. every file is written to a temp file beside its target (missing folders are made);
 * 3. each existing target but the last gets a hard link (or copy) as a backup, then the temp files are
 *    renamed into place; if a rename fails, the targets already renamed are put back.
 *
 * On any failure the temp files, backups and folders this call made are removed, and the error is a
 * `SpecError`: one line naming the path and the reason (`cannot be written (EACCES: permission denied)`).
 */
export async function writeFilesAtomically(files: ReadonlyArray<{ path: string; content: string }>): Promise<void> {
  const targets: Target[] = [];
  for (const { path, content } of files) {
    const { file, mode } = await resolveTarget(path);
    const twice = targets.find((t) => t.file === file);
    if (twice) throw new SpecError(path, `is written twice in one set (also as ${twice.path})`);
    targets.push({ path, file, content, mode });
  }
  const madeFolders: string[] = [];
  try {
    for (const target of targets) {
      const folder = dirname(target.file);
      const made = await mkdir(folder, { recursive: true }).catch((error: unknown) => fail(target.path, error));
      // `mkdir` answers the first folder it made: every folder from there down to `folder` is ours.
      if (made) madeFolders.push(...foldersBetween(made, folder));
      target.temp = siblingName(target.file, "tmp");
      await writeFile(target.temp, target.content, {
        flag: "wx",
        ...(target.mode === undefined ? {} : { mode: target.mode }),
      }).catch((error: unknown) => {
        target.temp = undefined;
        return fail(target.path, error);
      });
    }
    for (const [i, target] of targets.entries()) {
      if (i === targets.length - 1 || target.mode === undefined) continue; // the last rename needs no way back
      target.backup = await backUp(target);
    }
    for (const target of targets) {
      await resolveTarget(target.path); // still a file we may replace (it could have changed meanwhile)
      await rename(target.temp!, target.file).catch((error: unknown) => fail(target.path, error));
      target.renamed = true;
      target.temp = undefined;
    }
  } catch (error) {
    await rollBack(targets, madeFolders);
    throw error;
  }
  await Promise.all(targets.map((t) => (t.backup ? rm(t.backup, { force: true }) : undefined)));
}

/**
 * The text of an output file as it is now, to compare with what would be written; undefined when there
 * is none or it is not a regular file (reading a FIFO would wait for a writer; `writeFilesAtomically`
 * then refuses to replace it, with one line).
 */
export async function readCurrent(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return readFile(path, "utf8").catch(() => undefined);
}

/** Checks what `path` names now; returns the file to write and the mode to keep. */
async function resolveTarget(path: string): Promise<{ file: string; mode: number | undefined }> {
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { file: resolve(path), mode: undefined };
    return fail(path, error);
  }
  if (info.isFile()) return { file: resolve(path), mode: info.mode & 0o7777 };
  if (!info.isSymbolicLink()) throw refused(path, kindOf(info));
  let target: Stats;
  try {
    target = await stat(path);
  } catch (error) {
    throw refused(path, `a symlink to nothing (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  if (!target.isFile()) throw refused(path, `a symlink to ${kindOf(target)}`);
  return { file: await realpath(path), mode: target.mode & 0o7777 };
}

function refused(path: string, what: string): SpecError {
  return new SpecError(path, `is ${what}, not a regular file; refusing to replace it`);
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  if (info.isSymbolicLink()) return "a symlink";
  return "not a regular file";
}

/** Keeps the current bytes of `target` under a sibling name: a hard link, or a copy where links fail. */
async function backUp(target: Target): Promise<string> {
  const backup = siblingName(target.file, "bak");
  try {
    await link(target.file, backup);
  } catch {
    await copyFile(target.file, backup, constants.COPYFILE_EXCL).catch((error: unknown) => fail(target.path, error));
  }
  return backup;
}

/** Puts back what was renamed, removes temp files, backups and the folders made: best effort, never throws. */
async function rollBack(targets: readonly Target[], madeFolders: readonly string[]): Promise<void> {
  for (const target of targets) {
    if (target.renamed) {
      if (target.backup) await rename(target.backup, target.file).catch(() => undefined);
      else if (target.mode === undefined) await rm(target.file, { force: true }).catch(() => undefined);
    }
  }
  await Promise.all(
    targets.flatMap((t) =>
      [t.temp, t.renamed ? undefined : t.backup]
        .filter((p): p is string => p !== undefined)
        .map((p) => rm(p, { force: true }).catch(() => undefined)),
    ),
  );
  // Deepest first; a folder that is not empty (someone else wrote there meanwhile) stays.
  for (const folder of [...new Set(madeFolders)].sort((a, b) => b.length - a.length))
    await rmdir(folder).catch(() => undefined);
}

/** `.<name>.<random>.<suffix>` beside `file`. */
function siblingName(file: string, suffix: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.${suffix}`);
}

/** `top` and every folder below it on the way to `bottom`. */
function foldersBetween(top: string, bottom: string): string[] {
  const out = [resolve(top)];
  const rest = relative(resolve(top), resolve(bottom));
  let at = resolve(top);
  for (const part of rest ? rest.split(/[\\/]/) : []) out.push((at = join(at, part)));
  return out;
}

/** A filesystem error as one line naming the path: `cannot be written (EACCES: permission denied)`. */
function fail(path: string, error: unknown): never {
  const e = error as NodeJS.ErrnoException;
  if (error instanceof SpecError) throw error;
  const reason = /^[A-Z0-9]+: ([^,]+)/.exec(e.message ?? "")?.[1];
  throw new SpecError(
    path,
    `cannot be written (${e.code ? `${e.code}${reason ? `: ${reason}` : ""}` : (e.message ?? String(error))})`,
  );
}
