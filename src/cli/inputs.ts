import { accessSync, constants, createReadStream, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import type { ArticleInput } from "../engine/types.js";
import { baseName, looksBinary, parseJsonl, plainTextInput } from "../store/import.js";
import { htmlToArticle, htmlToText, loadHtmlSupport } from "./html.js";

/** Reading the CLI's input files (.txt, .html, .jsonl) into article inputs. Node only. */

export const TEXT_EXT = new Set([".txt"]);
export const HTML_EXT = new Set([".html", ".htm"]);
export const JSONL_EXT = new Set([".jsonl", ".ndjson"]);

export type Kind = "txt" | "html" | "jsonl";

export class UsageError extends Error {}
export class InputError extends Error {}

export function kindOf(path: string): Kind | null {
  const ext = extname(path).toLowerCase();
  if (TEXT_EXT.has(ext)) return "txt";
  if (HTML_EXT.has(ext)) return "html";
  if (JSONL_EXT.has(ext)) return "jsonl";
  return null;
}

/** One article read from a file (or a JSONL line), or why it could not be read. */
export type InputItem =
  | { file: string; line: number | null; ok: true; input: ArticleInput }
  | { file: string; line: number | null; ok: false; reason: string };

function checkReadable(path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? `${path}: no such file or folder` : `${path}: not readable (${code})`,
    );
  }
}

/**
 * Expands the arguments into the files to read: a file as given (its extension must be one
 * of .txt, .html/.htm, .jsonl/.ndjson), a folder as its files with those extensions, sorted
 * by name, not recursive. Throws InputError for a missing or unreadable path and UsageError
 * for a file of another kind.
 */
export function expandPaths(paths: string[], allowFolders: boolean): string[] {
  const files: string[] = [];
  for (const p of paths) {
    checkReadable(p);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (!allowFolders) throw new UsageError(`${p} is a folder; give a file`);
      const names = readdirSync(p).sort();
      for (const name of names) {
        const full = join(p, name);
        if (!kindOf(name)) continue;
        try {
          if (!statSync(full).isFile()) continue;
        } catch {
          continue;
        }
        checkReadable(full);
        files.push(full);
      }
    } else if (st.isFile()) {
      if (!kindOf(p))
        throw new UsageError(`${p}: unsupported file type (use .txt, .html, .htm, .jsonl or .ndjson)`);
      files.push(p);
    } else throw new InputError(`${p}: not a regular file or folder`);
  }
  return files;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`${path}: could not be read (${(e as Error).message})`);
  }
}

/** Whether reading these files may need the HTML extractor (jsdom): .html files, or JSONL lines with "html". */
function needsHtml(files: string[]): boolean {
  for (const f of files) {
    const kind = kindOf(f);
    if (kind === "html") return true;
    if (kind === "jsonl") {
      // Cheap look at the file: only a JSONL that mentions an "html" key needs jsdom.
      if (statSync(f).size > 64 * 1024 * 1024) return true;
      if (readFileSync(f).includes('"html"')) return true;
    }
  }
  return false;
}

/**
 * Reads every article of the files, in order: a .txt or .html file is one article, a JSONL
 * line one each. A .txt file's id is its file name. A saved page's id is its file name too
 * when `htmlIds` is "file" (compare); with "url" (import, analyze) a page that states its
 * address is known by that address and gets the store's id (saved pages are often all
 * called source.html or index.html), and only a page without address is named by its file.
 */
export async function* readInputs(
  files: string[],
  htmlIds: "file" | "url" = "url",
): AsyncGenerator<InputItem> {
  if (needsHtml(files)) await loadHtmlSupport();
  for (const file of files) {
    const kind = kindOf(file);
    if (kind === "jsonl") {
      const stream = createReadStream(file, { encoding: "utf8" });
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      try {
        for await (const item of parseJsonl(lines, htmlToText)) {
          yield item.ok
            ? { file, line: item.line, ok: true, input: item.input }
            : { file, line: item.line, ok: false, reason: item.reason };
        }
      } catch (e) {
        throw new InputError(`${file}: could not be read (${(e as Error).message})`);
      } finally {
        lines.close();
        stream.destroy();
      }
      continue;
    }
    const text = readText(file);
    if (looksBinary(text)) {
      yield { file, line: null, ok: false, reason: "binary data, not a text or HTML file" };
      continue;
    }
    if (kind === "txt") {
      const input = plainTextInput(file, text);
      yield input
        ? { file, line: null, ok: true, input }
        : { file, line: null, ok: false, reason: "the file is empty" };
    } else {
      const r = htmlToArticle(text, null, pathToFileURL(resolve(file)).href);
      yield r.ok
        ? {
            file,
            line: null,
            ok: true,
            input: { ...r.input, id: htmlIds === "url" && r.input.url ? null : baseName(file) },
          }
        : { file, line: null, ok: false, reason: r.reason };
    }
  }
}
