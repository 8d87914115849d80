import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, basename } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * Writes several files so that none is half-written: each goes to a temp file in its own folder,
 * then all are renamed into place. If any write fails, the temp files are removed and no target
 * has changed.
 */
export async function writeFilesAtomically(files: ReadonlyArray<{ path: string; content: string }>): Promise<void> {
  const temps: { temp: string; path: string }[] = [];
  try {
    for (const { path, content } of files) {
      await mkdir(dirname(path), { recursive: true });
      const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
      temps.push({ temp, path });
      await writeFile(temp, content, { flag: "wx" });
    }
  } catch (error) {
    await Promise.all(temps.map(({ temp }) => rm(temp, { force: true })));
    throw error;
  }
  for (const { temp, path } of temps) await rename(temp, path);
}
